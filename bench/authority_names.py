"""How well authority names are recognised as people write them.

    python bench/authority_names.py [--typos N] [--show]

For every authority of qa/ofsted/authorities.py it makes the variants of qa.noise.name_variants (lower
case, aliases, initials and short forms, wrong suffixes such as "X County Council", hyphenated
"upon", "&") and N seeded typos of the name (a letter dropped, swapped, doubled or replaced by its
keyboard neighbour), puts each in three questions, and counts the questions whose authority is
recognised, those given another authority (wrong), and those not made out (no authority, or the
candidates offered instead).
"""

from __future__ import annotations

import argparse
import random
import time

from qa.noise import name_variants, typo
from qa.ofsted import authorities

TEMPLATES = ("What did Ofsted say about {}'s care leavers?", "{} focused visit 2023", "how is {} doing now")


def variants(name: str, typos: int, rng: random.Random) -> list[str]:
    """The written forms of `name` to try: the noise module's variants and `typos` misspellings."""
    found = list(dict.fromkeys(name_variants(name)))
    found += [form for form in dict.fromkeys(typo(name, rng) for _ in range(typos)) if form != name]
    return found


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--typos", type=int, default=5, help="misspellings of each name (default 5)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--show", action="store_true", help="print every question not recognised")
    args = parser.parse_args()
    rng = random.Random(args.seed)
    keys = authorities.names_to_find()
    counts = {"recognised": 0, "wrong": 0, "not made out": 0, "candidates offered": 0}
    misses, began, total = [], time.perf_counter(), 0
    for name in authorities.canonical_names():
        key = authorities.authority_key(name)
        for variant in variants(name, args.typos, rng):
            for template in TEMPLATES:
                question = template.format(variant)
                named = authorities.named_in(question, keys)
                total += 1
                if named.keys == (key,):
                    counts["recognised"] += 1
                    continue
                if named.keys:
                    counts["wrong"] += 1
                    misses.append(f"WRONG {question!r}: {named.keys}")
                    continue
                counts["not made out"] += 1
                if key in named.could_mean:
                    counts["candidates offered"] += 1
                misses.append(f"missed {question!r}: candidates {named.could_mean}")
    took = (time.perf_counter() - began) / total * 1000
    print(f"{len(authorities.canonical_names())} authorities, {total} questions ({took:.2f} ms each)")
    for what, count in counts.items():
        print(f"{what:>20}: {count:>6} ({count / total:.2%})")
    if args.show:
        print("\n".join(misses))


if __name__ == "__main__":
    main()
