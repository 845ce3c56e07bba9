"""Standing questions (/watch) on the news development split: do alerts point at answers?

    python bench/watches.py [--watches N]

The first half of the quiz weeks (in date order) is indexed, each week an article dated on
its quiz day; the second half then arrives one week at a time, as a feed would bring it.
The standing questions are quiz questions of the later weeks (N of them, every k-th), each
watching from the start. After every week's ingest each watch is asked as the product asks
it (Searcher.watch_candidate: its best passage over the whole index and the answer model's
probability, the recency prior read on that week's day); an alert is a new passage that is
its best, at or above the threshold, and never the same passage twice.

An alert is relevant when it is the passage the question was written on (strict), or a
passage of that question's week (lenient: the same story, other outlets' words). Reported
per threshold: alerts, precision (both), and the share of watches alerted by their answer
(strict) - for the watches of even-numbered later weeks (tune) and odd ones (report). The
shipped setting (`watch_min_probability`, `watch_min_lead`: how much more similar the new
passage is than the best the index held before) is, of those whose strict precision on the
tune watches is at least 0.8, the one that alerts most tune watches by their answer (then
the more precise).
"""

import argparse
import json
import shutil
import sys
import time
from dataclasses import dataclass
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.quality_common import WORK, KnownQuestions, question_vectors  # noqa: E402
from bench.quality_news import news_missing, quiz_weeks, stored_paragraph_numbers  # noqa: E402
from bench.results_file import publish  # noqa: E402
from bench.time_questions import week_day  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402

# (answer probability, lead in cosine over the best passage held before)
THRESHOLDS = [(p, lead) for p in (0.5, 0.8, 0.9, 0.95, 0.99) for lead in (0.0, 0.05, 0.1, 0.15, 0.2)]


@dataclass(frozen=True)
class Seen:
    """After one week's ingest: a watch's best passage, whether it is new, its probability."""

    watch: int
    passage: int
    new: bool
    probability: float
    lead: float  # the passage's similarity less the best similarity of a passage not new


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


def run(watch_count: int) -> tuple[list[str], dict]:
    started = time.perf_counter()
    settings = load_settings(DEFAULT_CONFIG).search
    embedder = MiniLMEmbedder()
    weeks, questions = quiz_weeks(WORK)
    weeks = sorted(weeks, key=lambda a: week_day(a.title))
    half = len(weeks) // 2
    earlier, later = weeks[:half], weeks[half:]
    later_numbers = {a.number for a in later}
    candidates = [q for q in questions if q.article in later_numbers]
    step = max(1, len(candidates) // watch_count)
    watched = candidates[::step][:watch_count]
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
            if match is not None:
                seen.append(Seen(number, match.passage.passage_id, match.passage.passage_id in new,
                                 match.probability, match.lead))
    gold = gold_passages(library, weeks, watched)
    library.close()
    figures = score(seen, watched, gold, week_of)
    lines = table(figures, len(watched), len(earlier), len(later))
    seconds = time.perf_counter() - started
    return lines, {"seconds": seconds, "figures": figures,
                   "threshold": (settings.watch_min_probability, settings.watch_min_lead)}


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


def score(seen: list[Seen], watched, gold: list[int | None], week_of: dict[int, int]) -> dict:
    """threshold -> split -> alerts, strict and lenient precision, watches alerted by their answer."""
    figures = {}
    for threshold, min_lead in THRESHOLDS:
        by_split = {}
        for split, wanted in (("tune", 0), ("report", 1), ("all", None)):
            alerted: set[tuple[int, int]] = set()
            strict = lenient = 0
            answered = set()
            for record in seen:
                question = watched[record.watch]
                if wanted is not None and question.article % 2 != wanted:
                    continue
                place = (record.watch, record.passage)
                if not record.new or record.probability < threshold or record.lead < min_lead \
                        or place in alerted:
                    continue
                alerted.add(place)
                strict += record.passage == gold[record.watch]
                lenient += week_of.get(record.passage) == question.article
                if record.passage == gold[record.watch]:
                    answered.add(record.watch)
            watches = sum(1 for q in watched if wanted is None or q.article % 2 == wanted)
            count = len(alerted)
            by_split[split] = {"alerts": count, "strict": strict / count if count else float("nan"),
                               "lenient": lenient / count if count else float("nan"),
                               "answered": len(answered) / max(watches, 1), "watches": watches}
        figures[(threshold, min_lead)] = by_split
    return figures


def table(figures: dict, watches: int, earlier: int, later: int) -> list[str]:
    head = " | ".join(f"{s} alerts | {s} precision | {s} precision, same week | {s} watches alerted by"
                      " their answer" for s in ("report", "tune"))
    lines = [f"{watches} standing questions over {later} weeks fed one at a time onto {earlier} indexed:", "",
             "| probability | lead | " + head + " |", "|---:|---:|" + "---:|" * 8]
    for (threshold, min_lead), by_split in figures.items():
        cells = []
        for split in ("report", "tune"):
            row = by_split[split]
            cells += [str(row["alerts"]), f"{row['strict']:.3f}", f"{row['lenient']:.3f}",
                      f"{row['answered']:.3f}"]
        lines.append(f"| {threshold:g} | {min_lead:g} | " + " | ".join(cells) + " |")
    return lines


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--watches", type=int, default=200)
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    if news_missing(WORK):
        return 1
    lines, run_facts = run(arguments.watches)
    tune = {t: by_split["tune"] for t, by_split in run_facts["figures"].items()}
    passing = [t for t in THRESHOLDS if tune[t]["alerts"] and tune[t]["strict"] >= 0.8]
    chosen = max(passing, key=lambda t: (tune[t]["answered"], tune[t]["strict"])) if passing else None
    publish("Watches", [
        f"`python bench/watches.py`: quiz weeks of the news development split; {run_facts['seconds']:.0f} s."
        f" Shipped `watch_min_probability` {run_facts['threshold'][0]:g}, `watch_min_lead`"
        f" {run_facts['threshold'][1]:g}; of the settings with strict precision ≥ 0.8 on the tune"
        f" watches, the one alerting most of them by their answer: {chosen}.", "", *lines],
        not arguments.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
