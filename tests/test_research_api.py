"""The research endpoints and pages with the real models over real inspections: table answers,
surveys (paged, streamed, downloaded), authorities, the filtered reports list, feedback (kept when
the server is killed) and the pages' security headers."""

import csv
import io
import json
import shutil

import jsonschema
import pytest
from markupsafe import escape

from qa.research.feedback import FeedbackStore
from tests.conftest import CORPUS
from tests.server import Server
from web import create_app
from web.openapi import document

AUTH = {"Authorization": "Bearer admin-token"}


@pytest.fixture
def client(research_qa):
    return create_app(qa=research_qa).test_client()


def conforms(body, schema_name):
    spec = document()
    jsonschema.validate(body, {"$ref": f"#/components/schemas/{schema_name}", "components": spec["components"]})


def test_a_question_about_many_reports_returns_its_table(client):
    response = client.post("/api/ask", json={"question": "Which councils were judged outstanding in 2024?",
                                             "top_k": 1})
    body = response.get_json()
    conforms(body, "Reply")
    assert [row["authority"] for row in body["table"]] == ["Bromley", "Havering"]
    assert [answer["text"] for answer in body["answers"]] == ["Outstanding"]
    assert body["table"][1]["answer"] is None and body["table"][1]["grade"] == "inadequate"


def test_survey_pages_streams_and_downloads(client):
    question = "How well are care leavers supported?"
    page = client.post("/api/survey", json={"question": question, "filters": {"kind": "inspection"},
                                            "offset": 2, "limit": 3}).get_json()
    conforms(page, "SurveyPage")
    assert page["total"] == 10 and page["offset"] == 2 and len(page["rows"]) == 3
    response = client.post("/api/survey", json={"question": question, "filters": {"authority": "Sunderland"},
                                                "stream": True})
    assert response.mimetype == "application/x-ndjson"
    lines = [json.loads(line) for line in response.get_data(as_text=True).splitlines()]
    assert lines[0] == {"question": question, "total": 2}
    rows = [line["row"] for line in lines[1:-1]]
    for row in rows:
        conforms(row, "SurveyRow")
    assert lines[-1]["done"] and len(rows) == 2
    key = lines[-1]["id"]
    saved = client.get(f"/api/survey/{key}.csv")
    assert saved.mimetype == "text/csv" and "attachment" in saved.headers["Content-Disposition"]
    assert len(list(csv.reader(io.StringIO(saved.get_data(as_text=True))))) == 3
    assert client.get(f"/api/survey/{key}.json").get_json()["rows"] == rows
    assert client.get("/api/survey/nope.csv").status_code == 404


@pytest.mark.parametrize("body, code", [
    ({"question": ""}, "bad_question"),
    ({"question": "Anything?", "offset": -1}, "bad_offset"),
    ({"question": "Anything?", "limit": "ten"}, "bad_limit"),
    ({"question": "Anything?", "stream": "yes"}, "bad_stream"),
    ({"question": "Anything?", "filters": {"kind": "novel"}}, "bad_filters"),
])
def test_bad_survey_requests_are_refused(client, body, code):
    response = client.post("/api/survey", json=body)
    assert response.status_code == 400 and response.get_json()["error"]["code"] == code


def test_authorities_and_one_authoritys_history(client):
    listed = client.get("/api/authorities").get_json()
    assert [item["name"] for item in listed["authorities"]] == [
        "Birmingham", "Blackpool", "Bromley", "Essex", "Havering", "Sunderland", "Worcestershire"]
    for item in listed["authorities"]:
        conforms(item, "Authority")
    found = client.get("/api/authorities/birmingham").get_json()
    conforms(found, "AuthorityHistory")
    assert [report["grades"]["overall_effectiveness"]["grade"] for report in found["history"]] == [
        "requires improvement", "good"]
    assert client.get("/api/authorities/Birmingham-City-Council").get_json()["key"] == "birmingham"
    assert client.get("/api/authorities/atlantis").status_code == 404
    for nobody in ("-", "---", "%20"):  # names that fold to nothing are no authority, not the unattributed reports
        assert client.get(f"/api/authorities/{nobody}").status_code == 404


def test_reports_are_filtered_sorted_and_paged(client):
    body = client.get("/api/reports?kind=inspection&year=2024&grade=inadequate").get_json()
    assert body["total"] == 1 and body["reports"][0]["authority"] == "Havering"
    body = client.get("/api/reports?sort=authority&limit=2&offset=1").get_json()
    assert body["total"] == 11 and [r["authority"] for r in body["reports"]] == ["Birmingham", "Blackpool"]
    assert client.get("/api/reports?grade=excellent").get_json()["error"]["code"] == "bad_filters"
    assert client.get("/api/reports?year=twenty").status_code == 400
    page = client.get("/reports?authority=Sunderland&sort=date&order=asc").get_data(as_text=True)
    assert page.index("2021-08-20") < page.index("2025-03-11")
    assert "Reports (2)" in page


def test_feedback_is_checked_and_listed_for_the_admin(client, research_qa):
    answer = research_qa.ask("Who was the lead inspector of the 2024 Havering inspection?").answers[0].to_dict()
    body = {"verdict": "right", "question": "Who led it?", "history": [{"question": "Earlier?", "answer": "x"}],
            "answer": answer}
    response = client.post("/api/feedback", json=body)
    assert response.status_code == 201 and response.get_json()["saved"]
    forged = {**body, "answer": {**answer, "text": "Someone else"}}
    assert client.post("/api/feedback", json=forged).get_json()["error"]["code"] == "bad_answer"
    assert client.post("/api/feedback", json={**body, "verdict": "meh"}).get_json()["error"]["code"] == "bad_feedback"
    assert client.get("/api/feedback").status_code == 401
    listed = client.get("/api/feedback", headers=AUTH).get_json()
    conforms(listed, "FeedbackList")
    kept = listed["feedback"][-1]
    assert kept["history"] == ["Earlier?"] and kept["answer"]["text"] == answer["text"]
    assert kept["generation"] == research_qa.store.generation


@pytest.mark.parametrize("path", ["/", "/compare", "/reports", "/authorities", "/authorities/sunderland", "/about"])
def test_pages_send_a_content_security_policy(client, path):
    response = client.get(path)
    assert response.status_code == 200
    policy = response.headers["Content-Security-Policy"]
    assert "script-src 'self'" in policy and "frame-ancestors 'none'" in policy and "unsafe-inline" not in policy
    assert response.headers["X-Content-Type-Options"] == "nosniff"
    assert "<script>" not in response.get_data(as_text=True).replace("<script src=", "")


def test_authority_page_draws_its_judgements_and_links_every_item(client):
    page = client.get("/authorities/sunderland").get_data(as_text=True)
    assert page.count("<circle") == 10  # five judgements, two inspections
    assert "The uptake of return home interviews" in page and "start=" in page


def test_a_killed_server_keeps_acknowledged_feedback(tmp_path, research_qa):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    with Server(tmp_path / "corpus", tmp_path / "index") as server:
        status, reply = server.ask("Who was the lead member for children's services?")
        answer = reply["answers"][0]
        status, saved = server.request("POST", "/api/feedback", {"verdict": "wrong", "question": reply["question"],
                                                                 "answer": answer})
        assert status == 201
        server.kill()
    rows = FeedbackStore(tmp_path / "feedback.sqlite3").all()
    assert [(row["id"], row["verdict"], row["answer"]["text"]) for row in rows] == [(saved["id"], "wrong",
                                                                                     answer["text"])]


def test_equal_judgements_of_an_inspection_sit_side_by_side_on_the_chart():
    import re

    from web.chart import grades_chart

    chart = str(grades_chart([("2024-01-12", dict.fromkeys(("a", "b", "c", "d", "e"), "good"))],
                             {key: key for key in "abcde"}))
    centres = sorted(float(x) for x in re.findall(r'<circle cx="([\d.]+)"', chart))
    assert len(centres) == 5 and all(right - left >= 9 for left, right in zip(centres, centres[1:], strict=False))


def test_regions_filter_the_reports_and_stand_beside_an_authority(client):
    body = client.get("/api/reports?region=London&sort=region").get_json()
    assert body["total"] > 0 and {r["authority"] for r in body["reports"]} <= {"Bromley", "Havering"}
    assert client.get("/api/reports?region=Atlantis").status_code == 400
    listing = client.get("/reports?region=North+East").get_data(as_text=True)
    assert "<td>North East</td>" in listing and "Bromley" not in listing.split("<tbody>")[1]
    assert '<select name="region">' in client.get("/").get_data(as_text=True)
    history = client.get("/api/authorities/sunderland").get_json()
    conforms(history, "AuthorityHistory")
    assert history["region"] == "North East" and history["region_grades"]["authorities"] == 1
    page = client.get("/authorities/sunderland").get_data(as_text=True)
    assert "Beside the North East" in page and 'id="region-grades"' in page
    reply = client.post("/api/ask", json={"question": "How well are care leavers supported?",
                                          "filters": {"region": "London"}}).get_json()
    conforms(reply, "Reply")
    assert reply["answers"] and {a["citation"]["authority"] for a in reply["answers"]} <= {"Bromley", "Havering"}


def test_a_whole_list_is_quoted_as_it_reads_and_shown_an_item_a_line(client):
    body = client.post("/api/ask", json={"question": "What does Sunderland need to improve?"}).get_json()
    conforms(body, "Reply")
    citation = body["answers"][0]["citation"]
    assert len(citation["breaks"]) == 2 and "\n" not in body["answers"][0]["text"]
    page = client.get(f"/reports/{citation['doc_id']}?start={citation['doc_start']}&end={citation['doc_end']}")
    shown = page.get_data(as_text=True)
    first, second = citation["paragraph"][:citation["breaks"][0] - 1], citation["paragraph"][citation["breaks"][0]:]
    # The same words, the items on lines of their own.
    assert str(escape(f"{first}\n{second[:40]}")) in shown


def test_a_report_held_as_pdf_shows_the_cited_page_with_the_words_highlighted(client, research_qa):
    pdf = next(e.document for e in research_qa.store.entries.values() if e.document.source.endswith(".pdf"))
    start = pdf.text.index("Communication between the social workers in EDT")
    end = start + len("Communication between the social workers in EDT")
    page = client.get(f"/reports/{pdf.doc_id}?start={start}&end={end}").get_data(as_text=True)
    number = pdf.page_at(start)
    assert number > 1 and f"Page {number} of 12 of the PDF, the cited words highlighted" in page
    assert page.count('<rect class="highlight"') >= 1 and f"/reports/{pdf.doc_id}/pages/{number}.png" in page
    image = client.get(f"/reports/{pdf.doc_id}/pages/{number}.png")
    assert image.status_code == 200 and image.mimetype == "image/png" and image.data[:8] == b"\x89PNG\r\n\x1a\n"
    assert client.get(f"/reports/{pdf.doc_id}/pages/13.png").status_code == 404
    other = client.get(f"/reports/{pdf.doc_id}?start={start}&end={end}&page=1").get_data(as_text=True)
    assert "Page 1 of 12 of the PDF</h2>" in other and '<rect class="highlight"' not in other
    text = next(e.document for e in research_qa.store.entries.values() if e.document.source.endswith(".txt"))
    assert 'id="original"' not in client.get(f"/reports/{text.doc_id}").get_data(as_text=True)
    assert client.get(f"/reports/{text.doc_id}/pages/1.png").status_code == 404


def test_the_scores_page_says_what_a_score_means_with_the_measured_figures(client):
    from qa.answer.read import SCORER

    page = client.get("/about").get_data(as_text=True)
    measured = json.loads(SCORER.read_text(encoding="utf-8"))
    assert 'id="score"' in page and f"{measured['out_of_fold']['calibration_error']:.3f}" in page
    assert f"{measured['threshold']:.3f}" in page and f"{measured['front_page']['overall']:.3f}" in page
