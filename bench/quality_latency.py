"""Query latency of the product against plain dense search, one question at a time, with the
real model (bench/quality.py's latency paragraph)."""

import random
import time
from pathlib import Path

import numpy as np

from bench.quality_squad import Question
from cli.opening import encoder_cache_dir
from index.embedder import MiniLMEmbedder
from index.library import Library
from retrieval.search import Searcher

FROM_DISK, DENSE_AGAIN = "product, nothing kept in memory", "dense, second pass"
FIRST, DENSE_FIRST = "product, first questions", "dense, first questions"
STEADY_PASSES = 3  # the ratio moves by about 0.05 between passes of the same questions


def measure_latency(directory: Path, settings, questions: list[Question], count: int):
    """Milliseconds per question, one at a time with the real model: product vs plain dense.

    A fresh process first answers `count` other questions (timed too: the first questions
    after start, while the passages read are new), then the `count` timed questions
    STEADY_PASSES times (the medians are over all passes; each pass's ratio is kept too, to
    show the spread), then the same again with the product's memory of passages emptied
    before every question.
    """
    shuffled = random.Random(5).sample(questions, min(2 * count, len(questions)))
    sample, first = shuffled[:count], shuffled[count:]
    # the product's own encoder (ONNX Runtime), for both
    embedder = MiniLMEmbedder(onnx_cache=encoder_cache_dir())
    library = Library(directory, embedder)
    product = Searcher(library, settings)

    def dense_only(text):
        query = embedder.encode([text])[0]
        hits = library.vectors.search(query, settings.k)
        return library.store.passages([i for i, _ in hits])

    def product_from_disk(text):
        library.store.forget_kept_in_memory()
        return product.ask(text)

    def interleaved(questions: list[Question], calls: dict) -> dict[str, list[float]]:
        times = {name: [] for name in calls}
        for question in questions:
            for name, call in calls.items():
                started = time.perf_counter()
                call(question.text)
                times[name].append(1000 * (time.perf_counter() - started))
        return times

    times = interleaved(first, {DENSE_FIRST: dense_only, FIRST: product.ask})
    steady = {"dense": dense_only, "product": product.ask}
    passes = [interleaved(sample, steady) for _ in range(STEADY_PASSES)]
    times |= {name: [t for one in passes for t in one[name]] for name in ("dense", "product")}
    times |= interleaved(sample, {DENSE_AGAIN: dense_only, FROM_DISK: product_from_disk})
    library.close()
    result = {name: (float(np.median(v)), float(np.mean(v))) for name, v in times.items()}
    result["pass ratios"] = [float(np.median(one["product"]) / np.median(one["dense"])) for one in passes]
    return result
