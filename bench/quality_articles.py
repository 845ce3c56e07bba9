"""Retrieval quality on whole news articles (bench/quality_news.py's second setting): the
2022 articles of RealTime QA's development split, their quiz questions, and off-topic ones."""

import json
import shutil
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from bench.quality_baselines import BM25, Paragraphs, dense_scores, ranking
from bench.quality_common import KnownQuestions, never_refusing, question_vectors
from bench.quality_news import SPLITS, news_folder, normalised
from index.library import Library
from retrieval.search import Searcher


@dataclass(frozen=True)
class ArticleQuestion:
    text: str
    week: str  # the quiz week, YYYYMMDD
    urls: frozenset[str]  # its gold article(s)
    answer: str | None  # the answer's normalised words, when they occur verbatim in the article
    day: str = ""  # the day the quiz asked it, YYYY-MM-DD


def article_questions(work: Path) -> list[ArticleQuestion]:
    lines = (news_folder(work) / "news-articles-dev-questions.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [ArticleQuestion(" ".join(r["question"].split()), r["id"].split("_")[0], frozenset(r["urls"]),
                            normalised(r["answer"]) if r.get("answer") else None,
                            r["question_date"].replace("/", "-")) for r in records]


def offtopic_questions(work: Path) -> list[str]:
    text = (news_folder(work) / "news-offtopic-dev.txt").read_text(encoding="utf-8")
    return [" ".join(line.split()) for line in text.splitlines() if line.strip()]


def build_articles(work: Path, embedder) -> Library:
    """The whole articles ingested through the product (incremental, so cached)."""
    folder = work / "news_articles"
    folder.mkdir(parents=True, exist_ok=True)
    source = news_folder(work) / "news-articles-dev.jsonl"
    target = folder / source.name
    if not target.exists() or target.read_bytes() != source.read_bytes():
        shutil.copyfile(source, target)
    library = Library(work / "index_news_articles", embedder, batch_size=64)
    report = library.ingest([folder])
    if report.errors:
        raise SystemExit("; ".join(report.errors))
    return library


def article_split_masks(questions: list[ArticleQuestion]) -> dict[str, np.ndarray]:
    weeks = sorted({q.week for q in questions})
    position = np.array([weeks.index(q.week) for q in questions])
    return {"report": position % 2 == 1, "tune": position % 2 == 0, "all": np.ones(len(position), bool)}


def offtopic_split_masks(count: int) -> dict[str, np.ndarray]:
    line = np.arange(count)
    return {"report": line % 2 == 1, "tune": line % 2 == 0, "all": np.ones(count, bool)}


@dataclass
class ArticleHits:
    """Per question: top passage from a gold article; one of the top 3 from one; the
    answer's words in a top-3 passage (None when the answer is not verbatim); answered."""

    first: np.ndarray
    top3: np.ndarray
    answer_in_top3: np.ndarray  # float, nan where the answer is not verbatim
    answered: np.ndarray

    @classmethod
    def of(cls, questions: list[ArticleQuestion], shown: list[list[tuple[str | None, str]]]) -> "ArticleHits":
        """shown[i]: the (url, text) of the passages question i got, best first."""
        first, top3, words, answered = [], [], [], []
        for question, passages in zip(questions, shown, strict=True):
            first.append(bool(passages) and passages[0][0] in question.urls)
            top3.append(any(url in question.urls for url, _ in passages[:3]))
            if question.answer is None:
                words.append(np.nan)
            else:
                words.append(float(any(question.answer in normalised(text) for _, text in passages[:3])))
            answered.append(bool(passages))
        return cls(np.array(first), np.array(top3), np.array(words), np.array(answered))

    def scores(self, mask: np.ndarray) -> dict[str, float]:
        words = self.answer_in_top3[mask]
        return {"first": float(self.first[mask].mean()), "top3": float(self.top3[mask].mean()),
                "answer": float(np.nanmean(words)) if np.isfinite(words).any() else float("nan"),
                "answered": float(self.answered[mask].mean()), "questions": int(mask.sum()),
                "with answer": int(np.isfinite(words).sum())}


def product_article_hits(searcher: Searcher, questions: list[ArticleQuestion]) -> ArticleHits:
    shown = []
    for question in questions:
        answer = searcher.ask(question.text, k=3)
        shown.append([(p.citation.url, p.text) for p in answer.passages])
    return ArticleHits.of(questions, shown)


def baseline_article_hits(library: Library, questions: list[ArticleQuestion], vectors: np.ndarray):
    """Plain dense and plain BM25 over the same stored paragraphs."""
    paragraphs = Paragraphs.from_store(library.store)
    urls = {a.article_id: a.url for a in library.articles()}
    dense = dense_scores(paragraphs, vectors)
    bm25 = BM25(paragraphs.texts)

    def shown(order):
        return [(urls[paragraphs.places[i][0]], paragraphs.texts[i]) for i in order[:3]]

    return {
        "dense": ArticleHits.of(questions, [shown(ranking(dense[row])) for row in range(len(questions))]),
        "BM25": ArticleHits.of(questions, [shown(ranking(bm25.scores(q.text))) for q in questions]),
    }


def articles_table(results: dict[str, dict[str, dict[str, float]]],
                   counts: dict[str, tuple[int, int]]) -> list[str]:
    head = " | ".join(f"{s} {m}" for s in SPLITS for m in ("article first", "article in top 3",
                                                             "answer in top 3", "answered"))
    lines = ["| system | " + head + " |", "|---|" + "---:|" * (4 * len(SPLITS))]
    for system, by_split in results.items():
        cells = [f"{by_split[s][m]:.3f}" for s in SPLITS for m in ("first", "top3", "answer", "answered")]
        lines.append(f"| {system} | " + " | ".join(cells) + " |")
    described = ", ".join(f"{s} {n} ({w} with a verbatim answer)" for s, (n, w) in counts.items())
    return [f"**Whole articles, corpus-wide** (questions: {described})", "", *lines, ""]


def measure_articles(work: Path, embedder, settings) -> tuple[list[str], dict]:
    questions = article_questions(work)
    offtopic = offtopic_questions(work)
    texts = list(dict.fromkeys([q.text for q in questions] + offtopic))
    cached = KnownQuestions(embedder, texts, question_vectors(work, texts, embedder))
    library = build_articles(work, cached)
    vectors = np.stack([cached.known[q.text] for q in questions])
    hits = {
        "product": product_article_hits(Searcher(library, settings), questions),
        "product, abstention off": product_article_hits(
            Searcher(library, never_refusing(settings)), questions),
    } | baseline_article_hits(library, questions, vectors)
    masks = article_split_masks(questions)
    results = {system: {s: h.scores(m) for s, m in masks.items()} for system, h in hits.items()}
    searcher = Searcher(library, settings)
    refused = np.array([not searcher.ask(text).answered for text in offtopic])
    off_masks = offtopic_split_masks(len(offtopic))
    counts = {s: (results["product"][s]["questions"], results["product"][s]["with answer"]) for s in SPLITS}
    tables = articles_table(results, counts)
    tables += [
        f"Off-topic (the {len(offtopic):,} quiz questions of 2023-2024 asked of the 2022 articles), refused"
        " by the product: " + ", ".join(f"{s} {refused[m].mean():.3f}" for s, m in off_masks.items())
        + " (plain dense and BM25 refuse nothing).", "",
    ]
    summary = (f"{len(library.articles())} articles, {library.passage_count:,} passages,"
               f" {len(questions)} questions, {len(offtopic):,} off-topic")
    library.close()
    offtopic_refused = {s: float(refused[m].mean()) for s, m in off_masks.items()}
    return tables, {"articles": results, "offtopic": offtopic_refused, "counts": summary}
