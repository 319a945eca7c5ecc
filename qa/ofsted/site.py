"""What Ofsted's reports site looks like, in one place: where its list of local authority
children's services is, how a page of that list links to each authority, and how an authority's
page links to each published report. Learned from the site's pages as public scrapers read them
(`../shared/ofsted/manifest.csv` names their files); when the site changes, this module changes.

- The list: `/search?...&level_1_types=3&level_2_types[]=12` (children's social care, local
  authority children's services), paged by `start` and `rows`. Each authority is a link whose
  address holds `/provider/` and ends with its URN.
- An authority's page: each report is an `<a class="publication-link" href="...">` whose hidden
  text (`<span class="nonvisual">`) says what it is and when it was published: "Children's
  services inspection, PDF - 19 December 2018", "Focused visit, PDF - 3 March 2024".
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

from qa.errors import QAError

DEFAULT_URL = "https://reports.ofsted.gov.uk"
ROWS = 100
_LIST = "/search?q=&location=&lat=&lon=&radius=&level_1_types=3&level_2_types%5B%5D=12&start={start}&rows={rows}"
_PUBLICATION = re.compile(r"^\s*(?P<what>.+?),\s*PDF\s*-\s*(?P<day>\d{1,2} [A-Za-z]+ \d{4})\s*$", re.IGNORECASE)
# What a report's hidden text calls it, as our kinds (qa.ofsted.metadata.KINDS); others are not fetched.
_KINDS = (
    ("focused visit", re.compile(r"\bfocused visit\b", re.IGNORECASE)),
    ("monitoring visit", re.compile(r"\bmonitoring visit\b", re.IGNORECASE)),
    ("send inspection", re.compile(r"\bSEND\b|special educational needs", re.IGNORECASE)),
    ("inspection", re.compile(r"\bchildren['’]?s services inspection\b|\binspection of local authority children",
                              re.IGNORECASE)),
)


class LayoutError(QAError):
    """A page of the site does not look as this module expects: its layout has changed."""


@dataclass(frozen=True)
class Provider:
    """A local authority as the site lists it."""

    urn: str
    name: str
    url: str


@dataclass(frozen=True)
class Publication:
    """A report an authority's page links to."""

    url: str
    label: str  # what the page calls it: "Children's services inspection"
    kind: str | None  # one of qa.ofsted.metadata.KINDS, or None for a kind not fetched
    published: dt.date
    provider: Provider


def list_url(base: str, start: int) -> str:
    """The address of the list of authorities from result `start`."""
    return base.rstrip("/") + _LIST.format(start=start, rows=ROWS)


def providers(html: str, page_url: str) -> list[Provider]:
    """The authorities a page of the list links to, in order, each once."""
    found: dict[str, Provider] = {}
    for link in _links(html):
        href = link.href
        if "/provider/" not in href:
            continue
        urn = href.rstrip("/").rsplit("/", 1)[-1]
        if urn.isdigit() and urn not in found and link.text:
            found[urn] = Provider(urn, link.text, urljoin(page_url, href))
    return list(found.values())


def publications(html: str, provider: Provider) -> list[Publication]:
    """The reports an authority's page links to, newest first as the page lists them. A page with
    no report links at all is not an authority's page as this module knows it: LayoutError."""
    links = [link for link in _links(html) if "publication-link" in link.classes]
    if not links:
        raise LayoutError(f"the page of {provider.name} ({provider.url}) has no report links "
                          "(<a class=\"publication-link\">): the site's layout has changed")
    found = []
    for link in links:
        match = _PUBLICATION.match(link.hidden or link.text)
        if not match:
            continue  # a link to something other than a PDF report (a web page, a letter's summary)
        try:
            published = dt.datetime.strptime(match["day"], "%d %B %Y").date()
        except ValueError:
            continue
        what = " ".join(match["what"].split())
        kind = next((name for name, pattern in _KINDS if pattern.search(what)), None)
        found.append(Publication(urljoin(provider.url, link.href), what, kind, published, provider))
    return found


@dataclass
class _Link:
    href: str
    classes: tuple[str, ...]
    text: str = ""
    hidden: str = ""


class _Links(HTMLParser):
    """The page's links with their text and the text of their `nonvisual` spans."""

    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.links: list[_Link] = []
        self._open: _Link | None = None
        self._text: list[str] = []
        self._hidden: list[str] = []
        self._in_hidden = 0

    def handle_starttag(self, tag: str, attrs: list[tuple[str, str | None]]) -> None:
        values = {name: value or "" for name, value in attrs}
        if tag == "a" and values.get("href"):
            self._open, self._text, self._hidden = _Link(values["href"], tuple(values.get("class", "").split())), [], []
        elif tag == "span" and self._open is not None:
            if self._in_hidden or "nonvisual" in values.get("class", "").split():
                self._in_hidden += 1

    def handle_endtag(self, tag: str) -> None:
        if tag == "span" and self._in_hidden:
            self._in_hidden -= 1
        elif tag == "a" and self._open is not None:
            self._open.text = " ".join("".join(self._text).split())
            self._open.hidden = " ".join("".join(self._hidden).split())
            self.links.append(self._open)
            self._open = None

    def handle_data(self, data: str) -> None:
        if self._open is not None:
            (self._hidden if self._in_hidden else self._text).append(data)


def _links(html: str) -> list[_Link]:
    parser = _Links()
    parser.feed(html)
    parser.close()
    return parser.links
