"""BM25 over chunks, reciprocal rank fusion, and follow-up questions' lexical context."""

import numpy as np

from qa.answer.query import understand
from qa.answer.retrieve import fuse
from qa.indexing.bm25 import LexicalIndex

CHUNKS = [
    "Children in care are visited regularly by their social workers.",
    "The LADO responds quickly to allegations against professionals who work with children.",
    "Children and families receive help from the early help service.",
    "Workloads for social workers in Dudley remain high, and children experience changes of worker.",
]


def index() -> LexicalIndex:
    return LexicalIndex.of((100 + n, text) for n, text in enumerate(CHUNKS))


def test_rare_words_rank_their_chunk_first():
    assert index().search("What did inspectors say about the LADO?", 3)[0][0] == 101
    assert index().search("workloads in Dudley", 3)[0][0] == 103


def test_only_chunks_with_a_question_word_are_returned_best_first():
    results = index().search("social workers", 10)
    assert [cid for cid, _ in results] == [100, 103] or [cid for cid, _ in results] == [103, 100]
    assert all(score > 0 for _, score in results)
    assert results[0][1] >= results[1][1]


def test_allowed_ids_restrict_the_search():
    assert [cid for cid, _ in index().search("social workers", 10, np.array([103]))] == [103]
    assert index().search("LADO", 10, np.array([100, 102])) == []


def test_unknown_and_stop_words_find_nothing():
    assert index().search("zebra xylophone", 5) == []
    assert index().search("what is the", 5) == []
    assert LexicalIndex.of([]).search("children", 5) == []


def test_fusion_rewards_agreement_between_rankings():
    assert fuse([[1, 2, 3], [4, 2, 5]])[0] == 2  # second in both beats first in one
    assert set(fuse([[1], [4]])) == {1, 4}


def test_follow_ups_carry_the_earlier_question():
    history = ["What did the 2012 report say about domestic abuse referrals?"]
    assert understand("And school attendance?", history).with_context == f"And school attendance? {history[0]}"
    assert understand("How do staff find supervision in Worcestershire?", history).with_context == \
        "How do staff find supervision in Worcestershire?"
    assert understand("And school attendance?", []).with_context == "And school attendance?"
