"""SQuAD files: the split used to train and score the span reader."""

from __future__ import annotations

import json
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

BENCHMARKS = Path(__file__).resolve().parents[2] / "shared" / "benchmarks"
SQUAD1 = BENCHMARKS / "squad_v1.1_dev" / "dev-v1.1.json"
SPLIT = BENCHMARKS / "squad_v1.1_dev" / "split.json"
SQUAD2 = BENCHMARKS / "squad_v2.0_dev_half" / "dev-v2.0-cs224n-half.json"
# SQuAD 2.0 articles held out of training to measure abstention (with their v1.1 questions).
ABSTENTION_TITLES = ("Force", "Warsaw", "Islamism")


@dataclass(frozen=True)
class Example:
    qid: str
    title: str
    question: str
    context: str
    answers: tuple[str, ...]
    starts: tuple[int, ...]  # character offsets of the answers in the context

    @property
    def answerable(self) -> bool:
        return bool(self.answers)


def examples(path: Path, titles: set[str] | None = None) -> Iterator[Example]:
    """Every question of a SQuAD file, optionally only from the articles named in `titles`."""
    for article in json.loads(path.read_text())["data"]:
        if titles is not None and article["title"] not in titles:
            continue
        for paragraph in article["paragraphs"]:
            for qa in paragraph["qas"]:
                answers = [] if qa.get("is_impossible") else qa["answers"]
                yield Example(qa["id"], article["title"], qa["question"], paragraph["context"],
                              tuple(a["text"] for a in answers), tuple(a["answer_start"] for a in answers))


def split() -> dict[str, list[str]]:
    return json.loads(SPLIT.read_text())


def training_examples() -> list[Example]:
    """v1.1 train_titles and the SQuAD 2.0 half, less the held-out articles; each question once."""
    titles = split()
    held_out = set(titles["test_titles"]) | set(ABSTENTION_TITLES)
    seen: set[tuple[str, str]] = set()
    chosen = []
    for example in [*examples(SQUAD1, set(titles["train_titles"]) - held_out), *examples(SQUAD2)]:
        key = (example.question.strip(), example.context)
        if example.title in held_out or key in seen:
            continue
        seen.add(key)
        chosen.append(example)
    return chosen


def test_examples() -> list[Example]:
    return list(examples(SQUAD1, set(split()["test_titles"])))


def abstention_examples() -> list[Example]:
    return list(examples(SQUAD2, set(ABSTENTION_TITLES)))
