"""The training helpers: gold spans located in stored text, the split by authority, the reader's
batches and targets, the embedder's pairs, and the resumable training run."""

import json
import sys
from pathlib import Path

import pytest

sys.path.insert(0, str(Path(__file__).resolve().parents[1] / "training"))

import ofsted_questions as oq  # noqa: E402
import torch  # noqa: E402
import train_embedder  # noqa: E402
import train_reader  # noqa: E402
from steps import Run  # noqa: E402

from qa.answer.span import SpanTokenizer  # noqa: E402
from qa.indexing.embed import resolve_model  # noqa: E402
from qa.types import Document  # noqa: E402

TEXT = ("Leaders’ decision-making is strong.\nThe local authority’s “front door” is timely.\n"
        "Later, the front door is timely again.")


def test_a_gold_span_is_found_after_folding_and_mapped_back_to_the_text():
    locator = oq.Locator(Document("d", "t", None, "s", "0", TEXT))
    start, end = locator.find("the local authority's \"front door\"")
    assert TEXT[start:end] == "The local authority’s “front door"
    start, end = locator.find("decisionmaking")  # a hyphen lost at a line end in the question set
    assert TEXT[start:end] == "decision-making"
    assert locator.find("front door is timely", near=len(TEXT))[0] > TEXT.index("Later")
    assert locator.find("not in the text") is None and locator.find("...") is None


def test_the_held_out_authorities_are_a_stable_fifth():
    items = [{"file": f"text_inspections/{n}_authority{n}/report.txt"} for n in range(400)]
    held = [oq.held_out(item) for item in items]
    assert held == [oq.held_out(item) for item in items]
    assert 0.12 < sum(held) / len(held) < 0.28


@pytest.fixture(scope="module")
def tokenizer():
    return SpanTokenizer(Path(resolve_model("all-MiniLM-L6-v2")) / "tokenizer.json")


def test_no_answer_passages_target_cls_and_answers_their_tokens(tokenizer):
    passage = "Inspectors met Jane Smith, the director."
    records = [train_reader.Record("Who is the director?", passage, passage.index("Jane"), passage.index(",")),
               train_reader.Record("Who is the director?", "Nothing here.", None, None)]
    (window, start, end), (_, none_start, none_end) = train_reader.features(tokenizer, records)
    assert (none_start, none_end) == (0, 0)
    assert passage[window.starts[start]:window.ends[end]] == "Jane Smith"


def test_an_epoch_uses_every_row_once_in_batches_of_similar_length(tokenizer):
    records = [train_reader.Record("Why?", "word " * (1 + n % 90), None, None) for n in range(500)]
    rows = train_reader.features(tokenizer, records)
    plan = train_reader.batches(rows, 16, seed=3)
    assert sorted(i for batch in plan for i in batch) == list(range(len(rows)))
    assert all(len(batch) <= 16 for batch in plan)
    spread = [max(len(rows[i][0].ids) for i in b) - min(len(rows[i][0].ids) for i in b) for b in plan]
    assert sum(spread) / len(spread) < 20  # random batches of this data spread about 80 tokens
    assert plan != train_reader.batches(rows, 16, seed=4)


def test_an_answer_said_to_be_wrong_is_the_span_labelled_wrong():
    import fit_scorer

    from qa.answer.read import Candidate

    document = Document("r", "R", None, "r.txt", "x", "one two three four", ())
    spans = [Candidate(document, 0, 0, 3, None), Candidate(document, 0, 8, 13, None)]
    wrong = [{"doc_id": "r", "doc_start": 9, "doc_end": 12}]
    assert fit_scorer.said_wrong(spans, wrong) == [spans[1]]
    assert fit_scorer.said_wrong(spans, [{"doc_id": "other", "doc_start": 0, "doc_end": 5}]) == []
    assert oq.authority({"file": "text_inspections/80432_bolton/x.txt"}) == "80432_bolton"
    assert oq.authority({"file": "004_report.txt"}) == "004_report.txt"


def test_the_embedder_pairs_a_question_with_its_best_ranked_answer_and_hardest_negatives(tmp_path):
    rows = [
        {"id": "q1", "search": "who leads?", "passage": "stored chunk", "rank": -1, "start": 0, "end": 3},
        {"id": "q1", "search": "who leads?", "passage": "negative two", "rank": 2, "start": None, "end": None},
        {"id": "q1", "search": "who leads?", "passage": "the answer", "rank": 3, "start": 4, "end": 10},
        {"id": "q1", "search": "who leads?", "passage": "negative one", "rank": 0, "start": None, "end": None},
        {"id": "q1", "search": "who leads?", "passage": "negative three", "rank": 5, "start": None, "end": None},
        {"id": "q2", "search": "unanswerable?", "passage": "anything", "rank": 0, "start": None, "end": None},
    ]
    data = tmp_path / "passages.jsonl"
    data.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    assert train_embedder.pairs(data, 2) == [
        train_embedder.Pair("who leads?", "the answer", ("negative one", "negative two"))]


def test_a_run_saves_its_checkpoint_and_a_new_one_resumes_from_it(tmp_path, capsys):
    def step(run: Run) -> None:
        run.update(((model(torch.ones(1, 2)) - 1.0) ** 2).sum())

    torch.manual_seed(0)
    model = torch.nn.Linear(2, 1)
    run = Run(model, tmp_path, total=10, lr=0.1, log_every=2, save_every=100, stop=3)
    while run.running:
        step(run)
    assert run.step == 3 and (tmp_path / "checkpoint.pt").exists()
    assert "step 2/10" in capsys.readouterr().out
    weights = model.weight.detach().clone()
    again = torch.nn.Linear(2, 1)
    resumed = Run(again, tmp_path, total=10, lr=0.1)
    assert resumed.step == 3 and torch.equal(again.weight, weights)
    assert resumed.schedule.last_epoch == run.schedule.last_epoch
    while resumed.running:
        step(resumed)
    assert resumed.step == 10


def test_the_shipped_int8_reader_is_recovered_as_float_weights_that_read_alike(tmp_path, tokenizer):
    import argparse

    import numpy as np
    import onnxruntime

    from qa.answer.span import batch

    train_reader.recover(argparse.Namespace(model=train_reader.MODEL_DIR, out=tmp_path))
    model = train_reader.SpanModel(resolve_model(train_reader.BASE))
    model.load_state_dict(torch.load(tmp_path / "recovered.pt")["model"])
    model.eval()
    passage = "The service has been led by Jane Smith, the director of children's services, since 2019."
    inputs = batch(tokenizer.windows("Who leads the service?", passage))
    with torch.no_grad():
        starts, ends = model(**{name: torch.from_numpy(values) for name, values in inputs.items()})
    session = onnxruntime.InferenceSession(str(train_reader.MODEL_DIR / "reader.onnx"))
    shipped = session.run(["start_logits", "end_logits"], inputs)
    # The int8 file also rounds its activations; the weights are the same.
    assert np.abs(starts.numpy() - shipped[0]).max() < 1.5 and np.abs(ends.numpy() - shipped[1]).max() < 1.5
    assert int(starts[0].argmax()) == int(shipped[0][0].argmax())
    assert int(ends[0].argmax()) == int(shipped[1][0].argmax())
