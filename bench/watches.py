"""Standing questions (/watch) on the news development split: do alerts point at answers?

    python bench/watches.py [--watches N] [--no-write] [--rescore]

The first half of the quiz weeks (in date order) is indexed, each week an article dated on
its quiz day; the second half then arrives one week at a time, as a feed would bring it.
The standing questions are the quiz questions of the later weeks (all 2,180 of them, about
20 min on 2 cores; or every k-th, N of them), each watching from the start. After every
week's ingest each watch is asked as the product asks it (Searcher.watch_candidate: its
best passage over the whole index, the answer model's probability, the recency prior read
on that week's day, and how far that passage leads the best passage held before, in fused
score and in cosine); an alert is a new passage that is its best and passes the rule,
never the same passage twice.

An alert is relevant when it is the passage the question was written on (strict: the
target, issue 14: at least 0.8); also reported: when it is a passage of that question's
week (the same story, other outlets' words), and when it is the gold passage or holds the
quiz's answer (a running story's earlier or later passage often answers the question too).
Per setting: alerts, those precisions, and the share of watches alerted by their own
answer - for the watches of even-numbered later weeks (tune) and odd ones (report). The
shipped rule (`watch_min_probability`, `watch_min_score_lead`: retrieval/watch_match.py) is
chosen on the tune watches alone: of the settings whose strict precision there is at least
0.8, the one alerting most tune watches by their answer (then the more precise). The
cosine lead the product used before (`watch_min_lead`) is chosen the same way, for
comparison. With all watches, the figures of the 200 an earlier version watched (every
10th) are shown too: a watch's alerts do not depend on the other watches.
"""

import argparse
import json
import pickle
import random
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality_common import WORK, KnownQuestions, question_vectors  # noqa: E402
from bench.quality_news import (  # noqa: E402
    news_folder,
    news_missing,
    normalised,
    quiz_weeks,
    stored_paragraph_numbers,
)
from bench.quality_squad import _load  # noqa: E402
from bench.results_file import publish  # noqa: E402
from bench.time_questions import week_day  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402

PROBABILITIES = (0.5, 0.7, 0.8, 0.9, 0.95, 0.99)
# (answer probability, lead in fused score over the best passage held before): the rule
SCORE_GRID = [(p, lead) for p in PROBABILITIES for lead in (0.0, 1.0, 2.0, 2.5, 3.0, 3.5, 4.0, 4.5, 5.0, 6.0)]
# (answer probability, lead in cosine similarity): the rule before, for comparison
COSINE_GRID = [(p, lead) for p in PROBABILITIES for lead in (0.0, 0.05, 0.1, 0.15, 0.2)]
FLOOR = 0.8  # the target: strict precision on the tune watches at least this
EARLIER_WATCHES = 200  # the number of watches the benchmark asked before (every 10th)


@dataclass(frozen=True)
class Seen:
    """After one week's ingest: a watch's best passage, when it is new, and the signals."""

    watch: int
    passage: int
    probability: float
    score_lead: float  # its fused score less the best fused score of a passage not new
    similarity_lead: float  # the same in cosine similarity to the question
    text: str


def jsonl(articles) -> str:
    return "".join(json.dumps({"title": a.title, "text": "\n\n".join(a.paragraphs),
                               "url": f"quiz://{a.title.replace(' ', '-')}",
                               "published": week_day(a.title).isoformat()}) + "\n" for a in articles)


def ingest(library: Library, folder: Path, name: str, articles) -> None:
    path = folder / f"{name}.jsonl"
    path.write_text(jsonl(articles), encoding="utf-8")
    report = library.ingest([path])
    if report.errors:
        raise SystemExit("; ".join(report.errors))


def every_kth(items: list, count: int | None) -> list:
    """Every k-th item, `count` of them (all when None)."""
    if count is None:
        return items
    return items[::max(1, len(items) // count)][:count]


def run(watch_count: int | None) -> dict:
    started = time.perf_counter()
    settings = load_settings(DEFAULT_CONFIG).search
    embedder = MiniLMEmbedder()
    weeks, questions = quiz_weeks(WORK)
    weeks = sorted(weeks, key=lambda a: week_day(a.title))
    half = len(weeks) // 2
    earlier, later = weeks[:half], weeks[half:]
    later_numbers = {a.number for a in later}
    watched = every_kth([q for q in questions if q.article in later_numbers], watch_count)
    texts = [q.text for q in watched]
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))

    folder = WORK / "watches"
    shutil.rmtree(folder, ignore_errors=True)
    folder.mkdir(parents=True)
    library = Library(folder / "index", cached, batch_size=64)
    ingest(library, folder, "earlier", earlier)
    searcher = Searcher(library, settings)
    seen: list[Seen] = []
    week_of: dict[int, int] = {}  # passage id -> week number
    for article in earlier:
        [stored] = [a for a in library.articles() if a.title == article.title]
        for pid in library.store.passage_ids_of(stored.article_id):
            week_of[pid] = article.number
    for position, article in enumerate(later):
        ingest(library, folder, f"week-{position}", [article])
        [stored] = [a for a in library.articles() if a.title == article.title]
        new = set(library.store.passage_ids_of(stored.article_id))
        week_of.update({pid: article.number for pid in new})
        for number, question in enumerate(watched):
            match = searcher.watch_candidate(question.text, week_day(article.title), new)
            if match is not None and match.passage.passage_id in new:
                seen.append(Seen(number, match.passage.passage_id, match.probability, match.score_lead,
                                 match.similarity_lead, match.passage.text))
        if position % 10 == 9:
            print(f"week {position + 1} of {len(later)} ({time.perf_counter() - started:.0f} s)",
                  file=sys.stderr)
    gold = gold_passages(library, weeks, watched)
    library.close()
    return {"seconds": time.perf_counter() - started, "seen": seen, "watched": watched, "gold": gold,
            "week_of": week_of, "answers": quiz_answers(), "weeks": (len(earlier), len(later)),
            "settings": settings, "every_question": watch_count is None}


def gold_passages(library: Library, weeks, watched) -> list[int | None]:
    """Each watched question's gold passage id (None when the product dropped it as chrome)."""
    ids = {a.number: next(s.article_id for s in library.articles() if s.title == a.title) for a in weeks}
    numbers = stored_paragraph_numbers(library, weeks, ids)
    found = []
    for question in watched:
        paragraph = numbers.get((question.article, question.paragraph))
        passages = library.store.passages_of_article(ids[question.article], paragraph, paragraph) \
            if paragraph else []
        found.append(passages[0].passage_id if passages else None)
    return found


def quiz_answers() -> dict[str, list[str]]:
    """Question text (as quiz_weeks gives it) -> the quiz's answers, normalised."""
    return {" ".join(qa["question"].split()): [normalised(a["text"]) for a in qa["answers"]
                                               if a["text"].strip()]
            for record in _load(news_folder(WORK) / "news-snippets-dev.json.gz")
            for paragraph in record["paragraphs"] for qa in paragraph["qas"]}


def split_of(question) -> str:
    return "tune" if question.article % 2 == 0 else "report"


def score(facts: dict, passes, watches: set[int] | None = None) -> dict:
    """split -> alerts, strict precision, same-week precision, gold-or-answer precision,
    share of the split's watches alerted by their answer, and the alerts themselves."""
    watched, gold, week_of, answers = facts["watched"], facts["gold"], facts["week_of"], facts["answers"]
    by_split = {}
    for split in ("tune", "report"):
        alerted: dict[tuple[int, int], bool] = {}
        lenient = answering = 0
        for record in facts["seen"]:
            question = watched[record.watch]
            place = (record.watch, record.passage)
            if split_of(question) != split or (watches is not None and record.watch not in watches) \
                    or place in alerted or not passes(record):
                continue
            strict = record.passage == gold[record.watch]
            alerted[place] = strict
            lenient += week_of.get(record.passage) == question.article
            text = normalised(record.text)
            answering += strict or any(answer in text for answer in answers.get(question.text, []))
        count = len(alerted)
        total = sum(1 for w, q in enumerate(watched)
                    if split_of(q) == split and (watches is None or w in watches))
        by_split[split] = {
            "alerts": count, "strict": sum(alerted.values()) / count if count else float("nan"),
            "lenient": lenient / count if count else float("nan"),
            "answering": answering / count if count else float("nan"),
            "answered": len({w for (w, _), strict in alerted.items() if strict}) / max(total, 1),
            "watches": total, "by_watch": alerted,
        }
    return by_split


def by_score(probability: float, lead: float):
    return lambda record: record.probability >= probability and record.score_lead >= lead


def by_cosine(probability: float, lead: float):
    return lambda record: record.probability >= probability and record.similarity_lead >= lead


def choose(rows: dict, floor: float = FLOOR):
    """Of the settings whose tune strict precision is at least `floor`, the one alerting
    most tune watches by their answer, then the more precise, then the stricter (None when
    none is)."""
    passing = [t for t, row in rows.items() if row["tune"]["alerts"] and row["tune"]["strict"] >= floor]
    return max(passing, key=lambda t: (rows[t]["tune"]["answered"], rows[t]["tune"]["strict"], t),
               default=None)


def interval(alerted: dict[tuple[int, int], bool], draws: int = 2000) -> tuple[float, float]:
    """A 95% bootstrap interval of strict precision, resampling watches (a watch's alerts
    go together)."""
    per_watch: dict[int, list[bool]] = {}
    for (watch, _), strict in alerted.items():
        per_watch.setdefault(watch, []).append(strict)
    groups = list(per_watch.values())
    if not groups:
        return float("nan"), float("nan")
    rng, values = random.Random(14), []
    for _ in range(draws):
        sample = [rng.choice(groups) for _ in groups]
        values.append(sum(map(sum, sample)) / sum(map(len, sample)))
    values.sort()
    return values[int(0.025 * draws)], values[int(0.975 * draws) - 1]


HEAD = ("alerts | strict precision | same week | gold or answer | watches alerted by their answer")


def cells(row: dict) -> str:
    return (f"{row['alerts']} | {row['strict']:.3f} | {row['lenient']:.3f} | {row['answering']:.3f}"
            f" | {row['answered']:.3f}")


def grid_table(rows: dict, lead_name: str) -> list[str]:
    lines = [f"| probability | {lead_name} | report {HEAD.replace(' | ', ' | report ')} |"
             f" tune {HEAD.replace(' | ', ' | tune ')} |", "|---:|---:|" + "---:|" * 10]
    for (probability, lead), by_split in rows.items():
        lines.append(f"| {probability:g} | {lead:g} | {cells(by_split['report'])}"
                     f" | {cells(by_split['tune'])} |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=None,
                        help="watch every k-th later-week question, this many (default: all)")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    parser.add_argument("--rescore", action="store_true",
                        help="score the last run's records again (after changing the watch settings)")
    arguments = parser.parse_args()
    if news_missing(WORK):
        return 1
    records = WORK / "watches" / "records.pickle"
    if arguments.rescore:
        if not records.exists():
            print("no records of a run yet: run bench/watches.py without --rescore", file=sys.stderr)
            return 1
        facts = pickle.loads(records.read_bytes())
        facts["settings"] = load_settings(DEFAULT_CONFIG).search
    else:
        facts = run(arguments.watches)
        records.write_bytes(pickle.dumps(facts))
    watched, settings = facts["watched"], facts["settings"]
    if arguments.rescore and len(watched) != (arguments.watches or len(watched)):
        print(f"the last run watched {len(watched)} questions", file=sys.stderr)
        return 1
    subsets = {f"all {len(watched):,}": None}
    if facts["every_question"]:
        earlier_watches = set(every_kth(list(range(len(watched))), EARLIER_WATCHES))
        subsets[f"every 10th ({EARLIER_WATCHES})"] = earlier_watches
    shipped = (settings.watch_min_probability, settings.watch_min_score_lead)
    summary = ["| watches | rule | probability, lead | why shown | report "
               + HEAD.replace(" | ", " | report ") + " | report strict, 95% interval | tune "
               + HEAD.replace(" | ", " | tune ") + " |",
               "|---|---|---|---|" + "---:|" * 11]
    grids = {}
    for label, watches in subsets.items():
        scored = {t: score(facts, by_score(*t), watches) for t in SCORE_GRID}
        cosine = {t: score(facts, by_cosine(*t), watches) for t in COSINE_GRID}
        grids[label] = (scored, cosine)
        chosen, margin, chosen_cosine = choose(scored), choose(scored, FLOOR + 0.02), choose(cosine)
        rows: dict[tuple, list[str]] = {}  # (rule, setting) -> why it is shown
        rows.setdefault(("fused-score lead", shipped), []).append("shipped")
        rows.setdefault(("fused-score lead", chosen), []).append(f"chosen: tune ≥ {FLOOR:g}")
        rows.setdefault(("fused-score lead", margin), []).append(f"tune ≥ {FLOOR + 0.02:g}")
        rows.setdefault(("cosine lead", (0.8, 0.15)), []).append("shipped before")
        rows.setdefault(("cosine lead", chosen_cosine), []).append(f"chosen: tune ≥ {FLOOR:g}")
        for (rule, setting), why in rows.items():
            if setting is None:
                continue
            passes = by_score(*setting) if rule == "fused-score lead" else by_cosine(*setting)
            by_split = score(facts, passes, watches)
            low, high = interval(by_split["report"]["by_watch"])
            summary.append(f"| {label} | {rule} | {setting[0]:g}, {setting[1]:g} | {'; '.join(why)}"
                           f" | {cells(by_split['report'])} | {low:.3f}-{high:.3f}"
                           f" | {cells(by_split['tune'])} |")
        grids[label] += (chosen,)
    label = next(iter(subsets))
    scored, cosine, chosen = grids[label]
    earlier, later = facts["weeks"]
    publish("Watches", [
        f"`python bench/watches.py`: quiz weeks of the news development split; {len(watched):,} standing"
        f" questions over {later} weeks fed one at a time onto {earlier} indexed; {facts['seconds']:.0f} s."
        f" Shipped `watch_min_probability` {shipped[0]:g}, `watch_min_score_lead` {shipped[1]:g}; of the"
        f" settings with strict precision ≥ {FLOOR:g} on the tune watches ({label}), the one alerting most"
        f" of them by their answer: {chosen}. Strict: the alert is the passage the question was written"
        " on; same week: a passage of its quiz week; gold or answer: the gold passage or one holding the"
        " quiz's answer. The interval resamples report watches.", "", *summary, "",
        f"Fused-score lead, every setting ({label}):", "", *grid_table(scored, "score lead"), "",
        f"Cosine lead (the rule before), every setting ({label}):", "", *grid_table(cosine, "cosine lead")],
        not arguments.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
