"""HTML reports: visible text in reading order, with block elements as paragraph breaks."""

from __future__ import annotations

from html.parser import HTMLParser

from qa.reports.loaders.decode import decode

_SKIP = {"script", "style", "noscript", "template", "nav", "header", "footer", "svg", "head"}
_BLOCK = {
    "p", "div", "section", "article", "main", "aside", "li", "ul", "ol", "table", "tr",
    "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "pre", "br", "hr", "dd", "dt", "figcaption",
}


class _TextExtractor(HTMLParser):
    def __init__(self) -> None:
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self.title_parts: list[str] = []
        self.heading_parts: list[str] = []
        self._skipping: list[str] = []
        self._in_title = False
        self._in_h1 = False

    def handle_starttag(self, tag: str, attrs) -> None:
        if tag in _SKIP:
            self._skipping.append(tag)
        elif tag == "title":
            self._in_title = True
        if tag == "h1":
            self._in_h1 = True
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_startendtag(self, tag: str, attrs) -> None:
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_endtag(self, tag: str) -> None:
        if self._skipping and self._skipping[-1] == tag:
            self._skipping.pop()
        if tag == "title":
            self._in_title = False
        if tag == "h1":
            self._in_h1 = False
        if tag in _BLOCK:
            self.parts.append("\n\n")

    def handle_data(self, data: str) -> None:
        if self._in_title:
            self.title_parts.append(data)
        elif not self._skipping:
            # Spaces at the ends of a run of text are kept: "Ofsted <b>rated</b> the service" keeps
            # its words apart (collapsed to one space a line in load_html).
            words = " ".join(data.split())
            self.parts.append(f"{' ' if data[:1].isspace() else ''}{words}{' ' if data[-1:].isspace() else ''}"
                              if words else " ")
            if self._in_h1:
                self.heading_parts.append(data)


def load_html(raw: bytes) -> tuple[str, str | None]:
    """Visible text of an HTML report and its <h1> or <title>."""
    parser = _TextExtractor()
    parser.feed(decode(raw))
    parser.close()
    lines = (" ".join(line.split()) for line in "".join(parser.parts).split("\n"))
    text = "\n".join(lines)
    title = " ".join("".join(parser.heading_parts or parser.title_parts).split())
    return text, title or None
