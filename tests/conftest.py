"""Shared fixtures: the real model (loaded once per session), a fast fake, sample articles."""

import re
import shutil
import zlib
from pathlib import Path

import numpy as np
import pytest

from index.embedder import MiniLMEmbedder
from index.library import Library

ROOT = Path(__file__).resolve().parent.parent
SAMPLE = ROOT / "data" / "articles" / "000_3cd0485b87778113.txt"
FIXTURES = Path(__file__).resolve().parent / "fixtures"


class FakeEmbedder:
    """Deterministic stand-in for unit tests: a text is the normalised sum of its words'
    hash-seeded random vectors, so texts sharing words are similar and nothing loads."""

    name = "fake-hash-words"
    dimension = 64
    fingerprint = "fake-0001"

    def __init__(self, max_tokens: int = 254):
        self.max_tokens = max_tokens
        self.calls = 0

    def count_tokens(self, text: str) -> int:
        return len(text.split())

    def encode(self, texts, batch_size=32, progress=False):
        self.calls += 1
        rows = []
        for text in texts:
            vector = np.zeros(self.dimension)
            for word in re.findall(r"\w+", text.lower()):
                seed = zlib.crc32(word.encode())
                vector += np.random.default_rng(seed).standard_normal(self.dimension)
            norm = np.linalg.norm(vector)
            rows.append(vector / norm if norm else vector)
        return np.asarray(rows, dtype=np.float32).reshape(len(texts), self.dimension)


@pytest.fixture(scope="session")
def minilm() -> MiniLMEmbedder:
    embedder = MiniLMEmbedder()
    embedder.encode(["warm up"])
    return embedder


@pytest.fixture
def fake_embedder() -> FakeEmbedder:
    return FakeEmbedder()


@pytest.fixture
def fake_library(tmp_path, fake_embedder):
    library = Library(tmp_path / "index", fake_embedder)
    yield library
    library.close()


@pytest.fixture(scope="session")
def sample_library(tmp_path_factory, minilm):
    """The sample article indexed with the real model, shared by read-only tests."""
    library = Library(tmp_path_factory.mktemp("sample") / "index", minilm)
    report = library.ingest([SAMPLE])
    assert report.added and not report.errors
    return library


@pytest.fixture
def library(tmp_path, minilm):
    """The sample article indexed with the real model, for one test (which may write to it)."""
    library = Library(tmp_path / "index", minilm)
    library.ingest([SAMPLE])
    yield library
    library.close()


@pytest.fixture
def empty_library(tmp_path, minilm):
    """An empty index with the real model, for one test."""
    library = Library(tmp_path / "index", minilm)
    yield library
    library.close()


@pytest.fixture
def only_link_local_is_private(monkeypatch):
    """The test sites run on 127.0.0.1: loopback counts as public, so that only links to
    169.254.169.254 meet the private-address rule, as they would on a server."""
    monkeypatch.setattr("feeds.fetch.is_internal", lambda address: address.startswith("169.254."))


@pytest.fixture
def articles_dir(tmp_path) -> Path:
    """A folder with one fixture article of each format."""
    folder = tmp_path / "articles"
    shutil.copytree(FIXTURES, folder)
    return folder
