"""A local stand-in for Ofsted's reports site, shaped as qa.ofsted.site reads the real one: a
paged list of authorities, each authority's page of report links, and the PDFs. It can be told to
misbehave: answer 503 with Retry-After, answer slowly, lose a file (404), send half a PDF, or
change its layout. Nothing leaves this machine."""

from __future__ import annotations

import html
import threading
import time
from dataclasses import dataclass, field
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


@dataclass
class Report:
    label: str  # "Children's services inspection"
    published: str  # "19 December 2018"
    data: bytes
    file_id: str = ""


@dataclass
class Authority:
    urn: str
    name: str
    reports: list[Report] = field(default_factory=list)


class Replica:
    """Serves `authorities` on 127.0.0.1, `page_size` to a page of the list."""

    def __init__(self, authorities: list[Authority], page_size: int = 2) -> None:
        self.authorities = authorities
        self.page_size = page_size
        self.layout_changed = False
        # Per path, what the next requests get, in turn: "503", "slow", "404", "truncated".
        self.misbehave: dict[str, list[str]] = {}
        self.requests: list[tuple[str, str]] = []  # (path, User-Agent)
        self.slow_s = 2.0
        self._in_flight = 0
        self.most_in_flight = 0
        self._lock = threading.Lock()
        number = 50000000
        for authority in authorities:
            for report in authority.reports:
                number += 1
                report.file_id = report.file_id or str(number)
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())
        self._thread = threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True)

    @property
    def url(self) -> str:
        return f"http://127.0.0.1:{self._server.server_address[1]}"

    def file_url(self, report: Report) -> str:
        return f"{self.url}/v1/file/{report.file_id}"

    def __enter__(self) -> Replica:
        self._thread.start()
        return self

    def __exit__(self, *_) -> None:
        self._server.shutdown()
        self._server.server_close()

    def files_asked(self) -> list[str]:
        return [path for path, _ in self.requests if path.startswith("/v1/file/")]

    def _answer(self, path: str, query: dict[str, list[str]]) -> tuple[int, dict, bytes]:
        trouble = self.misbehave.get(path)
        what = trouble.pop(0) if trouble else None
        if what == "503":
            return 503, {"Retry-After": "1"}, b"busy"
        if what == "404":
            return 404, {}, b"not found"
        if what == "slow":
            time.sleep(self.slow_s)
        if path == "/search":
            start = int(query.get("start", ["0"])[0])
            rows = min(int(query.get("rows", ["10"])[0]), self.page_size)
            return 200, {"Content-Type": "text/html"}, self._list(self.authorities[start:start + rows])
        if path.startswith("/provider/"):
            urn = path.rstrip("/").rsplit("/", 1)[-1]
            authority = next((a for a in self.authorities if a.urn == urn), None)
            if authority is None:
                return 404, {}, b"no such provider"
            return 200, {"Content-Type": "text/html"}, self._provider(authority)
        if path.startswith("/v1/file/"):
            report = next((r for a in self.authorities for r in a.reports if r.file_id == path.rsplit("/", 1)[-1]),
                          None)
            if report is None:
                return 404, {}, b"no such file"
            data = report.data[:len(report.data) // 2] if what == "truncated" else report.data
            return 200, {"Content-Type": "application/pdf"}, data
        return 404, {}, b"not found"

    def _list(self, authorities: list[Authority]) -> bytes:
        items = "".join(f'<li class="search-result"><h3><a href="/provider/44/{a.urn}">{html.escape(a.name)}</a>'
                        f"</h3><p>Local authority children's services</p></li>" for a in authorities)
        note = "" if authorities else "<p>No results found</p>"
        return (f"<html><body><h1>Find an inspection report</h1><ul class=\"results\">{items}</ul>{note}"
                "</body></html>").encode()

    def _provider(self, authority: Authority) -> bytes:
        link_class = "download-link" if self.layout_changed else "publication-link"
        links = "".join(
            f'<li><a class="{link_class}" href="{self.file_url(r)}"><span class="title">{html.escape(r.label)}</span>'
            f'<span class="nonvisual">{html.escape(r.label)}, PDF - {r.published}</span></a></li>'
            for r in authority.reports)
        return (f"<html><body><h1>{html.escape(authority.name)}</h1><p>URN: {authority.urn}</p>"
                f'<a href="/">Home</a><ul class="publications">{links}</ul></body></html>').encode()

    def _handler(self):
        replica = self

        class Handler(BaseHTTPRequestHandler):
            def do_GET(self) -> None:  # noqa: N802 (the http.server name)
                parts = urlsplit(self.path)
                with replica._lock:
                    replica.requests.append((parts.path, self.headers.get("User-Agent", "")))
                    replica._in_flight += 1
                    replica.most_in_flight = max(replica.most_in_flight, replica._in_flight)
                try:
                    status, headers, body = replica._answer(parts.path, parse_qs(parts.query))
                finally:
                    # Counted out before the answer is sent: a client that waits for each answer
                    # could otherwise ask again before this thread gets here, and look like two.
                    with replica._lock:
                        replica._in_flight -= 1
                try:
                    self.send_response(status)
                    for name, value in headers.items():
                        self.send_header(name, value)
                    self.send_header("Content-Length", str(len(body)))
                    self.end_headers()
                    self.wfile.write(body)
                except (BrokenPipeError, ConnectionResetError):
                    pass  # the client gave up waiting

            def log_message(self, *_) -> None:
                pass

        return Handler
