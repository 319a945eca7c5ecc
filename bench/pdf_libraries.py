"""Compare PDF text extractors on the Ofsted PDFs against their pdftotext twins.

For each library: seconds per PDF, and text fidelity as the F1 of word multisets against the
`pdftotext` text of the same PDF (words lower-cased, letters and digits only; words broken
across lines are joined on both sides first, so a kept or dropped line-end hyphen does not count).

    python bench/pdf_libraries.py [--shared ../shared] [--limit N]

Needs pypdf, pypdfium2 and pdfminer.six installed (`pip install pypdf pdfminer.six`).
"""

from __future__ import annotations

import argparse
import io
import re
import statistics
import time
from collections import Counter
from pathlib import Path

_WORD = re.compile(r"[a-z0-9]+")
_BROKEN = re.compile(r"(\w)-?\s*\n\s*(\w)")


def words(text: str) -> Counter:
    return Counter(_WORD.findall(text.lower()))


def f1(found: Counter, gold: Counter) -> float:
    common = sum((found & gold).values())
    if not common:
        return 0.0
    precision, recall = common / sum(found.values()), common / sum(gold.values())
    return 2 * precision * recall / (precision + recall)


def with_pypdfium2(raw: bytes) -> str:
    import pypdfium2

    document = pypdfium2.PdfDocument(raw)
    try:
        return "\f".join(page.get_textpage().get_text_range() for page in document)
    finally:
        document.close()


def with_pypdf(raw: bytes) -> str:
    import pypdf

    return "\f".join(page.extract_text() or "" for page in pypdf.PdfReader(io.BytesIO(raw)).pages)


def with_pdfminer(raw: bytes) -> str:
    from pdfminer.high_level import extract_text

    return extract_text(io.BytesIO(raw))


LIBRARIES = {
    "pypdfium2": (with_pypdfium2, "Apache-2.0 or BSD-3-Clause (PDFium: BSD-3-Clause)"),
    "pypdf": (with_pypdf, "BSD-3-Clause, pure Python"),
    "pdfminer.six": (with_pdfminer, "MIT, pure Python"),
}


def twin(pdf: Path, ofsted: Path) -> Path:
    relative = pdf.relative_to(ofsted / "pdf")
    return ofsted / f"text_{relative.parts[0]}" / Path(*relative.parts[1:]).with_suffix(".txt")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--shared", type=Path, default=Path(__file__).resolve().parents[2] / "shared")
    parser.add_argument("--limit", type=int, default=0, help="only the first N PDFs")
    args = parser.parse_args()
    ofsted = args.shared / "ofsted"
    pdfs = [pdf for pdf in sorted((ofsted / "pdf").rglob("*.pdf")) if twin(pdf, ofsted).is_file()]
    pdfs = pdfs[: args.limit or None]
    print(f"{len(pdfs)} PDFs with a text twin, {sum(p.stat().st_size for p in pdfs) / 1e6:.1f} MB")
    print(f"{'library':<14}{'s/PDF':>8}{'total s':>9}{'F1 mean':>9}{'F1 min':>8}  licence")
    for name, (extract, licence) in LIBRARIES.items():
        seconds, scores, failures = [], [], 0
        for pdf in pdfs:
            raw = pdf.read_bytes()
            gold = words(_BROKEN.sub(r"\1\2", twin(pdf, ofsted).read_text(encoding="utf-8")))
            began = time.perf_counter()
            try:
                text = extract(raw)
            except Exception:  # a library's own failure counts against it
                failures += 1
                continue
            seconds.append(time.perf_counter() - began)
            scores.append(f1(words(_BROKEN.sub(r"\1\2", text)), gold))
        print(f"{name:<14}{statistics.mean(seconds):>8.3f}{sum(seconds):>9.1f}{statistics.mean(scores):>9.4f}"
              f"{min(scores):>8.4f}  {licence}" + (f" ({failures} failed)" if failures else ""))


if __name__ == "__main__":
    main()
