"""Questions as people type them, made from tidy ones: seeded, so the same file gives the same variants.

Each question gets one style, drawn at random (the styles of how people really type):

- `typo`: one or two slips of the keys in words of four letters or more (a letter dropped, two
  swapped, one doubled or one replaced by its neighbour on the keyboard; never the first letter).
- `terse`: as typed into a search box: the question and function words dropped, lower case.
- `colloquial`: the question's opening said as people say it ("what's ... like for", "who was in charge of").
- `long`: a sentence of context first ("I'm a councillor in Kirklees and we're preparing for scrutiny.").
- `jargon`: the field's initials for what the question spells out ("care leavers" as "CLs") and
  the authority's initials or short form where it has one ("H&F", "Notts").
- `informal`: the authority named informally or slightly wrong: lower case, a typo, a wrong
  suffix ("Hull City Council", "Kent County Council"), "London Borough of", its short form.

On top of its style a question is lower-cased (half of them), loses its apostrophes (half) and
its question mark (half). The answers, evidence and report stay those of the tidy question, which
is kept as `tidy`; `style` names the style. The variant of a question depends only on the seed and
the question's id (or its text), not on the other questions of the file.
"""

from __future__ import annotations

import hashlib
import random
import re

from qa.ofsted import authorities, glossary

STYLES = ("typo", "terse", "colloquial", "long", "jargon", "informal")
SEED = 20261206

_KEYBOARD = ["qwertyuiop", "asdfghjkl", "zxcvbnm"]
_FUNCTION = frozenset("""what which who whom whose when where why how is are was were do does did has have had
the a an of for to in on at by about did does say said tell me please according can could would
you your there their its it this that these those be been being""".split())
_COLLOQUIAL = (
    (r"^What did Ofsted (?:say|find|report) about ", ("what did ofsted think of ", "what was said about ",
                                                      "anything in the report about ")),
    (r"^What does (.+?) need to improve\b", (r"what does \1 need to sort out", r"what should \1 be doing better",
                                            r"where is \1 falling short")),
    (r"^What (?:needs|need) to improve\b", ("what needs sorting", "what do they need to do better")),
    (r"^Who led\b", ("who was in charge of", "who headed up")),
    (r"^Who (?:was|is) the lead inspector (?:for|of|on)\b", ("who led", "who was the main inspector for")),
    (r"^What (?:grade|judgement|rating) did\b", ("what score did", "how did")),
    (r"^What (?:was|is) the overall (?:effectiveness )?(?:grade|judgement|rating) (?:for|of)\b",
     ("how did ofsted rate", "what rating did ofsted give")),
    (r"^How (?:well|effectively) do(?:es)?\b", ("how good are", "are")),
    (r"^What (?:is|was|are|were) the\b", ("whats the", "what about the")),
    (r"^How many\b", ("how many", "roughly how many")),
    (r"^When (?:was|were|did)\b", ("what date was", "when was")),
    (r"^Has (.+?) improved\b", (r"has \1 got any better", r"is \1 any better")),
    (r"^What\b", ("so what", "what")),
    (r"^How\b", ("so how", "how")),
)
_CONTEXT = (
    "I'm a councillor in {place} and we're preparing for scrutiny.",
    "I work in the front door team in {place}.",
    "I'm writing a briefing for our lead member on {place}.",
    "We've got our own inspection coming up so I'm reading up on {place}.",
    "As a foster carer in {place} I'm trying to understand the report.",
    "I'm a journalist looking at {place}.",
)
_CONTEXT_UNNAMED = (
    "I'm preparing a briefing for our scrutiny committee.",
    "Quick question for a report I'm writing.",
    "I'm new to children's services and trying to understand the reports.",
)


def _rng(seed: int, key: str) -> random.Random:
    return random.Random(int.from_bytes(hashlib.sha256(f"{seed}:{key}".encode()).digest()[:8], "big"))


def typo(word: str, rng: random.Random) -> str:
    """`word` with one slip of the keys, never in its first letter."""
    if len(word) < 4:
        return word
    at = rng.randrange(1, len(word) - 1)
    kind = rng.choice(("drop", "swap", "double", "neighbour"))
    if kind == "drop":
        return word[:at] + word[at + 1:]
    if kind == "swap":
        return word[:at] + word[at + 1] + word[at] + word[at + 2:]
    if kind == "double":
        return word[:at] + word[at] + word[at:]
    row = next((row for row in _KEYBOARD if word[at].lower() in row), None)
    if row is None:
        return word
    i = row.index(word[at].lower())
    neighbour = row[max(0, i - 1)] if i and (i == len(row) - 1 or rng.random() < 0.5) else row[min(len(row) - 1, i + 1)]
    return word[:at] + neighbour + word[at + 1:]


def name_variants(name: str) -> list[str]:
    """Ways people write the authority `name` (a canonical name of qa.ofsted.authorities): lower case, its
    aliases and short forms, wrong suffixes, "upon" hyphenated, "and" as "&"."""
    variants = [name.lower(), f"{name} Council", f"{name} County Council", f"{name} City Council",
                f"{name} council", f"the {name} area", f"London Borough of {name}", f"{name}'s"]
    variants += list(authorities.aliases_of(name))
    variants += list(authorities.short_forms(name))
    if " upon " in name or " on " in name:
        variants.append(name.replace(" ", "-"))
    if " and " in name:
        variants.append(name.replace(" and ", " & "))
    return variants


def _named(question: str) -> tuple[int, int, str] | None:
    """Where the question first names an authority by its canonical name or an alias (the longest
    there): (start, end, canonical name)."""
    found = []
    for canonical in authorities.canonical_names():
        for name in (canonical, *authorities.aliases_of(canonical)):
            match = re.search(r"\b" + re.escape(name) + r"\b", question, re.IGNORECASE)
            if match:
                found.append((match.start(), match.start() - match.end(), match.end(), canonical))
    if not found:
        return None
    start, _, end, canonical = min(found)
    return start, end, canonical


def _typos(text: str, rng: random.Random, count: int) -> str:
    words = list(re.finditer(r"[A-Za-z]{4,}", text))
    for match in sorted(rng.sample(words, min(count, len(words))), key=lambda m: -m.start()):
        text = text[:match.start()] + typo(match.group(), rng) + text[match.end():]
    return text


def _informal(question: str, rng: random.Random) -> str:
    named = _named(question)
    if named is None:
        return _typos(question, rng, 1)
    start, end, canonical = named
    variant = rng.choice(name_variants(canonical) + [typo(canonical, rng)] * 3)
    return question[:start] + variant + question[end:]


def _jargon(question: str, rng: random.Random) -> str:
    changed = question
    for term, meaning in glossary.TERMS.items():
        if not term.endswith("s") or term.isupper():
            changed = re.sub(r"\b" + re.escape(meaning) + r"\b", term, changed, flags=re.IGNORECASE)
    named = _named(changed)
    if named is not None:
        start, end, canonical = named
        short = list(authorities.short_forms(canonical)) + [a for a in authorities.aliases_of(canonical)
                                                              if len(a) <= 8]
        if short:
            changed = changed[:start] + rng.choice(short) + changed[end:]
    return changed if changed != question else _informal(question, rng)


def _terse(question: str) -> str:
    words = re.findall(r"[A-Za-z0-9&'’-]+", question)
    kept = [word for word in words if word.lower().strip("'’") not in _FUNCTION]
    return " ".join(kept).lower()


def _colloquial(question: str, rng: random.Random) -> str:
    for pattern, rewordings in _COLLOQUIAL:
        if re.search(pattern, question, re.IGNORECASE):
            return re.sub(pattern, rng.choice(rewordings), question, count=1, flags=re.IGNORECASE)
    return question


def _long(question: str, rng: random.Random) -> str:
    named = _named(question)
    if named is None:
        return f"{rng.choice(_CONTEXT_UNNAMED)} {question}"
    return f"{rng.choice(_CONTEXT).format(place=named[2])} {question}"


def noisy(item: dict, seed: int = SEED) -> dict:
    """A noisy variant of a question item (of ../shared/ofsted-qa's format)."""
    question = item["question"]
    rng = _rng(seed, item.get("id") or question)
    style = rng.choice(STYLES)
    if style == "typo":
        changed = _typos(question, rng, rng.choice((1, 2)))
    elif style == "terse":
        changed = _terse(question)
    elif style == "colloquial":
        changed = _colloquial(question, rng)
    elif style == "long":
        changed = _long(question, rng)
    elif style == "jargon":
        changed = _jargon(question, rng)
    else:
        changed = _informal(question, rng)
    if rng.random() < 0.5:
        changed = changed.lower()
    if rng.random() < 0.5:
        changed = re.sub(r"['’]", "", changed)
    if rng.random() < 0.5:
        changed = changed.rstrip("?").rstrip()
    return {**item, "question": changed, "tidy": question, "style": style}
