"""What the quality benchmarks share: building indexes through the product's ingestion,
cached question vectors, and ranks of the gold paragraph for the product and baselines."""

import hashlib
import shutil
import sys
import time
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.quality_baselines import BM25, Paragraphs, bm25_tokens, dense_scores, ranking, rrf
from bench.quality_squad import Question, SquadArticle, write_articles
from index.embedder import MiniLMEmbedder
from index.library import Library
from retrieval.search import Searcher

WORK = Path(__file__).resolve().parent / "_work"
MISS = 10**6


class KnownQuestions:
    """The real embedder, with the benchmark's questions encoded once in a batch up front."""

    def __init__(self, embedder: MiniLMEmbedder, texts: list[str], vectors: np.ndarray):
        self.inner = embedder
        self.name, self.dimension, self.fingerprint = embedder.name, embedder.dimension, embedder.fingerprint
        self.known = dict(zip(texts, vectors, strict=True))

    @property
    def max_tokens(self) -> int:
        return self.inner.max_tokens

    def count_tokens(self, text: str) -> int:
        return self.inner.count_tokens(text)

    def encode(self, texts, batch_size=32, progress=False):
        if texts and all(t in self.known for t in texts):
            return np.stack([self.known[t] for t in texts])
        return self.inner.encode(texts, batch_size=batch_size, progress=progress)


@dataclass
class Scores:
    r1: float
    r3: float
    r5: float
    mrr: float
    refused: float

    @classmethod
    def of(cls, ranks: np.ndarray, refused: np.ndarray | None = None) -> "Scores":
        if not len(ranks):
            return cls(*[float("nan")] * 5)
        return cls(
            float(np.mean(ranks <= 1)), float(np.mean(ranks <= 3)), float(np.mean(ranks <= 5)),
            float(np.mean(np.where(ranks <= 10, 1.0 / ranks, 0.0))),
            float(np.mean(refused)) if refused is not None else 0.0,
        )


def rank_of(order, gold) -> int:
    """1-based position of `gold` in `order` (an item, or a set of items shown together), or MISS."""
    for position, item in enumerate(order, start=1):
        if item == gold or (isinstance(item, frozenset) and gold in item):
            return position
    return MISS


def never_refusing(settings):
    """The same settings with abstention turned off: ranking alone."""
    return replace(settings, min_similarity=0.0, min_answer_probability=0.0,
                   min_answer_probability_in_article=0.0)


def shown_places(answer) -> list[frozenset]:
    """Per passage of an answer, the (article id, paragraph) places it shows (two when a
    neighbouring paragraph is shown with it)."""
    return [frozenset((p.citation.article_id, n) for n in p.paragraphs) for p in answer.passages]





def build(work: Path, articles: list[SquadArticle], embedder: MiniLMEmbedder,
          name: str = "squad", index: str = "index_all") -> None:
    """The whole set indexed through the product's ingestion (incremental, so cached)."""
    folder = work / name
    paths = write_articles(articles, folder)
    for stale in set(folder.glob("*.txt")) - set(paths):
        stale.unlink()
    started = time.perf_counter()
    library = Library(work / index, embedder, batch_size=64)
    try:
        from tqdm import tqdm

        report = library.ingest([folder], progress=lambda total: tqdm(total=total, desc="indexing"))
    finally:
        library.close()
    print(f"index: {report.summary()} ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    if report.errors:
        raise SystemExit("; ".join(report.errors))


def even_index(work: Path, articles: list[SquadArticle], embedder,
               source: str = "index_all", target: str = "index_even") -> Library:
    """A copy of the whole index with the odd-numbered articles forgotten (no re-encoding)."""
    target = work / target
    shutil.rmtree(target, ignore_errors=True)
    shutil.copytree(work / source, target)
    library = Library(target, embedder)
    for article in articles:
        if article.number % 2:
            library.forget(article.file_name)
    return library


def question_vectors(work: Path, texts: list[str], embedder: MiniLMEmbedder) -> np.ndarray:
    key = hashlib.sha256("\n".join([embedder.fingerprint, *texts]).encode()).hexdigest()[:16]
    path = work / f"questions-{key}.npy"
    if path.exists():
        return np.load(path)
    started = time.perf_counter()
    vectors = embedder.encode(texts, batch_size=128)
    np.save(path, vectors)
    print(f"encoded {len(texts)} questions ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    return vectors





def measure_baselines(library: Library, questions: list[Question], vectors: np.ndarray, ids: dict):
    """Ranks of the gold paragraph for dense, BM25 and RRF, in-article and corpus-wide."""
    paragraphs = Paragraphs.from_store(library.store)
    place_index = {place: i for i, place in enumerate(paragraphs.places)}
    groups = paragraphs.articles()
    dense = dense_scores(paragraphs, vectors)
    everywhere = BM25(paragraphs.texts)
    per_article = {a: BM25([paragraphs.texts[i] for i in idx]) for a, idx in groups.items()}
    ranks = {f"{s} {w}": [] for s in ("dense", "BM25", "RRF") for w in ("in", "all")}
    overlap = []
    for row, question in enumerate(questions):
        article_id = ids[question.article]
        gold = place_index[(article_id, question.paragraph)]
        words = set(bm25_tokens(question.text))
        overlap.append(len(words & set(bm25_tokens(paragraphs.texts[gold]))) / max(len(words), 1))
        among = groups[article_id]
        orders = {
            "in": (ranking(dense[row], among), among[ranking(per_article[article_id].scores(question.text))]),
            "all": (ranking(dense[row]), ranking(everywhere.scores(question.text))),
        }
        for where, (by_dense, by_bm25) in orders.items():
            ranks[f"dense {where}"].append(rank_of(by_dense[:10], gold))
            ranks[f"BM25 {where}"].append(rank_of(by_bm25[:10], gold))
            ranks[f"RRF {where}"].append(rank_of(rrf([by_dense, by_bm25])[:10], gold))
    return {k: np.array(v) for k, v in ranks.items()}, dense, place_index, np.array(overlap)


def measure_product(searcher: Searcher, questions: list[Question], ids: dict, where: str):
    ranks, refused = [], []
    for question in questions:
        article_id = ids[question.article]
        answer = searcher.ask(question.text, k=10, article=article_id if where == "in" else None)
        ranks.append(rank_of(shown_places(answer), (article_id, question.paragraph)))
        refused.append(not answer.answered)
    return np.array(ranks), np.array(refused)

