"""`qa index --ray` on a real Ray: a local instance and a two-node cluster on this machine write the
index a local run writes, chunk for chunk; a worker killed mid-run loses nothing; reports that
cannot be read are skipped with the same reasons; only new and changed reports go to the cluster."""

from __future__ import annotations

import os
import shutil
import signal
import threading
import time
from pathlib import Path

import numpy as np
import pytest
from ray.cluster_utils import Cluster

from qa.cli import main
from qa.config import Settings
from qa.indexing import cluster as ray_indexing
from qa.indexing.store import Store
from qa.pipeline import QA
from tests.conftest import CORPUS, DATA, SAMPLES

pytestmark = pytest.mark.slow

HOSTILE = Path(__file__).parent / "hostile"


@pytest.fixture(scope="module")
def reports(tmp_path_factory) -> Path:
    """The shipped reports, eight real inspections, an encrypted PDF and an empty file."""
    folder = tmp_path_factory.mktemp("reports") / "corpus"
    shutil.copytree(CORPUS, folder)
    shutil.copytree(SAMPLES / "authorities", folder / "authorities")
    shutil.copy(HOSTILE / "encrypted.pdf", folder)
    shutil.copy(DATA / "empty.txt", folder)
    return folder


@pytest.fixture(scope="module")
def local(tmp_path_factory, reports, real_embedder) -> tuple[Path, list]:
    """The index a local run writes, and what it skipped."""
    index = tmp_path_factory.mktemp("local") / "index"
    summary = QA(Settings.load(environ={}, corpus=reports, index=index), real_embedder).refresh()
    assert summary.skipped and summary.added
    return index, summary.skipped


@pytest.fixture(scope="module")
def two_nodes():
    """A Ray cluster of two nodes with one CPU each, on this machine."""
    cluster = Cluster(initialize_head=True, head_node_args={"num_cpus": 1, "object_store_memory": 100 * 2**20})
    cluster.add_node(num_cpus=1, object_store_memory=100 * 2**20)
    cluster.wait_for_nodes()
    yield cluster.address
    cluster.shutdown()


def _copy(reports: Path, tmp_path: Path) -> QA:
    shutil.copytree(reports, tmp_path / "corpus")
    return QA(Settings.load(environ={}, corpus=tmp_path / "corpus", index=tmp_path / "index"))


def assert_same_index(built: Path, expected: Path) -> None:
    """The same reports, texts, chunks and chunk ids; vectors equal to float tolerance."""
    got, want = Store.load(built), Store.load(expected)
    assert sorted(got.entries) == sorted(want.entries)
    for doc_id, entry in want.entries.items():
        other = got.entries[doc_id]
        assert other.document == entry.document and other.path == entry.path
        assert other.chunks == entry.chunks and other.chunk_ids == entry.chunk_ids
        np.testing.assert_allclose(got.vectors(doc_id), want.vectors(doc_id), atol=1e-5)


def _kill_a_running_task(stop: threading.Event, killed: list[int]) -> None:
    """SIGKILL the first Ray worker seen running an indexing task (Ray titles it ray::index_batch)."""
    while not stop.is_set() and not killed:
        for pid in filter(str.isdigit, os.listdir("/proc")):
            try:
                title = Path(f"/proc/{pid}/cmdline").read_bytes()
            except OSError:
                continue
            if title.startswith(b"ray::index_batch"):
                os.kill(int(pid), signal.SIGKILL)
                killed.append(int(pid))
                return
        time.sleep(0.02)


def _refresh_killing_a_worker(qa: QA, address: str):
    stop, killed = threading.Event(), []
    killer = threading.Thread(target=_kill_a_running_task, args=(stop, killed))
    killer.start()
    try:
        summary = qa.refresh(ray=address)
    finally:
        stop.set()
        killer.join()
    assert killed, "no indexing task was seen running"
    return summary


def test_qa_index_on_a_local_ray_writes_the_index_a_local_run_writes(tmp_path, reports, local, capsys,
                                                                     monkeypatch):
    shutil.copytree(reports, tmp_path / "corpus")
    code = main(["index", "--ray", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")])
    printed = capsys.readouterr().out
    assert code == 0 and "on Ray (local)" in printed
    assert_same_index(tmp_path / "index", local[0])
    for source, reason in local[1]:
        assert f"skipped {source}: {reason}" in printed

    # QA_RAY_ADDRESS alone sends `qa index` to Ray too.
    shutil.copy(SAMPLES / "worcestershire-inspection-2019.txt", tmp_path / "corpus")
    monkeypatch.setenv("QA_RAY_ADDRESS", "local")
    assert main(["index", "--corpus", str(tmp_path / "corpus"), "--index", str(tmp_path / "index")]) == 0
    printed = capsys.readouterr().out
    assert "added 1," in printed and f"on Ray (local): {1 + len(local[1])} reports in 1 task" in printed


def test_an_unreachable_cluster_is_a_clear_error_and_leaves_the_index(tmp_path, reports, capsys):
    shutil.copytree(reports, tmp_path / "corpus")
    code = main(["index", "--ray", "127.0.0.1:9", "--corpus", str(tmp_path / "corpus"),
                 "--index", str(tmp_path / "index")])
    assert code != 0 and "cannot reach the Ray cluster at 127.0.0.1:9" in capsys.readouterr().err
    assert not (tmp_path / "index" / "CURRENT").exists()


def test_a_two_node_cluster_writes_the_same_index_with_one_model_per_worker(tmp_path, reports, local, two_nodes,
                                                                            monkeypatch):
    monkeypatch.setattr(ray_indexing, "REPORTS_PER_TASK", 2)
    qa = _copy(reports, tmp_path)
    summary = qa.refresh(ray=two_nodes)
    assert_same_index(tmp_path / "index", local[0])
    assert summary.skipped == local[1]
    run = summary.cluster
    assert run["nodes"] == 2 and run["workers"] == run["model_loads"] >= 2 and run["tasks"] > run["workers"]

    # Again with one report changed and one new: only those go to the cluster, with the two that
    # could not be read (nothing of theirs is indexed, so they are tried again).
    changed = tmp_path / "corpus" / "authorities" / "essex" / "children's services inspection - 21 march 2014.txt"
    changed.write_text(changed.read_text(encoding="utf-8") + "\nA paragraph added later.\n", encoding="utf-8")
    shutil.copy(SAMPLES / "worcestershire-inspection-2019.txt", tmp_path / "corpus")
    again = qa.refresh(ray=two_nodes)
    assert again.added == ["worcestershire-inspection-2019.txt"]
    assert again.changed == ["authorities/essex/children's services inspection - 21 march 2014.txt"]
    assert again.cluster["reports"] == 2 + len(local[1]) and len(again.unchanged) == len(summary.added) - 1
    assert again.chunks_embedded == sum(len(qa.store.entries[doc_id].chunks) for doc_id in
                                        ("worcestershire-inspection-2019",
                                         "authorities-essex-children-s-services-inspection-21-march-2014"))


def test_a_worker_killed_mid_run_is_retried_and_nothing_is_lost(tmp_path, reports, local, two_nodes):
    qa = _copy(reports, tmp_path)
    summary = _refresh_killing_a_worker(qa, two_nodes)
    assert_same_index(tmp_path / "index", local[0])
    assert summary.skipped == local[1]


def test_a_task_whose_worker_dies_in_every_try_is_split_and_only_the_killing_report_skipped(
        tmp_path, reports, local, two_nodes, monkeypatch):
    monkeypatch.setattr(ray_indexing, "TRIES", 1)
    monkeypatch.setattr(ray_indexing, "REPORTS_PER_TASK", 100)
    qa = _copy(reports, tmp_path)
    # The one task holds every report; killed once, its reports are run one a task, and all are indexed.
    summary = _refresh_killing_a_worker(qa, two_nodes)
    assert_same_index(tmp_path / "index", local[0])
    assert summary.cluster["tasks"] == 1 + len(summary.added) + len(local[1])

    # A report whose own task is killed is skipped with the reason, and the index stays whole.
    for source, _ in local[1]:
        (tmp_path / "corpus" / source).unlink()
    shutil.copy(SAMPLES / "worcestershire-inspection-2017.txt", tmp_path / "corpus")
    summary = _refresh_killing_a_worker(qa, two_nodes)
    assert summary.added == [] and summary.cluster["reports"] == 1
    assert summary.skipped == [("worcestershire-inspection-2017.txt",
                                "its worker died in all 1 tries (WorkerCrashedError)")]
    assert_same_index(tmp_path / "index", local[0])
