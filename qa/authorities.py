"""England's local authorities with children's services, and the other names people call them by.

`canonical` turns any of those names ("Hull", "B&NES", "London Borough of Croydon", "Leeds City
Council") into one key, so that a question and a report's front page agree on the authority.
A name that is not in the table keeps its own key (`authority_key`), so reports of other bodies
still work by their own names.
"""

from __future__ import annotations

import functools
import re


@functools.lru_cache(maxsize=4096)
def authority_key(name: str) -> str:
    """A name to compare authorities by: lower case, "&" as "and", no "council" or punctuation."""
    name = re.sub(r"['’]s\b", "", name.lower().replace("&", " and "))
    name = " ".join(re.findall(r"[a-z0-9]+", name))
    # "City of London" keeps its "city of": "london" alone would be any question about London.
    name = re.sub(r"^(?:the )?(?:(?:metropolitan borough|london borough|royal borough|borough|city(?! of london\b)|"
                  r"county|council) of )?(?:the )?", "", name)
    return re.sub(r"(?: city of| metropolitan| borough| city| county| district| unitary authority| local authority"
                  r"| children services| mbc| council)*$", "", name)


# Canonical name: other names (before authority_key folds "council", "city of", "&" and the like);
# "Stoke-onTrent" and the like are how some reports' text lost a hyphen at a line end.
_AUTHORITIES: dict[str, tuple[str, ...]] = {
    "Barking and Dagenham": ("Barking",), "Barnet": (), "Barnsley": (),
    "Bath and North East Somerset": ("BANES", "B&NES", "BaNES", "Bath & NE Somerset"),
    "Bedford": ("Bedford Borough",), "Bexley": (), "Birmingham": ("Birmingham Children's Trust",),
    "Blackburn with Darwen": ("Blackburn",), "Blackpool": (), "Bolton": (),
    "Bournemouth, Christchurch and Poole": ("BCP", "Bournemouth Christchurch Poole", "Bournemouth", "Poole"),
    "Bracknell Forest": ("Bracknell",), "Bradford": (), "Brent": (), "Brighton and Hove": ("Brighton",),
    "Bristol": ("City of Bristol", "Bristol City"), "Bromley": (), "Buckinghamshire": ("Bucks",),
    "Bury": (), "Calderdale": (), "Cambridgeshire": ("Cambs",), "Camden": (),
    "Central Bedfordshire": ("Central Beds",), "Cheshire East": (),
    "Cheshire West and Chester": ("Cheshire West", "CWAC"), "Cornwall": (), "Coventry": (),
    "Croydon": (), "Cumberland": (), "Darlington": (), "Derby": (), "Derbyshire": (), "Devon": (),
    "Doncaster": ("Doncaster Children's Services Trust",), "Dorset": (), "Dudley": (),
    "Durham": ("County Durham",), "Ealing": (), "East Riding of Yorkshire": ("East Riding",),
    "East Sussex": (), "Enfield": (), "Essex": (), "Gateshead": (), "Gloucestershire": ("Glos",),
    "Greenwich": ("Royal Borough of Greenwich",), "Hackney": (), "Halton": (),
    "Hammersmith and Fulham": ("Hammersmith", "LBHF"), "Hampshire": ("Hants",), "Haringey": (),
    "Harrow": (), "Hartlepool": (), "Havering": (), "Herefordshire": ("County of Herefordshire",),
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
    "North Somerset": (), "North Tyneside": (), "North Yorkshire": (), "Northumberland": (),
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
    "Torbay": (), "Tower Hamlets": (), "Trafford": (), "Wakefield": (), "Walsall": (),
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


@functools.lru_cache(maxsize=1)
def _names() -> dict[str, str]:
    """Every folded name or alias: the key of its canonical name."""
    names = {}
    for canonical, aliases in _AUTHORITIES.items():
        key = authority_key(canonical)
        for name in (canonical, *aliases):
            names[authority_key(name)] = key
    return names


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


def aliases() -> dict[str, str]:
    """Every folded name and alias of the table, with the key of the authority it stands for."""
    return dict(_names())


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
