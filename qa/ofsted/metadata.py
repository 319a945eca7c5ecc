"""What a report is, read from its own text: authority, type, dates, lead inspector, framework, grades."""

from __future__ import annotations

import bisect
import datetime as dt
import re
from dataclasses import asdict, dataclass, field

from qa.ofsted import authorities
from qa.types import Paragraph

KINDS = ("inspection", "focused visit", "monitoring visit", "send inspection", "news", "other")
# The four grades, best first, as `normalise_grade` writes them.
GRADES = ("outstanding", "good", "requires improvement", "inadequate")

_MONTHS = ("january february march april may june july august september october november "
           "december").split()
_MONTH = r"(" + "|".join(_MONTHS) + r")"
_DATE = re.compile(r"\b(\d{1,2})(?:st|nd|rd|th)? " + _MONTH + r",? (\d{4})\b", re.IGNORECASE)
# "15 to 26 May 2023", "17 June 2019 to 28 June 2019", "30 April to 4 May 2018", "3 and 4 December 2024".
_RANGE = re.compile(r"\b(\d{1,2})(?: " + _MONTH + r")?(?: (\d{4}))? ?(?:to|–|-|and) ?(\d{1,2}) " + _MONTH
                    + r" (\d{4})\b", re.IGNORECASE)
_COUNCIL = re.compile(r"\s+(?:(?:metropolitan )?(?:borough|county|city|district)\s+)?council$", re.IGNORECASE)
# Matched against the opening text with its line breaks as spaces.
_NAME = r"(?!local authority|safeguarding)(?:(?!children)[^.:;]){2,80}?"
_AUTHORITY_PATTERNS = [
    re.compile(r"\bInspection of (" + _NAME + r") (?:(?:local authority )?children[’']s services|"
               r"Children and Families Trust|Children[’']s (?:Services )?Trust)", re.IGNORECASE),
    re.compile(r"\b(?:Focused|Monitoring) visit to (?:the )?(" + _NAME + r")(?: local authority)? children[’']s"
               r" services", re.I),
    re.compile(r"\bArea SEND (?:full |monitoring )?inspection of (?:the )?(" + _NAME + r") Local Area Partnership",
               re.IGNORECASE),
    re.compile(r"\bJoint local area SEND inspection in (" + _NAME + r")(?: \d| Local| Area|$)", re.IGNORECASE),
]
# Older reports name the council in their first lines, before "Inspection of ...".
_NAME_LINES = re.compile(r"\A(?:Local area partnership report\n+)?((?:[^\n]{2,60}\n+){1,3}?)"
                         r"(?:Re-?)?inspection of ", re.IGNORECASE)
_NAME_AFTER = re.compile(r"\AInspection of looked after children\s+services\s+([^\n]{2,60})")
_KIND_PATTERNS = [
    ("focused visit", re.compile(r"\bFocused visit to|findings of (?:the|a) focused visit", re.I)),
    ("monitoring visit", re.compile(r"\bMonitoring visit to|findings of (?:the|a) monitoring visit", re.I)),
    ("send inspection", re.compile(r"Area SEND (?:full |monitoring )?inspection|local area SEND inspection|"
                                   r"^Local area partnership report", re.I)),
    ("inspection", re.compile(r"\bInspection of .{0,80}?(?:children[’']s (?:social care )?services|Trust\b)|"
                              r"\b(?:Re-?)?inspection of services for children in need|"
                              r"\bInspection of looked after children", re.I)),
]
# Where the front page's lines (type, dates, authority) are looked for.
_HEAD = 4000
_PUBLISHED = re.compile(r"Report published:?\s*(\d{1,2} \w+ \d{4})", re.IGNORECASE)
_INSPECTION_DATES = re.compile(r"Inspection dates?:\s*([^\n]+)", re.IGNORECASE)
_VISIT_DATES = re.compile(r"(?:focused|monitoring) visit to .{0,120}? on (\d[^.]{4,60}\d{4})", re.I | re.S)
# "Lead inspector: NAME"; the inspections of looked after children of 2013 print "Reporting
# inspector NAME HMI".
_LEAD = re.compile(r"(?:Lead inspector:|Reporting inspector)\s*([^,\n]+?)"
                   r"(?:,|\s+(?:Senior\s+)?HMI\b|\s+Her Majesty|\s+His Majesty|\n|$)", re.I)
_LEAD_AFTER = re.compile(r"^([A-Z][^,\n]+?),? (?:Ofsted )?Lead inspector", re.MULTILINE)
# An area SEND inspection's team, at its end, led by one inspector of Ofsted and one of the Care
# Quality Commission: "Sam Hainey, Ofsted HMI, lead inspector", "Andrew Wright HMI, Ofsted Lead
# inspector", "Charlie Fordham, HMI, Lead inspector", "Claire Mason, CQC lead inspector"; two can
# share a line.
_TEAM_TAIL = 6000
_TEAM_NAME = (r"(?:^|(?<=[Ii]nspector ))((?:(?:Mr|Mrs|Ms|Miss|Dr)\.? )?[A-Z][A-Za-z'’.-]+"
              r"(?: (?!HMI\b)[A-Z][A-Za-z'’.-]+){1,3})")
_OFSTED_LEAD = re.compile(_TEAM_NAME + r"(?: HMI)?,? (?:(?:HMI|Ofsted(?: HMI)?),? )+[Ll]ead\s+[Ii]nspector\b",
                          re.MULTILINE)
_CQC_LEAD = re.compile(_TEAM_NAME + r",? CQC,?\s+[Ll]ead\s+[Ii]nspector\b", re.MULTILINE)
_SIGNED = re.compile(r"Yours sincerely\s+([A-Z][^\n]+)")
_VISIT_INSPECTORS = re.compile(r"Inspectors? for this visit (?:was|were) ([A-Z][A-Za-z’'\- ]+?)(?:,| and|\.)")
_OVERALL_SENTENCE = re.compile(
    r"(?:overall judgement is(?: that children[’']s services)?|Children[’']s services in (?:.|\n(?!\n)){2,80}?) "
    r"(?:(?:are|is) )?"
    r"(outstanding|good|inadequate|requires? improvement(?: to be good)?)", re.IGNORECASE)
_ROWS = [
    (("overall_effectiveness",), re.compile(r"^Overall effectiveness\b", re.I)),
    (("impact_of_leaders",), re.compile(r"impact of leaders|Leadership, management and governance", re.I)),
    (("help_and_protection",), re.compile(r"children who need help and protection", re.I)),
    # 2018 to 2022 judged children in care and care leavers together: the grade is both.
    (("children_in_care", "care_leavers"), re.compile(r"children (?:in care|looked after) and care leavers", re.I)),
    (("care_leavers",), re.compile(r"care leavers$", re.I)),
    (("children_in_care",), re.compile(r"children (?:in care|looked after)", re.I)),
]
_GRADE_AT_END = re.compile(r"(outstanding|good|inadequate|requires? improvement)(?: to be good| to)?$", re.I)
_GRADE = r"(outstanding|good|inadequate|requires? improvement(?: to be good)?)"
# The line that opens a judgement's section in the body of the report and states its grade in words,
# before the paragraphs that give the reasons: "The experiences and progress of care leavers: good"
# (2018 on), "The graded judgement for adoption performance is that it is good", "The Local
# Safeguarding Children Board requires improvement" (2013 to 2018). Lists are left out, and a line
# without a verb ("Adoption performance: inadequate") counts only as a heading: re-inspections list
# the last inspection's grades in the same words.
_STATEMENTS = [
    (("help_and_protection",), r"The experiences? and progress of children who need help and protection"),
    (("children_in_care", "care_leavers"),
     r"The experiences? and progress of children (?:in care|looked after) and care leavers"),
    (("children_in_care",), r"The experiences? and progress of children (?:in care|looked after)"
                            r"(?: and achieving permanence)?"),
    (("care_leavers",), r"The graded judge?ment (?:about|for) the experiences? and progress of care leavers|"
                        r"The experiences? and progress of care leavers"),
    (("adoption",), r"The graded judge?ment (?:about|for) adoption performance|Adoption performance"),
    (("impact_of_leaders",), r"The impact of leaders on social work practice with children and families|"
                             r"Leadership, management and governance"),
    (("lscb",), r"(?:The judge?ment for )?The effectiveness of the Local Safeguarding Children[’']?s? Board"
                r"(?: \(LSCB\))?|The Local Safeguarding Children[’']?s? Board(?: \(LSCB\))?(?: in [^.\n]{2,60}?)?"),
    (("overall_effectiveness",), r"Children[’']s services in [^.\n]{2,80}?"),
]
# All of them in one pattern, run once over a report's text (a group a label, named by its place in
# _STATEMENTS); its spaces never cross the blank line between two paragraphs.
_SPACE = r"(?:(?!\n\n)\s)+"
_STATED = re.compile(
    r"^(?:" + "|".join(f"(?P<s{n}>{label})" for n, (_, label) in enumerate(_STATEMENTS)) + r")"
    r"(?:(?P<verb>" + _SPACE + r"(?:is|are)(?: that (?:it|they)(?: is| are)?)?:?|(?=" + _SPACE + r"requires?\b))|:)?"
    + _SPACE + r"(?P<grade>" + _GRADE + r")\.?$", re.IGNORECASE | re.MULTILINE)


@dataclass(frozen=True)
class Metadata:
    """Facts about one report; any of them may be unknown (None)."""

    authority: str | None = None
    kind: str = "other"
    published: str | None = None
    inspection_start: str | None = None
    inspection_end: str | None = None
    lead_inspector: str | None = None
    framework: str | None = None
    grades: dict[str, str] = field(default_factory=dict)

    def to_dict(self) -> dict:
        return asdict(self)


def read_metadata(text: str, paragraphs: tuple[Paragraph, ...], file_name: str = "") -> Metadata:
    """Metadata from a report's stored text; the file name only supplies a date the text lacks."""
    head = text[:_HEAD]
    flat = " ".join(text[:1500].split())
    kind = _kind(flat)
    start, end = _inspection_dates(head)
    grades = _grades(text, paragraphs) if kind == "inspection" else {}
    return Metadata(
        authority=_authority(flat, head),
        kind=kind,
        published=_published(head, kind) or find_date(file_name),
        inspection_start=start,
        inspection_end=end,
        lead_inspector=_lead_inspector(text, kind),
        framework=_framework(head, kind, start, end),
        grades=grades,
    )


def find_date(text: str) -> str | None:
    """The first full date written out ("23 August 2021") in `text`, as ISO."""
    match = _DATE.search(text)
    return _iso(match.group(1), match.group(2), match.group(3)) if match else None


def normalise_grade(grade: str) -> str:
    """"Requires improvement to be good" and "Require improvement" are "requires improvement"."""
    grade = grade.lower()
    return "requires improvement" if "improvement" in grade else grade


def _iso(day: str, month: str, year: str) -> str | None:
    try:
        return dt.date(int(year), _MONTHS.index(month.lower()) + 1, int(day)).isoformat()
    except ValueError:
        return None


def _kind(flat: str) -> str:
    """The type whose telltale phrase comes first: inspection reports mention earlier visits later on."""
    found = [(match.start(), name) for name, pattern in _KIND_PATTERNS for match in [pattern.search(flat)] if match]
    return min(found)[1] if found else "other"


def _authority(flat: str, head: str) -> str | None:
    """The authority as the report names it; else the first authority of England its opening names
    (a letter whose address lines come before "Focused visit to ...")."""
    matches = [pattern.search(flat) for pattern in _AUTHORITY_PATTERNS]
    matches += [_NAME_LINES.search(head), _NAME_AFTER.search(head)]
    for match in filter(None, matches):
        name = _COUNCIL.sub("", " ".join(match.group(1).split()))
        if 2 <= len(name) <= 80 and any(c.isupper() for c in name) and not re.search(r"\d", name):
            return name
    key = authorities.find(flat)
    return authorities.display(key) if key else None


def _published(head: str, kind: str) -> str | None:
    match = _PUBLISHED.search(head)
    if match:
        return find_date(match.group(1))
    if kind in ("focused visit", "monitoring visit"):
        # A letter's date is its first line.
        return find_date(head[:200])
    return None


def _inspection_dates(head: str) -> tuple[str | None, str | None]:
    for pattern in (_INSPECTION_DATES, _VISIT_DATES):
        match = pattern.search(head)
        if match:
            found = _RANGE.search(match.group(1).replace("\n", " "))
            if found:
                day, month, year, end_day, end_month, end_year = found.groups()
                end = _iso(end_day, end_month, end_year)
                start = _iso(day, month or end_month, year or end_year)
                if start and end and start > end and not year:
                    start = _iso(day, month or end_month, str(int(end_year) - 1))
                return start, end
    return None, None


def _lead_line(text: str) -> re.Match | None:
    """The "Lead inspector: NAME" line, on the front page or at the end of the report, else in the
    middle (inspections of 2013-2015 name their team before the safeguarding board's review); else
    the line of an area SEND inspection's team that names Ofsted's lead inspector."""
    return (_LEAD.search(text, 0, 6000) or _LEAD.search(text, max(0, len(text) - 3000)) or _LEAD.search(text)
            or _OFSTED_LEAD.search(text, max(0, len(text) - _TEAM_TAIL)))


def _lead_inspector(text: str, kind: str) -> str | None:
    match = _lead_line(text)
    if match:
        return " ".join(match.group(1).split())
    match = _LEAD_AFTER.search(text[-3000:])
    if match:
        return match.group(1).strip()
    if kind in ("focused visit", "monitoring visit"):
        match = _SIGNED.search(text[-1500:]) or _VISIT_INSPECTORS.search(text[:3000])
        if match:
            return match.group(1).strip()
    return None


def _framework(head: str, kind: str, start: str | None, end: str | None) -> str | None:
    if kind == "send inspection":
        return "area SEND"
    if kind not in ("inspection", "focused visit", "monitoring visit"):
        return None
    if re.search(r"Inspection of services for children in need of help and protection", head, re.I):
        return "SIF"
    if kind != "inspection":
        return "ILACS"
    if start and end:
        days = (dt.date.fromisoformat(end) - dt.date.fromisoformat(start)).days
        return "ILACS short" if days <= 7 else "ILACS standard"
    return "ILACS"


def grade_spans(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[str, tuple[int, int, int]]:
    """Each judgement's grade as (paragraph index, start, end) offsets into the text: its row of the
    judgement table, or where the body states it in a sentence ("The graded judgement for adoption
    performance is that it is good"), which the 2013 to 2019 reports do at the head of each
    judgement's section; a heading that repeats the row ("The experiences and progress of care
    leavers: good") only for what the table lacks. Overall effectiveness is the table's, or the old
    framework's opening sentence."""
    spans = table_spans(text, paragraphs)
    for name, (span, sentence) in _stated(text, paragraphs).items():
        if name not in spans or sentence and name != "overall_effectiveness":
            spans[name] = span
    return spans


def table_spans(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[str, tuple[int, int, int]]:
    """Each judgement's grade as (paragraph index, start, end) offsets into the text, from the first
    judgement table's rows, and for the old framework its overall sentence."""
    spans: dict[str, tuple[int, int, int]] = {}
    for index, paragraph in enumerate(paragraphs):
        if paragraph.kind != "table":
            continue
        offset = paragraph.start
        for row in text[paragraph.start:paragraph.end].split("\n"):
            grade = _GRADE_AT_END.search(row)
            if grade:
                label = row[:grade.start()].strip()
                for name in next((names for names, pattern in _ROWS if pattern.search(label)), ()):
                    spans.setdefault(name, (index, offset + grade.start(), offset + grade.end()))
            offset += len(row) + 1
        if spans:
            break
    if "overall_effectiveness" not in spans:
        match = _OVERALL_SENTENCE.search(text[:5000])
        if match:
            index = next(i for i, p in enumerate(paragraphs) if p.start <= match.start(1) < p.end)
            spans["overall_effectiveness"] = (index, match.start(1), match.end(1))
    return spans


def _stated(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[str, tuple[tuple[int, int, int], bool]]:
    """The grade that the body's first statement of each judgement gives, and whether it is said in
    a sentence (with a verb) rather than as a heading."""
    spans: dict[str, tuple[tuple[int, int, int], bool]] = {}
    starts = [paragraph.start for paragraph in paragraphs]
    for match in _STATED.finditer(text):
        index = bisect.bisect_right(starts, match.start()) - 1
        kind = paragraphs[index].kind if index >= 0 and match.end() <= paragraphs[index].end else None
        sentence = match.group("verb") is not None
        if kind not in ("heading", "text") or not sentence and kind != "heading":
            continue  # not in a paragraph of text, or "Adoption performance: inadequate", a line of a list
        label = next(int(name[1:]) for name, found in match.groupdict().items() if found and name[0] == "s")
        for name in _STATEMENTS[label][0]:
            spans.setdefault(name, ((index, *match.span("grade")), sentence))
    return spans


def fact_spans(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[str, tuple[int, int, int]]:
    """The lead inspector's name (and an area SEND inspection's CQC lead inspector's) and the
    inspection dates as (paragraph index, start, end), where the report prints them."""
    found = {}
    for name, match in (("lead_inspector", _lead_line(text)),
                        ("cqc_lead_inspector", _CQC_LEAD.search(text, max(0, len(text) - _TEAM_TAIL))),
                        ("inspection_dates", _INSPECTION_DATES.search(text, 0, _HEAD))):
        if not match:
            continue
        start, end = match.span(1)
        value = text[start:end]
        start, end = start + len(value) - len(value.lstrip()), end - len(value) + len(value.rstrip())
        index = next((i for i, p in enumerate(paragraphs) if p.start <= start and end <= p.end), None)
        if index is not None and end > start:
            found[name] = (index, start, end)
    return found


def _grades(text: str, paragraphs: tuple[Paragraph, ...]) -> dict[str, str]:
    """Grades by judgement, normalised ("requires improvement to be good" is "requires improvement")."""
    return {name: normalise_grade(_GRADE_AT_END.search(text[start:end]).group(1))
            for name, (_, start, end) in grade_spans(text, paragraphs).items()}
