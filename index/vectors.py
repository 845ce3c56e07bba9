"""The FAISS side of the index: unit vectors under stable passage ids, inner-product search.

The kind of index follows the number of vectors, with nothing to configure:

- up to `EXACT_UP_TO` vectors, exact search (`IndexFlatIP`): a few milliseconds per
  question at that size, and every result is the true nearest;
- beyond it, an inverted file over about sqrt(n) k-means cells whose vectors are stored as
  float16 (`IndexIVFScalarQuantizer`, QT_fp16): half the memory of float32, and a search
  that visits `nprobe` cells instead of every vector. 8-bit codes would take a quarter,
  but their rounding alone costs 4 points of recall@10 on clustered vectors; float16 costs
  none. bench/perf.py measures recall@10 against exact search (>= 0.98 is the target) and
  the latency up to 1M vectors.

The FAISS file records the kind and the cells itself; `describe()` names them.
"""

import math
import os
import threading
from contextlib import contextmanager
from pathlib import Path

import faiss
import numpy as np

EXACT_UP_TO = 20_000
TRAINING_POINTS_PER_CELL = 64


def cells_for(count: int) -> int:
    """k-means cells for `count` vectors: a power of two near sqrt(count), each with 39+ points."""
    return max(1, min(2 ** round(math.log2(math.sqrt(max(count, 1)))), count // 39))


def probes_for(cells: int) -> int:
    """Cells visited per search: 1/32 of them, at least 16. At 1M vectors (1024 cells) 32 probes
    keep recall@10 at 0.994 in 3.5 ms, where 64 gave 0.998 in 6.3 ms (bench/perf_million.py's
    vectors); the target is 0.98."""
    return min(cells, max(16, cells // 32))


class VectorIndex:
    """Inner-product search over normalised vectors, keyed by passage id."""

    def __init__(self, dimension: int, index: faiss.Index | None = None):
        self.dimension = dimension
        self._index = index or faiss.IndexIDMap2(faiss.IndexFlatIP(dimension))
        if isinstance(self._index, faiss.IndexIVF):
            self._index.nprobe = probes_for(self._index.nlist)
        self._lock = threading.Lock()  # a search must not run while ids are added or removed

    @classmethod
    def build(cls, dimension: int, ids: np.ndarray, vectors: np.ndarray | None) -> "VectorIndex":
        """An index of the kind that suits this many vectors, holding them."""
        count = len(ids)
        if count <= EXACT_UP_TO:
            index = cls(dimension)
        else:
            vectors = np.ascontiguousarray(vectors, dtype=np.float32)
            cells = cells_for(count)
            quantizer = faiss.IndexFlatIP(dimension)
            ivf = faiss.IndexIVFScalarQuantizer(
                quantizer, dimension, cells, faiss.ScalarQuantizer.QT_fp16, faiss.METRIC_INNER_PRODUCT
            )
            sample = np.random.default_rng(0).permutation(count)[: cells * TRAINING_POINTS_PER_CELL]
            ivf.train(vectors[np.sort(sample)])
            index = cls(dimension, ivf)
        index.add(ids, vectors)
        return index

    @property
    def is_exact(self) -> bool:
        return not isinstance(self._index, faiss.IndexIVF)

    def suits_its_size(self) -> bool:
        """False when the index should be rebuilt as another kind (or with other cells)."""
        count = len(self)
        if self.is_exact:
            return count <= EXACT_UP_TO
        if count <= EXACT_UP_TO // 2:
            return False
        return cells_for(count) <= 2 * self._index.nlist  # retrained once ~8 times as large

    def describe(self) -> str:
        if self.is_exact:
            return "exact (IndexFlatIP)"
        return f"IVF{self._index.nlist},SQfp16 nprobe={self._index.nprobe}"

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

    def search(self, query: np.ndarray, k: int, among: list[int] | None = None) -> list[tuple[int, float]]:
        """The k best (passage id, cosine) pairs, best first (cosines approximate when not exact);
        only passages of `among` when given, chosen inside the search (FAISS's ID selector),
        so that a narrow filter still gets its k best. With a filter an IVF index visits every
        cell: the filter, not the cells, decides which vectors are compared."""
        if not len(self) or k <= 0 or among is not None and not len(among):
            return []
        params = None
        if among is not None:
            selector = faiss.IDSelectorBatch(np.asarray(among, dtype=np.int64))
            params = (faiss.SearchParametersIVF(sel=selector, nprobe=self._index.nlist) if not self.is_exact
                      else faiss.SearchParameters(sel=selector))
        with self._lock, _one_thread():
            scores, ids = self._index.search(
                query.reshape(1, -1).astype(np.float32), min(k, len(self)), params=params)
        return [(i, s) for i, s in zip(ids[0].tolist(), scores[0].tolist(), strict=True) if i != -1]

    def search_many(self, queries: np.ndarray, k: int) -> list[list[tuple[int, float]]]:
        """search() for each row of `queries`, in one call."""
        if not len(self) or k <= 0:
            return [[] for _ in queries]
        with self._lock, _one_thread():
            queries = np.ascontiguousarray(queries, dtype=np.float32)
            scores, ids = self._index.search(queries, min(k, len(self)))
        return [[(i, s) for i, s in zip(row_ids, row_scores, strict=True) if i != -1]
                for row_ids, row_scores in zip(ids.tolist(), scores.tolist(), strict=True)]

    def save(self, path: Path) -> None:
        """Write to a temporary file, then rename: a crash never leaves half a file at `path`."""
        temporary = path.with_name(path.name + ".tmp")
        try:
            with self._lock:
                faiss.write_index(self._index, str(temporary))
            os.replace(temporary, path)
        except BaseException:  # a full disk: no half-written file left behind
            temporary.unlink(missing_ok=True)
            raise

    @classmethod
    def load(cls, path: Path, dimension: int) -> "VectorIndex":
        index = faiss.read_index(str(path))
        if index.d != dimension:
            raise ValueError(f"{path} holds {index.d}-d vectors, expected {dimension}")
        return cls(dimension, index)


@contextmanager
def _one_thread():
    """One question is searched on the calling thread alone: with OpenMP's two threads on two
    busy cores, a 10k exact search took 24 ms instead of 0.6 ms (bench/perf.py). The setting
    is OpenMP's per-thread one, so building or training elsewhere keeps every core."""
    previous = faiss.omp_get_max_threads()
    faiss.omp_set_num_threads(1)
    try:
        yield
    finally:
        faiss.omp_set_num_threads(previous)
