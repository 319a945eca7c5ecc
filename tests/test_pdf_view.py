"""A page of a PDF report as an image, and the boxes of a cited span's words on it."""

import struct
import zlib

import pytest

from qa.errors import ReportError
from qa.reports import pdf_view
from tests.conftest import SAMPLES

PDF = SAMPLES / "worcestershire-inspection-2023.pdf"


def test_the_boxes_of_a_span_are_one_a_line_where_its_words_are():
    front = pdf_view.page(PDF, 1, "Lead inspector: Rebecca Quested")
    assert (front.number, front.pages) == (1, 12) and front.width == pytest.approx(595.3 * pdf_view.SCALE, abs=1)
    assert len(front.boxes) == 1
    box = front.boxes[0]
    # A line near the top of the page, from the left margin.
    assert 0.05 < box.left / front.width < 0.2 and 0.2 < box.top / front.height < 0.35 and 10 < box.height < 30
    two_lines = pdf_view.page(PDF, 3, "Communication between the social workers in EDT and daytime services "
                                      "ensures seamless support to children and families")
    assert len(two_lines.boxes) == 2 and two_lines.boxes[1].top > two_lines.boxes[0].top
    assert pdf_view.page(PDF, 3, "words no page of it holds at all, anywhere, ever").boxes == ()
    assert pdf_view.page(PDF, 3).boxes == ()


def test_a_span_that_runs_on_to_the_next_page_is_boxed_where_it_starts():
    page = pdf_view.page(PDF, 3, "Communication between the social workers in EDT and daytime services "
                                 "ensures seamless support to children and families. These words are on no page.")
    assert page.boxes


def test_a_page_renders_as_a_png_of_its_size():
    image = pdf_view.render(PDF, 2)
    assert image[:8] == b"\x89PNG\r\n\x1a\n"
    width, height = struct.unpack(">II", image[16:24])
    page = pdf_view.page(PDF, 2)
    assert abs(width - page.width) <= 1 and abs(height - page.height) <= 1
    with pytest.raises(ReportError, match="no page 13"):
        pdf_view.render(PDF, 13)
    with pytest.raises(ReportError, match="no page 0"):
        pdf_view.page(PDF, 0)


def test_png_encoding_round_trips():
    rgb = bytes(range(2 * 3 * 3))  # 3 wide, 2 high
    image = pdf_view.encode_png(rgb, 3, 2)
    data = image[image.index(b"IDAT") + 4:image.index(b"IEND") - 8]
    rows = zlib.decompress(data)
    assert rows == b"\x00" + rgb[:9] + b"\x00" + rgb[9:]


def test_an_unreadable_pdf_is_a_report_error(tmp_path):
    broken = tmp_path / "broken.pdf"
    broken.write_bytes(b"%PDF-1.7 not really")
    with pytest.raises(ReportError, match="unreadable PDF"):
        pdf_view.page(broken, 1)
