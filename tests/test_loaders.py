from pathlib import Path

import pytest

from qa.errors import ReportError
from qa.reports.loaders import extract
from qa.reports.loaders.decode import decode
from tests.conftest import DATA


def test_utf8_multibyte_is_kept():
    assert decode("Children’s services — café".encode()) == "Children’s services — café"


def test_latin1_falls_back():
    text, _ = extract(Path("latin1.txt"), (DATA / "latin1.txt").read_bytes())
    assert "café" in text and "résumé" in text


def test_cp1252_quotes_decode():
    assert decode(b"children\x92s services") == "children’s services"


def test_binary_is_refused():
    with pytest.raises(ReportError, match="binary"):
        decode(b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR")


def test_control_character_junk_is_refused():
    with pytest.raises(ReportError, match="binary"):
        decode(bytes(range(1, 32)) * 40)


def test_unsupported_suffix_says_which_are_supported():
    with pytest.raises(ReportError, match=r"unsupported format '\.exe'.*\.txt"):
        extract(Path("report.exe"), b"text")


def test_html_keeps_visible_text_only():
    text, title = extract(Path("a.html"), (DATA / "article.html").read_bytes())
    assert title == "Youth service & family hubs expanded"
    assert "three family hubs in 2022" in text
    assert "<and>" in text
    for hidden in ("alert", "color: red", "Home | News", "Copyright", "Page title"):
        assert hidden not in text


def test_html_blocks_become_paragraph_breaks():
    text, _ = extract(Path("a.html"), b"<p>One.</p><p>Two.</p><ul><li>Three</li></ul>")
    assert [part.strip() for part in text.split("\n\n") if part.strip()] == ["One.", "Two.", "Three"]


def test_deeply_nested_html_does_not_recurse():
    raw = ("<div>" * 20000 + "Deep text." + "</div>" * 20000).encode()
    text, _ = extract(Path("deep.html"), raw)
    assert "Deep text." in text


def test_markdown_heading_is_title_and_markers_go():
    text, title = extract(Path("n.md"), (DATA / "nested" / "deeper" / "notes.md").read_bytes())
    assert title == "Early help review"
    assert "#" not in text and "Findings" in text


def test_html_inline_tags_keep_the_spaces_between_words():
    from qa.reports.loaders.html import load_html

    text, _ = load_html(b"<p>Ofsted <b>rated</b> the service <a href='#'>good</a> overall.</p><p>One<i>word</i></p>")
    assert "Ofsted rated the service good overall." in text and "Oneword" in text


def _docx_with_empty_paragraphs(count: int) -> bytes:
    import io
    from copy import deepcopy

    import docx

    document = docx.Document()
    document.add_paragraph("A real paragraph about the adoption panel.")
    empty = docx.oxml.parse_xml('<w:p xmlns:w="http://schemas.openxmlformats.org/wordprocessingml/2006/main"/>')
    for _ in range(count):
        document.element.body.append(deepcopy(empty))
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


def test_docx_empty_paragraphs_are_skipped_cheaply_and_millions_refused():
    from qa.errors import ReportError
    from qa.reports.loaders.docx import MAX_BLOCKS, load_docx

    text, _ = load_docx(_docx_with_empty_paragraphs(20_000))  # 37 KB: was half a minute of style look-ups
    assert text == "A real paragraph about the adoption panel."
    with pytest.raises(ReportError, match="more than 100,000 paragraphs"):
        load_docx(_docx_with_empty_paragraphs(MAX_BLOCKS))
