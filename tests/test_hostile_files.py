"""Broken and hostile report files are refused or skipped with a reason, never crash a refresh,
and keep memory bounded; the rest of the corpus is still indexed."""

from __future__ import annotations

import io
import tracemalloc
import zipfile
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from qa.errors import ReportError
from qa.reports.loaders import LOADERS
from qa.reports.loaders.decode import decode
from qa.reports.report import MAX_REPORT_BYTES, read_text

SAMPLES = Path(__file__).parent / "samples"
HOSTILE = Path(__file__).parent / "hostile"
PDF = (SAMPLES / "worcestershire-focused-visit-2025.pdf").read_bytes()
FUZZ = settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])


def _docx(paragraphs: list[str]) -> bytes:
    import docx

    document = docx.Document()
    for text in paragraphs:
        document.add_paragraph(text)
    buffer = io.BytesIO()
    document.save(buffer)
    return buffer.getvalue()


DOCX = _docx(["Inspection of Exampleshire children's services.", "Leaders know their services well."])


def _read_or_refuse(suffix: str, data: bytes) -> None:
    """A report either reads to text whose paragraphs slice it, or is refused with a reason."""
    try:
        text, paragraphs = read_text(Path("report" + suffix), data)[:2]
    except ReportError as error:
        assert str(error)
        return
    assert text and all(text[p.start:p.end].strip() for p in paragraphs)


@FUZZ
@given(suffix=st.sampled_from(sorted(LOADERS)), data=st.binary(max_size=4096))
def test_random_bytes_under_any_suffix_are_read_or_refused(suffix, data):
    _read_or_refuse(suffix, data)


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(PDF)))
def test_truncated_pdfs_are_read_or_refused(cut):
    _read_or_refuse(".pdf", PDF[:cut])


@FUZZ
@given(edits=st.lists(st.tuples(st.integers(0, len(PDF) - 1), st.integers(0, 255)), min_size=1, max_size=40))
def test_corrupted_pdfs_are_read_or_refused(edits):
    data = bytearray(PDF)
    for position, value in edits:
        data[position] = value
    _read_or_refuse(".pdf", bytes(data))


@FUZZ
@given(cut=st.integers(min_value=0, max_value=len(DOCX)),
       edits=st.lists(st.tuples(st.integers(0, len(DOCX) - 1), st.integers(0, 255)), max_size=10))
def test_truncated_and_corrupted_docx_are_read_or_refused(cut, edits):
    data = bytearray(DOCX[:cut])
    for position, value in edits:
        if position < len(data):
            data[position] = value
    _read_or_refuse(".docx", bytes(data))


@FUZZ
@given(st.binary(max_size=2048))
def test_invalid_utf8_is_decoded_by_fallback_or_refused(data):
    try:
        text = decode(data)
    except ReportError:
        return
    assert isinstance(text, str) and len(text) <= len(data)


@FUZZ
@given(st.text(max_size=500))
def test_valid_utf8_text_decodes_to_itself(text):
    data = text.encode("utf-8")
    try:
        decoded = decode(data)
    except ReportError as error:  # only text full of control characters is refused
        assert "control characters" in str(error) or "NUL" in str(error)
        return
    assert decoded == text.removeprefix("\ufeff")


def test_encrypted_pdf_is_refused_as_encrypted():
    with pytest.raises(ReportError, match="encrypted"):
        read_text(Path("report.pdf"), (HOSTILE / "encrypted.pdf").read_bytes())


def _zip_bomb() -> bytes:
    """A DOCX whose document.xml unpacks to 300 MB of spaces from a few hundred kilobytes."""
    buffer = io.BytesIO()
    with zipfile.ZipFile(buffer, "w", zipfile.ZIP_DEFLATED) as archive:
        with archive.open("word/document.xml", "w", force_zip64=True) as member:
            block = b" " * (1 << 20)
            for _ in range(300):
                member.write(block)
    return buffer.getvalue()


def test_docx_zip_bomb_is_refused_without_unpacking():
    bomb = _zip_bomb()
    tracemalloc.start()
    try:
        with pytest.raises(ReportError, match="zip bomb"):
            read_text(Path("report.docx"), bomb)
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert len(bomb) < 2 * 1024 * 1024 and peak < 20 * 1024 * 1024


def test_deeply_nested_html_reads():
    html = ("<div>" * 100_000) + "Leaders know their services well." + ("</div>" * 100_000)
    text = read_text(Path("report.html"), html.encode()).text
    assert "Leaders know their services well." in text


def test_a_corpus_of_hostile_files_is_skipped_with_reasons_and_the_rest_indexed(fake_qa, corpus):
    hostile = corpus / "hostile"
    hostile.mkdir()
    with open(hostile / "huge.txt", "wb") as handle:  # 100 MB of real text, over the size limit
        line = b"Leaders know their services well and children are safe. " * 16 + b"\n"
        for _ in range(100 * 1024 * 1024 // len(line) + 1):
            handle.write(line)
    (hostile / "junk.txt").write_bytes(bytes(range(256)) * 64)
    (hostile / "truncated.pdf").write_bytes(PDF[: len(PDF) // 3])
    (hostile / "encrypted.pdf").write_bytes((HOSTILE / "encrypted.pdf").read_bytes())
    (hostile / "not really.pdf").write_bytes(b"<html><body>A web page saved as PDF</body></html>")
    (hostile / "bomb.docx").write_bytes(_zip_bomb())
    (hostile / "broken.docx").write_bytes(DOCX[: len(DOCX) // 2])
    (hostile / "bad utf8.md").write_bytes(b"# Title\n\n" + bytes([0xC3, 0x28, 0xA0, 0xA1]) * 10 + b" text")
    tracemalloc.start()
    try:
        summary = fake_qa.refresh()
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    reasons = dict(summary.skipped)
    assert "too large" in reasons["hostile/huge.txt"]
    assert f"{MAX_REPORT_BYTES:,}" in reasons["hostile/huge.txt"]
    assert "binary" in reasons["hostile/junk.txt"]
    assert "encrypted" in reasons["hostile/encrypted.pdf"]
    assert "no %PDF header" in reasons["hostile/not really.pdf"]
    assert "zip bomb" in reasons["hostile/bomb.docx"]
    assert "DOCX" in reasons["hostile/broken.docx"]
    assert "unreadable PDF" in reasons["hostile/truncated.pdf"]
    # Invalid UTF-8 falls back to cp1252/Latin-1 and is indexed, not lost.
    assert "hostile/bad utf8.md" in summary.added
    assert {"nested/deeper/notes.md", "numbered report.txt", "latin1.txt"} <= set(summary.added)
    assert peak < 100 * 1024 * 1024
    answer = fake_qa.ask("numbered report paragraphs")
    assert answer.answers or answer.closest
