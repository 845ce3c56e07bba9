"""The vector index: exact up to a size, then IVF with 8-bit codes whose recall is checked."""

import numpy as np

from index import vectors as vectors_module
from index.library import Library
from index.vectors import VectorIndex, cells_for, probes_for
from tests.conftest import SAMPLE, FakeEmbedder


def clustered_unit_vectors(rng, count, dimension, clusters=300, spread=0.35, queries=0):
    """Points around random centres, as sentence embeddings are (topics, near-duplicates),
    and `queries` more points drawn around the same centres."""
    centres = rng.standard_normal((clusters, dimension)).astype(np.float32)
    centres /= np.linalg.norm(centres, axis=1, keepdims=True)
    points = centres[rng.integers(0, clusters, count + queries)]
    points += spread * rng.standard_normal(points.shape).astype(np.float32) / np.sqrt(dimension)
    points /= np.linalg.norm(points, axis=1, keepdims=True)
    return (points[:count], points[count:]) if queries else points


def test_small_indexes_are_exact_and_large_ones_approximate(monkeypatch):
    monkeypatch.setattr(vectors_module, "EXACT_UP_TO", 1000)
    rng = np.random.default_rng(3)
    small = VectorIndex.build(16, np.arange(1000), clustered_unit_vectors(rng, 1000, 16))
    large = VectorIndex.build(16, np.arange(5000), clustered_unit_vectors(rng, 5000, 16))
    assert small.is_exact and small.describe() == "exact (IndexFlatIP)"
    cells = cells_for(5000)
    assert not large.is_exact and large.describe() == f"IVF{cells},SQfp16 nprobe={probes_for(cells)}"
    assert small.suits_its_size() and large.suits_its_size()


def test_approximate_search_recalls_98_percent_of_the_exact_top_10(monkeypatch):
    monkeypatch.setattr(vectors_module, "EXACT_UP_TO", 1000)
    rng = np.random.default_rng(11)
    vectors, queries = clustered_unit_vectors(rng, 20_000, 32, queries=100)
    ids = rng.permutation(100_000)[:20_000] + 7  # sparse, shuffled external ids
    index = VectorIndex.build(32, ids, vectors)
    assert not index.is_exact
    index.remove(list(ids[:500]))
    found = 0
    for query in queries:
        expected = set(ids[500:][np.argsort(-(vectors[500:] @ query))[:10]])
        found += len(expected & {i for i, _ in index.search(query, 10)})
    assert found / (10 * len(queries)) >= 0.98


def test_an_approximate_index_survives_save_and_load(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors_module, "EXACT_UP_TO", 1000)
    rng = np.random.default_rng(5)
    vectors = clustered_unit_vectors(rng, 3000, 16)
    index = VectorIndex.build(16, np.arange(3000) + 1, vectors)
    index.save(tmp_path / "v.faiss")
    loaded = VectorIndex.load(tmp_path / "v.faiss", 16)
    assert loaded.describe() == index.describe() and len(loaded) == 3000
    assert loaded.search(vectors[42], 1)[0][0] == 43


def test_the_library_switches_kind_by_size_and_records_it(tmp_path, monkeypatch):
    monkeypatch.setattr(vectors_module, "EXACT_UP_TO", 10)
    library = Library(tmp_path / "index", FakeEmbedder())
    library.ingest([SAMPLE])  # 13 passages: past the limit, so rebuilt as IVF
    assert not library.vectors.is_exact
    assert library.store.meta()["vector_index"] == library.vectors.describe()
    query = library.embedder.encode(["Zhao Lijian told reporters"])[0]
    assert library.vectors.search(query, 1)
    library.close()
    reopened = Library(tmp_path / "index", FakeEmbedder())
    assert reopened.vectors.describe() == library.vectors.describe()
    monkeypatch.setattr(vectors_module, "EXACT_UP_TO", 100)
    reopened.forget(reopened.articles()[0].article_id)
    assert reopened.vectors.is_exact and reopened.store.meta()["vector_index"] == "exact (IndexFlatIP)"
