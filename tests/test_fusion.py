"""Fusion: weights that follow how much the question's words help, and article evidence
added as raw cosines."""

import numpy as np

from retrieval.candidates import SIGNALS, Candidates
from retrieval.fusion import rank

# candidate 0 is the best paraphrase match (highest cosine), candidate 1 the best word match
DENSE_FIRST = {"dense": 1.0, "sentence": 1.0}
WORDS_FIRST = {"keyword": 1.0, "sentence_keyword": 1.0, "phrase": 1.0}


def candidates(overlap: float, title=(0.0, 0.0, 0.0), article=(0.0, 0.0, 0.0)) -> Candidates:
    signals = {
        "dense": np.array([0.8, 0.5, 0.4]),
        "sentence": np.array([0.8, 0.5, 0.4]),
        "keyword": np.array([1.0, 9.0, 2.0]),
        "sentence_keyword": np.array([0.1, overlap, 0.2]),
        "phrase": np.array([0.0, 2.0, 0.0]),
        "title": np.array(title, dtype=float),
        "article": np.array(article, dtype=float),
    }
    return Candidates([], signals, np.zeros(0), np.zeros(0, dtype=int))


def test_a_question_whose_words_one_sentence_holds_ranks_by_words_and_a_paraphrase_by_meaning():
    assert rank(candidates(overlap=1.0), DENSE_FIRST, WORDS_FIRST, {}).order[0] == 1
    assert rank(candidates(overlap=0.2), DENSE_FIRST, WORDS_FIRST, {}).order[0] == 0


def test_the_weights_mix_linearly_with_the_overlap():
    half = rank(candidates(overlap=0.5), DENSE_FIRST, WORDS_FIRST, {})
    mixed = {name: 0.5 * DENSE_FIRST.get(name, 0.0) + 0.5 * WORDS_FIRST.get(name, 0.0) for name in SIGNALS}
    alone = rank(candidates(overlap=0.5), mixed, mixed, {})
    assert np.allclose(half.fused, alone.fused)


def test_article_evidence_is_added_as_a_raw_cosine_so_a_flat_one_changes_nothing():
    plain = rank(candidates(overlap=0.2), DENSE_FIRST, WORDS_FIRST, {})
    # every candidate's article nearly alike: a z-score would blow 0.001 up to a full unit
    flat = rank(candidates(overlap=0.2, title=(0.30, 0.301, 0.30)), DENSE_FIRST, WORDS_FIRST, {"title": 3.0})
    assert list(flat.order) == list(plain.order)
    # a clearly better article lifts its passage
    lifted = rank(candidates(overlap=0.2, title=(0.1, 0.9, 0.1)), DENSE_FIRST, WORDS_FIRST, {"title": 3.0})
    assert lifted.order[0] == 1
