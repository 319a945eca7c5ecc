"""`qa serve` over a copied index answers at once, from the index as it was, and picks up what the
corpus gained in the background, embedding nothing twice."""

import shutil
import time

from qa.config import Settings
from qa.pipeline import QA
from tests.conftest import CORPUS, SAMPLES
from tests.server import Server


def test_serve_answers_from_a_moved_index_at_once_and_refreshes_behind(tmp_path, real_embedder):
    built = tmp_path / "built"
    shutil.copytree(CORPUS, built / "corpus")
    QA(Settings.load(environ={}, corpus=built / "corpus", index=built / "index"), real_embedder).refresh()
    # Moved, as a backup restore or a container mount would, and given two new reports.
    moved = tmp_path / "moved"
    shutil.copytree(built, moved)
    shutil.rmtree(built)
    for name in ("essex", "sunderland"):
        shutil.copytree(SAMPLES / "authorities" / name, moved / "corpus" / name)
    with Server(moved / "corpus", moved / "index") as server:
        status, health = server.request("GET", "/api/health")
        # Up before the start-up refresh has embedded the new reports: the moved index as it was.
        assert status == 200 and health["documents"] == 5
        status, reply = server.ask("Who was the lead member for children's services?")
        assert status == 200 and reply["answers"][0]["text"].endswith("Liz Eyre")
        server.refreshed()
        assert server.request("GET", "/api/health")[1]["documents"] == 8
        status, reply = server.ask("What was Essex's overall judgement in 2014?")
        assert reply["answers"][0]["text"] == "good"


def test_two_servers_over_one_index_both_answer_from_an_upload_to_either(tmp_path, real_embedder):
    import threading

    shutil.copytree(CORPUS, tmp_path / "corpus")
    QA(Settings.load(environ={}, corpus=tmp_path / "corpus", index=tmp_path / "index"), real_embedder).refresh()
    report = (SAMPLES / "authorities" / "havering" / "children's services inspection - 16 february 2024.txt")
    failures, stop = [], threading.Event()

    def keep_asking(server):
        while not stop.is_set():
            status, _ = server.ask("How do staff find their supervision?")
            if status != 200:
                failures.append(status)

    with Server(tmp_path / "corpus", tmp_path / "index", scan_seconds=0.5) as one, \
            Server(tmp_path / "corpus", tmp_path / "index", scan_seconds=0.5) as other:
        askers = [threading.Thread(target=keep_asking, args=(server,)) for server in (one, other)]
        for asker in askers:
            asker.start()
        status, summary = one.upload("havering.txt", report.read_bytes())
        assert status == 200 and summary["added"] == ["havering.txt"]
        question = "Who was the lead inspector of the Havering inspection?"
        deadline = time.monotonic() + 60
        while time.monotonic() < deadline:
            reply = other.ask(question)[1]
            if reply["answered"] and reply["answers"][0]["citation"]["doc_id"] == "havering":
                break
            time.sleep(0.5)
        stop.set()
        for asker in askers:
            asker.join()
        assert reply["answers"][0]["citation"]["doc_id"] == "havering"
        assert one.ask(question)[1]["answers"][0]["text"] == reply["answers"][0]["text"]
        assert other.request("GET", "/api/health")[1]["documents"] == 6
    assert not failures


def test_serve_over_a_damaged_index_answers_from_the_generation_before_or_rebuilds(tmp_path, real_embedder):
    shutil.copytree(CORPUS, tmp_path / "corpus")
    qa = QA(Settings.load(environ={}, corpus=tmp_path / "corpus", index=tmp_path / "index"), real_embedder)
    qa.refresh()
    (tmp_path / "corpus" / "late.txt").write_text("A late report: the Exampleshire adoption panel meets on Fridays.")
    qa.refresh()
    vectors = tmp_path / "index" / "gen-000002" / "vectors.faiss"
    vectors.write_bytes(vectors.read_bytes()[:1000])  # truncated, as a full disk or a bad copy leaves it
    from web import create_app

    health = create_app(qa=QA(qa.settings, real_embedder)).test_client().get("/api/health").get_json()
    assert health["status"] == "degraded" and "gen-000002" in health["damaged"] and health["documents"] == 5
    with Server(tmp_path / "corpus", tmp_path / "index") as server:  # from the generation before, then refreshed
        status, reply = server.ask("Who was the lead member for children's services?")
        assert status == 200 and reply["answers"][0]["text"].endswith("Liz Eyre")
        server.refreshed()
        status, health = server.request("GET", "/api/health")
        assert health["status"] == "ok" and health["damaged"] is None and health["documents"] == 6
    for generation in (tmp_path / "index").glob("gen-*"):
        (generation / "vectors.faiss").write_bytes(b"not an index")
    with Server(tmp_path / "corpus", tmp_path / "index") as server:  # none loads: rebuilt from the corpus
        server.refreshed()
        status, health = server.request("GET", "/api/health")
        assert status == 200 and health["status"] == "ok" and health["documents"] == 6


def test_the_servers_own_refusals_are_in_the_one_json_shape_and_read_no_body(tmp_path):
    import http.client
    import json

    shutil.copytree(CORPUS, tmp_path / "corpus")
    with Server(tmp_path / "corpus", tmp_path / "index") as server:
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        # A gigabyte announced: refused before a byte of it is read.
        connection.putrequest("POST", "/api/reports")
        connection.putheader("Content-Type", "multipart/form-data; boundary=x")
        connection.putheader("Content-Length", str(1024 ** 3))
        connection.endheaders()
        response = connection.getresponse()
        assert response.status == 413 and response.getheader("Content-Type") == "application/json"
        assert json.loads(response.read())["error"]["code"] == "request_entity_too_large"
        connection.close()
        connection = http.client.HTTPConnection("127.0.0.1", server.port, timeout=10)
        connection.request("GET", "/api/health", headers={"X-Padding": "x" * 300_000})
        response = connection.getresponse()
        assert response.status == 431 and json.loads(response.read())["error"]["code"]
        connection.close()
