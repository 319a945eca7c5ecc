"""Questions that a report's front page answers: grades ("What was Sandwell's overall effectiveness
grade in 2022?") where the report states them (qa.ofsted.metadata.grade_spans), the lead inspector
and the inspection dates from the lines that name them. The cited span is the value as the report
prints it."""

from __future__ import annotations

import re

from qa.ofsted.metadata import fact_spans, grade_spans
from qa.types import Document

_ASKS_GRADE = re.compile(r"\b(?:grades?|graded|judgements?|judged|rated|ratings?)\b", re.IGNORECASE)
# Private fostering, which no judgement covers, and questions that mention a grade but ask for
# something else: a reason, a date or the parts that did well ("When did North East Lincolnshire
# appoint a permanent DCS after the 2021 inadequate judgement?", "Despite the inadequate rating, which
# parts did Ofsted find strong?", "What held Barking and Dagenham back from a good judgement?").
_NOT_A_GRADE = re.compile(r"\bprivate(?:ly)? fost|"
                          r"(?:^|[,.;:]\s*)(?:(?:and|but|so|then) )?(?:why|when)\b|\bwhich (?:parts?|aspects?)\b|"
                          r"\bwhat (?:held|stopped|prevented|kept)\b", re.IGNORECASE)
_AREAS = [
    # Judged by the 2013 to 2018 framework only.
    ("lscb", re.compile(r"\bLSCBs?\b|\bsafeguarding (?:children[’']?s? )?boards?\b", re.IGNORECASE)),
    ("adoption", re.compile(r"\badoption\b", re.IGNORECASE)),
    ("care_leavers", re.compile(r"\bcare leavers?\b|\bleavers\b|\bleaving care\b", re.IGNORECASE)),
    ("children_in_care", re.compile(r"\b(?:children )?in care\b|\blooked[- ]after\b", re.IGNORECASE)),
    ("help_and_protection", re.compile(r"\bhelp and protection\b|\bneed help\b|\bprotection\b", re.IGNORECASE)),
    ("impact_of_leaders", re.compile(r"\bleaders?\b|\bleadership\b|\bmanagement\b", re.IGNORECASE)),
    ("overall_effectiveness", re.compile(r"\boverall\b|\beffectiveness\b", re.IGNORECASE)),
]
# The kinds of report whose front page or team names the lead inspector and gives the dates.
FACT_KINDS = ("inspection", "send inspection")
_FACTS = [
    # An area SEND inspection is led by one inspector of Ofsted and one of the Care Quality Commission.
    ("cqc_lead_inspector", re.compile(r"\b(?:CQC|Care Quality Commission)\b.{0,60}\b(?:lead|led)\b|"
                                      r"\b(?:lead|led)\b.{0,60}\b(?:CQC|Care Quality Commission)\b", re.IGNORECASE)),
    ("lead_inspector", re.compile(r"\blead inspector\b|\bwho (?:led|inspected|carried out)\b.{0,80}\binspection\b|"
                                  r"\bwho inspected\b", re.IGNORECASE)),
    ("inspection_dates", re.compile(r"\binspection dates?\b|"
                                    r"\bwhen (?:did|was|were)\b[^,?]{0,80}\b(?:inspection|inspected)\b(?! report)",
                                    re.IGNORECASE)),
]


def judgement_asked(question: str) -> str | None:
    """What a question asks of the front page: "lead_inspector", "inspection_dates", the judgement
    it asks the grade of (overall effectiveness by default), or None."""
    fact = next((name for name, pattern in _FACTS if pattern.search(question)), None)
    if fact:
        return fact
    if not _ASKS_GRADE.search(question) or _NOT_A_GRADE.search(question):
        return None
    return area_named(question) or "overall_effectiveness"


def area_named(question: str) -> str | None:
    """The judgement whose area a question names ("care leavers", "impact of leaders"), if any."""
    return next((name for name, pattern in _AREAS if pattern.search(question)), None)


def grade_citations(documents: list[Document], judgement: str, years: tuple[int, ...],
                    limit: int) -> list[tuple[Document, int, int, int]]:
    """(report, paragraph index, start, end) of the value asked for in the latest matching
    inspections, newest first."""
    facts = judgement in dict(_FACTS)
    found = []
    for document in documents:
        if document.kind not in (FACT_KINDS if facts else ("inspection",)) or (
                years and not document.years & set(years)):
            continue
        span = (fact_spans if facts else grade_spans)(document.text, document.paragraphs).get(judgement)
        if span:
            found.append((document, *span))
    found.sort(key=lambda item: item[0].date or "", reverse=True)
    return found[:limit]
