"""The field's jargon: the initials people use for the things the reports name in full.

A question is searched and read with each term's expansion after it ("LADO (local authority
designated officer)"), so that passages that spell the term out are found and read as answers
too. A term is recognised in the case it is written here ("SEND", "CiC"), in capitals, and in
lower case when that is no English word ("lado", "ehcp", but not "send" or "pep").
"""

from __future__ import annotations

import functools
import re

from qa.answer.spelling import is_word

TERMS: dict[str, str] = {
    "ASYE": "assessed and supported year in employment",
    "CAMHS": "child and adolescent mental health services",
    "CCE": "child criminal exploitation",
    "CiC": "children in care",
    "CIN": "children in need",
    "CLA": "children looked after",
    "CLs": "care leavers",
    "CP": "child protection",
    "CPP": "child protection plan",
    "CSC": "children's social care",
    "CSE": "child sexual exploitation",
    "DCS": "director of children's services",
    "DSL": "designated safeguarding lead",
    "EDT": "emergency duty team",
    "EET": "in education, employment or training",
    "EHCP": "education, health and care plan",
    "EHCPs": "education, health and care plans",
    "EHE": "elective home education",
    "FGC": "family group conference",
    "HMI": "His Majesty's Inspector",
    "ICPC": "initial child protection conference",
    "ILACS": "inspection of local authority children's services",
    "IRO": "independent reviewing officer",
    "IROs": "independent reviewing officers",
    "JTAI": "joint targeted area inspection",
    "LAC": "looked after children",
    "LADO": "local authority designated officer",
    "LSCB": "local safeguarding children board",
    "MACE": "multi-agency child exploitation",
    "MAPPA": "multi-agency public protection arrangements",
    "MARAC": "multi-agency risk assessment conference",
    "MASH": "multi-agency safeguarding hub",
    "NEET": "not in education, employment or training",
    "NRM": "national referral mechanism",
    "PA": "personal adviser",
    "PAs": "personal advisers",
    "PEP": "personal education plan",
    "PEPs": "personal education plans",
    "PLO": "public law outline",
    "RHI": "return home interview",
    "RHIs": "return home interviews",
    "SEND": "special educational needs and disabilities",
    "SENCO": "special educational needs coordinator",
    "SGO": "special guardianship order",
    "SGOs": "special guardianship orders",
    "SIF": "single inspection framework",
    "SW": "social worker",
    "SWs": "social workers",
    "UASC": "unaccompanied asylum-seeking children",
    "VSH": "virtual school head",
    "YJS": "youth justice service",
    "YOS": "youth offending service",
    "YOT": "youth offending team",
    "YPA": "young person's adviser",
}


@functools.lru_cache(maxsize=1)
def _forms() -> dict[str, str]:
    """Each written form a term is recognised in: the term."""
    forms: dict[str, str] = {}
    for term in TERMS:
        for form in (term, term.upper()) + ((term.lower(),) if not is_word(term.lower()) else ()):
            forms.setdefault(form, term)
    return forms


@functools.lru_cache(maxsize=1)
def _pattern() -> re.Pattern:
    forms = "|".join(sorted(map(re.escape, _forms()), key=len, reverse=True))
    return re.compile(r"(?<![\w&])(" + forms + r")(?![\w&])")


def terms_in(text: str) -> list[str]:
    """The glossary's terms that `text` uses, in order."""
    return [_forms()[match.group()] for match in _pattern().finditer(text)]


def expand(text: str) -> str:
    """`text` with each term's expansion after it in brackets, unless the text already spells it out."""
    lowered = text.lower()

    def spell_out(match: re.Match) -> str:
        meaning = TERMS[_forms()[match.group()]]
        return match.group() if meaning.lower() in lowered else f"{match.group()} ({meaning})"

    return _pattern().sub(spell_out, text)


def is_term(word: str) -> bool:
    """Whether a word is one of the glossary's terms in a form it is recognised in."""
    return word in _forms()
