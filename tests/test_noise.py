"""Noisy variants of questions: seeded, one style each, the gold answers untouched."""

import json
import random
from pathlib import Path

import pytest

from qa.noise import SEED, STYLES, name_variants, noisy, typo
from tests.conftest import SHARED

ROOT = Path(__file__).resolve().parents[1]
ITEM = {"id": "X-1", "question": "What does Hammersmith and Fulham need to improve for care leavers?",
        "answers": ["the quality of pathway plans"], "file": "x.txt"}


def test_a_variant_depends_only_on_the_seed_and_the_question():
    assert noisy(ITEM) == noisy(dict(ITEM))
    assert noisy(ITEM, SEED) != noisy(ITEM, SEED + 1) or noisy(ITEM, SEED + 2) != noisy(ITEM, SEED)


def test_a_variant_keeps_the_answers_and_says_what_it_changed():
    variant = noisy(ITEM)
    assert variant["answers"] == ITEM["answers"] and variant["file"] == ITEM["file"]
    assert variant["tidy"] == ITEM["question"] and variant["style"] in STYLES


def test_every_style_is_drawn():
    styles = {noisy({**ITEM, "id": f"X-{n}"})["style"] for n in range(200)}
    assert styles == set(STYLES)


def test_a_typo_never_touches_the_first_letter():
    rng = random.Random(1)
    slips = [typo("Warrington", rng) for _ in range(200)]
    assert all(slip[0] == "W" for slip in slips)
    assert sum(slip != "Warrington" for slip in slips) > 150 and len(set(slips)) > 20


def test_name_variants_include_initials_and_wrong_suffixes():
    variants = name_variants("Hammersmith and Fulham")
    assert "H&F" in variants and "Hammersmith and Fulham County Council" in variants and "LBHF" in variants


@pytest.mark.skipif(not (SHARED / "ofsted-qa").exists(), reason="needs ../shared/ofsted-qa")
def test_the_checked_in_noisy_dev_file_is_what_the_seeded_script_makes():
    tidy = [json.loads(line) for line in (SHARED / "ofsted-qa" / "dev.jsonl").read_text().splitlines() if line]
    checked_in = [json.loads(line) for line in (ROOT / "training" / "noisy" / "dev.jsonl").read_text().splitlines()]
    assert checked_in == [noisy(item) for item in tidy]
