"""The index directory: dedup, incremental re-ingest, forget, atomic writes, model checks."""

import os
import signal
import sqlite3
import subprocess
import sys
import time

import numpy as np
import pytest

from index.errors import DamagedIndex, ModelMismatch, UnknownArticle
from index.library import Library
from index.vectors import VectorIndex
from tests.conftest import ROOT, SAMPLE, FakeEmbedder


def stored_paragraphs(library, article_id):
    return [p.passage.text for p in library.store.passages_of_article(article_id)]


def test_every_fixture_format_is_indexed_with_citations(fake_library, articles_dir):
    report = fake_library.ingest([articles_dir])
    assert report.errors == []
    assert len(report.added) == 5
    titles = {a.title for a in fake_library.articles()}
    assert "Mountain observatory spots a new comet" in titles
    assert "Library extends opening hours" in titles
    rail = fake_library.find_article("Rail strike suspended after overnight talks")
    [first, second] = fake_library.store.passages_of_article(rail.article_id)
    assert second.passage.citation.paragraph == 2
    assert second.passage.citation.url == "https://news.example.com/rail-strike"
    assert second.passage.citation.published == "2024-03-02"


def test_the_same_article_ingested_twice_is_stored_once(fake_library, tmp_path):
    copy = tmp_path / "copy-of-sample.txt"
    copy.write_bytes(SAMPLE.read_bytes())
    fake_library.ingest([SAMPLE])
    again = fake_library.ingest([SAMPLE, copy])
    assert again.added == [] and again.passages_embedded == 0
    assert len(again.unchanged) == 1 and again.duplicates == [str(copy.resolve())]
    assert len(fake_library.articles()) == 1
    assert len(fake_library.vectors) == 13


def test_reingesting_a_changed_article_replaces_it_and_embeds_only_changed_paragraphs(
    fake_library, tmp_path
):
    path = tmp_path / "story.txt"
    path.write_text("Story\n\nFirst paragraph stays.\n\nSecond paragraph stays.\n\nThird will change.")
    fake_library.ingest([path])
    path.write_text("Story\n\nFirst paragraph stays.\n\nSecond paragraph stays.\n\nThird has changed.")
    report = fake_library.ingest([path])
    assert len(report.replaced) == 1
    assert (report.passages_embedded, report.passages_reused) == (1, 2)
    [article] = fake_library.articles()
    assert stored_paragraphs(fake_library, article.article_id)[-1] == "Third has changed."
    assert len(fake_library.vectors) == 3
    hit = fake_library.vectors.search(fake_library.embedder.encode(["Third has changed."])[0], 1)
    assert fake_library.store.passages([hit[0][0]])[hit[0][0]].passage.text == "Third has changed."


def test_the_keyword_index_is_merged_into_one_piece_after_an_ingest(fake_library, articles_dir, tmp_path):
    for path in sorted(articles_dir.iterdir()):
        fake_library.ingest([path])  # one FTS5 segment or more per ingest before merging
    assert fake_library.store.keyword_index_segments() == 1
    assert fake_library.store.keyword_search('"comet"', 5, (1.0, 0.6, 0.2), None)


def test_forget_removes_an_article_from_store_keyword_and_vector_search(fake_library, articles_dir):
    fake_library.ingest([articles_dir])
    comet = fake_library.find_article("observatory.html")
    before = len(fake_library.vectors)
    fake_library.forget(comet.article_id)
    assert comet.article_id not in {a.article_id for a in fake_library.articles()}
    assert len(fake_library.vectors) == before - 3
    assert fake_library.store.keyword_search('"comet"', 10, (1, 1, 1), None) == []
    with pytest.raises(UnknownArticle, match="no indexed article matches"):
        fake_library.forget(comet.article_id)


def test_articles_are_found_by_id_exact_title_or_file_name(fake_library, articles_dir):
    fake_library.ingest([articles_dir])
    by_file = fake_library.find_article("harbour.txt")
    assert fake_library.find_article(by_file.article_id) == by_file
    assert fake_library.find_article("harbour bridge reopens after two years of repairs") == by_file


def test_an_interrupted_ingest_keeps_the_previous_index_complete(tmp_path, articles_dir):
    class InterruptedEmbedder(FakeEmbedder):
        def encode(self, texts, batch_size=32, progress=False):
            if self.calls >= 1:
                raise KeyboardInterrupt
            return super().encode(texts)

    directory = tmp_path / "index"
    library = Library(directory, FakeEmbedder())
    library.ingest([SAMPLE])
    library.close()

    library = Library(directory, InterruptedEmbedder())
    library.embedder.calls = 1
    with pytest.raises(KeyboardInterrupt):
        library.ingest([articles_dir])
    library.close()

    reopened = Library(directory, FakeEmbedder())
    assert [a.title for a in reopened.articles()] == [
        "Biden and Xi to talk on phone as US presses China over Russia"
    ]
    assert len(reopened.vectors) == reopened.store.count_passages() == 13


def test_a_killed_ingest_process_leaves_a_loadable_index(tmp_path):
    """SIGKILL mid-ingest: every article committed before the kill is whole; nothing is half."""
    directory = tmp_path / "index"
    corpus = tmp_path / "corpus"
    corpus.mkdir()
    for i in range(400):
        body = "\n\n".join(f"Article {i} paragraph {j} about topic {i * j}." for j in range(10))
        (corpus / f"a{i:03}.txt").write_text(f"Article {i}\n\n{body}")
    script = (
        "import sys; sys.path[:0] = [sys.argv[1], sys.argv[1] + '/tests'];"
        "from pathlib import Path; from conftest import FakeEmbedder;"
        "import index.library as L; L.EMBED_BATCH_PASSAGES = 10;"
        "L.Library(Path(sys.argv[2]), FakeEmbedder()).ingest([Path(sys.argv[3])])"
    )
    process = subprocess.Popen([sys.executable, "-c", script, str(ROOT), str(directory), str(corpus)])
    deadline = time.time() + 60
    while time.time() < deadline:
        time.sleep(0.2)
        store = directory / "store.sqlite"
        if store.exists() and _article_count(store) >= 20:
            break
    os.kill(process.pid, signal.SIGKILL)
    process.wait()
    with sqlite3.connect(directory / "store.sqlite") as db:  # each article with its vectors, always
        assert db.execute(
            "SELECT count(*) FROM articles WHERE title_vector IS NULL OR centroid IS NULL").fetchone()[0] == 0

    library = Library(directory, FakeEmbedder())
    articles = library.articles()
    assert 20 <= len(articles) < 400
    assert all(a.paragraphs == 10 for a in articles)
    assert len(library.vectors) == library.store.count_passages() == 10 * len(articles)
    report = library.ingest([corpus])  # finishing the job embeds only what is missing
    assert len(report.unchanged) == len(articles) and len(library.articles()) == 400


def _article_count(store) -> int:
    try:
        with sqlite3.connect(store, timeout=0.1) as db:
            return db.execute("SELECT count(*) FROM articles").fetchone()[0]
    except sqlite3.Error:
        return 0


def test_an_index_refuses_a_different_model(tmp_path):
    directory = tmp_path / "index"
    Library(directory, FakeEmbedder()).ingest([SAMPLE])

    class OtherModel(FakeEmbedder):
        name = "other-model"
        fingerprint = "other-0002"

    with pytest.raises(ModelMismatch) as caught:
        Library(directory, OtherModel())
    message = str(caught.value)
    assert "built with fake-hash-words (64-d" in message and "this run uses other-model" in message
    assert "\n" not in message


def test_a_damaged_vector_file_is_rebuilt_from_the_store(tmp_path):
    directory = tmp_path / "index"
    library = Library(directory, FakeEmbedder())
    library.ingest([SAMPLE])
    library.close()
    [vector_file] = directory.glob("vectors-*.faiss")
    vector_file.write_bytes(b"garbage" * 100)
    reopened = Library(directory, FakeEmbedder())
    assert len(reopened.vectors) == 13
    query = reopened.embedder.encode(["Zhao Lijian told reporters"])[0]
    assert reopened.vectors.search(query, 1)[0][0] in reopened.store.passage_ids_of(
        reopened.articles()[0].article_id
    )


def test_a_damaged_store_gets_a_one_line_error(tmp_path):
    directory = tmp_path / "index"
    directory.mkdir()
    (directory / "store.sqlite").write_bytes(b"this is not a database" * 200)
    with pytest.raises(DamagedIndex) as caught:
        Library(directory, FakeEmbedder())
    assert "store.sqlite is damaged" in str(caught.value) and "\n" not in str(caught.value)


def test_faiss_search_equals_brute_force_numpy_on_random_vectors():
    rng = np.random.default_rng(7)
    vectors = rng.standard_normal((2000, 32)).astype(np.float32)
    vectors /= np.linalg.norm(vectors, axis=1, keepdims=True)
    ids = rng.permutation(10_000)[:2000] + 5  # sparse, shuffled external ids
    index = VectorIndex(32)
    index.add(ids, vectors)
    index.remove(list(ids[:100]))
    for query in rng.standard_normal((20, 32)).astype(np.float32):
        query /= np.linalg.norm(query)
        scores = vectors[100:] @ query
        expected = ids[100:][np.argsort(-scores)[:10]]
        got = index.search(query, 10)
        assert [i for i, _ in got] == list(expected)
        assert np.allclose([s for _, s in got], np.sort(scores)[::-1][:10], atol=1e-5)


def test_a_library_sees_what_another_process_indexed_without_reopening(tmp_path, minilm):
    from retrieval.search import Searcher, SearchSettings

    first, other = tmp_path / "first", tmp_path / "other"
    first.mkdir(), other.mkdir()
    (first / "harbour.txt").write_text("Harbour news\n\nThe harbour of Parnu reopened after the storm.\n")
    (other / "ferry.txt").write_text("Ferry news\n\nThe island ferry to Kihnu sails again after a strike.\n")
    serving = Library(tmp_path / "index", minilm)
    serving.ingest([first])
    searcher = Searcher(serving, SearchSettings())
    before = searcher.ask("Does the ferry to Kihnu sail again?")
    assert "Ferry news" not in [p.citation.title for p in before.passages]
    cron = Library(tmp_path / "index", minilm)  # another process: its own store connection and vectors
    cron.ingest([other])
    assert serving.passage_count == 2
    assert searcher.ask("Does the ferry to Kihnu sail again?").passages[0].citation.title == "Ferry news"
