"""Which FAISS index carries the product past a million passages: bytes per vector, recall
and search time of the candidate kinds, on synthetic vectors shaped like the real ones.

    python bench/scaling_vectors.py INDEX_DIR [--count 1000000] [--questions 200]

INDEX_DIR is any index built by `bot.py index` (its passage vectors give the shape of the
synthetic ones, bench/perf_million.py); the questions are SQuAD dev questions encoded with
the product's encoder. Truth is exact inner-product search. Each kind is built, saved and
loaded as the product would, and searched one question at a time on one thread with k=50
(the product's candidates), nprobe = 1/32 of the cells as index/vectors.py sets it. The
figures feed SCALING.md.
"""

import argparse
import gzip
import json
import sqlite3
import sys
import tempfile
import time
from pathlib import Path

import faiss
import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.perf_million import latencies, synthetic  # noqa: E402
from cli.opening import encoder_cache_dir  # noqa: E402
from index.vectors import _one_thread, cells_for, probes_for  # noqa: E402

SQUAD = Path(__file__).resolve().parent.parent.parent / "shared" / "data" / "dev-v1.1.json.gz"
# (name, FAISS factory string with {cells}); PQ m must divide 384
KINDS = (
    ("IVF, float16 codes (today's kind)", "IVF{cells},SQfp16"),
    ("IVF, 8-bit codes", "IVF{cells},SQ8"),
    ("IVF-PQ, 96 bytes", "IVF{cells},PQ96"),
    ("IVF-PQ, 48 bytes", "IVF{cells},PQ48"),
    ("IVF-PQ, 48 bytes, re-ranked with float16 codes", "IVF{cells},PQ48,RFlat"),
)


def real_vectors(index_dir: Path) -> np.ndarray:
    with sqlite3.connect(index_dir / "store.sqlite") as db:
        rows = db.execute("SELECT vector FROM passages").fetchall()
    return np.stack([np.frombuffer(blob, dtype=np.float32) for (blob,) in rows])


def question_vectors(count: int) -> np.ndarray:
    from index.embedder import MiniLMEmbedder

    with gzip.open(SQUAD, "rt", encoding="utf-8") as file:
        data = json.load(file)["data"]
    questions = [qa["question"] for article in data for p in article["paragraphs"] for qa in p["qas"]]
    chosen = np.random.default_rng(0).choice(len(questions), count, replace=False)
    embedder = MiniLMEmbedder(onnx_cache=encoder_cache_dir())
    return np.ascontiguousarray(embedder.encode([questions[i] for i in chosen]), dtype=np.float32)


def measure(name: str, factory: str, vectors: np.ndarray, questions: np.ndarray, truth: np.ndarray) -> dict:
    cells = cells_for(len(vectors))
    description = factory.format(cells=cells)
    if description.endswith(",RFlat"):  # re-rank the PQ candidates with the float16 vectors
        dimension, metric = vectors.shape[1], faiss.METRIC_INNER_PRODUCT
        base = faiss.index_factory(dimension, description[: -len(",RFlat")], metric)
        codes = faiss.IndexScalarQuantizer(dimension, faiss.ScalarQuantizer.QT_fp16, metric)
        index = faiss.IndexRefine(base, codes)
        index.k_factor = 4
    else:
        index = faiss.index_factory(vectors.shape[1], description, faiss.METRIC_INNER_PRODUCT)
    started = time.perf_counter()
    sample = np.random.default_rng(0).permutation(len(vectors))[: cells * 64]
    index.train(vectors[np.sort(sample)])
    index.add(vectors)
    build = time.perf_counter() - started
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "vectors.faiss"
        faiss.write_index(index, str(path))
        size = path.stat().st_size
        index = faiss.read_index(str(path))
    ivf = faiss.extract_index_ivf(index)
    ivf.nprobe = probes_for(cells)

    def search(query):
        with _one_thread():
            return index.search(query.reshape(1, -1), 50)

    found = np.vstack([search(q)[1] for q in questions])
    recall = float(np.mean([len(set(f[:10]) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    in50 = float(np.mean([len(set(f) & set(t)) / 10 for f, t in zip(found, truth, strict=True)]))
    times = latencies(search, questions)
    return {"kind": name, "factory": description, "nprobe": ivf.nprobe, "bytes": size / len(vectors),
            "recall10": recall, "in50": in50, "p50": float(np.median(times)),
            "p95": float(np.percentile(times, 95)), "build": build}


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("index_dir", type=Path)
    parser.add_argument("--count", type=int, default=1_000_000)
    parser.add_argument("--questions", type=int, default=200)
    arguments = parser.parse_args()
    vectors = synthetic(real_vectors(arguments.index_dir), arguments.count, seed=arguments.count)
    questions = question_vectors(arguments.questions)
    exact = faiss.IndexFlatIP(vectors.shape[1])
    exact.add(vectors)
    _, truth = exact.search(questions, 10)
    del exact
    print(f"{arguments.count:,} synthetic vectors, {arguments.questions} SQuAD questions, k=50, one thread")
    print("| kind | FAISS | nprobe | bytes per vector (file) | recall@10 | true top 10 in top 50 | p50 ms"
          " | p95 ms | build s |")
    print("|---|---|---:|---:|---:|---:|---:|---:|---:|")
    for name, factory in KINDS:
        r = measure(name, factory, vectors, questions, truth)
        print(f"| {r['kind']} | `{r['factory']}` | {r['nprobe']} | {r['bytes']:.0f} | {r['recall10']:.3f} |"
              f" {r['in50']:.3f} | {r['p50']:.2f} | {r['p95']:.2f} | {r['build']:.0f} |", flush=True)


if __name__ == "__main__":
    main()
