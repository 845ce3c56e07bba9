"""Questions asked on a day (issue 14): RealTime QA's development split with dates.

    python bench/time_questions.py [--grid]

Each quiz week is indexed as one article published on the quiz's date, and each question is
asked on its own `question_date` (as_of). Corpus-wide R@1 / R@5 / MRR@10 and the share
answered, split by week as bench/quality.py does (even weeks tune, odd weeks report):

- plain dense, and the product asked with no day (bench/quality.py's figures);
- the product asked on the question's day, the question as written (a "this week" in it
  scopes the search; the recency prior at its configured weight);
- the same with the time scope the quiz implies: " this week" added to a question that
  names no days.

The whole 2022 articles (their own publication dates) get the same rows, scored as
bench/quality_articles.py scores them. `--grid` adds the recency prior at other weights
and half-lives (to choose its setting on the tuning weeks).
"""

import argparse
import gzip
import json
import sys
import time
from dataclasses import replace
from datetime import date
from pathlib import Path

import numpy as np

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality_articles import (  # noqa: E402
    ArticleHits,  # noqa: E402
    article_questions,
    article_split_masks,
    baseline_article_hits,
    build_articles,
)
from bench.quality_common import (  # noqa: E402
    WORK,
    KnownQuestions,
    Scores,
    measure_baselines,
    question_vectors,
    rank_of,
    shown_places,
)
from bench.quality_news import (  # noqa: E402
    news_folder,
    news_missing,
    on_stored_paragraphs,
    quiz_split_masks,
    quiz_weeks,
    stored_paragraph_numbers,
)
from bench.results_file import publish  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from retrieval.time_scope import find_time_scope  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402

SPLITS = ("report", "tune", "all")
# recency prior settings tried with --grid: (weight, half-life in days)
GRID = [(w, h) for w in (1.0, 2.0, 4.0, 8.0, 16.0) for h in (7.0, 30.0)]


def week_day(title: str) -> date:
    """"news quiz week 20200103" -> 2020-01-03."""
    digits = title.rsplit(" ", 1)[-1]
    return date(int(digits[:4]), int(digits[4:6]), int(digits[6:]))


def question_days(work: Path) -> dict[tuple[int, str], date]:
    """(week number, question text) -> the day the quiz asked it."""
    with gzip.open(news_folder(work) / "news-snippets-dev.json.gz", "rt", encoding="utf-8") as handle:
        data = json.load(handle)["data"]
    days = {}
    for number, record in enumerate(data):
        for paragraph in record["paragraphs"]:
            for qa in paragraph["qas"]:
                year, month, day = map(int, qa["question_date"].replace("-", "/").split("/"))
                days[(number, " ".join(qa["question"].split()))] = date(year, month, day)
    return days


def build_dated_quiz(work: Path, embedder, articles) -> Library:
    """The quiz weeks as a .jsonl of articles published on their quiz's day (cached)."""
    folder = work / "news_quiz_dated"
    folder.mkdir(parents=True, exist_ok=True)
    lines = [json.dumps({"title": a.title, "text": "\n\n".join(a.paragraphs),
                         "url": f"quiz://{a.title.replace(' ', '-')}",
                         "published": week_day(a.title).isoformat()}) for a in articles]
    source = folder / "weeks.jsonl"
    text = "\n".join(lines) + "\n"
    if not source.exists() or source.read_text(encoding="utf-8") != text:
        source.write_text(text, encoding="utf-8")
    library = Library(work / "index_news_quiz_dated", embedder, batch_size=64)
    report = library.ingest([folder])
    if report.errors:
        raise SystemExit("; ".join(report.errors))
    return library


def implied_scope(question: str, as_of: date) -> str:
    """The question with " this week" added when it names no days of its own."""
    scope, _ = find_time_scope(question, as_of)
    return question if scope else question.rstrip(" ?") + " this week?"


def quiz_rows(library: Library, questions, days, ids, settings, grid: bool) -> dict[str, tuple]:
    """system -> (ranks, refused) over the quiz questions, corpus-wide."""
    rows = {}

    def ask(name, searcher, dated: bool, rewrite=lambda q, d: q):
        started = time.perf_counter()
        ranks, refused = [], []
        for question in questions:
            day = days[question] if dated else None
            answer = searcher.ask(rewrite(question.text, day), k=10, as_of=day)
            ranks.append(rank_of(shown_places(answer), (ids[question.article], question.paragraph)))
            refused.append(not answer.answered)
        rows[name] = (np.array(ranks), np.array(refused))
        print(f"{name}: {time.perf_counter() - started:.0f} s", file=sys.stderr)

    no_prior = replace(settings, recency_weight=0.0)
    ask("product, no day", Searcher(library, no_prior), dated=False)
    ask("product on the day, as written, no recency prior", Searcher(library, no_prior), dated=True)
    ask("product on the day, as written", Searcher(library, settings), dated=True)
    ask("product on the day, \"this week\" implied", Searcher(library, settings), dated=True,
        rewrite=implied_scope)
    if grid:
        for weight, half_life in GRID:
            tried = replace(settings, recency_weight=weight, recency_half_life_days=half_life)
            ask(f"as written, recency {weight:g} / {half_life:g} days", Searcher(library, tried), dated=True)
    return rows


def article_rows(library: Library, questions, settings, grid: bool) -> dict[str, object]:
    """system -> ArticleHits over the whole-article questions, asked on their quiz's day."""
    days = {q: _iso(q.day) for q in questions}
    rows = {}
    systems = [
        ("product, no day", replace(settings, recency_weight=0.0), False, None),
        ("product on the day, as written, no recency prior", replace(settings, recency_weight=0.0), True,
         None),
        ("product on the day, as written", settings, True, None),
        ("product on the day, \"this week\" implied", settings, True, implied_scope),
    ]
    if grid:
        systems += [(f"as written, recency {w:g} / {h:g} days",
                     replace(settings, recency_weight=w, recency_half_life_days=h), True, None)
                    for w, h in GRID]
    for name, chosen, dated, rewrite in systems:
        searcher, shown = Searcher(library, chosen), []
        for question in questions:
            day = days[question] if dated else None
            text = rewrite(question.text, day) if rewrite else question.text
            answer = searcher.ask(text, k=3, as_of=day)
            shown.append([(p.citation.url, p.text) for p in answer.passages])
        rows[name] = ArticleHits.of(questions, shown)
    return rows


def _iso(value: str) -> date:
    return date.fromisoformat(value)


def quiz_table(rows: dict[str, tuple], masks: dict[str, np.ndarray], passages: int) -> list[str]:
    lines = [f"**Quiz evidence, corpus-wide ({passages:,} passages), asked on the quiz's day**", "",
             "| system | " + " | ".join(f"{s} R@1 | {s} R@5 | {s} MRR@10" for s in SPLITS)
             + " | answered (report) |", "|---|" + "---:|" * (3 * len(SPLITS) + 1)]
    for name, (ranks, refused) in rows.items():
        scores = {s: Scores.of(ranks[m], None if refused is None else refused[m]) for s, m in masks.items()}
        cells = [f"{getattr(scores[s], m):.3f}" for s in SPLITS for m in ("r1", "r5", "mrr")]
        answered = 1 - scores["report"].refused if refused is not None else 1.0
        lines.append(f"| {name} | " + " | ".join(cells) + f" | {answered:.3f} |")
    return [*lines, ""]


def articles_table(rows: dict[str, ArticleHits], masks: dict[str, np.ndarray]) -> list[str]:
    lines = ["**Whole articles, corpus-wide, asked on the quiz's day**", "",
             "| system | " + " | ".join(f"{s} article first | {s} answer in top 3 | {s} answered"
                                        for s in SPLITS) + " |",
             "|---|" + "---:|" * (3 * len(SPLITS))]
    for name, hits in rows.items():
        cells = []
        for split in SPLITS:
            scores = hits.scores(masks[split])
            cells += [f"{scores['first']:.3f}", f"{scores['answer']:.3f}", f"{scores['answered']:.3f}"]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return [*lines, ""]


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--grid", action="store_true", help="also try other recency prior settings")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    if news_missing(WORK):
        return 1
    started = time.perf_counter()
    settings = load_settings(DEFAULT_CONFIG).search
    embedder = MiniLMEmbedder()
    articles, questions = quiz_weeks(WORK)
    texts = list(dict.fromkeys(q.text for q in questions))
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))
    library = build_dated_quiz(WORK, cached, articles)
    by_title = {a.title: a.article_id for a in library.articles()}
    ids = {a.number: by_title[a.title] for a in articles}
    questions = on_stored_paragraphs(questions, stored_paragraph_numbers(library, articles, ids))
    asked_on = question_days(WORK)
    days = {q: asked_on[(q.article, q.text)] for q in questions}
    vectors = np.stack([cached.known[q.text] for q in questions])
    baseline, *_ = measure_baselines(library, questions, vectors, ids)
    rows = {"dense": (baseline["dense all"], None)} | quiz_rows(library, questions, days, ids, settings,
                                                                arguments.grid)
    lines = quiz_table(rows, quiz_split_masks(questions), library.passage_count)
    library.close()

    whole = article_questions(WORK)
    articles_library = build_articles(WORK, embedder)
    vectors = embedder.encode([q.text for q in whole], batch_size=128)
    hits = {"dense": baseline_article_hits(articles_library, whole, vectors)["dense"]}
    hits |= article_rows(articles_library, whole, settings, arguments.grid)
    lines += articles_table(hits, article_split_masks(whole))
    articles_library.close()

    publish("Time in questions", [
        f"`python bench/time_questions.py`: RealTime QA's development split with dates, {len(questions)} quiz"
        f" questions over {len(articles)} weeks and {len(whole)} whole-article questions, each asked on its"
        f" own day (`as_of`); recency prior weight {settings.recency_weight:g}, half-life"
        f" {settings.recency_half_life_days:g} days; {time.perf_counter() - started:.0f} s. Report = odd"
        " weeks, tune = even weeks; a refused question counts as a miss.", "", *lines],
        not arguments.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
