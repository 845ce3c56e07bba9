"""The FAISS side of the index: unit vectors under stable passage ids, inner-product search."""

import os
import threading
from pathlib import Path

import faiss
import numpy as np


class VectorIndex:
    """Exact inner-product search over normalised vectors, keyed by passage id."""

    def __init__(self, dimension: int, index: faiss.Index | None = None):
        self.dimension = dimension
        self._index = index or faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        self._lock = threading.Lock()  # a search must not run while ids are added or removed

    def __len__(self) -> int:
        return self._index.ntotal

    def add(self, ids: np.ndarray, vectors: np.ndarray) -> None:
        if len(ids):
            with self._lock:
                self._index.add_with_ids(
                    np.ascontiguousarray(vectors, dtype=np.float32), np.asarray(ids, dtype=np.int64)
                )

    def remove(self, ids: list[int]) -> None:
        if ids:
            with self._lock:
                self._index.remove_ids(np.asarray(ids, dtype=np.int64))

    def search(self, query: np.ndarray, k: int) -> list[tuple[int, float]]:
        """The k best (passage id, cosine) pairs, best first."""
        if not len(self) or k <= 0:
            return []
        with self._lock:
            scores, ids = self._index.search(query.reshape(1, -1).astype(np.float32), min(k, len(self)))
        return [(int(i), float(s)) for i, s in zip(ids[0], scores[0], strict=True) if i != -1]

    def save(self, path: Path) -> None:
        """Write to a temporary file, then rename: a crash never leaves half a file at `path`."""
        temporary = path.with_name(path.name + ".tmp")
        with self._lock:
            faiss.write_index(self._index, str(temporary))
        os.replace(temporary, path)

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        index = faiss.read_index(str(path))
        if index.d != dimension:
            raise ValueError(f"{path} holds {index.d}-d vectors, expected {dimension}")
        return cls(dimension, index)
