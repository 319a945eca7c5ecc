"""Every citation gives the page of the original it comes from: the texts keep the page breaks as
form feeds and PDFs are read page by page, and cleaning keeps where each page starts."""

import bisect
import json

import pytest

from qa.evaluate import fold
from qa.reports.pages import page_starts
from qa.reports.report import read_text
from tests.conftest import SAMPLES, SHARED

COVER = ("Inspection of Exampleshire children's services\n\nInspection dates: 1 to 5 May 2024\n\n"
         + "Children's services in Exampleshire have improved since the last inspection, and most children\n"
         * 4 + "are now helped at the right time.\n\n")
PAGES = [  # a front page as Ofsted's: the judgement table first
    "Judgement Grade\nThe experiences and progress of children in care Good\n" + COVER,
    "Inspection of Exampleshire children's services\nThe experiences and progress of children in care\n"
    "1. Children in care live in stable homes close to their families and schools.\n2",
    "Inspection of Exampleshire children's services\n2. Care leavers are supported well by personal advisers "
    "who know them.\n3",
]


def test_each_page_starts_where_its_first_line_that_was_kept_is():
    extracted = "\f".join(PAGES) + "\f"
    text = read_text(__import__("pathlib").Path("report.txt"), extracted.encode()).text
    starts = page_starts(extracted, text)
    assert len(starts) == 3 and starts[0] == 0
    # The running header is not a page's start, nor the judgement table's line that page 2's
    # heading repeats.
    assert text[starts[1]:].startswith("The experiences and progress of children in care\n\n1. Children")
    assert text[starts[2]:].startswith("2. Care leavers")
    assert page_starts("one page only", "one page only") == ()


def test_a_citation_from_a_pdf_gives_its_page():
    report = read_text(SAMPLES / "worcestershire-inspection-2023.pdf",
                       (SAMPLES / "worcestershire-inspection-2023.pdf").read_bytes())
    twin = (SAMPLES / "worcestershire-inspection-2023.txt").read_text(encoding="utf-8")
    assert len(report.pages) == twin.rstrip("\f").count("\f") + 1
    for evidence in ("Lead inspector: Rebecca Quested", "Communication between the social workers in EDT",
                     "by the deployment of family support workers", "Feedback from external partner agencies"):
        at = _located(report.text, evidence)
        assert at is not None
        assert bisect.bisect_right(report.pages, at) == twin.count("\f", 0, _located(twin, evidence)) + 1


def _located(text: str, evidence: str) -> int | None:
    """Where `evidence` starts in `text`, compared as letters and digits (as the question set is)."""
    chars, where = [], []
    for offset, char in enumerate(text):
        for folded in fold(char):
            if folded.isalnum():
                chars.append(folded)
                where.append(offset)
    key = "".join(c for c in fold(evidence) if c.isalnum())
    at = "".join(chars).find(key)
    return where[at] if key and at >= 0 else None


@pytest.mark.skipif(not (SHARED / "ofsted-qa").exists(), reason="needs ../shared/ofsted-qa")
def test_the_page_of_each_dev_questions_evidence_is_the_page_pdftotext_puts_it_on():
    """For the dev questions' reports as text (pdftotext's) and, where held, as the PDF."""
    right, wrong = 0, []
    read = {}
    for line in (SHARED / "ofsted-qa" / "dev.jsonl").read_text(encoding="utf-8").splitlines():
        item = json.loads(line)
        if not item.get("evidence") or not item.get("file"):
            continue
        twin = SHARED / "ofsted" / item["file"]
        raw = twin.read_text(encoding="utf-8")
        want = raw.count("\f", 0, _located(raw, item["evidence"])) + 1
        pdf = SHARED / "ofsted" / "pdf" / item["file"].replace("text_inspections", "inspections").replace(
            "text_focused_visits", "focused_visits").replace("text_send", "send").replace(".txt", ".pdf")
        for path in (twin, pdf) if pdf.exists() else (twin,):
            if path not in read:
                read[path] = read_text(path, path.read_bytes())
            report = read[path]
            got = bisect.bisect_right(report.pages, _located(report.text, item["evidence"]))
            if got == want:
                right += 1
            else:
                wrong.append((item["id"], path.name, want, got))
    assert right > 300 and not wrong, wrong


def test_an_answer_from_a_pdf_cites_its_page_and_the_original_at_it(tmp_path, real_embedder, capsys):
    import shutil

    from qa import cli
    from qa.config import Settings
    from qa.pipeline import QA

    corpus = tmp_path / "corpus"
    corpus.mkdir()
    shutil.copy(SAMPLES / "worcestershire-inspection-2023.pdf", corpus / "worcestershire.pdf")
    url = "https://files.ofsted.gov.uk/v1/file/50219331"
    (corpus / "worcestershire.meta.json").write_text(json.dumps({"url": url}))
    settings = Settings.load(environ={}, corpus=corpus, index=tmp_path / "index")
    qa = QA(settings, real_embedder)
    qa.refresh()
    reply = qa.ask("How do social workers in EDT and daytime services communicate?")
    citation = reply.answers[0].citation
    assert reply.answered and "EDT" in citation.paragraph
    assert citation.page == 3 and citation.original == url
    assert reply.to_dict()["answers"][0]["citation"]["page"] == 3
    code = cli.main(["ask", "How do social workers in EDT and daytime services communicate?", "-k", "1",
                     "--corpus", str(corpus), "--index", str(tmp_path / "index")])
    assert code == 0 and ", p. 3" in capsys.readouterr().out


def test_a_manifest_in_the_corpus_gives_each_inspections_original(tmp_path):
    from qa.indexing.manifest import addresses
    from qa.reports.report import fingerprint, load_report

    folder = tmp_path / "text_inspections" / "80587_worcestershire"
    folder.mkdir(parents=True)
    report = folder / "children's services inspection - 14 july 2023.txt"
    report.write_text((SAMPLES / "worcestershire-inspection-2023.txt").read_text(encoding="utf-8"), encoding="utf-8")
    other = folder / "children's services inspection - 01 march 2019.txt"
    other.write_text((SAMPLES / "worcestershire-inspection-2019.txt").read_text(encoding="utf-8"), encoding="utf-8")
    url = "https://files.ofsted.gov.uk/v1/file/50221017"
    # In the shape of ../shared/ofsted/manifest.csv; its folder names differ from the corpus's.
    (tmp_path / "manifest.csv").write_text(
        "collection,urn,local_authority,publication_date_from_filename,text_path,ofsted_file_url\n"
        f"ilacs_inspection,80587,worcestershire,14 july 2023,ilacs_inspections_text/80587_worcestershire/x.txt,{url}\n"
        "focused_visit,80587,worcestershire,01 march 2019,focused_visits_text/80587_worcestershire/y.txt,"
        "https://files.ofsted.gov.uk/v1/file/1\n", encoding="utf-8")
    assert load_report(fingerprint(report), "a", "a").meta["url"] == url
    assert "url" not in load_report(fingerprint(other), "b", "b").meta  # another kind of report that day
    assert set(addresses(tmp_path)) == {url, "https://files.ofsted.gov.uk/v1/file/1"}
