"""Retrieval quality on news: RealTime QA's development split, beside plain dense and BM25.

Built by `python ../shared/news/newsquiz.py build GIT_DIR bench/_work/news` (DEVELOPERS.md);
internal evaluation only, never committed. Two settings, the second in
bench/quality_articles.py:

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

import re
import sys
from dataclasses import replace
from pathlib import Path

import numpy as np

from bench.quality_baselines import Paragraphs
from bench.quality_common import (
    KnownQuestions,
    Scores,
    build,
    even_index,
    measure_baselines,
    measure_product,
    never_refusing,
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


def news_missing(work: Path) -> bool:
    """True, after saying what to do, when the news development split is not built."""
    if news_present(work):
        return False
    print("needs the news development split in bench/_work/news: see bench/quality_news.py", file=sys.stderr)
    return True


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


# -- the run ----------------------------------------------------------------------------


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
