"""The vector-search part of bench/perf.py at sizes too large to embed: synthetic unit vectors.

    python bench/perf_million.py REAL.npy QUESTIONS.npy N [N ...]   (prints one JSON line per N)

The synthetic vectors look like sentence embeddings rather than like uniform noise: each
is a real paragraph or sentence vector of the 1k corpus (REAL.npy) plus Gaussian noise
shaped by the real vectors' covariance, so they keep MiniLM's anisotropy and its topical
clusters. Queries are the real questions' vectors (QUESTIONS.npy). For each size: the
index kind `VectorIndex.build` picks, its build time, recall@10 against exact search,
single-query latency p50/p95 (exact and chosen), bytes on disk and resident memory.
"""

import json
import resource
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))
from index.vectors import VectorIndex, _one_thread  # noqa: E402

NOISE = 0.6  # share of the real vectors' spread added to each centre


def synthetic(real: np.ndarray, count: int, seed: int) -> np.ndarray:
    rng = np.random.default_rng(seed)
    spread = np.linalg.cholesky(np.cov(real.T) + 1e-6 * np.eye(real.shape[1])).astype(np.float32)
    out = np.empty((count, real.shape[1]), dtype=np.float32)
    for start in range(0, count, 100_000):
        n = min(100_000, count - start)
        block = real[rng.integers(0, len(real), n)]
        block += NOISE * rng.standard_normal((n, real.shape[1]), dtype=np.float32) @ spread.T
        out[start:start + n] = block / np.linalg.norm(block, axis=1, keepdims=True)
    return out


def rss_mb() -> float:
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
    return float("nan")


def _resident_after_loading(path: Path) -> float:
    """MB of resident memory a fresh process gains by loading the index file."""
    script = (
        "import sys; sys.path.insert(0, sys.argv[1]); from bench.perf_million import rss_mb;"
        "from index.vectors import VectorIndex; from pathlib import Path;"
        "before = rss_mb(); index = VectorIndex.load(Path(sys.argv[2]), int(sys.argv[3]));"
        "print(rss_mb() - before)"
    )
    root = Path(__file__).resolve().parent.parent
    result = subprocess.run(
        [sys.executable, "-c", script, str(root), str(path), "384"],
        capture_output=True, text=True, check=True,
    )
    return float(result.stdout.strip())


def _exact(vectors: np.ndarray, questions: np.ndarray):
    """The true top 10 of every question, and single-question exact search times."""
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(questions, 10)

    def search(query):
        with _one_thread():  # as VectorIndex.search does
            return exact.search(query.reshape(1, -1), 10)

    def search_all_threads(query):  # FAISS's default, for comparison
        return exact.search(query.reshape(1, -1), 10)

    few = questions[:60] if len(vectors) <= 100_000 else questions[:10]
    return truth, latencies(search, questions[:60]), latencies(search_all_threads, few)


def latencies(search, queries: np.ndarray) -> list[float]:
    times = []
    for query in queries:
        started = time.perf_counter()
        search(query)
        times.append(1000 * (time.perf_counter() - started))
    return times


def measure(real: np.ndarray, questions: np.ndarray, count: int) -> dict:
    vectors = synthetic(real, count, seed=count)
    ids = np.arange(count, dtype=np.int64) + 1
    truth, exact_ms, all_threads_ms = _exact(vectors, questions)
    started = time.perf_counter()
    index = VectorIndex.build(vectors.shape[1], ids, vectors)
    build_s = time.perf_counter() - started
    del vectors
    with tempfile.TemporaryDirectory(dir=Path(__file__).parent / "_work") as folder:
        path = Path(folder) / "vectors.faiss"
        index.save(path)
        disk = path.stat().st_size
        del index
        resident = _resident_after_loading(path)
        index = VectorIndex.load(path, real.shape[1])
    found = [[i for i, _ in index.search(q, 50)] for q in questions]
    recall = float(np.mean([len(set(f[:10]) & set(t + 1)) / 10 for f, t in zip(found, truth, strict=True)]))
    in50 = float(np.mean([len(set(f) & set(t + 1)) / 10 for f, t in zip(found, truth, strict=True)]))
    chosen_ms = latencies(lambda q: index.search(q, 50), questions)
    return {
        "n": count, "kind": index.describe(), "build_s": build_s, "recall10": recall, "in50": in50,
        "exact_p50_ms": float(np.median(exact_ms)),
        "exact_all_threads_p50_ms": float(np.median(all_threads_ms)), "p50_ms": float(np.median(chosen_ms)),
        "p95_ms": float(np.percentile(chosen_ms, 95)), "disk_bytes": disk,
        "resident_mb": resident,
        "peak_rss_mb": resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024,
    }


def main() -> None:
    real = np.load(sys.argv[1]).astype(np.float32)
    questions = np.ascontiguousarray(np.load(sys.argv[2]), dtype=np.float32)
    for count in map(int, sys.argv[3:]):
        print(json.dumps(measure(real, questions, count)), flush=True)


if __name__ == "__main__":
    main()
