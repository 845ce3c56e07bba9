"""The SQLite store on its own: word counts kept at every write, sentence vectors and old indexes."""

import sqlite3

import numpy as np
import pytest

from index.articles import Article
from index.passages import passages_of, word_stems
from index.store import EmbeddedPassage, Store

DIMENSION = 8


def embedded(article: Article, seed: int = 0) -> list[EmbeddedPassage]:
    rng = np.random.default_rng(seed)
    passages = passages_of(article, lambda text: len(text.split()), 200)
    return [
        EmbeddedPassage(p, rng.standard_normal(DIMENSION).astype(np.float32),
                        rng.standard_normal((len(p.sentence_spans), DIMENSION)).astype(np.float32))
        for p in passages
    ]


HARBOUR = Article("Harbour reopens", (
    "The harbour reopened on Monday after the storm. Fishing boats launched at dawn.",
    "The mayor said the launch of the new ferry is delayed.",
    "Tourists returned to the harbour cafés.",
), source="harbour.txt")
ORCHARD = Article("Orchard harvest", (
    "Apple growers launched the harvest early this year.",
    "A late frost spared the orchard on the hill.",
), source="orchard.txt")


def matched(store: Store, word: str) -> int:
    """What the counts stand for: passages a MATCH on the word finds in text or context."""
    return store._db.execute(
        "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?",
        ('{text context} : "' + word + '"',),
    ).fetchone()[0]


@pytest.fixture
def store(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    store.set_meta(model_dimension=str(DIMENSION))
    store.replace_article(HARBOUR, embedded(HARBOUR))
    store.replace_article(ORCHARD, embedded(ORCHARD, seed=1))
    yield store
    store.close()


WORDS = ["harbour", "launched", "launches", "launch", "ferry", "orchard", "cafes", "Monday", "zeppelin"]


def test_word_counts_equal_what_a_match_finds_stemmed_and_unseen_words_included(store):
    counts = store.term_document_counts(WORDS)
    assert counts == {word: matched(store, word) for word in WORDS}
    assert counts["launched"] == counts["launch"] == 3  # porter stems meet
    assert counts["cafes"] == 1  # diacritics removed, as in FTS5
    assert counts["zeppelin"] == 0


def test_word_counts_stay_right_when_the_cache_of_word_tokens_fills_up(store, monkeypatch):
    monkeypatch.setattr("index.term_counts._CACHED_WORDS", 4)
    expected = {word: matched(store, word) for word in WORDS}
    for start in range(len(WORDS)):
        question = WORDS[start:start + 3]
        assert store.term_document_counts(question) == {w: expected[w] for w in question}


def test_word_counts_follow_replaced_and_deleted_articles(store):
    changed = Article(HARBOUR.title, ("The harbour stays shut; no ferry today.",), source="harbour.txt")
    store.replace_article(changed, embedded(changed))
    assert store.term_document_counts(WORDS) == {word: matched(store, word) for word in WORDS}
    store.delete_article(ORCHARD.article_id)
    counts = store.term_document_counts(WORDS)
    assert counts == {word: matched(store, word) for word in WORDS}
    assert counts["orchard"] == counts["launched"] == 0
    left = store._db.execute("SELECT count(*) FROM term_counts WHERE passages <= 0").fetchone()[0]
    assert left == 0


def test_a_word_fts5_splits_in_two_gets_the_smaller_count(store):
    assert store.term_document_counts(["harbour_ferry", "__"]) == {"harbour_ferry": 1, "__": 0}


def test_sentence_vectors_of_a_new_index_are_float16_and_read_back_as_float32(store):
    assert store.meta()["sentence_vector_type"] == "float16"
    written = embedded(HARBOUR)
    ids = store.passage_ids_of(HARBOUR.article_id)
    read = store.passages(ids)
    for passage_id, expected in zip(sorted(ids), written, strict=True):
        matrix = read[passage_id].sentence_vectors
        assert matrix.dtype == np.float32
        np.testing.assert_allclose(matrix, expected.sentence_vectors, rtol=1e-3, atol=1e-3)
        np.testing.assert_array_equal(read[passage_id].vector, expected.vector)


def test_an_index_made_before_word_counts_and_float16_opens_with_both_right(tmp_path):
    path = tmp_path / "store.sqlite"
    store = Store(path)
    store.set_meta(model_dimension=str(DIMENSION))
    store.replace_article(HARBOUR, embedded(HARBOUR))
    store.close()
    written = embedded(HARBOUR)
    old = sqlite3.connect(path)  # as the previous version left it: float32, no counts
    old.execute("DROP TABLE term_counts")
    old.execute("DELETE FROM meta WHERE key = 'sentence_vector_type'")
    for passage_id, passage in zip(range(1, len(written) + 1), written, strict=True):
        old.execute("UPDATE passages SET sentence_vectors = ? WHERE id = ?",
                    (passage.sentence_vectors.tobytes(), passage_id))
    old.commit()
    old.close()

    store = Store(path)
    assert store.meta()["sentence_vector_type"] == "float32"
    assert store.term_document_counts(WORDS) == {word: matched(store, word) for word in WORDS}
    read = store.passages(list(range(1, len(written) + 1)))
    for passage_id, passage in zip(range(1, len(written) + 1), written, strict=True):
        np.testing.assert_array_equal(read[passage_id].sentence_vectors, passage.sentence_vectors)
    store.replace_article(ORCHARD, embedded(ORCHARD, seed=1))  # still written as float32
    assert store.term_document_counts(WORDS) == {word: matched(store, word) for word in WORDS}
    orchard = store.passages_of_article(ORCHARD.article_id)
    np.testing.assert_array_equal(orchard[0].sentence_vectors, embedded(ORCHARD, seed=1)[0].sentence_vectors)
    store.close()


def test_passages_are_read_once_then_served_from_memory_until_any_process_writes(store, tmp_path):
    ids = store.passage_ids_of(HARBOUR.article_id)
    first = store.passages(ids)
    assert list(first) == ids and all(store.passages(ids)[i] is first[i] for i in ids)

    other = Store(tmp_path / "store.sqlite")  # another process's connection
    other.delete_article(HARBOUR.article_id)
    other.close()
    assert store.passages(ids) == {}


def test_passages_beyond_the_memory_limit_are_read_again(store, monkeypatch):
    monkeypatch.setattr("index.store_memory.CACHED_PASSAGES", 2)
    ids = store.passage_ids_of(HARBOUR.article_id) + store.passage_ids_of(ORCHARD.article_id)
    assert len(ids) > 2
    assert list(store.passages(ids)) == ids
    assert [p.passage_id for p in store.passages(ids[:1]).values()] == ids[:1]


def test_a_passage_knows_the_stems_of_each_sentence_of_all_and_of_its_context(tmp_path):
    store = Store(tmp_path / "store.sqlite")
    store.set_meta(model_dimension=str(DIMENSION))
    quote = Article("Ferry talks", (
        "The ferry union met the mayor.",
        "\"We will strike,\" he told reporters. Talks resume Friday.",
    ), source="quote.txt")
    store.replace_article(quote, embedded(quote))
    first, second = store.passages_of_article(quote.article_id)
    assert second.sentence_words[1] == frozenset(word_stems("Talks resume Friday."))
    assert second.stems == second.sentence_words[0] | second.sentence_words[1]
    assert second.context and second.words == second.stems | set(word_stems("The ferry union met the mayor."))
    assert first.words == first.stems
    store.close()
