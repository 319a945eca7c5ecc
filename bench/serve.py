"""`qa serve` under measurement: start-up, per-question latency, throughput under load (locust),
one-report refresh, and the server's peak memory.

    python bench/serve.py                        # a fresh index of the shipped corpus
    python bench/serve.py --index full-index     # copies of a built index and its corpus (../shared/ofsted)

Prints: time from start to the first answer; p50/p95 of one client asking the dev questions
through the API; the time from sending a new report to its first answer; five uploads one after
another; requests a second and p50/p95 with 8 and 32 locust users, idle and while reports are
uploaded one after another; and the peak RSS of the server process. The index and corpus given
are copied first, so they are never changed.
"""

from __future__ import annotations

import argparse
import itertools
import shutil
import statistics
import sys
import tempfile
import time
from pathlib import Path

import gevent
from locust import HttpUser, constant, task
from locust.env import Environment

sys.path.insert(0, str(Path(__file__).resolve().parents[1]))
from qa.evaluate import load_questions  # noqa: E402
from qa.runtime import cpu_description  # noqa: E402
from tests.server import Server  # noqa: E402

DEV = Path("../shared/eval")
REPORT = Path("tests/samples/worcestershire-inspection-2023.txt")
# The numbers of the reports uploaded under load, across all the runs: an upload never reuses a
# report's name (the server refuses one that is there already).
UPLOAD_NUMBERS = itertools.count(1000)


def questions() -> list[str]:
    return [item["question"] for name in ("dev.jsonl", "dev_ofsted.jsonl") for item in load_questions(DEV / name)]


def percentiles(values: list[float]) -> str:
    ordered = sorted(values)
    return f"p50 {statistics.median(ordered):.0f} ms, p95 {ordered[int(0.95 * (len(ordered) - 1))]:.0f} ms"


def name(n: int) -> str:
    """An authority no report names, in letters ("Benchshireab"): a name with digits is not read
    as an authority's."""
    letters = ""
    while True:
        n, digit = divmod(n, 26)
        letters = chr(ord("a") + digit) + letters
        if n == 0:
            return "Benchshire" + letters


def new_report(n: int) -> bytes:
    """A real inspection report, renamed to an authority no other report names."""
    return REPORT.read_bytes().replace(b"Worcestershire", name(n).encode())


def upload(server: Server, n: int) -> float:
    """Seconds from sending report n to the upload's reply."""
    began = time.perf_counter()
    status, body = server.upload(f"benchshire-{n}.txt", new_report(n))
    assert status == 200, body
    return time.perf_counter() - began


def refresh_to_answer(server: Server, n: int) -> tuple[float, float]:
    """Seconds from sending report n to the upload's reply, and to a reply citing it."""
    began = time.perf_counter()
    uploaded = upload(server, n)
    while True:
        _, reply = server.ask(f"What must {name(n)} improve?")
        cited = reply.get("answers") or reply.get("closest") or []
        if cited and cited[0]["citation"]["doc_id"] == f"benchshire-{n}":
            return uploaded, time.perf_counter() - began
        time.sleep(0.05)


def load(server: Server, users: int, seconds: float, asked: list[str], uploading: bool) -> str:
    class Asker(HttpUser):
        host = server.base
        wait_time = constant(0)
        turn = 0

        @task
        def ask(self) -> None:
            Asker.turn += 1
            self.client.post("/api/ask", json={"question": asked[Asker.turn % len(asked)]}, name="ask")

    environment = Environment(user_classes=[Asker])
    runner = environment.create_local_runner()
    runner.start(users, spawn_rate=users)
    uploads = []

    def upload_all() -> None:
        for n in UPLOAD_NUMBERS:
            uploads.append(refresh_to_answer(server, n)[0])

    uploader = gevent.spawn(upload_all) if uploading else None
    gevent.sleep(seconds)
    if uploader is not None:
        uploader.kill()
    runner.quit()
    stats = environment.stats.get("ask", "POST")
    line = (f"{stats.num_requests / seconds:.1f} requests/s, p50 {stats.get_response_time_percentile(0.5):.0f} ms, "
            f"p95 {stats.get_response_time_percentile(0.95):.0f} ms, {stats.num_failures} failures")
    if uploading:
        line += f"; {len(uploads)} reports uploaded meanwhile"
    return line


def peak_rss(server: Server) -> float:
    status = Path(f"/proc/{server.process.pid}/status").read_text()
    return next(int(line.split()[1]) for line in status.splitlines() if line.startswith("VmHWM")) / 1024 / 1024


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--index", type=Path, help="a built index to copy (default: index the shipped corpus)")
    parser.add_argument("--corpus", type=Path, default=Path("../shared/ofsted"),
                        help="the corpus the --index was built from, copied with it (default ../shared/ofsted)")
    parser.add_argument("--seconds", type=float, default=30, help="length of each load run")
    parser.add_argument("--rounds", type=int, default=3, help="times each dev question is asked by one client")
    args = parser.parse_args()
    print(f"CPU: {cpu_description()}")
    asked = questions()
    with tempfile.TemporaryDirectory() as folder:
        folder = Path(folder)
        if args.index:
            # The index keeps its reports' paths relative to their corpus: the two move together.
            shutil.copytree(args.index, folder / "index")
            shutil.copytree(args.corpus, folder / "corpus")
        else:
            shutil.copytree("corpus", folder / "corpus")
        began = time.perf_counter()
        with Server(folder / "corpus", folder / "index") as server:
            _, first = server.ask(asked[0])
            peaks = {"first answer": peak_rss(server)}
            print(f"qa serve: start to first answer {time.perf_counter() - began:.1f} s "
                  f"({server.request('GET', '/api/health')[1]['chunks']:,} chunks)")
            timings = []
            for _ in range(args.rounds):
                for question in asked:
                    start = time.perf_counter()
                    status, _ = server.ask(question)
                    assert status == 200
                    timings.append((time.perf_counter() - start) * 1000)
            print(f"one client, {len(timings)} questions: {percentiles(timings)}")
            peaks["one client"] = peak_rss(server)
            refreshes = [refresh_to_answer(server, n) for n in range(3)]
            print("one new report (Worcestershire 2023, renamed): reply to the upload in "
                  + ", ".join(f"{upload:.2f}" for upload, _ in refreshes) + " s; first answer citing it after "
                  + ", ".join(f"{answer:.2f}" for _, answer in refreshes) + " s")
            back_to_back = [upload(server, n) for n in range(100, 105)]  # each as soon as the last replied
            print("five uploads one after another, no other load: "
                  + ", ".join(f"{seconds:.2f}" for seconds in back_to_back) + " s")
            peaks["uploads"] = peak_rss(server)
            for users in (8, 32):
                for uploading in (False, True):
                    label = "while uploading" if uploading else "idle"
                    print(f"{users} users, {label}: {load(server, users, args.seconds, asked, uploading)}")
                    peaks[f"{users} users {label}"] = peak_rss(server)
            print(f"peak RSS of qa serve: {peak_rss(server):.2f} GB (after "
                  + ", ".join(f"{phase} {gb:.2f}" for phase, gb in peaks.items()) + ")")


if __name__ == "__main__":
    main()
