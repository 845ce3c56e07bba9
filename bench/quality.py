"""Retrieval quality on SQuAD and on news: the product beside plain dense, plain BM25 and
RRF, in one run.

    python bench/quality.py              # SQuAD v1.1 dev and the news split; writes bench/RESULTS.md
    python bench/quality.py --quick      # the first 8 SQuAD articles (and news), no RESULTS.md
    python bench/quality.py --news-only  # the news tables only, no RESULTS.md

News: RealTime QA's development split, when bench/_work/news holds it (DEVELOPERS.md;
measured by bench/quality_news.py, whose docstring says how); otherwise the news section
says it was not measured.

Each SQuAD article becomes a text file (title line, blank-line paragraphs), indexed through
the product's own ingestion (`Library.ingest`); every question is asked through the
product's own retrieval (`Searcher.ask`, with the settings in config.toml) and must find
the paragraph it was written on. The built index is cached under bench/_work/ (about two
minutes to build here), so a rerun only asks.

- Quality: Recall@1/3/5 and MRR@10, in-article (`ask(..., article=...)`) and corpus-wide,
  on the even-numbered articles (used for tuning), the odd-numbered ones (the honest
  figure) and all of them. A refused question counts as a miss.
- Abstention: only the even-numbered articles indexed; the share of questions about them
  that is answered, the share about the odd-numbered (unindexed) articles that is refused,
  and the share of SQuAD v2.0's unanswerable questions refused; and, for the in-article
  cut, the share of questions about an indexed article refused when asked about the next
  indexed article instead. The calibration split is
  articles 0 and 1 mod 4; the report split, articles 2 and 3 mod 4.
- Paraphrased questions: the same figures for the questions that share less than half of
  their words (stop words dropped) with the paragraph they were written on, SQuAD's
  nearest stand-in for news questions that paraphrase (keyword-heavy settings lose there).
- Latency: the product's `ask` against plain dense search (encode, FAISS, fetch the rows),
  with the real model, one question at a time.
"""

import argparse
import logging
import sys
import time
from dataclasses import asdict
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_articles import measure_articles  # noqa: E402
from bench.quality_common import (  # noqa: E402
    MISS,
    WORK,
    KnownQuestions,
    Scores,
    build,
    even_index,
    measure_baselines,
    measure_product,
    never_refusing,
    question_vectors,
    rank_of,
    shown_places,
)
from bench.quality_latency import (  # noqa: E402
    DENSE_AGAIN,
    DENSE_FIRST,
    FIRST,
    FROM_DISK,
    STEADY_PASSES,
    measure_latency,
)
from bench.quality_news import measure_quiz, news_present  # noqa: E402
from bench.quality_squad import Question, squad_articles, unanswerable_questions  # noqa: E402
from bench.results_file import replace_section  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import load_settings  # noqa: E402

RESULTS = Path(__file__).resolve().parent / "RESULTS.md"
SPLITS = ("odd", "even", "all")


def split_masks(questions: list[Question]) -> dict[str, np.ndarray]:
    numbers = np.array([q.article for q in questions])
    return {"odd": numbers % 2 == 1, "even": numbers % 2 == 0, "all": np.ones(len(numbers), bool)}


def next_indexed(number: int, indexed: list[int]) -> int:
    """The indexed article after `number` (in order, wrapping): where a question is asked
    about the wrong article, to test the in-article answer cut."""
    return indexed[(indexed.index(number) + 1) % len(indexed)]


def measure_abstention(searcher, questions, unanswerable, dense_all, place_index, even_ids):
    """Answered / refused shares with only the even-numbered articles indexed."""
    rows = {}
    indexed = [q for q in questions if q.article % 2 == 0]
    unindexed = [q for q in questions if q.article % 2 == 1]
    impossible_in = [q for q in unanswerable if q.article % 2 == 0]
    impossible_out = [q for q in unanswerable if q.article % 2 == 1]

    indexed_numbers = sorted({q.article for q in indexed})

    def answered(group, elsewhere=False):
        flags, hits = [], []
        for question in group:
            article = even_ids[next_indexed(question.article, indexed_numbers)] if elsewhere else None
            answer = searcher.ask(question.text, article=article)
            flags.append(answer.answered)
            if question.paragraph is not None:
                gold = (even_ids.get(question.article), question.paragraph)
                hits.append(rank_of(shown_places(answer), gold) < MISS)
        return np.array(flags), np.array(hits)

    for name, group, elsewhere in (
        ("indexed", indexed, False), ("unindexed", unindexed, False),
        ("v2 unanswerable, indexed article", impossible_in, False),
        ("v2 unanswerable, unindexed article", impossible_out, False),
        ("indexed, asked about another indexed article (in-article cut)", indexed, True),
    ):
        flags, hits = answered(group, elsewhere)
        numbers = np.array([q.article for q in group])
        report = (numbers % 4) >= 2
        rows[name] = {
            "calibration": float(flags[~report].mean()), "report": float(flags[report].mean()),
            "all": float(flags.mean()), "hit": float(hits.mean()) if len(hits) else None,
            "hit report": float(hits[report].mean()) if len(hits) else None,
        }
    rows["dense cut-off"] = dense_cutoff(questions, dense_all, place_index, even_ids)
    return rows


def dense_cutoff(questions, dense_all, place_index, even_ids):
    """Plain dense's "not found": refuse below the top cosine that keeps 95% of answerable."""
    even_columns = np.array([i for (a, _), i in place_index.items() if a in set(even_ids.values())])
    top = dense_all[:, even_columns].max(axis=1)
    numbers = np.array([q.article for q in questions])
    indexed, calibration = numbers % 2 == 0, numbers % 4 < 2
    threshold = np.quantile(top[indexed & calibration], 0.05)
    report = ~calibration
    return {
        "threshold": float(threshold),
        "answered (report)": float((top[indexed & report] >= threshold).mean()),
        "refused (report)": float((top[~indexed & report] < threshold).mean()),
    }


# -- reporting -----------------------------------------------------------------------


PARAPHRASED = 0.5  # a question sharing less than this share of its words with its paragraph


def table(results: dict[str, dict[str, Scores]], where: str) -> list[str]:
    lines = [
        "| system | " + " | ".join(f"{s} R@1 | {s} R@3 | {s} R@5 | {s} MRR@10" for s in SPLITS)
        + " | refused |",
        "|---|" + "---:|" * (4 * len(SPLITS) + 1),
    ]
    for system, by_split in results.items():
        cells = [
            f"{getattr(by_split[s], m):.3f}" for s in SPLITS for m in ("r1", "r3", "r5", "mrr")
        ]
        lines.append(f"| {system} | " + " | ".join(cells) + f" | {by_split['all'].refused:.3f} |")
    return [f"**{where}**", "", *lines, ""]


# (where, k, the floor) for the product on the report (odd) split
RECALL_TARGETS = (("in", 1, 0.87), ("in", 5, 0.98), ("all", 1, 0.83), ("all", 5, 0.96))


def corpus_wide_misses(ranks, refused, unrefused_ranks, masks) -> list[str]:
    """Where the corpus-wide R@5 misses go: refused although ranking alone had the paragraph
    in the top 5, or ranked below 5th (or not at all); and R@5 with abstention turned off."""
    lines = [
        "Corpus-wide R@5 misses, by cause (ranking alone: the same search with abstention"
        " turned off):", "",
        "| split | questions | found | refused, though ranked in the top 5 | ranked 6th or lower,"
        " refused or not | R@5, ranking alone |", "|---|---:|---:|---:|---:|---:|",
    ]
    for split in ("odd", "even"):
        m = masks[split]
        refused_found = int(np.sum(refused[m] & (unrefused_ranks[m] <= 5)))
        ranked_low = int(np.sum(unrefused_ranks[m] > 5))
        lines.append(f"| {split} | {int(m.sum())} | {int(np.sum(ranks[m] <= 5))} | {refused_found}"
                     f" | {ranked_low} | {np.mean(unrefused_ranks[m] <= 5):.3f} |")
    return [*lines, ""]


def recall_targets(odd_ranks: dict[str, np.ndarray]) -> list[str]:
    """The recall targets with exact counts, so a figure that rounds to its floor is not
    mistaken for one that reaches it."""
    lines = ["| target (odd split) | questions found | recall | floor | met |", "|---|---:|---:|---:|---|"]
    for where, k, floor in RECALL_TARGETS:
        ranks = odd_ranks[where]
        found = int(np.sum(ranks <= k))
        name = {"in": "in-article", "all": "corpus-wide"}[where]
        lines.append(f"| {name} R@{k} | {found} / {len(ranks)} | {found / len(ranks):.4f} | {floor}"
                     f" | {'yes' if found / len(ranks) >= floor else 'no'} |")
    return [*lines, ""]


def report(args, counts, quality, paraphrased, abstention, latency, settings, elapsed,
           targets: list[str], misses: list[str]) -> str:
    out = [
        "## Quality", "",
        f"`{args.command}`: {counts}; {elapsed:.0f} s on this machine"
        " (index cached under bench/_work/). Even-numbered articles were used for tuning;"
        " the odd-numbered ones are the honest figure. Each question must retrieve the"
        " paragraph it was written on; a refused question counts as a miss.", "",
    ]
    out += table(quality["in"], "In-article (search restricted to the question's article)")
    out += table(quality["all"], "Corpus-wide")
    out += targets
    out += misses
    out += table(paraphrased["in"], f"Paraphrased, in-article ({paraphrased['count']} questions"
                 f" sharing under {PARAPHRASED:.0%} of their words with their paragraph)")
    out += table(paraphrased["all"], "Paraphrased, corpus-wide")
    out += [
        "**Abstention** (only the even-numbered articles indexed; calibration split ="
        " articles 0, 1 mod 4, report split = 2, 3 mod 4)", "",
        "| questions | want | calibration | report | all | right paragraph in top k (report) |",
        "|---|---|---:|---:|---:|---:|",
    ]
    for name, row in abstention.items():
        if name == "dense cut-off":
            continue
        answerable = name == "indexed"
        share = (lambda v: v) if answerable else (lambda v: 1 - v)
        hit = f"{row['hit report']:.3f}" if answerable else ""
        out.append(
            f"| {name} | {'answered' if answerable else 'refused'} | {share(row['calibration']):.3f}"
            f" | {share(row['report']):.3f} | {share(row['all']):.3f} | {hit} |"
        )
    cut = abstention["dense cut-off"]
    out += [
        "",
        f"Plain dense with a cosine cut-off ({cut['threshold']:.3f}, the 5th percentile of the"
        f" top cosine of answerable calibration questions): answers {cut['answered (report)']:.3f}"
        f" of answerable report questions and refuses {cut['refused (report)']:.3f} of"
        " unindexed ones.", "",
        f"**Latency** (corpus-wide, one question at a time, the product's ONNX encoder for both,"
        f" {latency['count']} questions, after {latency['count']} other questions answered by the same"
        f" process): plain dense median {latency['dense'][0]:.1f} ms (mean {latency['dense'][1]:.1f});"
        f" product median {latency['product'][0]:.1f} ms (mean {latency['product'][1]:.1f});"
        f" ratio {latency['product'][0] / latency['dense'][0]:.2f}x (medians over {STEADY_PASSES} passes"
        f" of the same questions; each pass alone: "
        + ", ".join(f"{r:.2f}x" for r in latency["pass ratios"]) + "). The product keeps the"
        " passages it last read decoded in memory: over the first questions after start (the"
        f" other {latency['count']}), median {latency[FIRST][0]:.1f} ms against plain dense's"
        f" {latency[DENSE_FIRST][0]:.1f} ms, {latency[FIRST][0] / latency[DENSE_FIRST][0]:.2f}x; with"
        f" that memory emptied before every question, median {latency[FROM_DISK][0]:.1f} ms against"
        f" plain dense's {latency[DENSE_AGAIN][0]:.1f} ms in the same pass,"
        f" {latency[FROM_DISK][0] / latency[DENSE_AGAIN][0]:.2f}x.", "",
        "Settings (config.toml `[retrieval]`): `"
        + ", ".join(f"{k}={v}" for k, v in asdict(settings).items()) + "`", "",
    ]
    return "\n".join(out)


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


def write_results(section: str) -> None:
    replace_section("Quality", section, RESULTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--limit", type=int, help="only the first N SQuAD articles (no RESULTS.md)")
    parser.add_argument("--quick", action="store_true", help="same as --limit 8")
    parser.add_argument("--config", type=Path, default=ROOT / "config.toml")
    parser.add_argument("--no-write", action="store_true", help="print only; leave RESULTS.md alone")
    parser.add_argument("--latency", type=int, default=200, help="questions timed (0: skip)")
    parser.add_argument("--news-only", action="store_true", help="only the news tables (no RESULTS.md)")
    args = parser.parse_args()
    limit = 8 if args.quick else args.limit
    args.command = "python bench/quality.py" + "".join(
        f" {a}" for a in sys.argv[1:])
    logging.basicConfig(level=logging.ERROR)
    faiss.omp_set_num_threads(1)  # one small query at a time: threads only contend
    started = time.perf_counter()

    work = WORK if limit is None else WORK / f"first-{limit}"
    work.mkdir(parents=True, exist_ok=True)
    settings = load_settings(args.config).search
    embedder = MiniLMEmbedder()
    news = news_section(WORK, embedder, settings) if news_present(WORK) else [
        "### News", "", "Not measured: build bench/_work/news first (DEVELOPERS.md).", ""]
    if args.news_only:
        return print("\n".join(news))
    articles, questions = squad_articles(limit)
    unanswerable = unanswerable_questions(articles)
    build(work, articles, embedder)
    texts = list(dict.fromkeys(q.text for q in [*questions, *unanswerable]))
    cached = KnownQuestions(embedder, texts, question_vectors(work, texts, embedder))
    vectors = np.stack([cached.known[q.text] for q in questions])

    library = Library(work / "index_all", cached)
    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    ids = {a.number: by_name[a.file_name] for a in articles}
    baseline_ranks, dense_all, place_index, overlap = measure_baselines(library, questions, vectors, ids)
    searcher = Searcher(library, settings)
    masks = split_masks(questions)
    low = overlap < PARAPHRASED
    quality, paraphrased = {}, {"count": int(low.sum())}
    product_ranks = {}
    for where in ("in", "all"):
        ranks, refused = measure_product(searcher, questions, ids, where)
        product_ranks[where] = ranks[masks["odd"]]
        if where == "all":
            unrefused_ranks, _ = measure_product(
                Searcher(library, never_refusing(settings)), questions, ids, where)
            misses = corpus_wide_misses(ranks, refused, unrefused_ranks, masks)
        rows = {"product": (ranks, refused)}
        rows |= {name: (baseline_ranks[f"{name} {where}"], None) for name in ("dense", "BM25", "RRF")}
        quality[where] = {
            system: {s: Scores.of(r[m], None if f is None else f[m]) for s, m in masks.items()}
            for system, (r, f) in rows.items()
        }
        paraphrased[where] = {
            system: {s: Scores.of(r[m & low], None if f is None else f[m & low])
                     for s, m in masks.items()}
            for system, (r, f) in rows.items()
        }

    even = even_index(work, articles, cached)
    even_ids = {n: i for n, i in ids.items() if n % 2 == 0}
    abstention = measure_abstention(
        Searcher(even, settings), questions, unanswerable, dense_all, place_index, even_ids)
    even.close()

    latency = {"count": 0, "pass ratios": []} | {
        name: (float("nan"),) * 2
        for name in ("dense", "product", FROM_DISK, DENSE_AGAIN, FIRST, DENSE_FIRST)}
    if args.latency:
        latency = measure_latency(work / "index_all", settings, questions, args.latency)
        latency["count"] = args.latency
    counts = (f"{len(articles)} articles, {len(place_index)} paragraphs, {len(questions)} questions,"
              f" {len(unanswerable)} v2.0 unanswerable")
    section = report(args, counts, quality, paraphrased, abstention, latency, settings,
                     time.perf_counter() - started, recall_targets(product_ranks), misses)
    section += "\n".join(news)
    print(section)
    if limit is None and not args.no_write:
        write_results(section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
