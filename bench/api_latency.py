"""Time from `qa serve` on a fresh index to the first answer, then per-question latency via the API.

Run from the repository root: python bench/api_latency.py [--questions FILE] [--corpus DIR]
"""

import argparse
import json
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request


def post(url: str, body: dict) -> dict:
    request = urllib.request.Request(url, json.dumps(body).encode(), {"Content-Type": "application/json"})
    with urllib.request.urlopen(request, timeout=60) as response:
        return json.load(response)


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--questions", default="../shared/eval/dev.jsonl")
    parser.add_argument("--corpus", default="corpus")
    parser.add_argument("--rounds", type=int, default=3)
    args = parser.parse_args()
    questions = [json.loads(line)["question"] for line in open(args.questions) if line.strip()]
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    base = f"http://127.0.0.1:{port}"
    with tempfile.TemporaryDirectory() as index:
        began = time.perf_counter()
        server = subprocess.Popen([sys.executable, "-m", "qa.cli", "serve", "--port", str(port),
                                   "--corpus", args.corpus, "--index", index], stderr=subprocess.DEVNULL)
        try:
            while True:
                try:
                    post(base + "/api/ask", {"question": questions[0]})
                    break
                except OSError:
                    time.sleep(0.1)
            print(f"qa serve on a fresh index to first answer: {time.perf_counter() - began:.1f} s")
            timings = []
            for _ in range(args.rounds):
                for question in questions:
                    start = time.perf_counter()
                    post(base + "/api/ask", {"question": question})
                    timings.append((time.perf_counter() - start) * 1000)
            timings.sort()
            p95 = timings[int(0.95 * (len(timings) - 1))]
            print(f"per question through the API ({len(timings)} requests): "
                  f"p50 {statistics.median(timings):.0f} ms, p95 {p95:.0f} ms")
        finally:
            server.terminate()
            server.wait()


if __name__ == "__main__":
    main()
