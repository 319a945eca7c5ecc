import json

import pytest

from qa.errors import QAError
from qa.evaluate import (
    best,
    evidence_key,
    exact_match,
    f1_score,
    fold,
    load_questions,
    reliability,
    risk_coverage,
    summarise,
)
from tests.conftest import SHARED

SQUAD = SHARED / "benchmarks" / "squad_v1.1_dev"


def test_f1_and_exact_match_follow_squad_normalisation():
    assert exact_match("The Denver Broncos!", "denver broncos") == 1.0
    assert f1_score("the cat sat", "a cat sat down") == pytest.approx(2 * (2 / 2) * (2 / 3) / (2 / 2 + 2 / 3))
    assert f1_score("", "anything") == 0.0


def test_folding_and_evidence_ignore_quotes_dashes_and_line_breaks():
    assert fold("Children’s “good” – work") == "children's \"good\" - work"
    assert evidence_key("decision-\nmaking, children’s") == evidence_key("decision making childrens")


@pytest.mark.skipif(not SQUAD.exists(), reason="needs ../shared/benchmarks")
@pytest.mark.parametrize("system, em, f1", [
    ("Logistic Regression Baseline (Stanford University)", 40.1, 51.0),
    ("Match-LSTM with Ans-Ptr (Boundary+Ensemble) (Singapore Management University)", 67.6, 76.8),
])
def test_metric_reproduces_published_squad_scores(system, em, f1):
    data = json.loads((SQUAD / "dev-v1.1.json").read_text())
    predictions = json.loads((SQUAD / "reference_predictions" / f"{system}.json").read_text())
    scores = []
    for article in data["data"]:
        for paragraph in article["paragraphs"]:
            for question in paragraph["qas"]:
                golds = [answer["text"] for answer in question["answers"]]
                prediction = predictions.get(question["id"], "")
                scores.append((best(exact_match, prediction, golds), best(f1_score, prediction, golds)))
    assert round(100 * sum(s[0] for s in scores) / len(scores), 1) == em
    assert round(100 * sum(s[1] for s in scores) / len(scores), 1) == f1


def test_question_file_errors_name_the_line(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "ok?"}\n{broken\n')
    with pytest.raises(QAError, match="q.jsonl:2: not valid JSON"):
        load_questions(path)


def test_questions_without_answers_count_as_unanswerable(tmp_path):
    path = tmp_path / "q.jsonl"
    path.write_text('{"question": "a?", "answers": ["x"]}\n\n{"question": "b?", "unanswerable": true}\n')
    items = load_questions(path)
    assert [item["unanswerable"] for item in items] == [False, True]
    assert items[0]["history"] == []


def test_summary_counts_abstentions_separately():
    records = [
        {"unanswerable": False, "answered": True, "hit1": True, "hit3": True, "contains1": True, "right1": True,
         "right_report": True, "right_answer": True, "f1": 1.0, "integrity": True, "took_ms": 10.0},
        {"unanswerable": False, "answered": False, "hit1": False, "hit3": False, "contains1": False, "right1": False,
         "right_report": False, "right_answer": False, "f1": 0.0, "integrity": True, "took_ms": 30.0},
        {"unanswerable": True, "answered": True, "right_answer": False, "integrity": True, "took_ms": 20.0},
        {"unanswerable": True, "answered": False, "right_answer": False, "integrity": True, "took_ms": 20.0},
    ]
    summary = summarise(records)
    assert summary["hit@1"] == 0.5 and summary["false_abstain"] == 0.5 and summary["abstain"] == 0.5
    assert summary["right@1"] == 0.5 and summary["report@1"] == 0.5
    # Two questions were answered, one of them rightly (an unanswerable question answered is wrong).
    assert summary["answers_right"] == 0.5
    assert summary["p50_ms"] == 20.0


def test_risk_coverage_counts_wrong_answers_among_those_given():
    records = [
        {"unanswerable": False, "candidate_right": True, "score": 0.9},
        {"unanswerable": False, "candidate_right": False, "score": 0.6},
        {"unanswerable": True, "score": 0.5},
        {"unanswerable": True, "score": None},
    ]
    low, middle, high = risk_coverage(records, [0.0, 0.55, 0.95])
    assert (low["coverage"], low["risk"], low["abstain"], low["false_abstain"]) == (0.75, 0.667, 0.5, 0.0)
    assert (middle["coverage"], middle["risk"], middle["abstain"]) == (0.5, 0.5, 1.0)
    assert (high["coverage"], high["risk"], high["false_abstain"]) == (0.0, 0.0, 1.0)


def test_reliability_compares_each_bins_mean_score_with_its_share_right():
    records = ([{"unanswerable": False, "candidate_right": True, "score": 0.95}] * 3
               + [{"unanswerable": False, "candidate_right": False, "score": 0.95}]
               + [{"unanswerable": True, "score": 0.15}] * 4 + [{"unanswerable": True, "score": None}])
    rows, error = reliability(records)
    assert len(rows) == 10 and rows[9] == {"bin": "0.9-1.0", "questions": 4, "score": 0.95, "right": 0.75}
    assert rows[1]["questions"] == 4 and rows[1]["right"] == 0.0 and rows[5]["questions"] == 0
    assert error == pytest.approx(0.5 * 0.2 + 0.5 * 0.15, abs=1e-3)


def test_a_question_known_only_by_a_wrong_answer_is_not_unanswerable(tmp_path, seeds_qa):
    from qa.evaluate import evaluate

    answer = seeds_qa.ask("How were referrals relating to domestic abuse dealt with?").answers[0].citation
    wrong = {"doc_id": answer.doc_id, "doc_start": answer.doc_start, "doc_end": answer.doc_end}
    path = tmp_path / "feedback.jsonl"
    path.write_text(json.dumps({"question": "How were referrals relating to domestic abuse dealt with?",
                                "answers": [], "unanswerable": False, "wrong": [wrong]}) + "\n"
                    + json.dumps({"question": "Who won the 2022 World Cup?"}) + "\n")
    items = load_questions(path)
    assert [(item["negative"], item["unanswerable"]) for item in items] == [(True, False), (False, True)]
    result = evaluate(seeds_qa, items)
    # The wrong answer comes back; it is counted there and nowhere else.
    assert result["summary"]["wrong_again"] == 1.0 and result["summary"]["questions"] == 1
    assert len(result["negatives"]) == 1


def test_tidy_and_noisy_scorecards_are_printed_side_by_side():
    from qa.evaluate import format_by_style, format_side_by_side

    tidy = {"summary": {"questions": 2, "right@1": 0.5}}
    noisy = {"summary": {"questions": 2, "right@1": 0.25}}
    lines = format_side_by_side({"tidy": tidy, "noisy": noisy}).splitlines()
    assert lines[0].split() == ["tidy", "noisy"] and lines[2].split() == ["right@1", "0.5", "0.25"]
    records = [{"style": "typo", "unanswerable": False, "right1": True, "answered": True},
               {"style": "typo", "unanswerable": True, "answered": False},
               {"style": "terse", "unanswerable": False, "right1": False, "answered": True}]
    rows = format_by_style(records).splitlines()
    assert rows[1].split() == ["terse", "1", "0.000", "-"] and rows[2].split() == ["typo", "2", "1.000", "1.000"]


def test_qa_eval_scores_a_file_as_written_and_as_people_type_it(tmp_path, seeds_qa):
    import subprocess
    import sys

    path = tmp_path / "q.jsonl"
    path.write_text(json.dumps({"id": "a", "question": "Who is the director of children's services in Worcestershire?",
                                "answers": ["Tina Russell"]}) + "\n")
    settings = seeds_qa.settings
    done = subprocess.run([sys.executable, "-m", "qa.cli", "eval", str(path), "--json", "--corpus",
                           str(settings.corpus), "--index", str(settings.index)],
                          capture_output=True, text=True, timeout=300)
    assert done.returncode == 0, done.stderr
    result = json.loads(done.stdout)
    assert set(result) == {"tidy", "noisy"}
    assert result["noisy"]["questions"][0]["question"] != result["tidy"]["questions"][0]["question"]
    assert result["tidy"]["summary"]["right@1"] == 1.0
