"""Copies found at ingest (index/copy_groups.py), measured on a corpus of known copies.

    python bench/copies.py [--seed 7] [--tune] [--no-write]

Needs the news development split in bench/_work/news (bench/quality_news.py); internal
evaluation only: the corpus is made and kept in bench/_work/copies, never committed.

The corpus: the split's whole articles (the originals), each also run by 1-3 other outlets
(a seeded RNG): another URL and host, a later day, the outlet's chrome (a dateline
"LONDON (Wire A) —", a newsletter or "Read more:" line, all of which the product drops), a
changed headline, one sentence reworded (a clause moved, a few words swapped for synonyms
from a small table, or "said" -> "told reporters"), and a paragraph dropped, a paragraph of
new text added (written here, from no article), or both. Known truth: a copy is the same
story as its original; paragraph j of a copy corresponds to paragraph i of the original it
was made from (reworded or not); new text corresponds only to the same text elsewhere.

Measured, in one run:
- story and paragraph-group precision and recall, pairwise over pairs of articles and
  pairs of passages of different articles (predicted same vs truly same), read with
  copy_groups.stories_of / copy_groups.copy_groups; false merges and missed copies counted
  and shown apart, the paragraph ones by kind (distinct originals / same story, and what
  was done to the copy); on all the articles, and on each half of the originals (with their
  copies) by position parity, the even half for tuning (--tune) and the odd one to report;
- the whole-article quiz questions (bench/quality_articles.py) asked of the copies corpus:
  replies showing two copies of one paragraph (two shown passages in one copy group, or
  whose texts are copies by copy_marks.are_copies; the truth's count too), and answer's
  words in the top 3 beside an originals-only index and the copies corpus with detection
  off (Library._copies patched to find nothing, in this process only);
- ingest cost: passages/s with detection and without, vectors read from a cache (the model's
  own time, measured apart, is the same for both), and the time spent finding copies;
- query latency over the same questions, on the copies corpus with detection and without,
  interleaved, median of 3 per question: with the question vectors cached (the search's own
  work) and with each question encoded as a user's is.

--tune also re-ingests the corpus under a small grid of copy_groups' constants
(monkeypatched in this process) and prints both halves for each.
"""

import argparse
import sys
import time
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench.copies_corpus import FOLDER, make_corpus, paragraph_truth, write_corpus  # noqa: E402
from bench.copies_groups import group_figures, source_sharing  # noqa: E402
from bench.copies_ingest import CachedVectors, ingest, load_embedder  # noqa: E402
from bench.copies_replies import ask_all, latencies  # noqa: E402
from bench.copies_report import Measured, groups_table, section_lines  # noqa: E402
from bench.copies_tune import tune  # noqa: E402
from bench.quality_articles import article_questions, build_articles, offtopic_questions  # noqa: E402
from bench.quality_common import WORK, KnownQuestions, question_vectors  # noqa: E402
from bench.quality_news import news_missing  # noqa: E402
from bench.results_file import publish  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402


def run(seed: int, with_tuning: bool) -> tuple[list[str], dict]:
    started = time.perf_counter()
    settings = load_settings(DEFAULT_CONFIG).search
    real = load_embedder()
    FOLDER.mkdir(parents=True, exist_ok=True)
    embedder = CachedVectors(real, FOLDER / "vectors.npy")
    made = make_corpus(seed)
    corpus = FOLDER / f"corpus-{seed}.jsonl"
    write_corpus(made, corpus)
    truth = paragraph_truth(made, corpus)

    on = ingest(corpus, FOLDER / "index_on", embedder, detect=True)
    embedder.save()  # the first run encodes; the rest read the cache
    if embedder.encoded:  # the first ingest encoded: measure again on the cache
        on.library.close()
        on = ingest(corpus, FOLDER / "index_on", embedder, detect=True)
    on.library.close()
    # twice each, the other way round the second time: the faster of each (the cores are shared)
    runs = {True: [on], False: []}
    for detect in (False, False, True):
        runs[detect].append(
            ingest(corpus, FOLDER / ("index_on" if detect else "index_off"), embedder, detect)
        )
        runs[detect][-1].library.close()
    on, off = (min(runs[d], key=lambda b: b.seconds) for d in (True, False))
    on.library, off.library = Library(FOLDER / "index_on", embedder), Library(FOLDER / "index_off", embedder)
    passages = on.library.passage_count
    sample = [t for t, _ in zip(embedder.known, range(512), strict=False)]
    model_started = time.perf_counter()
    real.encode(sample[:256], batch_size=64)
    real.encode(sample[256:], batch_size=64)
    model_per_text = (time.perf_counter() - model_started) / len(sample)
    print(f"ingest: detection on {on.seconds:.1f} s, off {off.seconds:.1f} s", file=sys.stderr)

    sharing = source_sharing(made, truth)
    result = group_figures(on.library, made, truth, sharing)
    print("\n".join(groups_table(result["figures"])), file=sys.stderr)

    questions = article_questions(WORK)
    offtopic = offtopic_questions(WORK)
    texts = list(dict.fromkeys([q.text for q in questions] + offtopic))
    vectors = question_vectors(WORK, texts, real)
    originals_library = build_articles(WORK, KnownQuestions(real, texts, vectors))
    for built in (on, off):
        built.library.embedder = KnownQuestions(embedder, texts, vectors)
    searchers = {
        "copies corpus": Searcher(on.library, settings),
        "copies corpus, detection off": Searcher(off.library, settings),
        "originals only": Searcher(originals_library, settings),
    }
    libraries = {
        "copies corpus": on.library,
        "copies corpus, detection off": off.library,
        "originals only": originals_library,
    }
    replies = {
        name: ask_all(
            libraries[name],
            s,
            questions,
            None if name == "originals only" else made,
            None if name == "originals only" else truth,
        )
        for name, s in searchers.items()
    }
    latency_on, latency_off = latencies(
        searchers["copies corpus"], searchers["copies corpus, detection off"], questions
    )
    for built in (on, off):  # as a user asks: each question encoded by the product's encoder
        built.library.embedder = real
    encoded_on, encoded_off = latencies(
        searchers["copies corpus"], searchers["copies corpus, detection off"], questions
    )
    tuning = tune(corpus, embedder, made, truth, sharing) if with_tuning else []
    for library in (on.library, off.library, originals_library):
        library.close()
    embedder.save()
    measured = Measured(
        seed=seed,
        with_tuning=with_tuning,
        made=made,
        passages=passages,
        seconds=time.perf_counter() - started,
        result=result,
        replies=replies,
        questions=len(questions),
        on=on,
        off=off,
        model_per_text=model_per_text,
        latency=(latency_on, latency_off),
        encoded_latency=(encoded_on, encoded_off),
        tuning=tuning,
    )
    lines = section_lines(measured)
    return lines, {"result": result, "replies": replies}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tune", action="store_true", help="also try a grid of copy_groups' constants")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    if news_missing(WORK):
        return 1
    lines, _ = run(arguments.seed, arguments.tune)
    publish("Copies", lines, not arguments.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
