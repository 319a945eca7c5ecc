"""`qa serve` over a copied index answers at once, from the index as it was, and picks up what the
corpus gained in the background, embedding nothing twice."""

import shutil

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
        assert status == 200 and reply["answers"][0]["text"] == "Liz Eyre"
        server.refreshed()
        assert server.request("GET", "/api/health")[1]["documents"] == 8
        status, reply = server.ask("What was Essex's overall judgement in 2014?")
        assert reply["answers"][0]["text"] == "good"
