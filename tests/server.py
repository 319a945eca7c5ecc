"""Run `qa serve` in a child process, as a user would, and talk to it over HTTP."""

from __future__ import annotations

import json
import os
import signal
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
import uuid
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]


def free_port() -> int:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        return probe.getsockname()[1]


class Server:
    """`qa serve` on a free port over `corpus` and `index`, with an admin token."""

    def __init__(self, corpus: Path, index: Path, token: str = "load-token", threads: int = 8,
                 scan_seconds: float = 0) -> None:
        self.corpus, self.index, self.token, self.threads = corpus, index, token, threads
        self.scan_seconds = scan_seconds
        self.port = free_port()
        self.base = f"http://127.0.0.1:{self.port}"
        self.process: subprocess.Popen | None = None

    def start(self, timeout: float = 120, built: bool = True) -> Server:
        """Start it and wait until it answers /api/health (and, with `built`, until it has an index
        to answer from: with none, `qa serve` answers at once and builds one in the background)."""
        env = {**os.environ, "QA_ADMIN_TOKEN": self.token, "QA_SCAN_SECONDS": str(self.scan_seconds),
               "PYTHONPATH": str(ROOT)}
        self.process = subprocess.Popen(
            [sys.executable, "-m", "qa.cli", "serve", "--port", str(self.port), "--threads", str(self.threads),
             "--corpus", str(self.corpus), "--index", str(self.index)],
            env=env, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
        deadline = time.monotonic() + timeout
        while time.monotonic() < deadline:
            if self.process.poll() is not None:
                raise RuntimeError(f"qa serve exited with {self.process.returncode}")
            try:
                status, health = self.request("GET", "/api/health", timeout=2)
                if status == 200 and not (built and health["status"] == "building"):
                    return self
            except OSError:
                pass
            time.sleep(0.2)
        raise TimeoutError("qa serve did not answer in time")

    def refreshed(self, timeout: float = 120) -> Server:
        """Wait until no refresh runs (the start-up refresh has picked up what the corpus gained)."""
        deadline = time.monotonic() + timeout
        while self.request("GET", "/api/health")[1]["refreshing"]:
            if time.monotonic() > deadline:
                raise TimeoutError("qa serve is still refreshing")
            time.sleep(0.2)
        return self

    def kill(self) -> None:
        if self.process is not None and self.process.poll() is None:
            self.process.send_signal(signal.SIGKILL)
            self.process.wait()

    def __enter__(self) -> Server:
        return self.start()

    def __exit__(self, *exc) -> None:
        self.kill()

    def request(self, method: str, path: str, body: dict | None = None, headers: dict | None = None,
                data: bytes | None = None, timeout: float = 60) -> tuple[int, dict]:
        """Status and JSON body; HTTP errors are returned, not raised."""
        headers = dict(headers or {})
        if body is not None:
            data = json.dumps(body).encode()
            headers["Content-Type"] = "application/json"
        request = urllib.request.Request(self.base + path, data=data, headers=headers, method=method)
        try:
            with urllib.request.urlopen(request, timeout=timeout) as response:
                return response.status, json.load(response)
        except urllib.error.HTTPError as error:
            with error:
                return error.code, json.load(error)

    def ask(self, question: str, **fields) -> tuple[int, dict]:
        return self.request("POST", "/api/ask", {"question": question, **fields})

    def upload(self, name: str, content: bytes, timeout: float = 120) -> tuple[int, dict]:
        boundary = uuid.uuid4().hex
        head = (f"--{boundary}\r\nContent-Disposition: form-data; name=\"file\"; filename=\"{name}\"\r\n"
                f"Content-Type: application/octet-stream\r\n\r\n")
        data = head.encode() + content + f"\r\n--{boundary}--\r\n".encode()
        return self.request("POST", "/api/reports", data=data, timeout=timeout, headers={
            "Authorization": f"Bearer {self.token}", "Content-Type": f"multipart/form-data; boundary={boundary}"})

    def delete(self, doc_id: str) -> tuple[int, dict]:
        return self.request("DELETE", f"/api/reports/{doc_id}", headers={"Authorization": f"Bearer {self.token}"})
