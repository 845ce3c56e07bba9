"""Each article's title vector and centroid: stored at ingest, filled in an older index, read
from memory until any process writes."""

import logging
import sqlite3

import numpy as np
import pytest

from index.articles import Article
from index.embedder import MiniLMEmbedder
from index.library import Library
from index.passages import passages_of
from index.store import EmbeddedPassage
from tests.conftest import FakeEmbedder


def stored_vectors(library: Library, article_id: str) -> np.ndarray:
    return np.stack([p.vector for p in library.store.passages_of_article(article_id)])


def all_vectors(library: Library) -> dict:
    ids = [a.article_id for a in library.articles()]
    return library.article_vectors(ids)


def make_old(path) -> None:
    """The articles table as an index made before the article vectors left it."""
    old = sqlite3.connect(path)
    old.execute("DROP INDEX articles_without_vectors")
    old.execute("ALTER TABLE articles DROP COLUMN title_vector")
    old.execute("ALTER TABLE articles DROP COLUMN centroid")
    old.commit()
    old.close()


class RefusingEmbedder(FakeEmbedder):
    def encode(self, texts, batch_size=32, progress=False):
        raise AssertionError("the model was used")


def test_the_centroid_is_the_mean_of_the_stored_passage_vectors_and_the_title_its_embedding(
    fake_library, articles_dir
):
    fake_library.ingest([articles_dir])
    assert fake_library.embedder.calls == 1  # the titles went with the passages
    found = all_vectors(fake_library)
    assert len(found) == len(fake_library.articles()) == 5
    question = fake_library.embedder.encode(["Who repaired the harbour bridge?"])[0]
    for article in fake_library.articles():
        vectors = found[article.article_id]
        assert vectors.title.dtype == vectors.centroid.dtype == np.float32
        assert vectors.title.shape == vectors.centroid.shape == (FakeEmbedder.dimension,)
        np.testing.assert_array_equal(vectors.title, fake_library.embedder.encode([article.title])[0])
        passages = stored_vectors(fake_library, article.article_id)
        np.testing.assert_allclose(vectors.centroid, passages.mean(axis=0), atol=1e-6)
        assert question @ vectors.centroid == pytest.approx(float(np.mean(passages @ question)), abs=1e-6)


def test_with_the_real_model_the_title_vector_is_the_title_embedded_alone(sample_library, minilm):
    [article] = sample_library.articles()
    vectors = sample_library.article_vectors([article.article_id])[article.article_id]
    np.testing.assert_allclose(vectors.title, minilm.encode([article.title])[0], atol=1e-5)
    assert np.linalg.norm(vectors.title) == pytest.approx(1.0, abs=1e-5)
    passages = stored_vectors(sample_library, article.article_id)
    np.testing.assert_allclose(vectors.centroid, passages.mean(axis=0), atol=1e-6)
    assert np.linalg.norm(vectors.centroid) < 0.95  # a mean of unit vectors, not normalised
    question = minilm.encode(["What did Zhao Lijian say?"])[0]
    assert question @ vectors.centroid == pytest.approx(float(np.mean(passages @ question)), abs=1e-6)


def test_a_complete_index_opens_without_the_model(sample_library, fake_library, articles_dir):
    fake_library.ingest([articles_dir])
    fake_library.close()
    Library(fake_library.directory, RefusingEmbedder()).close()
    fresh = MiniLMEmbedder()
    Library(sample_library.directory, fresh).close()
    assert fresh._model is None


def test_a_replaced_article_gets_the_vectors_of_its_new_version_reused_paragraphs_included(
    fake_library, tmp_path
):
    path = tmp_path / "story.txt"
    path.write_text("Storm story\n\nFirst paragraph stays.\n\nSecond paragraph stays.\n\nThird will change.")
    fake_library.ingest([path])
    [article] = fake_library.articles()
    before = fake_library.article_vectors([article.article_id])[article.article_id]
    path.write_text(
        "Harbour story\n\nFirst paragraph stays.\n\nSecond paragraph stays.\n\nThird has changed.")
    report = fake_library.ingest([path])
    assert (report.passages_embedded, report.passages_reused) == (1, 2)
    after = fake_library.article_vectors([article.article_id])[article.article_id]
    np.testing.assert_array_equal(after.title, fake_library.embedder.encode(["Harbour story"])[0])
    np.testing.assert_allclose(after.centroid, stored_vectors(fake_library, article.article_id).mean(axis=0),
                               atol=1e-6)
    assert not np.allclose(after.title, before.title)
    assert not np.allclose(after.centroid, before.centroid)


def test_forget_removes_an_articles_vectors(fake_library, articles_dir):
    fake_library.ingest([articles_dir])
    comet = fake_library.find_article("observatory.html")
    others = [a.article_id for a in fake_library.articles() if a.article_id != comet.article_id]
    assert comet.article_id in all_vectors(fake_library)
    fake_library.forget(comet.article_id)
    assert list(fake_library.article_vectors([comet.article_id, *others])) == others
    rows = fake_library.store._db.execute("SELECT count(*) FROM articles WHERE id = ?", (comet.article_id,))
    assert rows.fetchone()[0] == 0


def test_an_index_made_before_the_article_vectors_gets_them_on_open_in_batches(
    fake_library, articles_dir, monkeypatch, caplog
):
    fake_library.ingest([articles_dir])
    written = all_vectors(fake_library)
    fake_library.close()
    make_old(fake_library.store.path)

    monkeypatch.setattr("index.article_vectors.FILL_CHUNK", 2)
    embedder = FakeEmbedder()
    with caplog.at_level(logging.INFO, logger="index"):
        reopened = Library(fake_library.directory, embedder)
    assert embedder.calls == 3  # 5 titles, 2 a call
    assert [r.message for r in caplog.records if "title vectors" in r.message] == [
        "storing the title vectors and centroids of 5 articles once (index made before them)"
    ]
    filled = all_vectors(reopened)
    assert filled.keys() == written.keys()
    for article_id, vectors in written.items():
        np.testing.assert_array_equal(filled[article_id].title, vectors.title)
        np.testing.assert_array_equal(filled[article_id].centroid, vectors.centroid)
    reopened.close()

    caplog.clear()
    with caplog.at_level(logging.INFO, logger="index"):
        Library(fake_library.directory, RefusingEmbedder()).close()  # nothing left to do
    assert caplog.records == []


def test_an_interrupted_fill_keeps_what_it_stored_and_the_next_open_finishes(
    fake_library, articles_dir, monkeypatch
):
    fake_library.ingest([articles_dir])
    written = all_vectors(fake_library)
    fake_library.close()
    make_old(fake_library.store.path)

    class InterruptedEmbedder(FakeEmbedder):
        def encode(self, texts, batch_size=32, progress=False):
            if self.calls >= 1:
                raise KeyboardInterrupt
            return super().encode(texts)

    monkeypatch.setattr("index.article_vectors.FILL_CHUNK", 2)
    with pytest.raises(KeyboardInterrupt):
        Library(fake_library.directory, InterruptedEmbedder())
    with sqlite3.connect(fake_library.store.path) as db:
        assert db.execute("SELECT count(*) FROM articles WHERE title_vector IS NOT NULL").fetchone()[0] == 2
    reopened = Library(fake_library.directory, FakeEmbedder())
    filled = all_vectors(reopened)
    for article_id, vectors in written.items():
        np.testing.assert_array_equal(filled[article_id].title, vectors.title)
        np.testing.assert_array_equal(filled[article_id].centroid, vectors.centroid)
    reopened.close()


def test_an_article_a_bare_store_wrote_without_its_title_vector_gets_it_on_open(fake_library):
    article = Article("Ferry strike", ("The ferry crews walked out.", "Talks resume Friday."), source="f.txt")
    embedder = fake_library.embedder
    embedded = [EmbeddedPassage(p, embedder.encode([p.text])[0], embedder.encode([p.text]))
                for p in passages_of(article, embedder.count_tokens, embedder.max_tokens)]
    fake_library.store.replace_article(article, embedded)
    assert fake_library.article_vectors([article.article_id]) == {}  # incomplete: left out
    fake_library.close()

    reopened = Library(fake_library.directory, FakeEmbedder())
    vectors = reopened.article_vectors([article.article_id])[article.article_id]
    np.testing.assert_array_equal(vectors.title, embedder.encode(["Ferry strike"])[0])
    np.testing.assert_allclose(vectors.centroid, np.mean([e.vector for e in embedded], axis=0), atol=1e-6)
    reopened.close()


def test_vectors_are_read_once_then_from_memory_until_another_library_writes(
    fake_library, articles_dir, tmp_path
):
    fake_library.ingest([articles_dir])
    ids = [a.article_id for a in fake_library.articles()]
    first = fake_library.article_vectors(ids)
    again = fake_library.article_vectors(ids[::-1] + ["no-such-article"])
    assert list(again) == ids[::-1] and all(again[i] is first[i] for i in ids)

    harbour = fake_library.find_article("harbour.txt")
    other = Library(fake_library.directory, FakeEmbedder())  # another process's library
    changed = Article("Harbour bridge closes again", ("Cracks were found in the new deck.",),
                      source=harbour.source)
    other.ingest_articles([changed])
    new = fake_library.article_vectors(ids)[harbour.article_id]
    np.testing.assert_array_equal(new.title, FakeEmbedder().encode([changed.title])[0])
    np.testing.assert_allclose(new.centroid, stored_vectors(fake_library, harbour.article_id).mean(axis=0),
                               atol=1e-6)

    other.forget(ids[0])
    other.close()
    assert ids[0] not in fake_library.article_vectors(ids)


def test_vectors_beyond_the_memory_limit_are_read_again(fake_library, articles_dir, monkeypatch):
    monkeypatch.setattr("index.store_memory.CACHED_ARTICLES", 2)
    fake_library.ingest([articles_dir])
    ids = [a.article_id for a in fake_library.articles()]
    assert list(fake_library.article_vectors(ids)) == ids
    assert len(fake_library.store._memory.articles) == 2
    assert list(fake_library.article_vectors(ids[:1])) == ids[:1]
