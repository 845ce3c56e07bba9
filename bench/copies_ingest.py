"""The copies corpus ingested (bench/copies.py): the product's embedder, its vectors kept on
disk, and an ingest timed with copy detection on or off."""

import json
import shutil
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.quality_common import KnownQuestions
from index import copy_groups
from index.library import Library


def load_embedder():
    from cli.opening import encoder_cache_dir
    from index.embedder import MiniLMEmbedder

    return MiniLMEmbedder(onnx_cache=encoder_cache_dir())


class CachedVectors(KnownQuestions):
    """The real embedder, each text's vector kept on disk after its first encoding, so that
    ingest timings compare what the product does besides the model."""

    def __init__(self, inner, path: Path):
        self.inner, self.path = inner, path
        self.name, self.dimension, self.fingerprint = inner.name, inner.dimension, inner.fingerprint
        self.known: dict[str, np.ndarray] = {}
        self.encoded = 0
        self.encode_seconds = 0.0
        texts_file = path.with_suffix(".json")
        if path.exists() and texts_file.exists():
            data = json.loads(texts_file.read_text(encoding="utf-8"))
            if data["fingerprint"] == inner.fingerprint:
                self.known = dict(zip(data["texts"], np.load(path), strict=True))
        self.saved = len(self.known)

    def encode(self, texts, batch_size=32, progress=False):
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            started = time.perf_counter()
            vectors = self.inner.encode(missing, batch_size=batch_size)
            self.encode_seconds += time.perf_counter() - started
            self.encoded += len(missing)
            self.known.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        return np.stack([self.known[t] for t in texts])

    def save(self) -> None:
        if len(self.known) == self.saved:
            return
        texts = list(self.known)
        np.save(self.path, np.stack([self.known[t] for t in texts]))
        self.path.with_suffix(".json").write_text(
            json.dumps({"fingerprint": self.fingerprint, "texts": texts}), encoding="utf-8"
        )
        self.saved = len(texts)


@dataclass
class Built:
    library: Library
    seconds: float
    copies_seconds: float  # inside Library._copies
    write_seconds: float  # inside copy_groups.write (in the article's transaction)


def ingest(corpus: Path, directory: Path, embedder, detect: bool) -> Built:
    shutil.rmtree(directory, ignore_errors=True)
    spent = [0.0]
    original = Library._copies

    def timed(self, article_id, embedded):
        started = time.perf_counter()
        try:
            return original(self, article_id, embedded) if detect else [[] for _ in embedded]
        finally:
            spent[0] += time.perf_counter() - started

    written = [0.0]
    write = copy_groups.write

    def timed_write(*arguments):
        started = time.perf_counter()
        try:
            return write(*arguments)
        finally:
            written[0] += time.perf_counter() - started

    Library._copies = timed
    copy_groups.write = timed_write
    try:
        started = time.perf_counter()
        library = Library(directory, embedder, batch_size=64)
        report = library.ingest([corpus])
        seconds = time.perf_counter() - started
    finally:
        Library._copies = original
        copy_groups.write = write
    if report.errors:
        raise SystemExit("; ".join(report.errors))
    return Built(library, seconds, spent[0], written[0])
