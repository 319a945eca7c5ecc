"""The answer scorer: the shipped logistic weights, their threshold, and refusing a broken file."""

import json

import numpy as np
import pytest

from qa.config import Settings
from qa.errors import ConfigError
from qa.read import CHEAP, FEATURES, SCORER, Scorer


def test_the_shipped_scorer_and_the_default_threshold_agree():
    data = json.loads(SCORER.read_text())
    assert set(data["weights"]) == set(FEATURES) and CHEAP == FEATURES[1:]
    assert Settings().threshold == data["threshold"]
    assert data["out_of_fold"]["false_abstain"] <= 0.05


def test_more_similar_sentences_holding_more_of_the_question_score_higher():
    scorer = Scorer.load()
    base = np.array([[0.3, 0.4, 0.2, 0.5, 0.0, 0.5, 0.0]])
    closer, covering, unnamed = base.copy(), base.copy(), base.copy()
    closer[0, 0], covering[0, 2], unnamed[0, 4] = 0.7, 0.9, 1.0
    probability = scorer.probability(np.concatenate([base, closer, covering, unnamed]))
    assert np.all((probability > 0) & (probability < 1))
    assert probability[1] > probability[0] and probability[2] > probability[0] and probability[3] < probability[0]
    # The cheap logits leave the similarity out, so they can rank sentences before they are embedded.
    assert scorer.cheap_logits(closer) == pytest.approx(scorer.cheap_logits(base))


@pytest.mark.parametrize("content", ["", "{", '{"weights": {"similarity": 1}, "bias": 0}',
                                     '{"weights": [], "bias": 0}'])
def test_a_broken_scorer_file_is_a_clear_error(tmp_path, content):
    path = tmp_path / "scorer.json"
    path.write_text(content)
    with pytest.raises(ConfigError, match="answer scorer"):
        Scorer.load(path)
    with pytest.raises(ConfigError, match="answer scorer"):
        Scorer.load(tmp_path / "missing.json")
