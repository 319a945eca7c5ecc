"""The JSON API with the real model: answers, every error case, and the upload-replace-delete cycle."""

import io
import json
import shutil
from pathlib import Path

import jsonschema
import pytest
from openapi_spec_validator import validate

from qa.config import Settings
from qa.pipeline import QA
from tests.conftest import CORPUS
from web import create_app
from web.openapi import document

TOKEN = "s3cret-token"
AUTH = {"Authorization": f"Bearer {TOKEN}"}


@pytest.fixture(scope="module")
def engine(tmp_path_factory, real_embedder):
    folder = tmp_path_factory.mktemp("api")
    shutil.copytree(CORPUS, folder / "corpus")
    settings = Settings.load(environ={}, corpus=folder / "corpus", index=folder / "index",
                             admin_token=TOKEN, max_upload_mb=1)
    qa = QA(settings, real_embedder)
    qa.refresh()
    return qa


@pytest.fixture
def client(engine):
    return create_app(qa=engine).test_client()


def conforms(response, schema_name):
    """Validate a real response body against the OpenAPI document's schema."""
    spec = document()
    jsonschema.validate(response.get_json(), {"$ref": f"#/components/schemas/{schema_name}",
                                              "components": spec["components"]})


def test_openapi_document_is_valid_openapi(client):
    spec = client.get("/api/openapi.json").get_json()
    validate(spec)
    assert set(spec["paths"]) == {"/api/ask", "/api/reports", "/api/reports/{doc_id}", "/api/health",
                                  "/api/openapi.json", "/api/survey", "/api/survey/{id}.{format}",
                                  "/api/authorities", "/api/authorities/{name}", "/api/feedback"}


def test_ask_returns_the_reply_shape_with_exact_slices(client):
    response = client.post("/api/ask", json={"question": "How were referrals relating to domestic abuse dealt with?"})
    assert response.status_code == 200
    conforms(response, "Reply")
    reply = response.get_json()
    assert reply["answered"] and 1 <= len(reply["answers"]) <= 3
    for answer in reply["answers"]:
        citation = answer["citation"]
        assert citation["paragraph"][citation["start"]:citation["end"]] == answer["text"]


def test_ask_honours_top_k_and_history(client):
    reply = client.post("/api/ask", json={
        "question": "Do most schools offer it?", "top_k": 1,
        "history": [{"question": "What did the focused visit say about early help?", "answer": "..."}]}).get_json()
    assert len(reply["answers"]) == 1 and "early help" in reply["answers"][0]["citation"]["paragraph"].lower()


def test_unanswerable_question_says_so_with_closest(client):
    response = client.post("/api/ask", json={"question": "Who won the 2022 World Cup?"})
    conforms(response, "Reply")
    reply = response.get_json()
    assert reply["answered"] is False and reply["answers"] == [] and reply["closest"]


BAD_ASKS = [
    ("not json", "application/json", "bad_json"),
    ("[1, 2]", "application/json", "bad_json"),
    ('{"question": ""}', "application/json", "bad_question"),
    ('{"question": "   "}', "application/json", "bad_question"),
    ('{"question": 42}', "application/json", "bad_question"),
    ('{}', "application/json", "bad_question"),
    ('{"question": "' + "x" * 2001 + '"}', "application/json", "bad_question"),
    ('{"question": "ok?", "top_k": 0}', "application/json", "bad_top_k"),
    ('{"question": "ok?", "top_k": 21}', "application/json", "bad_top_k"),
    ('{"question": "ok?", "top_k": "3"}', "application/json", "bad_top_k"),
    ('{"question": "ok?", "top_k": true}', "application/json", "bad_top_k"),
    ('{"question": "ok?", "history": "no"}', "application/json", "bad_history"),
    ('{"question": "ok?", "history": [{"answer": "x"}]}', "application/json", "bad_history"),
    ('{"question": "ok?", "history": [{"question": "q", "answer": "' + "x" * 10001 + '"}]}', "application/json",
     "bad_history"),
    ('{"question": "ok?", "history": [{"question": ""}]}', "application/json", "bad_question"),
    ('{"question": "ok?", "history": [{"question": "q", "report": 7}]}', "application/json", "bad_history"),
    ('{"question": "ok?", "history": [{"question": "q", "report": "' + "x" * 201 + '"}]}', "application/json",
     "bad_history"),
    ('{"question": "ok?", "history": [' + ",".join(['{"question": "q"}'] * 21) + "]}", "application/json",
     "bad_history"),
    ('{"question": "ok?"}', "text/plain", "bad_json"),
    # Hostile bodies: nested past the decoder's limit or ours, lone surrogates, bytes that are no UTF-8.
    ("[" * 10000 + "]" * 10000, "application/json", "bad_json"),
    ('{"question": "ok?", "filters": ' + "[" * 40 + "]" * 40 + "}", "application/json", "bad_json"),
    ('{"question": "\\ud800 x"}', "application/json", "bad_text"),
    ('{"question": "ok?", "history": [{"question": "\\udfff"}]}', "application/json", "bad_text"),
    ('{"\\ud800": 1, "question": "ok?"}', "application/json", "bad_text"),
    (b'{"question": "caf\xe9?"}', "application/json", "bad_json"),
    ('{"question": "ok?", "top_k": ' + "9" * 5000 + "}", "application/json", "bad_json"),
]


@pytest.mark.parametrize("body, content_type, code", BAD_ASKS)
def test_bad_ask_requests_get_400_in_the_one_shape(client, body, content_type, code):
    response = client.post("/api/ask", data=body, content_type=content_type)
    assert response.status_code == 400
    conforms(response, "Error")
    assert response.get_json()["error"]["code"] == code


@pytest.mark.parametrize("path, code", [
    ("/api/reports?offset=%C2%B2", "bad_offset"), ("/api/reports?offset=" + "9" * 5000, "bad_offset"),
    ("/api/reports?limit=-1", "bad_limit"), ("/api/reports?year=%C2%B2%E2%81%B0%C2%B2%E2%81%B4", "bad_filters"),
    ("/api/reports?limit=99999999999999999999", "bad_limit"),
])
def test_numbers_that_are_not_ascii_digits_or_too_large_get_400(client, path, code):
    response = client.get(path)
    assert response.status_code == 400
    conforms(response, "Error")
    assert response.get_json()["error"]["code"] == code


def test_the_survey_and_feedback_refuse_hostile_json_too(client):
    for path in ("/api/survey", "/api/feedback"):
        for body, code in (("[" * 10000 + "]" * 10000, "bad_json"), ('{"question": "\\ud800"}', "bad_text")):
            response = client.post(path, data=body, content_type="application/json")
            assert response.status_code == 400 and response.get_json()["error"]["code"] == code, (path, body[:20])


@pytest.mark.parametrize("method, path, status", [
    ("get", "/api/ask", 405), ("put", "/api/reports", 405), ("get", "/api/nothing", 404),
    ("get", "/api/reports/no-such-report", 404),
])
def test_http_errors_use_the_one_shape(client, method, path, status):
    response = getattr(client, method)(path)
    assert response.status_code == status
    conforms(response, "Error")


def test_reports_list_and_one_report(client):
    reports = client.get("/api/reports").get_json()["reports"]
    assert len(reports) == 5
    for report in reports:
        jsonschema.validate(report, {"$ref": "#/components/schemas/ReportSummary", **document()})
    response = client.get("/api/reports/002_127333dba4c5accc")
    conforms(response, "Report")
    report = response.get_json()
    assert report["title"] == "Focused visit to Worcestershire County Council children's services"
    assert report["date"] == "2021-08-23"
    paragraph = report["paragraphs"][0]
    assert report["text"][paragraph["start"]:paragraph["end"]].strip()


def test_health_reports_counts(client):
    response = client.get("/api/health")
    conforms(response, "Health")
    health = response.get_json()
    assert health["documents"] == 5 and health["chunks"] > 0 and health["model"] == "all-MiniLM-L6-v2"


def _upload(client, name, data, headers=AUTH, **fields):
    return client.post("/api/reports", data={"file": (io.BytesIO(data), name), **fields}, headers=headers,
                       content_type="multipart/form-data")


def test_upload_replace_delete_cycle_changes_the_answers(client, engine):
    question = {"question": "Which social worker won the Exampleshire practice award?"}
    assert not client.post("/api/ask", json=question).get_json()["answered"]

    first = b"The Exampleshire practice award was won by social worker Ada Lovelock in 2025."
    response = _upload(client, "award news.txt", first)
    assert response.status_code == 200
    conforms(response, "RefreshSummary")
    assert response.get_json()["added"] == ["award news.txt"]
    reply = client.post("/api/ask", json=question).get_json()
    assert reply["answered"] and "Ada Lovelock" in reply["answers"][0]["text"]

    second = b"The Exampleshire practice award was won by social worker Grace Hopwood in 2026."
    response = _upload(client, "award news.txt", second)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "report_exists"
    assert "award-news" in response.get_json()["error"]["message"]
    assert "Ada Lovelock" in client.post("/api/ask", json=question).get_json()["answers"][0]["text"]
    response = _upload(client, "award news.txt", second, replace="true")
    assert response.get_json()["changed"] == ["award news.txt"]
    assert "Grace Hopwood" in client.post("/api/ask", json=question).get_json()["answers"][0]["text"]

    response = client.delete("/api/reports/award-news", headers=AUTH)
    assert response.status_code == 200 and response.get_json()["removed"] == ["award news.txt"]
    assert not (engine.settings.corpus / "award news.txt").exists()
    reply = client.post("/api/ask", json=question).get_json()
    assert all("Grace Hopwood" not in a["text"] for a in reply["answers"] + reply["closest"])


def test_an_upload_may_give_its_originals_address_and_its_citations_link_to_it(client, engine):
    text = b"The Exampleshire practice award was won by social worker Ada Lovelock in 2025."
    response = _upload(client, "award news.txt", text, url="https://files.ofsted.gov.uk/v1/file/123")
    assert response.status_code == 200
    reply = client.post("/api/ask", json={"question": "Which social worker won the Exampleshire practice award?"})
    citation = reply.get_json()["answers"][0]["citation"]
    assert citation["original"] == "https://files.ofsted.gov.uk/v1/file/123"
    assert json.loads((engine.settings.corpus / "award news.meta.json").read_text()) == {
        "url": "https://files.ofsted.gov.uk/v1/file/123"}
    response = _upload(client, "award news.txt", text + b" A second line.", replace="true")
    assert not (engine.settings.corpus / "award news.meta.json").exists()  # it described the old file
    client.delete("/api/reports/award-news", headers=AUTH)


@pytest.mark.parametrize("name, expected", [
    ("../../etc/evil.txt", "evil.txt"), ("..\\..\\win.txt", "win.txt"), (".hidden.txt", "hidden.txt"),
])
def test_upload_names_cannot_escape_the_corpus(client, engine, name, expected):
    response = _upload(client, name, b"A short report about adoption panels in Exampleshire.")
    assert response.status_code == 200 and response.get_json()["added"] == [expected]
    assert (engine.settings.corpus / expected).is_file()
    client.delete("/api/reports/" + expected.removesuffix(".txt"), headers=AUTH)


@pytest.mark.parametrize("first, second", [
    ("Résumé.txt", "Rèsumè.txt"), ("panel.txt", "panel.TXT"), ("Panel Notes.txt", "panel notes.txt"),
    ("passwd.txt", "．．／etc／passwd.txt"), ("x" * 130 + "a.txt", "x" * 130 + "b.txt"),
])
def test_upload_names_that_fold_together_never_overwrite_without_replace(client, engine, first, second):
    from qa.reports.report import make_doc_id

    corpus = engine.settings.corpus
    first_text, second_text = b"The first report, on adoption panels.", b"The second report, on fostering panels."
    response = _upload(client, first, first_text)
    assert response.status_code == 200
    (stored,) = response.get_json()["added"]
    (corpus / stored).with_suffix(".meta.json").write_text('{"title": "The first report"}')
    response = _upload(client, second, second_text)
    assert response.status_code == 409 and response.get_json()["error"]["code"] == "report_exists"
    assert (corpus / stored).read_bytes() == first_text
    response = _upload(client, second, second_text, replace="true")
    assert response.status_code == 200
    texts = [path.read_bytes() for path in corpus.glob("*.txt")]
    assert second_text in texts and first_text not in texts
    assert not (corpus / stored).with_suffix(".meta.json").exists()  # it described the first text
    assert client.delete("/api/reports/" + make_doc_id(Path(stored)), headers=AUTH).status_code == 200


def test_a_file_of_exactly_the_upload_limit_is_taken(client, engine):
    text = b"Fostering panels in Exampleshire meet monthly. " * 30000
    text = text[:1024 * 1024]
    response = _upload(client, "exactly the limit.txt", text)
    assert response.status_code == 200
    client.delete("/api/reports/exactly-the-limit", headers=AUTH)


def test_upload_refusals(client, engine):
    before = sorted(p.name for p in engine.settings.corpus.iterdir())
    cases = [
        (_upload(client, "x.txt", b"text", headers={}), 401),
        (_upload(client, "x.txt", b"text", headers={"Authorization": "Bearer wrong"}), 401),
        (_upload(client, "x.txt", b"text", headers={"Authorization": f"Basic {TOKEN}"}), 401),
        (_upload(client, "x.txt", b"text", headers={"Authorization": f"Bearer {TOKEN}x"}), 401),
        (client.post("/api/reports", json={"file": "report text"}, headers=AUTH), 400),
        (_upload(client, "fake.pdf", b"plain text named as a PDF"), 400),
        (_upload(client, "fake.docx", b"plain text named as a Word document"), 400),
        (_upload(client, "report.exe", b"MZ binary"), 415),
        (_upload(client, "no-suffix", b"text"), 415),
        (_upload(client, "junk.txt", b"\x00\x01\x02" * 100), 400),
        (_upload(client, "empty.txt", b"   \n"), 400),
        (_upload(client, "big.txt", b"a" * (1024 * 1024 + 1)), 413),
        (_upload(client, "with-url.txt", b"Some report text about Exampleshire.", url="javascript:alert(1)"), 400),
        (_upload(client, "with-url.txt", b"Some report text about Exampleshire.", url="files.ofsted.gov.uk/1"), 400),
        (client.post("/api/reports", data={}, headers=AUTH, content_type="multipart/form-data"), 400),
        (client.delete("/api/reports/no-such", headers=AUTH), 404),
        (client.delete("/api/reports/002_127333dba4c5accc"), 401),
    ]
    for response, status in cases:
        assert response.status_code == status, response.get_json()
        conforms(response, "Error")
    assert sorted(p.name for p in engine.settings.corpus.iterdir()) == before


def test_a_duplicate_name_asked_to_replace_replaces_the_report_and_keeps_one_file(client, engine):
    for text in (b"First version: the adoption panel meets monthly.", b"Second version: the panel meets weekly."):
        response = _upload(client, "sub/dir/panel.txt", text, replace="true")
        assert response.status_code == 200
    assert response.get_json()["changed"] == ["panel.txt"]
    assert [p.name for p in engine.settings.corpus.glob("*panel*")] == ["panel.txt"]
    assert "weekly" in engine.store.entry("panel").document.text
    assert client.delete("/api/reports/panel", headers=AUTH).status_code == 200


def test_admin_endpoints_are_disabled_without_a_token(engine):
    settings = engine.settings.with_changes(admin_token="")
    client = create_app(qa=QA(settings, engine.embedder)).test_client()
    response = _upload(client, "x.txt", b"text")
    assert response.status_code == 403 and response.get_json()["error"]["code"] == "admin_disabled"
    assert client.delete("/api/reports/x", headers=AUTH).status_code == 403


def test_no_index_gives_503(tmp_path, real_embedder):
    settings = Settings.load(environ={}, corpus=tmp_path, index=tmp_path / "none")
    client = create_app(qa=QA(settings, real_embedder)).test_client()
    for response in (client.post("/api/ask", json={"question": "anything?"}), client.get("/api/health"),
                     client.get("/api/reports")):
        assert response.status_code == 503
        conforms(response, "Error")


def test_a_full_disk_is_a_507_for_uploads_and_feedback(client, engine, monkeypatch):
    import errno
    import sqlite3

    import faiss

    def full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(faiss, "write_index", full)
    response = _upload(client, "full disk.txt", b"A report about the adoption panel in Exampleshire.")
    assert response.status_code == 507 and response.get_json()["error"]["code"] == "insufficient_storage"
    conforms(response, "Error")
    assert "full-disk" not in engine.store.entries
    monkeypatch.undo()
    (engine.settings.corpus / "full disk.txt").unlink()

    def database_full(*args, **kwargs):
        raise sqlite3.OperationalError("database or disk is full")

    reply = client.post("/api/ask", json={"question": "Who was the lead member for children's services?"}).get_json()
    monkeypatch.setattr(sqlite3, "connect", database_full)
    response = client.post("/api/feedback", json={"verdict": "right", "question": reply["question"],
                                                  "answer": reply["answers"][0]})
    assert response.status_code == 507 and response.get_json()["error"]["code"] == "insufficient_storage"


def test_a_json_body_over_a_megabyte_is_a_413_in_the_one_shape(client):
    history = [{"question": "q?", "answer": "a" * 100_000}] * 11
    response = client.post("/api/feedback", json={"question": "ok?", "history": history})
    assert response.status_code == 413 and response.get_json()["error"]["code"] == "request_entity_too_large"


@pytest.mark.parametrize("body, code", [
    ({"question": "What rating did Ofsted give Cumbria's children's services?"}, "no_report_about_authority"),
    ({"question": "Who was the lead member?", "filters": {"authority": "Narnia"}}, "nothing_in_scope"),
    ({"question": "Who won the football World Cup in 2022?"}, "not_in_reports"),
])
def test_not_found_says_why(client, body, code):
    response = client.post("/api/ask", json=body)
    conforms(response, "Reply")
    reply = response.get_json()
    assert not reply["answered"] and reply["reason"]["code"] == code and reply["reason"]["message"]


def test_an_answer_has_no_reason(client):
    reply = client.post("/api/ask", json={"question": "Who was the lead member for children's services?"}).get_json()
    assert reply["answered"] and reply["reason"] is None


def test_one_client_may_send_sixty_verdicts_a_minute(client, monkeypatch):
    from web import api

    monkeypatch.setattr(api, "_FEEDBACK", api.RateLimit(2, 60.0))
    reply = client.post("/api/ask", json={"question": "Who was the lead member for children's services?"}).get_json()
    verdict = {"verdict": "right", "question": reply["question"], "answer": reply["answers"][0]}
    assert [client.post("/api/feedback", json=verdict).status_code for _ in range(2)] == [201, 201]
    response = client.post("/api/feedback", json=verdict)
    assert response.status_code == 429 and response.get_json()["error"]["code"] == "too_many_requests"
    assert int(response.headers["Retry-After"]) > 0
    conforms(response, "Error")


def test_the_pages_icon_is_served_where_browsers_look_for_it(client):
    response = client.get("/favicon.ico")
    assert response.status_code == 200 and response.mimetype == "image/svg+xml"
    assert 'rel="icon"' in client.get("/").get_data(as_text=True)


def test_only_answers_that_score_the_threshold_are_answers_and_each_says_its_score_in_words(client, engine):
    body = client.post("/api/ask", json={"question": "How were referrals relating to domestic abuse dealt with?",
                                         "top_k": 5}).get_json()
    conforms_reply = document()["components"]
    jsonschema.validate(body, {"$ref": "#/components/schemas/Reply", "components": conforms_reply})
    threshold = engine.settings.threshold
    assert body["answered"] and all(answer["score"] >= threshold for answer in body["answers"])
    assert all(passage["score"] < threshold for passage in body["closest"])
    said = {0: "answers scored like this are rarely right", 10: "answers scored like this are right nearly every time"}
    for answer in body["answers"] + body["closest"]:
        times = round(answer["score"] * 10)
        assert answer["likelihood"] == said.get(times, f"answers scored like this are right about {times} times in 10")
