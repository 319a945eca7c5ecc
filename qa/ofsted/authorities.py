"""England's local authorities with children's services, and the other names people call them by.

`canonical` turns any of those names ("Hull", "B&NES", "London Borough of Croydon", "Leeds City
Council") into one key, so that a question and a report's front page agree on the authority.
A name that is not in the table keeps its own key (`authority_key`), so reports of other bodies
still work by their own names.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Iterable
from dataclasses import dataclass

from rapidfuzz import process
from rapidfuzz.distance import DamerauLevenshtein

from qa.answer.spelling import allowed_edits, is_word
from qa.indexing.lexical import STOPWORDS


@functools.lru_cache(maxsize=4096)
def authority_key(name: str) -> str:
    """A name to compare authorities by: lower case, "&" as "and", no "council" or punctuation."""
    name = re.sub(r"['’]s\b", "", name.lower().replace("&", " and "))
    name = " ".join(re.findall(r"[a-z0-9]+", name))
    # "City of London" keeps its "city of": "london" alone would be any question about London.
    name = re.sub(r"^(?:the )?(?:(?:metropolitan borough|london borough|royal borough|borough|city(?! of london\b)|"
                  r"county|council) of |(?:lb|rb|lbc) )?(?:the )?", "", name)
    return re.sub(r"(?: city of| metropolitan| borough| city| county| district| unitary authority| local authority"
                  r"| children services| mbc| council)*$", "", name)


# Canonical name: other names (before authority_key folds "council", "city of", "&" and the like);
# "Stoke-onTrent" and the like are how some reports' text lost a hyphen at a line end.
_AUTHORITIES: dict[str, tuple[str, ...]] = {
    "Barking and Dagenham": ("Barking", "LBBD"), "Barnet": (), "Barnsley": (),
    "Bath and North East Somerset": ("BANES", "B&NES", "BaNES", "Bath & NE Somerset"),
    "Bedford": ("Bedford Borough",), "Bexley": (), "Birmingham": ("Birmingham Children's Trust", "Brum"),
    "Blackburn with Darwen": ("Blackburn",), "Blackpool": (), "Bolton": (),
    "Bournemouth, Christchurch and Poole": ("BCP", "Bournemouth Christchurch Poole", "Bournemouth", "Poole"),
    "Bracknell Forest": ("Bracknell",), "Bradford": (), "Brent": (), "Brighton and Hove": ("Brighton", "BHCC"),
    "Bristol": ("City of Bristol", "Bristol City"), "Bromley": (), "Buckinghamshire": ("Bucks",),
    "Bury": (), "Calderdale": (), "Cambridgeshire": ("Cambs",), "Camden": (),
    "Central Bedfordshire": ("Central Beds",), "Cheshire East": (),
    "Cheshire West and Chester": ("Cheshire West", "CWAC"), "Cornwall": (), "Coventry": (),
    "Croydon": (), "Cumberland": (), "Darlington": (), "Derby": (), "Derbyshire": (), "Devon": (),
    "Doncaster": ("Doncaster Children's Services Trust",), "Dorset": (), "Dudley": (),
    "Durham": ("County Durham",), "Ealing": (), "East Riding of Yorkshire": ("East Riding",),
    "East Sussex": (), "Enfield": (), "Essex": (), "Gateshead": (), "Gloucestershire": ("Glos", "Gloucs"),
    "Greenwich": ("Royal Borough of Greenwich",), "Hackney": (), "Halton": (),
    "Hammersmith and Fulham": ("Hammersmith", "LBHF"), "Hampshire": ("Hants",), "Haringey": (),
    "Harrow": (), "Hartlepool": (), "Havering": (), "Herefordshire": ("County of Herefordshire", "Hereford"),
    "Hertfordshire": ("Herts",), "Hillingdon": (), "Hounslow": (), "Isle of Wight": ("IoW",),
    "Isles of Scilly": ("Scilly",), "Islington": (),
    "Kensington and Chelsea": ("RBKC", "Kensington"), "Kent": (),
    "Kingston upon Hull": ("Hull", "Hull City"), "Kingston upon Thames": ("Kingston",),
    "Kirklees": (), "Knowsley": (), "Lambeth": (), "Lancashire": ("Lancs",), "Leeds": (),
    "Leicester": (), "Leicestershire": ("Leics",), "Lewisham": (), "Lincolnshire": ("Lincs",),
    "Liverpool": (), "City of London": ("London Corporation", "City of London Corporation"),
    "Luton": (), "Manchester": (), "Medway": (), "Merton": (), "Middlesbrough": (),
    "Milton Keynes": (), "Newcastle upon Tyne": ("Newcastle",), "Newham": (), "Norfolk": (),
    "North East Lincolnshire": ("North East Lincs", "NE Lincolnshire", "NE Lincs"),
    "North Lincolnshire": ("North Lincs",), "North Northamptonshire": ("North Northants",),
    "North Somerset": (), "North Tyneside": (), "North Yorkshire": ("North Yorks", "NYCC"), "Northumberland": (),
    "Nottingham": (), "Nottinghamshire": ("Notts",), "Oldham": (), "Oxfordshire": ("Oxon",),
    "Peterborough": (), "Plymouth": (), "Portsmouth": (), "Reading": ("Brighter Futures for Children",),
    "Redbridge": (), "Redcar and Cleveland": ("Redcar",), "Richmond upon Thames": ("Richmond",),
    "Rochdale": (), "Rotherham": (), "Rutland": (), "Salford": (), "Sandwell": ("Sandwell Children's Trust",),
    "Sefton": (), "Sheffield": (), "Shropshire": (), "Slough": ("Slough Children First",), "Solihull": (),
    "Somerset": (), "South Gloucestershire": ("South Glos",), "South Tyneside": (), "Southampton": (),
    "Southend-on-Sea": ("Southend", "Southend-onSea"), "Southwark": (), "St Helens": ("St. Helens", "Saint Helens"),
    "Staffordshire": ("Staffs",), "Stockport": (), "Stockton-on-Tees": ("Stockton", "Stockton-onTees"),
    "Stoke-on-Trent": ("Stoke", "Stoke-onTrent"), "Suffolk": (), "Sunderland": ("Together for Children",), "Surrey": (),
    "Sutton": (), "Swindon": (), "Tameside": (), "Telford and Wrekin": ("Telford",), "Thurrock": (),
    "Torbay": (), "Tower Hamlets": ("LBTH",), "Trafford": (), "Wakefield": (), "Walsall": (),
    "Waltham Forest": (), "Wandsworth": (), "Warrington": (), "Warwickshire": (),
    "West Berkshire": (), "West Northamptonshire": ("West Northants",), "West Sussex": (),
    "Westminster": (), "Westmorland and Furness": ("Westmorland",), "Wigan": (), "Wiltshire": ("Wilts",),
    "Windsor and Maidenhead": ("Royal Borough of Windsor and Maidenhead", "RBWM", "Windsor"),
    "Wirral": (), "Wokingham": (), "Wolverhampton": (), "Worcestershire": ("Worcs",), "York": (),
    # Former authorities, replaced by Cumberland, Westmorland and Furness, and North and West Northamptonshire.
    "Cumbria": (), "Northamptonshire": ("Northants",),
}
# Words a name of the table can be followed by and still be that authority ("Leeds City Council").
_TRUST = re.compile(r" (?:children (?:and families )?trust|children services trust)$")


# Compass words: a name that differs from another only in these is another authority ("East Sussex").
_COMPASS = {"north": "n", "south": "s", "east": "e", "west": "w", "central": "c"}


def short_forms(name: str) -> tuple[str, ...]:
    """Forms people write a name in besides the table's: its initials around "and" or "with" ("H&F",
    "R&C", "B&NES", "CW&C", "BwD") and its compass words cut to a letter ("NE Lincolnshire", "W Sussex")."""
    forms = []
    for joint, mark in ((" and ", "&"), (" with ", "w")):
        parts = name.split(joint)
        if len(parts) > 1:
            forms.append(mark.join("".join(word[0] for word in part.split()).upper() for part in parts))
    words = name.split()
    cut = next(i for i, word in enumerate(words + [""]) if word.lower() not in _COMPASS)
    if 0 < cut < len(words):
        forms.append("".join(_COMPASS[word.lower()] for word in words[:cut]).upper() + " " + " ".join(words[cut:]))
    return tuple(forms)


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every folded name, alias and short form: the key of its canonical name. A short form that
    two authorities share stands for neither."""
    names: dict[str, str] = {}
    for canonical, aliases in _AUTHORITIES.items():
        key = authority_key(canonical)
        for name in (canonical, *aliases):
            names[authority_key(name)] = key
    shared: set[str] = set()
    for canonical in _AUTHORITIES:
        for form in map(authority_key, short_forms(canonical)):
            if form in names and names[form] != authority_key(canonical):
                shared.add(form)
            names.setdefault(form, authority_key(canonical))
    return {name: key for name, key in names.items() if name not in shared}


@functools.lru_cache(maxsize=4096)
def canonical(name: str) -> str:
    """The key of the authority `name` stands for: its canonical name's key, else its own."""
    key = authority_key(name)
    names = _names()
    if key in names:
        return names[key]
    return names.get(_TRUST.sub("", key), key)


def display(key: str) -> str | None:
    """The canonical name of a key, if it is in the table."""
    for name in _AUTHORITIES:
        if authority_key(name) == key:
            return name
    return None


def canonical_names() -> tuple[str, ...]:
    """The canonical name of every authority of the table."""
    return tuple(_AUTHORITIES)


def aliases_of(name: str) -> tuple[str, ...]:
    """The table's other names for the authority of canonical name `name`."""
    return _AUTHORITIES.get(name, ())


@functools.lru_cache(maxsize=1)
def table_keys() -> frozenset[str]:
    """The key of every authority of the table."""
    return frozenset(map(authority_key, _AUTHORITIES))


# Councils of Wales, Scotland and Northern Ireland, whose children's services Ofsted does not
# inspect: a question about one is about no report of the collection. Names that are also everyday
# words or people's names (Highland, Angus, Moray, Fife, Stirling, Newport) are left out.
OUTSIDE_ENGLAND = frozenset(map(authority_key, (
    "Blaenau Gwent", "Bridgend", "Caerphilly", "Cardiff", "Carmarthenshire", "Ceredigion", "Conwy", "Denbighshire",
    "Flintshire", "Gwynedd", "Anglesey", "Merthyr Tydfil", "Monmouthshire", "Neath Port Talbot", "Pembrokeshire",
    "Powys", "Rhondda Cynon Taf", "Swansea", "Torfaen", "Vale of Glamorgan", "Wrexham",
    "Aberdeen", "Aberdeenshire", "Argyll and Bute", "Clackmannanshire", "Dumfries and Galloway", "Dundee",
    "East Ayrshire", "East Dunbartonshire", "East Lothian", "East Renfrewshire", "Edinburgh", "Falkirk", "Glasgow",
    "Inverclyde", "Midlothian", "North Ayrshire", "North Lanarkshire", "Orkney", "Perth and Kinross",
    "Renfrewshire", "Scottish Borders", "Shetland", "South Ayrshire", "South Lanarkshire", "West Dunbartonshire",
    "West Lothian", "Belfast")))


def names_to_find() -> frozenset[str]:
    """The keys a question's names are matched against besides the index's own: the table's and
    the councils outside England."""
    return table_keys() | OUTSIDE_ENGLAND


def find(text: str) -> str | None:
    """The key of the first authority of the table that `text` names (longest name first at a place)."""
    folded = " " + authority_key(text) + " "
    best: tuple[int, int, str] | None = None
    for name, key in _names().items():
        if len(name) < 4:
            continue
        at = folded.find(f" {name} ")
        if at >= 0 and (best is None or (at, -len(name)) < best[:2]):
            best = (at, -len(name), key)
    return best[2] if best else None


@dataclass(frozen=True)
class Named:
    """The authorities a text names: `keys` by any of their names or a close misspelling of one
    ("knowsly", "warington", "tower hamlts"), longest name first, with `mentions`, the names as
    folded in the text; and `could_mean`, the authorities that a name it does not make out could
    stand for (a misspelling close to two names, "Sussex", "Tyneside"), when it names none."""

    keys: tuple[str, ...] = ()
    mentions: tuple[str, ...] = ()
    could_mean: tuple[str, ...] = ()


# Words of several authorities' names that a text says without meaning any one of them.
_GENERIC = frozenset(("london", "city", "forest", "riding", "upon", "with", "and", "of", "on", "the"))


def named_in(text: str, keys: Iterable[str]) -> Named:
    """The authorities of `keys` (canonical keys; table names beside them are also known by all
    the table's names) that `text` names, exactly or misspelt. Longer runs of words are read
    first, so that a misspelt long name is not taken for a short one inside it ("Bath and Norh East
    Somerset" is not Somerset)."""
    keys = set(keys)
    names = {name: key for name, key in _names().items() if key in keys} | {key: key for key in keys}
    by_size: dict[int, list[str]] = {}
    for name in names:
        if len(name) >= 4:
            by_size.setdefault(len(name.split()), []).append(name)
    words = authority_key(text).split()
    taken = [False] * len(words)
    found: list[str] = []
    mentions: list[str] = []
    unsure: list[str] = []
    for size in range(max(by_size, default=0) + 1, 0, -1):
        for at in range(len(words) - size + 1):
            if any(taken[at:at + size]):
                continue
            window = words[at:at + size]
            typed = " ".join(window)
            # A possessive typed without its apostrophe ("walsalls", "c bedfordshires") is the name.
            exact = typed if typed in names else typed[:-1] if typed.endswith("s") and typed[:-1] in names else None
            if exact and len(exact) >= 3 and exact not in STOPWORDS:
                matches = {names[exact]}
            elif all(is_word(word) or len(word) < 3 for word in window):
                continue  # English words only: no misspelt name
            elif typed.endswith("s"):
                matches = _nearest(typed, by_size, names) or _nearest(typed[:-1], by_size, names)
            else:
                matches = _nearest(typed, by_size, names)
            if not matches:
                continue
            taken[at:at + size] = [True] * size
            if len(matches) == 1:
                mentions.append(typed)
                found.extend(key for key in matches if key not in found)
            else:
                unsure.extend(sorted(key for key in matches if key not in unsure))
    if len(found) > 1:
        # A name that is also an everyday word, typed in lower case beside another name, is the word
        # ("I'm reading up on Sutton").
        ordinary = {m for m in mentions if m in _EVERYDAY and re.search(rf"\b{m}\b", text)}
        if len(ordinary) < len(found):
            found = [key for key in found if key not in {names[m] for m in ordinary}]
            mentions = [m for m in mentions if m not in ordinary]
    if not found and not unsure:
        unsure = _parts_named(words, names)
    return Named(tuple(found), tuple(mentions), () if found else tuple(unsure))


# Authorities' names that are everyday words too.
_EVERYDAY = frozenset(("reading", "bury", "harrow", "derby"))


def _nearest(typed: str, by_size: dict[int, list[str]], names: dict[str, str]) -> set[str]:
    """The authorities of the names (of a word more or fewer than `typed`) nearest to `typed`
    within a typo's edits, starting with its letter and agreeing on compass words."""
    size = len(typed.split())
    choices = [name for n in (size - 1, size, size + 1) for name in by_size.get(n, ())
               if name[0] == typed[0] and _same_compass(typed, name)]
    hits = process.extract(typed, choices, scorer=DamerauLevenshtein.distance, limit=None,
                           score_cutoff=allowed_edits(len(typed.replace(" ", ""))))
    hits = [(name, distance) for name, distance, _ in hits if distance <= allowed_edits(len(name.replace(" ", "")))]
    if not hits:
        return set()
    nearest = min(distance for _, distance in hits)
    return {names[name] for name, distance in hits if distance == nearest}


def _same_compass(typed: str, name: str) -> bool:
    """Whether a typed name could be `name` by its compass words: it has none that `name` lacks,
    and each of the name's is in it, misspelt at most by a letter where the two have as many
    words ("west sussex" is not a misspelling of "east sussex"; "cenrral bedfordshire" is one of
    "central bedfordshire")."""
    written, words = typed.split(), name.split()
    if any(word in _COMPASS and word not in words for word in written):
        return False
    if len(written) == len(words):
        return all(DamerauLevenshtein.distance(a, b) <= 1 for a, b in zip(written, words, strict=True) if b in _COMPASS)
    return all(word in typed for word in words if word in _COMPASS)


def _parts_named(words: list[str], names: dict[str, str]) -> list[str]:
    """The authorities whose canonical names share a distinctive word with `words` ("sussex": East
    Sussex and West Sussex), when two or more do."""
    owners: dict[str, set[str]] = {}
    for name, key in names.items():
        if key in table_keys() and name != key:
            continue  # an alias ("Birmingham Children's Trust"), not a canonical name
        for part in name.split():
            if len(part) >= 5 and part not in _COMPASS and part not in _GENERIC:
                owners.setdefault(part, set()).add(key)
    found: list[str] = []
    for word in words:
        if len(owners.get(word, ())) > 1:
            found.extend(sorted(key for key in owners[word] if key not in found))
    return found
