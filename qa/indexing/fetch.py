"""Follow Ofsted's publications: list the children's-services reports on its reports site
(qa.ofsted.site knows the pages), download the PDFs not yet held into the corpus, each with a
sidecar of what the site says of it, and refresh the index once at the end.

Polite: one request at a time with a delay between them, a User-Agent that names the project, a
timeout, and retries with back-off (honouring Retry-After). Nothing held is downloaded again: a
report is held by its address (a sidecar's "url", or the corpus's manifest.csv) and by its
content (the same PDF under another address is not stored twice). Every file is written whole
(a temporary file renamed), the sidecar first, so a killed run resumes where it stopped: what it
downloaded is held, and the next run indexes it.
"""

from __future__ import annotations

import datetime as dt
import hashlib
import json
import re
import threading
import time
import urllib.error
import urllib.request
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from email.utils import parsedate_to_datetime
from pathlib import Path

from qa.errors import QAError, ReportError
from qa.indexing import manifest
from qa.indexing.refresh import RefreshSummary, located
from qa.indexing.uploads import write_whole
from qa.ofsted import authorities
from qa.ofsted.site import LayoutError, Provider, Publication, list_url, providers, publications
from qa.reports.loaders import LOADERS
from qa.reports.report import SIDECAR_SUFFIX, read_text, sidecar_path
from qa.types import written_day

USER_AGENT = ("qa/0.1 (question answering over Ofsted's reports on children's services; fetches new "
              "reports one at a time)")
# Where fetched reports go inside the corpus: FETCHED/<urn>_<authority>/<kind> - <date>.pdf.
FETCHED = "ofsted"
# The list is read at most this many pages deep (some 160 authorities, 100 a page).
MAX_PAGES = 20
# Downloads failing one after the other (after their retries) that mean the site has gone.
STOP_AFTER_FAILURES = 3
# The longest Retry-After honoured; a server asking for more is treated as not answering.
MAX_WAIT_S = 120.0
_SAFE = re.compile(r"[^a-z0-9 ,&'()-]+")


class SiteError(QAError):
    """The reports site did not answer, or not with what was asked for."""


class Gone(SiteError):
    """The site says the file is not there (404, 410)."""


class Client:
    """One request at a time, `delay` seconds apart, each retried `retries` times on a failure that
    may pass (no answer, a timeout, 429 or 5xx), waiting longer each time or as Retry-After says."""

    def __init__(self, delay: float = 1.0, timeout: float = 30.0, retries: int = 3, max_bytes: int = 50 << 20,
                 sleep: Callable[[float], None] = time.sleep) -> None:
        self.delay, self.timeout, self.retries, self.max_bytes = delay, timeout, retries, max_bytes
        self._sleep = sleep
        self._last = 0.0
        self._lock = threading.Lock()
        self.requests = 0

    def get(self, url: str) -> bytes:
        with self._lock:
            failure, tries = "", 0
            for attempt in range(self.retries + 1):
                tries = attempt + 1
                wait = self.delay - (time.monotonic() - self._last)
                if wait > 0:
                    self._sleep(wait)
                try:
                    return self._get_once(url)
                except urllib.error.HTTPError as error:
                    if error.code in (404, 410):
                        raise Gone(f"{url}: {error.code} {error.reason}") from None
                    if error.code != 429 and error.code < 500:
                        raise SiteError(f"{url}: {error.code} {error.reason}") from None
                    failure = f"{error.code} {error.reason}"
                    pause = _retry_after(error.headers.get("Retry-After"))
                except (urllib.error.URLError, TimeoutError, ConnectionError, OSError) as error:
                    reason = getattr(error, "reason", error)
                    failure = f"no answer ({reason})"
                    pause = None
                finally:
                    self._last = time.monotonic()
                if attempt == self.retries:
                    break
                pause = pause if pause is not None else max(self.delay, 0.5) * 2 ** attempt
                if pause > MAX_WAIT_S:
                    break
                self._sleep(pause)
            raise SiteError(f"{url}: {failure}" + (f", after {tries} tries" if tries > 1 else ""))

    def _get_once(self, url: str) -> bytes:
        self.requests += 1
        request = urllib.request.Request(url, headers={"User-Agent": USER_AGENT})
        with urllib.request.urlopen(request, timeout=self.timeout) as response:  # noqa: S310 (http(s) only)
            data = response.read(self.max_bytes + 1)
            expected = response.headers.get("Content-Length")
        if len(data) > self.max_bytes:
            raise SiteError(f"{url}: larger than {self.max_bytes >> 20} MB")
        if expected and expected.isdigit() and int(expected) != len(data):
            raise ConnectionError(f"the connection closed after {len(data):,} of {int(expected):,} bytes")
        return data


def _retry_after(value: str | None) -> float | None:
    """Seconds to wait from a Retry-After header: a number, or an HTTP date."""
    if not value:
        return None
    if value.strip().isdigit():
        return float(value.strip())
    try:
        return max((parsedate_to_datetime(value) - dt.datetime.now(dt.timezone.utc)).total_seconds(), 0.0)
    except (TypeError, ValueError):
        return None


@dataclass
class Fetched:
    """A report downloaded into the corpus."""

    path: Path
    publication: Publication


@dataclass
class FetchResult:
    since: dt.date | None
    listed: list[Publication] = field(default_factory=list)  # new on the site, of the kinds asked
    fetched: list[Fetched] = field(default_factory=list)
    skipped: list[tuple[str, str]] = field(default_factory=list)  # (address, why)
    held: int = 0  # listed but already in the corpus
    refresh: RefreshSummary | None = None

    def to_dict(self) -> dict:
        return {"since": self.since.isoformat() if self.since else None,
                "listed": len(self.listed), "held": self.held,
                "fetched": [{"path": str(f.path), "url": f.publication.url, "authority": f.publication.provider.name,
                             "kind": f.publication.kind, "published": f.publication.published.isoformat()}
                            for f in self.fetched],
                "skipped": [{"url": url, "reason": reason} for url, reason in self.skipped],
                "refresh": self.refresh.to_dict() if self.refresh else None}


def fetch(qa, since: dt.date | None = None, kinds: Iterable[str] | None = None, authority: str | None = None,
          dry_run: bool = False, client: Client | None = None,
          say: Callable[[str], None] = lambda line: None) -> FetchResult:
    """List the site's reports published on or after `since` (default: the newest report indexed)
    of `kinds` (default: inspections, focused and monitoring visits, SEND) about `authority` (default:
    all), download those not held into the corpus and index them. `dry_run` lists only.

    Raises SiteError when the site does not answer and LayoutError when a page is not as expected,
    before anything is downloaded when it is the list; the index is then left as it was."""
    settings = qa.settings
    client = client or Client(settings.fetch_delay, settings.fetch_timeout, max_bytes=settings.max_upload_mb << 20)
    kinds = set(kinds or ("inspection", "focused visit", "monitoring visit", "send inspection"))
    since = since or newest_indexed(qa, kinds)
    wanted = authorities.canonical(authority) if authority else None
    result = FetchResult(since)
    say(f"listing {settings.ofsted_url} for reports published since {since or 'ever'} ...")
    chosen = [p for p in _providers(client, settings.ofsted_url)
              if wanted is None or authorities.canonical(p.name) == wanted]
    if wanted is not None and not chosen:
        raise SiteError(f"the site lists no authority called {authority!r}")
    held = Held(settings.corpus)
    for number, provider in enumerate(chosen, 1):
        for publication in publications(_page(client, provider.url), provider):
            if publication.kind not in kinds or (since and publication.published < since):
                continue
            if held.has_url(publication.url):
                result.held += 1
                continue
            result.listed.append(publication)
        if number % 20 == 0:
            say(f"  {number} of {len(chosen)} authorities listed")
    say(f"{len(result.listed)} new report{'s' if len(result.listed) != 1 else ''} "
        f"({result.held} listed are held already)")
    if dry_run:
        return result
    failing = 0
    for number, publication in enumerate(result.listed, 1):
        try:
            data = client.get(publication.url)
            failing = 0
        except SiteError as error:
            # A file the site lost, or will not send, is skipped; a site that stops answering ends
            # the run (what was downloaded is kept, and the next run indexes it).
            failing = 0 if isinstance(error, Gone) else failing + 1
            if failing == STOP_AFTER_FAILURES:
                raise SiteError(f"the site stopped answering ({error}); {len(result.fetched)} reports "
                                "downloaded are kept and indexed by the next `qa fetch`") from None
            result.skipped.append((publication.url, str(error)))
            continue
        reason = held.duplicate(data) or _unreadable(data)
        if reason:
            result.skipped.append((publication.url, reason))
            continue
        path = held.store(publication, data)
        result.fetched.append(Fetched(path, publication))
        say(f"  downloaded {number} of {len(result.listed)}: {publication.provider.name}, {publication.label} "
            f"published {written_day(publication.published.isoformat())}")
    folder = settings.corpus / FETCHED
    if folder.is_dir():
        # Also what a killed run downloaded and did not index.
        result.refresh = qa.refresh([folder])
    return result


def newest_indexed(qa, kinds: set[str]) -> dt.date | None:
    """The publication date of the newest indexed report of `kinds`; None with no index."""
    if not qa.index_exists():
        return None
    dates = [entry.document.date for entry in qa.store.entries.values()
             if entry.document.kind in kinds and entry.document.date]
    return dt.date.fromisoformat(max(dates)) if dates else None


def _providers(client: Client, base: str) -> list[Provider]:
    """Every authority the list names, page after page until one names none it has not named."""
    found: dict[str, Provider] = {}
    start = 0
    for _ in range(MAX_PAGES):
        url = list_url(base, start)
        page = providers(_page(client, url), url)
        new = [p for p in page if p.urn not in found]
        if not new:
            break
        found.update((p.urn, p) for p in new)
        start += len(page)
    if not found:
        raise LayoutError(f"the list of authorities ({list_url(base, 0)}) links to none (no address with "
                          "/provider/): the site's layout has changed")
    return list(found.values())


def _page(client: Client, url: str) -> str:
    try:
        return client.get(url).decode("utf-8", errors="replace")
    except Gone as error:
        raise SiteError(f"a page of the site is missing: {error}") from None


def _unreadable(data: bytes) -> str | None:
    """Why a downloaded file cannot be indexed (not a PDF, truncated, no text), or None."""
    try:
        read_text(Path("fetched.pdf"), data)
    except ReportError as error:
        return f"not indexed: {error}"
    return None


class Held:
    """The reports the corpus holds: by the address they came from and by their content."""

    def __init__(self, corpus: Path) -> None:
        self.corpus = corpus
        self._urls: set[str] | None = None
        self._hashes: dict[str, Path] | None = None

    def has_url(self, url: str) -> bool:
        if self._urls is None:
            self._urls = set(manifest.addresses(self.corpus)) | set(_sidecar_urls(self.corpus))
        return url in self._urls

    def duplicate(self, data: bytes) -> str | None:
        if self._hashes is None:
            self._hashes = {_sha256(path.read_bytes()): path for path in _pdfs(self.corpus)}
        same = self._hashes.get(_sha256(data))
        return f"the same file as {same.relative_to(self.corpus)}, held already" if same else None

    def store(self, publication: Publication, data: bytes) -> Path:
        """Write the report and its sidecar into the corpus, each whole; the report's path."""
        provider = publication.provider
        folder = self.corpus / FETCHED / _safe(f"{provider.urn}_{provider.name.lower()}")
        folder.mkdir(parents=True, exist_ok=True)
        stem = _safe(f"{publication.label.lower()} - {publication.published:%d %B %Y}".lower())
        path = folder / f"{stem}.pdf"
        copy = 2
        while path.exists():
            path = folder / f"{stem} ({copy}).pdf"
            copy += 1
        sidecar = {"date": publication.published.isoformat(), "kind": publication.kind,
                   "authority": provider.name, "url": publication.url, "urn": provider.urn}
        write_whole(sidecar_path(path), (json.dumps(sidecar, ensure_ascii=False, indent=1) + "\n").encode("utf-8"))
        write_whole(path, data)
        if self._urls is not None:
            self._urls.add(publication.url)
        if self._hashes is not None:
            self._hashes[_sha256(data)] = path
        return path


def _sidecar_urls(corpus: Path) -> Iterable[str]:
    """The addresses sidecars give for reports that are in the corpus."""
    for sidecar in corpus.rglob(f"*{SIDECAR_SUFFIX}") if corpus.is_dir() else ():
        try:
            url = json.loads(sidecar.read_text(encoding="utf-8")).get("url")
        except (OSError, ValueError, AttributeError):
            continue
        stem = sidecar.name[:-len(SIDECAR_SUFFIX)]
        if url and any((sidecar.parent / f"{stem}{suffix}").is_file() for suffix in LOADERS):
            yield url


def _pdfs(corpus: Path) -> Iterable[Path]:
    return (path for path in corpus.rglob("*.pdf") if path.is_file()) if corpus.is_dir() else ()


def _sha256(data: bytes) -> str:
    return hashlib.sha256(data).hexdigest()


def _safe(name: str) -> str:
    return _SAFE.sub("_", name).strip(" ._") or "report"


def describe(result: FetchResult, qa) -> list[str]:
    """Lines for a person: each new report with its grades, then what was skipped and why."""
    lines = []
    documents = {located(entry.path, qa.settings.corpus).resolve(): entry.document
                 for entry in qa.store.entries.values()} if result.fetched else {}
    for item in result.fetched:
        document = documents.get(item.path.resolve())
        grades = (document.meta.get("grades") or {}) if document else {}
        graded = "; ".join(f"{judgement.replace('_', ' ')} {grade}" for judgement, grade in grades.items())
        lines.append(f"new: {item.publication.provider.name}, {item.publication.label} published "
                     f"{written_day(item.publication.published.isoformat())}" + (f": {graded}" if graded else ""))
    for url, reason in result.skipped:
        lines.append(f"skipped {url}: {reason}")
    return lines


# The shortest interval `qa serve --fetch-every` accepts: the site publishes weekly at most.
SHORTEST_EVERY_S = 600.0
_EVERY = re.compile(r"^\s*(\d+(?:\.\d+)?)\s*([smhd])\s*$", re.IGNORECASE)


def every(text: str) -> float:
    """Seconds in an interval written "24h", "30m", "7d" or "3600s"; ValueError with a message."""
    match = _EVERY.match(text or "")
    if not match:
        raise ValueError(f"an interval is a number and a unit (s, m, h or d), e.g. 24h; got {text!r}")
    seconds = float(match[1]) * {"s": 1, "m": 60, "h": 3600, "d": 86400}[match[2].lower()]
    if seconds < SHORTEST_EVERY_S:
        raise ValueError(f"fetch at most every {SHORTEST_EVERY_S / 60:.0f} minutes; got {text!r}")
    return seconds


class Schedule:
    """`qa serve --fetch-every`: fetch in the background at start and then every `every_s` seconds,
    one run at a time; `status()` says what the last run did, for /api/health. A run that fails is
    recorded with its error, and the next comes as planned."""

    def __init__(self, qa, every_s: float, client: Client | None = None) -> None:
        self.qa, self.every_s, self.client = qa, every_s, client
        self.last: dict | None = None
        self.running = False
        self.next_at = time.time()

    def start(self) -> Schedule:
        threading.Thread(target=self._loop, name="fetch-schedule", daemon=True).start()
        return self

    def _loop(self) -> None:
        while True:
            time.sleep(max(self.next_at - time.time(), 0.0))
            self.run_once()

    def run_once(self) -> dict:
        self.running = True
        began = time.time()
        last = {"at": _utc(began), "ok": False, "fetched": [], "skipped": 0, "held": 0, "error": None}
        try:
            result = fetch(self.qa, client=self.client)
            last |= {"ok": True, "fetched": describe(result, self.qa)[:len(result.fetched)],
                     "skipped": len(result.skipped), "held": result.held}
        except Exception as error:  # noqa: BLE001 (whatever went wrong is shown, and the server goes on)
            last["error"] = f"{type(error).__name__}: {error}" if not isinstance(error, QAError) else str(error)
        finally:
            self.last = last | {"took_s": round(time.time() - began, 1)}
            self.running = False
            self.next_at = time.time() + self.every_s
        return self.last

    def status(self) -> dict:
        return {"every_s": self.every_s, "running": self.running, "last": self.last,
                "next_at": _utc(self.next_at)}


def _utc(seconds: float) -> str:
    return dt.datetime.fromtimestamp(seconds, dt.timezone.utc).isoformat(timespec="seconds")
