"""Retrieval quality on news: RealTime QA's development split, beside plain dense and BM25.

Built by `python ../shared/news/newsquiz.py build GIT_DIR bench/_work/news` (DEVELOPERS.md);
internal evaluation only, never committed. Two settings:

- Quiz evidence: each quiz week is one "article" whose paragraphs are that week's evidence
  passages; each question must retrieve the passage it was written on (as SQuAD's
  questions do their paragraph). Weeks in file order: even-numbered for tuning, odd for
  the report. Abstention indexes the even-numbered weeks only; calibration = weeks 0, 1
  mod 4, report = 2, 3 mod 4 (as bench/quality.py does with SQuAD's articles).
- Whole articles: the full 2022 news articles ingested as a .jsonl (chrome dropped as the
  product drops it); a question is asked corpus-wide and scored on whether the top passage
  is from its gold article, whether one of the top 3 is, whether the answer's words occur
  in a top-3 passage (questions whose answer occurs verbatim in the article), and whether
  it is answered at all. The 2023-2024 quiz questions, asked of the same index, should be
  refused (off-topic). Question weeks alternate tuning / report; off-topic lines alternate.
"""

import json
import re
import shutil
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from bench.quality_baselines import BM25, Paragraphs, dense_scores, ranking
from bench.quality_common import (
    KnownQuestions,
    Scores,
    build,
    even_index,
    measure_baselines,
    measure_product,
    question_vectors,
)
from bench.quality_squad import Question, SquadArticle, squad_articles
from index.library import Library
from retrieval.search import Searcher

SPLITS = ("report", "tune", "all")


def news_folder(work: Path) -> Path:
    return work / "news"


def news_present(work: Path) -> bool:
    folder = news_folder(work)
    return all((folder / name).exists() for name in (
        "news-snippets-dev.json.gz", "news-articles-dev.jsonl",
        "news-articles-dev-questions.jsonl", "news-offtopic-dev.txt"))


def normalised(text: str) -> str:
    """newsquiz.py's normal form of answers: lower case, curly quotes straight, words only."""
    text = text.lower().replace("\u2019", "'").replace("\u201c", '"').replace("\u201d", '"')
    return " " + re.sub(r"\s+", " ", re.sub(r"[^\w\s']", " ", text)).strip() + " "


# -- quiz evidence passages -------------------------------------------------------------


def quiz_weeks(work: Path) -> tuple[list[SquadArticle], list[Question]]:
    """One article per quiz week (numbered in file order), and its questions."""
    return squad_articles(path=news_folder(work) / "news-snippets-dev.json.gz")


def stored_paragraph_numbers(library: Library, articles: list[SquadArticle], ids: dict) -> dict:
    """(week number, source paragraph number) -> the product's paragraph number.

    The product drops chrome, strips datelines and trailing photo credits, so a source
    paragraph maps to the next kept paragraph whose text it contains; a dropped one maps
    to nothing."""
    paragraphs = Paragraphs.from_store(library.store)
    kept: dict[str, list[str]] = {}
    for (article_id, _), text in zip(paragraphs.places, paragraphs.texts, strict=True):
        kept.setdefault(article_id, []).append(normalised(text))
    numbers = {}
    for article in articles:
        stored, position = kept.get(ids[article.number], []), 0
        for source_number, text in enumerate(article.paragraphs, start=1):
            if position < len(stored) and stored[position] in normalised(text):
                numbers[(article.number, source_number)] = position + 1
                position += 1
    return numbers


def on_stored_paragraphs(questions: list[Question], numbers: dict) -> list[Question]:
    return [replace(q, paragraph=numbers[(q.article, q.paragraph)])
            for q in questions if (q.article, q.paragraph) in numbers]


def quiz_split_masks(questions: list[Question]) -> dict[str, np.ndarray]:
    weeks = np.array([q.article for q in questions])
    return {"report": weeks % 2 == 1, "tune": weeks % 2 == 0, "all": np.ones(len(weeks), bool)}


def quiz_abstention(searcher: Searcher, questions: list[Question]) -> dict[str, dict[str, float]]:
    """With the even-numbered weeks indexed: answered share of questions about them, refused
    share of those about the others; calibration = weeks 0, 1 mod 4, report = 2, 3 mod 4."""
    rows = {}
    for name, wanted_indexed in (("indexed weeks", True), ("unindexed weeks", False)):
        group = [q for q in questions if (q.article % 2 == 0) == wanted_indexed]
        answered = np.array([searcher.ask(q.text).answered for q in group])
        want = answered if wanted_indexed else ~answered
        report = np.array([q.article % 4 >= 2 for q in group])
        rows[name] = {"calibration": float(want[~report].mean()), "report": float(want[report].mean()),
                      "all": float(want.mean())}
    return rows


# -- whole articles ---------------------------------------------------------------------


@dataclass(frozen=True)
class ArticleQuestion:
    text: str
    week: str  # the quiz week, YYYYMMDD
    urls: frozenset[str]  # its gold article(s)
    answer: str | None  # the answer's normalised words, when they occur verbatim in the article


def article_questions(work: Path) -> list[ArticleQuestion]:
    lines = (news_folder(work) / "news-articles-dev-questions.jsonl").read_text(encoding="utf-8").splitlines()
    records = [json.loads(line) for line in lines if line.strip()]
    return [ArticleQuestion(" ".join(r["question"].split()), r["id"].split("_")[0], frozenset(r["urls"]),
                            normalised(r["answer"]) if r.get("answer") else None) for r in records]


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


# -- reporting --------------------------------------------------------------------------


def quiz_table(results: dict[str, dict[str, Scores]], where: str) -> list[str]:
    lines = [
        "| system | " + " | ".join(f"{s} R@1 | {s} R@5 | {s} MRR@10" for s in SPLITS)
        + " | answered (report) |",
        "|---|" + "---:|" * (3 * len(SPLITS) + 1),
    ]
    for system, by_split in results.items():
        cells = [f"{getattr(by_split[s], m):.3f}" for s in SPLITS for m in ("r1", "r5", "mrr")]
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {1 - by_split['report'].refused:.3f} |")
    return [f"**{where}**", "", *lines, ""]


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


# -- the run ----------------------------------------------------------------------------


def never_refusing(settings):
    return replace(settings, min_similarity=0.0, min_answer_probability=0.0,
                   min_answer_probability_in_article=0.0)


def measure_quiz(work: Path, embedder, settings) -> tuple[list[str], dict]:
    """The quiz evidence tables, and the raw figures (for tuning scripts)."""
    articles, questions = quiz_weeks(work)
    build(work, articles, embedder, name="news_quiz", index="index_news_quiz")
    texts = list(dict.fromkeys(q.text for q in questions))
    cached = KnownQuestions(embedder, texts, question_vectors(work, texts, embedder))
    library = Library(work / "index_news_quiz", cached)
    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    ids = {a.number: by_name[a.file_name] for a in articles}
    questions = on_stored_paragraphs(questions, stored_paragraph_numbers(library, articles, ids))
    vectors = np.stack([cached.known[q.text] for q in questions])
    baseline_ranks, *_ = measure_baselines(library, questions, vectors, ids)
    masks = quiz_split_masks(questions)
    tables, figures = [], {}
    for where, title in (("in", "Quiz evidence, in-article (search restricted to the question's week)"),
                         ("all", f"Quiz evidence, corpus-wide ({library.passage_count:,} passages)")):
        rows = {
            "product": measure_product(Searcher(library, settings), questions, ids, where),
            "product, abstention off": measure_product(
                Searcher(library, never_refusing(settings)), questions, ids, where),
        }
        rows |= {name: (baseline_ranks[f"{name} {where}"], None) for name in ("dense", "BM25")}
        scores = {system: {s: Scores.of(r[m], None if f is None else f[m]) for s, m in masks.items()}
                  for system, (r, f) in rows.items()}
        figures[where] = scores
        tables += quiz_table(scores, title)
    library.close()
    even = even_index(work, articles, cached, source="index_news_quiz", target="index_news_quiz_even")
    abstention = quiz_abstention(Searcher(even, settings), questions)
    even.close()
    figures["abstention"] = abstention
    tables += [
        "**Quiz evidence, abstention** (only the even-numbered weeks indexed; calibration ="
        " weeks 0, 1 mod 4, report = 2, 3 mod 4)", "",
        "| questions | want | calibration | report | all |", "|---|---|---:|---:|---:|",
        *(f"| {name} | {'answered' if name == 'indexed weeks' else 'refused'} | {row['calibration']:.3f}"
          f" | {row['report']:.3f} | {row['all']:.3f} |" for name, row in abstention.items()), "",
    ]
    counts = f"{len(articles)} weeks, {len(questions)} questions"
    return tables, figures | {"counts": counts}


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


def news_section(work: Path, embedder, settings) -> list[str]:
    quiz, quiz_figures = measure_quiz(work, embedder, settings)
    articles, article_figures = measure_articles(work, embedder, settings)
    return [
        "### News", "",
        f"RealTime QA's development split (`../shared/news/newsquiz.py`, built into bench/_work/news):"
        f" quiz evidence {quiz_figures['counts']}; whole articles {article_figures['counts']}."
        " Report = odd-numbered weeks (the honest figure), tune = even-numbered weeks;"
        " a refused question counts as a miss.", "",
        *quiz, *articles,
    ]
