"""How a question is understood, once: what it names (authorities, years, kinds of report, a
judgement), whether it asks about the present or the past, and the earlier question a follow-up
leans on. Every later stage (scope, search, reading) reads this `Query` instead of the text.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Sequence
from dataclasses import dataclass

from qa.answer.spelling import Speller
from qa.indexing.lexical import STOPWORDS
from qa.ofsted import authorities, glossary, regions
from qa.ofsted.authorities import authority_key
from qa.ofsted.judgements import area_named, judgement_asked
from qa.types import Turn

_FOLLOW_UP = re.compile(
    r"^(and|but|also|what about|how about|so|then)\b|\b(it|its|they|them|their|she|he|her|his|this|"
    r"that|these|those|there)\b", re.IGNORECASE)
_CONTENT_WORD = re.compile(r"[A-Za-z0-9']{3,}")
# Where one sentence of a long question ends and the next begins; "St. Helens" and "e.g." go on.
_SENTENCE_BREAK = re.compile(r"(?<=[.!?;])\s+|\n+")
_ABBREVIATION = re.compile(r"\b(?:st|mr|mrs|ms|dr|no|eg|e\.g|ie|i\.e|vs|cllr)\.$", re.IGNORECASE)
_QUESTION_WORD = re.compile(r"^\W*(?:who|whom|whose|what|whats|when|where|which|why|how|is|are|was|were|do|does|"
                            r"did|has|have|had|can|could|will|would|should|tell|list|name|describe|explain)\b",
                            re.IGNORECASE)
_YEAR = re.compile(r"\b20[12]\d\b")
_YES_NO = re.compile(r"^\W*(?:(?:and|but|so) )?(?:is|are|was|were|do|does|did|has|have|had|can|could|will|would|"
                     r"should)\b", re.IGNORECASE)
_REASON = re.compile(r"^\W*(?:(?:and|but|so) )?(?:why|how)\b(?! (?:many|much|long|often)\b)", re.IGNORECASE)
# Questions for a cause ("Why were some cases closed too early?", "What was holding up special
# guardianship decisions?").
_CAUSE = re.compile(r"^\W*(?:(?:and|but|so) )?why\b|\bwhat(?:'s| is| was| were)? (?:held|holds|holding|kept|"
                    r"keeps|stopped|stops|prevented|prevents|caused|causes|led to|leads to)\b", re.IGNORECASE)
# The pandemic, and the years Ofsted's visits during it were made and published.
_PANDEMIC = re.compile(r"\b(?:pandemic|lockdowns?|covid(?:-19)?|coronavirus)\b", re.IGNORECASE)
_PANDEMIC_YEARS = (2020, 2021)
_MONTHS = ("january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
           "november", "december")
_MONTH_YEAR = re.compile(r"\b(" + "|".join(_MONTHS) + r")\s+(20[12]\d)\b", re.IGNORECASE)
# A year that a change is measured from: "since the 2022 inspection", "better than at the 2017
# inspection", "after it was judged inadequate in 2021". Not one after a comma or a bracket, which
# names the report asked of ("since the last inspection, according to the 2025 report"), nor one a
# "than" does not lead to at once ("longer than necessary at the 2022 visit").
_FROM_YEAR = re.compile(r"\b(since|after|than(?= (?:at |in )?(?:the )?(?:(?:" + "|".join(_MONTHS) + r") )?20[12]\d\b))"
                        r"\b[^.?!;,(]{0,60}?\b(20[12]\d)\b", re.IGNORECASE)
# Of those, the years that are not asked about. "After" names the report as often as not ("What did
# Dudley have to do after the October 2020 focused visit?": of the 92 training questions with "after"
# and a year, 54 are answered by that year's report), unless the question names another year
# ("after the February 2020 focused visit, according to the 2022 inspection").
_NOT_ASKED = ("since", "than")
_CURRENT = re.compile(r"\b(?:current(?:ly)?|now|latest|most recent|at present|today|still)\b|"
                      r"^(?:how|what) (?:is|are) .{0,60}\b(?:rated|judged|graded|doing)\b", re.IGNORECASE)
# A question about the past or a change is not only about the latest report.
_PAST = re.compile(r"\b(?:since|previous(?:ly)?|earlier|before|prior|chang(?:e|ed|es)|improved|declined|"
                   r"deteriorated|history|over time)\b", re.IGNORECASE)
# Questions whose answer is a list of what must improve (or was recommended, or looked at).
_LIST = re.compile(r"\b(?:needs?|needed|must|should|has|have|had) (?:to )?(?:do better|improve)|\bimprove(?:ments?)?\b|"
                   r"\bareas? (?:for|of|that need) (?:priority action|improvement|development)|\brecommendations?\b|"
                   r"\bpriority action\b|\bwhat (?:areas|parts?) .{0,60}\b(?:look|looked|examine|examined|focus)",
                   re.IGNORECASE)
# Questions for what a report says must improve (answered from its own list), not for what has
# improved or how: "What does Kent need to improve?", "Which areas did Ofsted say Bury still needs
# to work on?", "What were the recommendations of the 2016 inspection?".
_MUST_IMPROVE = re.compile(
    r"\b(?:needs?|needed|must|should|has to|have to|had to|asked|asks?|told|tells?|wants?|wanted|requires?|"
    r"required)\b[^?.;]{0,60}?\b(?:improve|improving|do better|doing better|work on|sort out|fix|"
    r"tackle|do about|do for|do following|to do|to change)\b|\bwant(?:s|ed)?\b[^?.;]{0,60}?\bimproved\b|"
    r"\brecommend(?:s|ed)?\b|"
    r"\bimprovements? (?:did|does|do)\b[^?]{0,80}\b(?:ask|call)(?:s|ed)? for\b|"
    r"\bareas? (?:(?:for|of|that need(?:s|ed)?(?: to)?) )?(?:priority action|improvement|improving|development|work)\b|"
    r"\bfalling short\b|\bneeds? better\b|"
    r"\brecommendations?\b|\bpriority actions?\b|\bimprovement (?:points|areas|actions|priorities)\b|"
    r"\bwhat needs? (?:improving|sorting|fixing|to improve)\b|\bwhat (?:to|should) improve\b", re.IGNORECASE)
# Whether a question about a report's list asks what became of it ("Has St Helens made progress on
# the areas for improvement from its 2023 inspection?"): the reader answers those from later reports.
_ACTED_ON = re.compile(r"\b(?:made progress|progress on|acted on|act on|happened to|dealt with|deal with)\b|"
                       r"\b(?:has|had|have)\b[^?]{0,60}\b(?:addressed|tackled|fixed|acted|improved)\b|"
                       r"^\W*(?:why|how (?:many|much|long|often))\b", re.IGNORECASE)
# Questions for who carried out a visit ("Which HMIs carried out the May 2024 focused visit to East
# Riding?"); who led an inspection is on its front page (qa.ofsted.judgements).
_INSPECTORS = re.compile(r"\b(?:which|what|name the) (?:inspectors|hmis?)\b|\bwho (?:were|was) the inspectors\b|"
                         r"\bwho (?:carried out|conducted|did|undertook|made(?! up)|visited)\b[^?]{0,60}\bvisit",
                         re.IGNORECASE)
# Questions for what a report's initials stand for ("What does LEAP stand for in Bradford?").
_STANDS_FOR = re.compile(r"\bwhat (?:does|did|do) (?:the )?(?:acronym |initials |abbreviation )?['‘\"]?"
                         r"([a-z][a-z0-9&/-]{1,14})['’\"]?(?: [a-z]+){0,3} stand for\b", re.IGNORECASE)
# Words that ask for a list without narrowing it to a topic ("What does Kent need to improve?").
_LIST_WORDS = frozenset(("need", "needs", "needed", "must", "improve", "improvement", "improvements", "ofsted",
                         "say", "said", "want", "wanted", "ask", "asked", "children", "childrens", "social",
                         "care", "service", "services", "inspection", "inspectors", "report", "focused",
                         "visit", "local", "authority", "council", "area", "areas", "priority", "action",
                         "recommendation", "recommendations", "make", "made", "better", "according",
                         "latest", "last", "recent", "judgement", "send", "partnership",
                         "development", "looked", "look", "examined", "focus", "parts", "part", "tell", "told",
                         "tells", "recommend", "recommended", "recommends", "work", "still", "sort", "fix",
                         "falling", "short", "points", "priorities", "actions", "set", "give", "gave", "given",
                         "improving", "list", "main", "key", "ilacs", "full", "most", "doing", "wants", "required",
                         "requires", "identified", "findings", "ofsteds", "sorting", "fixing", "were", "what", "new",
                         "cqc",
                         *"january february march april may june july august september october november "
                          "december spring summer autumn winter".split()))
_WORD = re.compile(r"[a-z]+")
# A figure asked as typed into a search box, the question words left out ("many children living in
# unregistered homes brighton 2024", "average caseload waltham forest").
_TERSE_FIGURE = r"^\s*(?:many|much|average|percentage|proportion|number|ratio|amount)\b"
# Questions for a name, a date, a number or a grade: their answer is the fewest words that say it.
_FACT = re.compile(r"^\s*(?:(?:and|but|so) )?(?:who|whom|whose|when|which|where|how (?:many|much|long|often)|"
                   r"what (?:year|date|month|day|time|grade|judgement|rating|percentage|proportion|number|"
                   r"name|is the name|was the name|age)\b)|" + _TERSE_FIGURE + r"|^\s*name\b", re.IGNORECASE)
# What kind of answer a question wants, when it says: a sum of money ("How much did Dudley spend on
# agency social workers?") or another figure ("How many children ...?", "What was the average
# caseload ...?").
_MONEY = re.compile(r"(?:\bhow |^\s*)much\b[^?]{0,60}\b(?:spend|spent|spending|cost|costs|money|budget|invest|"
                    r"invested|fund|funding|funded|pay|paid|income|overspend|save|saved|savings)\b|"
                    r"\bhow much money\b|£",
                    re.IGNORECASE)
_FIGURE = re.compile(r"\bhow (?:many|much)\b|\bwhat (?:is |was |were |are )?(?:the )?(?:percentage|proportion|number|"
                     r"average|rate|ratio|share|amount|cost|budget)\b|"
                     # "What was the social worker turnover rate ...?", "What was Halton's re-referral rate?"
                     r"\bwhat (?:is|was|were|are) (?:the |its |their )?(?:[\w'’-]+ ){1,3}(?:rates?|percentage|"
                     r"proportion|ratio|average|caseloads?|total|budget)\b|" + _TERSE_FIGURE, re.IGNORECASE)
# Questions about many authorities at once ("Which councils were judged inadequate in 2024?").
_MANY = re.compile(r"\b(?:which|what|how many|list|name)\b[^?]{0,40}?\b(?:local authorities|authorities|councils|"
                   r"areas|LAs|places|inspections)\b|^\s*where (?:was|were|is|are|has|have)\b|"
                   r"\b(?:all|every|each) (?:the )?(?:local )?(?:authorities|authority|councils?|inspections?)\b",
                   re.IGNORECASE)
_GRADES = (
    ("outstanding", re.compile(r"\boutstanding\b|\bgood or better\b|\bat least good\b", re.IGNORECASE)),
    ("good", re.compile(r"\bgood\b(?! to\b)", re.IGNORECASE)),
    ("requires improvement", re.compile(r"\brequires? improvement\b|\b(?:less|worse) than good\b|\bnot good\b|"
                                        r"\bbelow good\b", re.IGNORECASE)),
    ("inadequate", re.compile(r"\binadequate\b|\b(?:less|worse) than good\b|\bnot good\b|\bbelow good\b",
                              re.IGNORECASE)),
)
_NOT_GOOD = re.compile(r"\b(?:less|worse) than good\b|\bnot good\b|\bbelow good\b", re.IGNORECASE)
# A change between inspections ("How has Birmingham's overall effectiveness changed since 2018?",
# "Has Sunderland improved since its last inspection?").
_CHANGE = re.compile(r"\b(?:improved|declined|deteriorated|got (?:better|worse)|changed|progressed|moved|"
                     r"gone (?:up|down))\b", re.IGNORECASE)
_SINCE = re.compile(r"\b(?:since|over time|over the years|between|previous|prior|last (?:inspection|time))\b",
                    re.IGNORECASE)
# Words of a change question that name no topic ("Has Sunderland improved since its last inspection?").
_CHANGE_WORDS = frozenset(("improved", "declined", "deteriorated", "changed", "progressed", "moved", "better",
                           "worse", "since", "last", "previous", "prior", "inspection", "inspections", "time",
                           "over", "years", "got", "gone", "children", "childrens", "services", "service",
                           "social", "care", "council", "local", "authority", "ofsted", "judged", "judgement",
                           "judgements", "grade", "grades", "rating", "ratings", "rated", "overall",
                           "effectiveness", "much", "way"))
_INSPECTIONS = re.compile(r"\binspections\b", re.IGNORECASE)
# The words of the judgements' names ("the experiences and progress of care leavers").
_JUDGEMENT_WORDS = frozenset(("experiences", "progress", "impact", "leaders", "leadership", "help", "protection",
                              "need", "care", "leavers", "looked", "after", "support", "for", "of"))
_KINDS = (
    ("focused visit", re.compile(r"\bfocused visits?\b", re.IGNORECASE)),
    ("monitoring visit", re.compile(r"\bmonitoring visits?\b", re.IGNORECASE)),
    ("send inspection", re.compile(r"\bSEND\b|(?i:\bsend (?:inspection|visit|area|partnership|services?)\b|"
                                   r"\blocal area partnership\b|\bspecial educational needs\b)")),
)


@dataclass(frozen=True)
class Query:
    """A question as the system understands it."""

    text: str  # as typed
    context: tuple[str, ...] = ()  # the earlier question a follow-up leans on
    context_answer: str = ""  # the words of the answer that earlier question got, if known
    earlier_report: str = ""  # the report (doc_id) the chat's last answer cites, if known
    # What is searched for and read: the question's own sentence when context comes first, with
    # misspelt words corrected and jargon spelt out ("LADO (local authority designated officer)").
    asked: str = ""
    corrections: tuple[tuple[str, str], ...] = ()  # (as typed, as searched for)
    could_mean: tuple[str, ...] = ()  # keys of the authorities a name it does not make out could be
    authorities: tuple[str, ...] = ()  # canonical keys of the authorities named, longest first
    mentions: tuple[str, ...] = ()  # the names as folded in the question ("hull", "banes")
    absent: tuple[str, ...] = ()  # keys of authorities it names that no report is about
    years: tuple[int, ...] = ()  # years asked about ("in 2022"), not measured from ("since 2018")
    months: tuple[tuple[int, int], ...] = ()  # (year, month) named ("the March 2021 focused visit")
    kinds: tuple[str, ...] = ()  # kinds of report named ("focused visit")
    judgement: str | None = None  # a front-page value asked for (qa.ofsted.judgements)
    current: bool = False  # says "now", "latest", "currently"
    past: bool = False  # asks about the past or a change
    listing: str | None = None  # asks for a list: "all" of it, or the "item" on a topic it names
    must_improve: bool = False  # asks what a report says must improve
    inspectors: bool = False  # asks who carried out a visit
    initials: str | None = None  # the initials it asks the meaning of ("LEAP")
    fact: bool = False  # asks for a name, date, number or grade
    wants: str | None = None  # "money" or another "figure" (how many, what percentage), when it says
    many: bool = False  # asks about many authorities ("which councils", "how many authorities")
    grades: tuple[str, ...] = ()  # grades named ("inadequate"; "good or better" is good and outstanding)
    since: int | None = None  # the year a change is measured from ("since 2018")
    change: str | None = None  # the judgement whose change between inspections it asks about
    grade_named: bool = False  # names a grade or judgement ("rated", "overall effectiveness")
    region: str | None = None  # the region it names when it names no authority ("the North West")

    @property
    def yes_no(self) -> bool:
        """Asks a yes-or-no question ("Are caseloads manageable?")."""
        return bool(_YES_NO.search(self.asked))

    @property
    def reason(self) -> bool:
        """Asks why, or how in words ("How does Kent keep caseloads under review?"), not how many."""
        return bool(_REASON.search(self.asked))

    @property
    def cause(self) -> bool:
        """Asks for a cause: why, or what held something up."""
        return bool(_CAUSE.search(self.asked))

    @property
    def present(self) -> bool:
        """Asks about the present: says so, or names no year and no earlier time."""
        return self.current or not (self.years or self.past)

    @property
    def on_earlier_report(self) -> str | None:
        """The report the chat's last answer cites, for a question that is not seen to follow up the
        earlier one (which would steer its search: `searched_context`) and names no authority, year,
        kind of report, time or region: "Which teams were worst affected?" after "Were caseloads too
        high in Swindon at the 2014 inspection?" asks about that report. Of 265 training follow-ups,
        asking that report first (and the usual reports when it has no answer) took right@1 from
        0.755 to 0.792; keeping to the authority alone gave 0.766. A follow-up seen as one keeps to
        the reports its words and the earlier question's choose: "And school attendance?" after a
        question on domestic abuse over the shipped corpus is answered by another report."""
        own = (self.context or self.authorities or self.absent or self.years or self.kinds or self.current
               or self.past or self.many or self.region)
        return None if own else self.earlier_report or None

    @property
    def searched_for(self) -> str | None:
        """The question as searched for, when words of it were corrected."""
        return self.asked if self.corrections else None

    @property
    def with_context(self) -> str:
        """The question followed by the earlier question it leans on."""
        return " ".join([self.text, *self.context])

    @property
    def searched_context(self) -> tuple[str, ...]:
        """The earlier question a follow-up leans on with the answer it got, to search with the
        question: what a follow-up asks about is most often near that answer ("What did the 2018
        focused visit find about Newham's emergency duty team?", then "Was there anything it
        needed to do better?"). Of 265 training follow-ups, right@1 went from 0.725 to 0.747,
        contains@1 from 0.611 to 0.645 and false "not found" from 0.057 to 0.045 with the answer
        searched for too."""
        return tuple(" ".join([text, self.context_answer]).strip() for text in self.context)


def understand(question: str, history: Sequence[str | Turn] = (), known: Iterable[str] = (),
               speller: Speller | None = None) -> Query:
    """Read `question` (a turn after `history`: the earlier questions, or Turns with the answers
    they got); `known` are the authority keys in the index, and `speller` corrects words against
    the index's terms."""
    turns = [turn if isinstance(turn, Turn) else Turn(turn) for turn in history]
    context = tuple(follow_up_context(question, [turn.question for turn in turns]))
    text = " ".join([question, *context])
    known = set(known)
    named = authorities.named_in(text, known | authorities.names_to_find())
    asked = question_asked(question)
    corrections: dict[str, str] = {}
    if speller is not None:
        kept = set(" ".join(named.mentions).split())
        asked, corrections = speller.correct_text(asked, lambda word: word.lower() in kept or glossary.is_term(word))
    # Whether it asks for a whole list or an item on a topic is read before jargon is spelt out
    # ("SEND (special educational needs and disabilities)" names no topic).
    improving = must_improve(asked)
    listed = listing(asked, named.mentions, improving)
    asked = glossary.expand(asked)
    mentions = named.mentions
    wants, many = wanted(asked), bool(_MANY.search(asked))
    # A figure asked of one authority is never a grade, whatever judgement it mentions ("How much did
    # Sunderland invest after the inadequate judgement?"); of many, it counts grades (a table).
    judgement = judgement_asked(asked) if many or not wants else None
    return Query(text=question, context=context, context_answer=turns[-1].answer if context else "",
                 earlier_report=turns[-1].report if turns else "", asked=asked,
                 corrections=tuple(corrections.items()), could_mean=named.could_mean,
                 authorities=tuple(key for key in named.keys if key in known), mentions=mentions,
                 absent=tuple(key for key in named.keys if key not in known),
                 # "What did Sandwell need to improve after the March 2021 focused visit?" names the visit.
                 years=years_named(text, measured_from=not improving), months=months_named(text),
                 kinds=kinds_named(text), judgement=judgement or judgement_followed(asked, context),
                 current=bool(_CURRENT.search(asked)), past=bool(_PAST.search(" ".join([asked, *context]))),
                 listing=listed, must_improve=improving,
                 inspectors=bool(_INSPECTORS.search(asked)), fact=bool(_FACT.search(asked)),
                 wants=wants, initials=initials_asked(asked),
                 many=many, grades=grades_named(asked),
                 since=year_measured_from(text), change=change_asked(asked, mentions),
                 grade_named=judgement is not None or area_named(asked) == "overall_effectiveness",
                 region=None if named.keys else regions.named_in(text))


def judgement_followed(question: str, context: Sequence[str]) -> str | None:
    """The judgement a follow-up asks the grade of after a question for another's grade ("What grade
    did children in care get in Bradford's 2026 inspection?" then "And care leavers?"): the area it
    names; None for any other question."""
    earlier = judgement_asked(context[-1]) if context else None
    if earlier is None or earlier in ("lead_inspector", "cqc_lead_inspector", "inspection_dates"):
        return None
    return area_named(question)


def question_asked(text: str) -> str:
    """The question of a text that gives context first ("I'm a councillor in Kirklees. What did
    the last inspection say about supervision?"): its last sentence that ends with a question mark,
    else its last that starts like a question, else its last; a text of one sentence as it is."""
    sentences: list[str] = []
    for part in _SENTENCE_BREAK.split(text.strip()):
        if sentences and _ABBREVIATION.search(sentences[-1]):
            sentences[-1] += " " + part
        elif part.strip():
            sentences.append(part.strip())
    if len(sentences) <= 1:
        return text.strip()
    for test in (lambda s: s.endswith("?"), lambda s: bool(_QUESTION_WORD.search(s))):
        chosen = [sentence for sentence in sentences if test(sentence)]
        if chosen:
            return chosen[-1]
    return sentences[-1]


def is_follow_up(question: str) -> bool:
    """Whether a question leans on earlier turns: it starts with "and" or similar, or is very short."""
    return bool(_FOLLOW_UP.search(question)) or len(_CONTENT_WORD.findall(question)) <= 3


def follow_up_context(question: str, history: Sequence[str] = ()) -> list[str]:
    """The earlier question a follow-up leans on (the last one), or nothing."""
    return [history[-1]] if history and is_follow_up(question) else []


def years_named(question: str, measured_from: bool = True) -> tuple[int, ...]:
    """Years the question asks about ("in 2022"), not those it measures from ("since 2018") unless
    `measured_from` is false; the pandemic's years for a question that names no year but the
    pandemic ("during the third lockdown")."""
    skipped, after = set(), set()
    if measured_from:
        for match in _FROM_YEAR.finditer(question):
            (skipped if match.group(1).lower() in _NOT_ASKED else after).add(match.start(2))
    named = [match for match in _YEAR.finditer(question) if match.start() not in skipped]
    if any(match.start() not in after for match in named):
        named = [match for match in named if match.start() not in after]
    years = tuple(sorted({int(match.group()) for match in named}))
    return years or (_PANDEMIC_YEARS if _PANDEMIC.search(question) else ())


def months_named(question: str) -> tuple[tuple[int, int], ...]:
    """(year, month) of each month the question names with its year ("in March 2021")."""
    return tuple(sorted({(int(year), _MONTHS.index(month.lower()) + 1)
                         for month, year in _MONTH_YEAR.findall(question)}))


def year_measured_from(question: str) -> int | None:
    """The year a change is measured from ("since the 2022 inspection"), if any."""
    match = _FROM_YEAR.search(question)
    return int(match.group(2)) if match else None


def grades_named(question: str) -> tuple[str, ...]:
    """The grades a question names, best first; "good or better" names good and outstanding,
    "less than good" requires improvement and inadequate."""
    if _NOT_GOOD.search(question):
        return ("requires improvement", "inadequate")
    return tuple(grade for grade, pattern in _GRADES if pattern.search(question))


def change_asked(question: str, mentions: Sequence[str] = ()) -> str | None:
    """The judgement whose change between inspections a question asks about: the one it names, or
    overall effectiveness when it names no topic ("Has Sunderland improved since its last
    inspection?"); None when it asks about no change, or about the change in a topic that no
    judgement covers (the reader answers those from the reports)."""
    if not (_CHANGE.search(question) and _SINCE.search(question)):
        return None
    words = set(_WORD.findall(authority_key(question))) - set(" ".join(mentions).split())
    if words - STOPWORDS - _CHANGE_WORDS - _JUDGEMENT_WORDS:
        return None  # a topic of its own ("linking MARAC with child protection planning")
    return area_named(question) or "overall_effectiveness"


def listing(question: str, mentions: Sequence[str] = (), improving: bool = False) -> str | None:
    """"all" for a question asking for a whole list (what must improve, what was looked at), "item"
    for one asking for the item on a topic it names, None for any other question. `improving`: it
    asks what must improve, in whatever words."""
    if not (improving or _LIST.search(question)):
        return None
    words = {word for word in _WORD.findall(authority_key(question)) if len(word) > 2} - set(" ".join(mentions).split())
    return "item" if words - STOPWORDS - _LIST_WORDS else "all"


def initials_asked(question: str) -> str | None:
    """The initials a question asks the meaning of ("What does MST-CAN stand for in Leeds?")."""
    match = _STANDS_FOR.search(question)
    return match.group(1) if match else None


def wanted(question: str) -> str | None:
    """The kind of answer a question says it wants: "money", another "figure", or None."""
    return next((kind for kind, pattern in (("money", _MONEY), ("figure", _FIGURE)) if pattern.search(question)), None)


def must_improve(question: str) -> bool:
    """Whether a question asks what a report says must improve (or recommends), not what became of
    it, why, or a figure."""
    return bool(_MUST_IMPROVE.search(question)) and not _ACTED_ON.search(question)


def kinds_named(question: str) -> tuple[str, ...]:
    return tuple(kind for kind, pattern in _KINDS if pattern.search(question))


def kinds_surveyed(question: str) -> tuple[str, ...]:
    """The kinds of report a question asked of many reports is about: those it names, or
    inspections when it says "inspections" ("What do the 2024 inspections say about ...?")."""
    return kinds_named(question) or (("inspection",) if _INSPECTIONS.search(question) else ())
