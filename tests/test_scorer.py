"""The answer scorer: the shipped ranking and calibration, their threshold, and refusing a broken file."""

import json

import numpy as np
import pytest

from qa.answer.query import understand
from qa.answer.read import CALIBRATION, FEATURES, FRONT_PAGE, QUESTION, SCORER, Scorer, calibration_rows, question_row
from qa.config import Settings
from qa.errors import ConfigError

# A question of no particular kind: none of the QUESTION features.
PLAIN = np.zeros(len(QUESTION))


def test_the_shipped_scorer_and_the_default_threshold_agree():
    data = json.loads(SCORER.read_text())
    assert set(data["weights"]) == set(FEATURES) and set(data["calibration"]) == set(CALIBRATION)
    assert Settings().threshold == data["threshold"]
    assert data["out_of_fold"]["false_abstain"] <= 0.05
    assert set(data["front_page"]) == set(FRONT_PAGE) and all(0.0 < p <= 1.0 for p in data["front_page"].values())


def _row(**values):
    row = dict.fromkeys(FEATURES, 0.0) | {"margin": 2.0, "share": 0.5, "rank": 0.5, "similarity": 0.5}
    return np.array([(row | values)[name] for name in FEATURES])


def test_a_span_that_beats_no_answer_by_more_scores_higher():
    scorer = Scorer.load()
    weak, strong = _row(margin=-4.0, share=0.1), _row(margin=8.0, share=0.9)
    alone = [scorer.probabilities(np.array([row]), PLAIN)[0] for row in (weak, strong)]
    assert 0.0 < alone[0] < alone[1] < 1.0
    together = scorer.probabilities(np.array([weak, strong]), PLAIN)
    assert together[1] > together[0]


def test_calibration_rows_measure_the_shortfall_and_the_lead_over_the_best_other_span():
    logits = np.array([1.0, 3.0, 0.5])
    question = np.arange(len(QUESTION), dtype=float)
    rows = calibration_rows(logits, np.array([_row(margin=m) for m in (1.0, -5.0, -11.0)]), question)
    assert rows[:, 0].tolist() == logits.tolist() and rows[:, 1].tolist() == [0.0, 0.0, -3.0]
    assert rows[:, 2].tolist() == [-2.0, 2.0, -2.5]
    assert (rows[:, 3:] == question).all() and rows.shape[1] == len(CALIBRATION)
    assert calibration_rows(np.array([1.0]), np.array([_row()]), question)[0, 2] == 10.0  # a span alone


@pytest.mark.parametrize(("question", "kinds"), [
    ("Are caseloads manageable in Kent?", {"yes_no"}),
    ("Why did Kent's services decline in 2019?", {"reason", "year"}),
    ("How many children were missing from education?", {"figure", "fact"}),
    ("How does Kent keep caseloads under review?", {"reason"}),
    ("What does Kent need to improve?", {"listing"}),
])
def test_the_question_row_says_what_kind_of_question_it_is(question, kinds):
    row = question_row(understand(question, (), {"kent"}))
    assert {name for name, value in zip(QUESTION, row, strict=True) if value} == kinds


@pytest.mark.parametrize("content", ["", "{", '{"weights": {"margin": 1}, "bias": 0}',
                                     '{"weights": [], "bias": 0}'])
def test_a_broken_scorer_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "scorer.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match="answer scorer"):
        Scorer.load(path)
    with pytest.raises(ConfigError, match="answer scorer"):
        Scorer.load(tmp_path / "missing.json")


def test_a_span_without_a_figure_scores_lower_for_a_question_asking_for_one():
    scorer = Scorer.load()
    with_figure, without = _row(), _row(not_a_figure=1.0)
    assert scorer.probabilities(np.array([without]), PLAIN)[0] < scorer.probabilities(np.array([with_figure]), PLAIN)[0]


def test_the_scores_of_answers_from_lists_are_measured_shares_and_an_item_model():
    from qa.answer.from_lists import ListScores

    scores = ListScores.load()
    assert 0.5 < scores.whole <= 1.0 and 0.5 < scores.inspectors <= 1.0
    assert scores.item(0.8, 0.2) > scores.item(0.3, 0.0)
    broken = SCORER.parent / "missing.json"
    with pytest.raises(ConfigError):
        ListScores.load(broken)


def test_a_front_page_answer_scores_the_measured_share_of_its_group():
    data = json.loads(SCORER.read_text())["front_page"]
    scorer = Scorer.load()
    assert scorer.front_page("overall_effectiveness") == data["overall"]
    assert scorer.front_page("care_leavers") == scorer.front_page("lead_inspector") == data["named"]
