"""Speed at every size, each number a ratio to a bare baseline measured in the same run.

    python bench/perf.py              # 1k real paragraphs ingested, queries at 1k/10k/100k/1M,
                                      # vector search to 1M; writes `## Performance` of RESULTS.md
    python bench/perf.py --quick      # 300 paragraphs, queries at 300/3k, vectors to 100k; no write
    python bench/perf.py --report-only   # the section again from the last run's results

The copied query corpora (10k, 100k, 1M passages) are built on first use and kept in
bench/_work/perf/copies-N: the 1M one takes about 20 minutes and 8.5 GB, later runs reuse it.

The machine is two shared, noisy cores, so no target is an absolute time:

- ingest: paragraphs/s through `bot.py index` (a fresh process, everything included) against
  a bare `SentenceTransformer.encode` of the same texts, i.e. every passage plus the
  sentences of multi-sentence passages, which the product embeds for its sentence signal;
- query: `Searcher.ask` end to end in a warm process against a bare one-question encode,
  interleaved question by question, at every size up to 1M passages (real SQLite, FTS5
  and text: edited copies of the SQuAD paragraphs);
- cold start: `bot.py ask` to its answer, and `bot.py run --local` to ready and to the first
  answer, against bench/perf_naive.py (import sentence-transformers, load model and index,
  answer), three runs each, the median;
- vector search to 1M: bench/perf_million.py in its own process (synthetic vectors shaped
  like the real ones);
- memory and disk, and the profile of one query and of one ingest batch.
"""

import argparse
import cProfile
import io
import json
import logging
import os
import pstats
import shutil
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))
os.environ.setdefault("HF_HUB_OFFLINE", "1")

from bench.perf_corpus import (  # noqa: E402
    known_vectors,
    squad_articles,
    write_articles,
    write_copies_to_store,
)
from bench.results_file import replace_section  # noqa: E402
from index.articles import read_articles  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from index.passages import passages_of  # noqa: E402
from retrieval.question import keyword_terms  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import load_settings  # noqa: E402

WORK = ROOT / "bench" / "_work" / "perf"
RESULTS = ROOT / "bench" / "RESULTS.md"
CACHE = Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-passage-bot"
PY = sys.executable


# -- small tools -----------------------------------------------------------------------


def p50(values) -> float:
    return float(np.median(values))


def p95(values) -> float:
    return float(np.percentile(values, 95))


def timed_process(argv: list[str], stdin_lines: list[str] | None = None, marks: tuple = ()):
    """Run a process; (seconds to exit, seconds to each mark line seen on stdout, peak RSS MB)."""
    measure_rss = Path("/usr/bin/time").exists()
    if measure_rss:  # the child's own peak; wait4 would count this big process's pages too
        argv = ["/usr/bin/time", "-f", "maxrss-kb %M", *argv]
    started = time.perf_counter()
    process = subprocess.Popen(
        argv, cwd=ROOT, stdin=subprocess.PIPE if stdin_lines else subprocess.DEVNULL,
        stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    seen = {}
    if marks:
        pending = list(marks)
        for line in process.stdout:
            if pending and pending[0](line):
                seen[len(seen)] = time.perf_counter() - started
                pending.pop(0)
                if stdin_lines:
                    process.stdin.write(stdin_lines.pop(0) + "\n")
                    process.stdin.flush()
            if not pending:
                break
    process.stdout.read()
    error = process.stderr.read()
    process.wait()
    elapsed = time.perf_counter() - started
    if process.returncode != 0:
        raise SystemExit(f"{' '.join(argv)} failed ({process.returncode}): {error[-2000:]}")
    peaks = [line.split()[1] for line in error.splitlines() if line.startswith("maxrss-kb ")]
    return elapsed, seen, int(peaks[-1]) / 1024 if peaks else float("nan")


def folder_bytes(folder: Path) -> int:
    return sum(p.stat().st_size for p in folder.iterdir() if p.is_file())


def profile_lines(profiler: cProfile.Profile, count: int) -> list[str]:
    out = io.StringIO()
    stats = pstats.Stats(profiler, stream=out)
    stats.sort_stats("cumulative").print_stats(count)
    lines = [line for line in out.getvalue().splitlines() if line.strip()]
    start = next(i for i, line in enumerate(lines) if "ncalls" in line)
    return [line.rstrip() for line in lines[start:]]


class Bare:
    """bench/perf_bare.py as a worker: `encode` returns the seconds the bare model took."""

    def __init__(self):
        self._process = subprocess.Popen(
            [PY, "bench/perf_bare.py"], cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE,
            stderr=subprocess.DEVNULL, text=True,
        )
        if self._process.stdout.readline().strip() != "ready":
            raise SystemExit("bench/perf_bare.py did not start")

    def encode(self, texts: list[str], batch_size: int = 32, threads: int | None = None) -> float:
        request = {"texts": texts, "batch_size": batch_size, "threads": threads}
        self._process.stdin.write(json.dumps(request) + "\n")
        self._process.stdin.flush()
        return float(self._process.stdout.readline())

    def close(self) -> None:
        self._process.stdin.close()
        self._process.wait()


# -- the measurements --------------------------------------------------------------------


def product_texts(paths: list[Path], embedder) -> tuple[int, list[str]]:
    """What `bot.py index` embeds for these files: the passages, then multi-sentence passages'
    sentences; and the number of passages."""
    passages = [
        p for path in paths for article in read_articles(path)
        for p in passages_of(article, embedder.count_tokens, embedder.max_tokens)
    ]
    sentences = [s for p in passages if len(p.sentence_spans) > 1 for s in p.sentences]
    return len(passages), [p.text for p in passages] + sentences


def measure_ingest(args, paths: list[Path], bare, parts: int = 4) -> dict:
    """Bare encode, `bot.py index` and `bot.py index` with the int8 encoder, taken in turns on
    `parts` slices of the corpus (each slice added to the indexes of the slices before it), so
    the load that other work puts on the machine falls on all three alike; `args.ingest_rounds`
    times over, from empty indexes. Each turn (round, slice) gives a ratio of rates, and the
    median of those ratios is the one held against the target: a burst of other work spoils
    one turn, not the result."""
    embedder = MiniLMEmbedder()
    count, texts = product_texts(paths, embedder)
    int8_config = WORK / "int8.toml"
    int8_config.write_text((ROOT / "config.toml").read_text().replace(
        "quantized_encoder = false", "quantized_encoder = true"))
    configs = {"product": ROOT / "config.toml", "int8": int8_config}
    results = {"passages": count, "texts": len(texts), "turns": []}
    results |= {name: {"rss_mb": 0.0, "disk": 0} for name in configs}
    bare.encode(texts[:16])
    for round_ in range(args.ingest_rounds):
        for name in configs:
            shutil.rmtree(WORK / f"index-ingest-{name}", ignore_errors=True)
        for part in range(parts):
            chunk = paths[part::parts]
            folder = WORK / "ingest-part"
            shutil.rmtree(folder, ignore_errors=True)
            folder.mkdir()
            for path in chunk:
                shutil.copy(path, folder / path.name)
            chunk_count, chunk_texts = product_texts(chunk, embedder)
            turn = {"passages": chunk_count, "bare": bare.encode(chunk_texts, batch_size=32),
                    "bare1": bare.encode(chunk_texts, batch_size=32, threads=1)}
            if round_ == 0:  # what the sentence vectors cost, once
                turn["bare_paragraphs"] = bare.encode(chunk_texts[:chunk_count], batch_size=32)
            for name, config in configs.items():
                target = WORK / f"index-ingest-{name}"
                turn[name], _, rss = timed_process(
                    [PY, "bot.py", "--config", str(config), "index", str(folder), "--index", str(target)])
                results[name]["rss_mb"] = max(results[name]["rss_mb"], rss)
            results["turns"].append(turn)
            shutil.rmtree(folder)
    for name in configs:
        results[name]["disk"] = folder_bytes(WORK / f"index-ingest-{name}")
    return results


def build_copies(base: Library, size: int) -> Path:
    """An index of about `size` passages made of edited copies of the base corpus, written
    straight into the store (bench/perf_corpus.py), its vector index then built as
    `Library` builds a missing one. Cached in bench/_work/perf across runs: a million
    passages take about an hour to write (and 10 GB of disk)."""
    directory = WORK / f"copies-{size}"
    per_copy, articles = base.passage_count, len(base.articles())
    copies = max(1, round(size / per_copy))
    if directory.exists():
        library = Library(directory, base.embedder)
        built = len(library.articles()) == copies * articles and library.passage_count == copies * per_copy
        library.close()
        if built:
            return directory
        shutil.rmtree(directory)
    started = time.perf_counter()
    library = Library(directory, base.embedder)
    library.store._db.execute("PRAGMA synchronous = OFF")  # a cache: a crash means a rebuild
    write_copies_to_store(base.store, library.store, copies)
    library.close()
    library = Library(directory, base.embedder)  # builds the vector file the store lacks
    print(f"  built {directory.name}: {library.passage_count} passages, {library.vectors.describe()}"
          f" ({time.perf_counter() - started:.0f} s)", file=sys.stderr)
    library.close()
    return directory


STORE_CALLS = ("term_document_counts", "keyword_search", "passages")


class StoreTimer:
    """Milliseconds spent in the store's query methods, per question, while it is on."""

    def __init__(self, store):
        self.store, self.spent = store, dict.fromkeys(STORE_CALLS, 0.0)

    def __enter__(self):
        for name in STORE_CALLS:
            original = getattr(self.store, name)

            def timed(*args, _original=original, _name=name, **kwargs):
                started = time.perf_counter()
                try:
                    return _original(*args, **kwargs)
                finally:
                    self.spent[_name] += 1000 * (time.perf_counter() - started)

            setattr(self.store, name, timed)
        return self

    def __exit__(self, *exc):
        for name in STORE_CALLS:
            delattr(self.store, name)


def measure_queries(directory: Path, embedder, bare, questions: list[str], settings) -> dict:
    """Warm `Searcher.ask` against bare one-question encodes, question by question."""
    library = Library(directory, embedder)
    searcher = Searcher(library, settings)
    for question in questions[:5]:
        searcher.ask(question)
        bare.encode([question])
    times = {"ask": [], "bare": [], "bare1": [], "onnx": [], "vectors": [], "counted": []}
    timer = StoreTimer(library.store)
    for question in questions:
        with timer:
            started = time.perf_counter()
            searcher.ask(question)
            times["ask"].append(time.perf_counter() - started)
        times["bare"].append(bare.encode([question]))
        times["bare1"].append(bare.encode([question], threads=1))
        started = time.perf_counter()
        query = embedder.encode([question])[0]
        times["onnx"].append(time.perf_counter() - started)
        started = time.perf_counter()
        library.vectors.search(query, settings.candidates)
        times["vectors"].append(time.perf_counter() - started)
        started = time.perf_counter()
        counted_per_question(library.store, question)
        times["counted"].append(time.perf_counter() - started)
    result = {k: [1000 * t for t in v] for k, v in times.items()}
    result["store_ms"] = {k: v / len(questions) for k, v in timer.spent.items()}
    result["kind"] = library.vectors.describe()
    result["passages"] = library.store.count_passages()
    result["disk"] = folder_bytes(directory)
    result["vector_bytes"] = library.store._db.execute(
        "SELECT avg(length(vector) + length(sentence_vectors)) FROM (SELECT * FROM passages LIMIT 5000)"
    ).fetchone()[0]
    if not library.vectors.is_exact:
        result["recall10"] = recall_at_10(library, embedder.encode(questions))
    library.close()
    return result


def counted_per_question(store, question: str) -> dict[str, int]:
    """The word counts as `Store.term_document_counts` made them before they were kept at
    ingest: one `count(*)` of FTS5 matches per question word."""
    return {
        term: store._db.execute(
            "SELECT count(*) FROM passages_fts WHERE passages_fts MATCH ?",
            ('{text context} : "' + term.replace('"', '""') + '"',),
        ).fetchone()[0]
        for term in keyword_terms(question)
    }


def recall_at_10(library: Library, queries: np.ndarray) -> dict:
    """The approximate index against exact search: its top 10 (plain, and counting a passage
    whose exact cosine ties the 10th best within 0.001 as found), and the exact top 10 found
    among its top 50, the candidates `Searcher` re-scores with the exact vectors."""
    ids, matrix = library.store.all_vectors()
    plain = ties = within = 0
    for query in queries:
        scores = matrix @ query
        order = np.argsort(-scores)
        truth, tenth = set(ids[order[:10]]), scores[order[9]]
        exact = dict(zip(ids[order[:200]], scores[order[:200]], strict=True))
        top = [i for i, _ in library.vectors.search(query, 50)]
        plain += len(truth & set(top[:10]))
        ties += sum(1 for i in top[:10] if i in truth or exact.get(i, -1) >= tenth - 1e-3)
        within += len(truth & set(top))
    count = 10 * len(queries)
    return {"plain": plain / count, "ties": ties / count, "in50": within / count}


def profile_query(directory: Path, embedder, question: str, settings) -> list[str]:
    library = Library(directory, embedder)
    searcher = Searcher(library, settings)
    searcher.ask(question)
    profiler = cProfile.Profile()
    profiler.enable()
    for _ in range(20):
        searcher.ask(question)
    profiler.disable()
    library.close()
    return profile_lines(profiler, 14)


def profile_ingest(paths: list[Path], embedder) -> list[str]:
    target = WORK / "index-profile"
    shutil.rmtree(target, ignore_errors=True)
    library = Library(target, embedder)
    profiler = cProfile.Profile()
    profiler.enable()
    library.ingest(paths[:3])  # about one batch of 128 passages
    profiler.disable()
    library.close()
    shutil.rmtree(target)
    return profile_lines(profiler, 14)


def measure_cold_start(directory: Path, question: str, runs: int) -> dict:
    answered = ("That is not in", "[1]")
    rows = {"naive": [], "ask": [], "run ready": [], "run answer": []}
    rss = {"naive": 0.0, "ask": 0.0, "run": 0.0}
    for _ in range(runs):
        seconds, _, peak = timed_process([PY, "bench/perf_naive.py", str(directory), question])
        rows["naive"].append(seconds)
        rss["naive"] = max(rss["naive"], peak)
        seconds, _, peak = timed_process([PY, "bot.py", "ask", question, "--index", str(directory)])
        rows["ask"].append(seconds)
        rss["ask"] = max(rss["ask"], peak)
        _, seen, peak = timed_process(
            [PY, "bot.py", "run", "--local", "--index", str(directory)],
            stdin_lines=[question, ""],
            marks=(lambda line: line.startswith("Local Discord stand-in on"),
                   lambda line: line.startswith("[More results]") or line.startswith(answered[0])),
        )
        rows["run ready"].append(seen[0])
        rows["run answer"].append(seen[1])
        rss["run"] = max(rss["run"], peak)
    return {"seconds": {k: p50(v) for k, v in rows.items()}, "rss_mb": rss}


def measure_encoder_quality(articles, fp32_dir: Path, int8_dir: Path, settings, limit: int) -> dict:
    """Recall@5 of the product (corpus-wide ask) and of plain dense search, fp32 vs int8."""
    questions = [(a.file_name, q, n) for a in articles for q, n in a.questions]
    step = max(1, len(questions) // limit)
    questions = questions[::step][:limit]
    out = {}
    for name, directory, quantized in (("fp32", fp32_dir, False), ("int8", int8_dir, True)):
        embedder = MiniLMEmbedder(onnx_cache=CACHE, quantized=quantized)
        library = Library(directory, embedder)
        searcher = Searcher(library, settings)
        ids = {Path(a.source).name: a.article_id for a in library.articles()}
        passage_ids, matrix = library.store.all_vectors()
        places = library.store.passages(list(map(int, passage_ids)))
        place_of = [(places[i].passage.citation.article_id, places[i].passage.citation.paragraph)
                    for i in map(int, passage_ids)]
        vectors = embedder.encode([q for _, q, _ in questions], batch_size=64)
        product = dense = 0
        for (file_name, question, paragraph), vector in zip(questions, vectors, strict=True):
            gold = (ids[file_name], paragraph)
            answer = searcher.ask(question, k=5)
            product += gold in [(p.citation.article_id, p.citation.paragraph) for p in answer.passages]
            top = []
            for row in np.argsort(-(matrix @ vector)):
                if place_of[row] not in top:
                    top.append(place_of[row])
                if len(top) == 5:
                    break
            dense += gold in top
        out[name] = {"product_r5": product / len(questions), "dense_r5": dense / len(questions)}
        library.close()
    out["questions"] = len(questions)
    return out


# -- report ------------------------------------------------------------------------------


def bare_p50(q: dict) -> float:
    """The faster of torch's default threads and one thread: the baseline that is hardest to beat."""
    return min(p50(q["bare"]), p50(q["bare1"]))


def verdict(value: float, target: float, at_least: bool) -> str:
    good = value >= target if at_least else value <= target
    return "met" if good else "NOT met"


def report(args, r: dict, elapsed: float) -> str:
    ing, sizes, cold, million, quality = r["ingest"], r["queries"], r["cold"], r["million"], r["quality"]
    passages = ing["passages"]
    turns = ing["turns"]
    timed = sum(t["passages"] for t in turns)
    for t in turns:  # the faster of torch's default threads and one thread, as for queries
        t["bare_best"] = min(t["bare"], t.get("bare1", t["bare"]))
    bare_rate = timed / sum(t["bare_best"] for t in turns)
    bare_default_rate = timed / sum(t["bare"] for t in turns)
    bare_one_rate = timed / sum(t.get("bare1", t["bare"]) for t in turns)
    product_rate = timed / sum(t["product"] for t in turns)
    int8_rate = timed / sum(t["int8"] for t in turns)
    product_ratios = [t["bare_best"] / t["product"] for t in turns]
    int8_ratios = [t["bare_best"] / t["int8"] for t in turns]
    firsts = [t for t in turns if "bare_paragraphs" in t]
    bare_paragraphs_s, bare_first_s = (sum(t[k] for t in firsts) for k in ("bare_paragraphs", "bare"))
    ten = r["ten"]
    q10 = sizes[ten]
    ratio10 = p50(q10["ask"]) / bare_p50(q10)
    largest = max(sizes)
    mill = million[-1]
    def rest(q):  # everything but encoding the question and the vector search: SQLite, FTS5, fusion
        return p50(q["ask"]) - p50(q["onnx"]) - p50(q["vectors"])

    measured = sorted(sizes.items())
    (n1, q1), (n2, q2) = (measured[-2], measured[-1]) if len(measured) > 1 else (measured[0],) * 2
    n1, n2 = q1["passages"], q2["passages"]
    slope = (rest(q2) - rest(q1)) / (n2 - n1) if n2 > n1 else 0.0
    rest_1m = rest(q2) + slope * (mill["n"] - n2)
    estimate_1m = p50(q10["onnx"]) + mill["p50_ms"] + rest_1m
    qbig = sizes[largest]
    big_measured = qbig["passages"] >= 900_000  # else estimated, as in --quick
    big_n, big_ms = (qbig["passages"], p50(qbig["ask"])) if big_measured else (mill["n"], estimate_1m)
    c = cold["seconds"]
    loss = 100 * (quality["fp32"]["product_r5"] - quality["int8"]["product_r5"])
    rows = [
        ("ingest: `bot.py index` vs bare encode of the same texts (median of turns)",
         f"{product_rate:.1f} vs {bare_rate:.1f} passages/s", p50(product_ratios), "≥ 0.9", True, 0.9),
        ("ingest, int8 encoder (`quantized_encoder = true`) vs bare torch encode (median of turns)",
         f"{int8_rate:.1f} vs {bare_rate:.1f} passages/s", p50(int8_ratios), "≥ 2.0", True, 2.0),
        (f"int8 encoder: Recall@5 loss, product ask ({quality['questions']} SQuAD questions)",
         f"{100 * quality['fp32']['product_r5']:.1f} → {100 * quality['int8']['product_r5']:.1f} %",
         loss, "≤ 0.5 point", False, 0.5),
        (f"query p50 at {ten:,} vs bare one-question encode",
         f"{p50(q10['ask']):.1f} vs {bare_p50(q10):.1f} ms", ratio10, "≤ 1.3", False, 1.3),
        (f"query p50 at {big_n:,}{'' if big_measured else ' (estimated)'} vs at {ten:,}",
         f"{big_ms:.1f} vs {p50(q10['ask']):.1f} ms", big_ms / p50(q10["ask"]), "≤ 2.0",
         False, 2.0),
        (f"vector recall@10 at {mill['n']:,} ({mill['kind']}) vs exact",
         f"{mill['recall10']:.3f}", mill["recall10"], "≥ 0.98", True, 0.98),
        ("cold start `bot.py ask` to answer vs naive script",
         f"{c['ask']:.2f} vs {c['naive']:.2f} s", c["ask"] / c["naive"], "≤ 0.5", False, 0.5),
        ("cold start `bot.py run --local` to first answer vs naive script",
         f"{c['run answer']:.2f} vs {c['naive']:.2f} s", c["run answer"] / c["naive"], "≤ 0.5", False, 0.5),
    ]
    out = [
        "## Performance", "",
        f"`{args.command}` — {elapsed / 60:.0f} min on this machine (2 shared cores, load from other"
        " work; every target is a ratio of two numbers measured in the same run). The copied query"
        " corpora are built once and kept in bench/_work/perf (the 1,000,000-passage one took 21 min"
        " and 8.6 GiB), so this time leaves out building them.", "",
        "| measure | numbers | ratio | target | |", "|---|---|---:|---|---|",
    ]
    for name, numbers, ratio, target, at_least, bound in rows:
        out.append(f"| {name} | {numbers} | {ratio:.2f} | {target} | {verdict(ratio, bound, at_least)} |")
    out += [
        "",
        f"**Ingest** ({passages} SQuAD passages, {ing['texts']} texts: each passage plus the sentences"
        " of multi-sentence passages, all embedded at ingest for the sentence signal). `bot.py index`"
        " runs as a fresh process, start-up included, once per quarter of the corpus, in turns with"
        " the bare encode of the same quarter; the bare encode runs in a process of its own"
        " (bench/perf_bare.py: sentence-transformers, torch, nothing else), timed after loading,"
        " once with torch's default threads and once with one; each turn takes the faster"
        f" (all turns: {bare_default_rate:.1f} passages/s default, {bare_one_rate:.1f} one thread)."
        f" {args.ingest_rounds} rounds, so {len(turns)} turns; rates are totals over all turns, the"
        " ratio against the target is the median of the turns' ratios (product:"
        f" {', '.join(f'{r:.2f}' for r in product_ratios)}; int8:"
        f" {', '.join(f'{r:.2f}' for r in int8_ratios)})."
        f" Bare encode of the passages only: {passages / bare_paragraphs_s:.1f} passages/s,"
        f" so the sentence vectors cost {100 * (1 - bare_paragraphs_s / bare_first_s):.0f}%"
        " of a bare ingest. Peak memory of `bot.py index`:"
        f" {ing['product']['rss_mb']:.0f} MB (int8: {ing['int8']['rss_mb']:.0f} MB).", "",
        "**Queries** (warm process, corpus-wide `Searcher.ask`, settings of config.toml; bare ="
        " `SentenceTransformer.encode([question])` with torch in bench/perf_bare.py's process,"
        " interleaved question by question, with torch's default threads and with one thread; the"
        " ratio takes the faster of the two; ONNX encode = the product's encoder alone;"
        " 1k is the real SQuAD corpus, larger ones are edited copies of it with the real vectors plus"
        " noise, see bench/perf_corpus.py)", "",
        "| passages | vector index | ask p50 | ask p95 | bare encode p50 (torch default / 1 thread) |"
        " ONNX encode p50 | vector"
        " search p50 | ratio p50 | recall@10 | disk per passage |",
        "|---:|---|---:|---:|---|---:|---:|---:|---:|---:|",
    ]
    for _, q in sorted(sizes.items()):
        recall = "exact"
        if "recall10" in q:
            found = q["recall10"]
            recall = f"{found['plain']:.3f} ({found['ties']:.3f} with ties; {found['in50']:.3f} in top 50)"
        out.append(
            f"| {q['passages']:,} | {q['kind']} | {p50(q['ask']):.1f} | {p95(q['ask']):.1f} |"
            f" {p50(q['bare']):.1f} / {p50(q['bare1']):.1f} | {p50(q['onnx']):.1f} |"
            f" {p50(q['vectors']):.2f} |"
            f" {p50(q['ask']) / bare_p50(q):.2f} | {recall} | {q['disk'] / q['passages'] / 1024:.1f} KiB |"
        )
    per_passage = sizes[largest]["disk"] / sizes[largest]["passages"]
    out += [
        "",
        "**Vector search alone** (bench/perf_million.py: synthetic unit vectors, each a real vector of"
        " the 1k corpus plus noise shaped like the real vectors' covariance; queries are the real"
        " questions' vectors; exact = `IndexFlatIP`, one thread)", "",
        "| vectors | kind chosen | build | recall@10 | top 10 in top 50 | p50 (k=50) | p95 | exact p50"
        " | exact p50, all OpenMP threads | file | RAM after load |",
        "|---:|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for m in million:
        out.append(
            f"| {m['n']:,} | {m['kind']} | {m['build_s']:.1f} s | {m['recall10']:.3f} | {m['in50']:.3f} |"
            f" {m['p50_ms']:.2f} ms |"
            f" {m['p95_ms']:.2f} ms | {m['exact_p50_ms']:.1f} ms | {m['exact_all_threads_p50_ms']:.1f} ms |"
            f" {m['disk_bytes'] / 2**20:.0f} MiB |"
            f" {m['resident_mb']:.0f} MiB |"
        )
    if not big_measured:
        out += [
            "",
            f"The {mill['n']:,} query estimate adds the question encode at {ten:,}"
            f" ({p50(q10['onnx']):.1f} ms), the {mill['n']:,} vector search ({mill['p50_ms']:.2f} ms) and"
            f" the rest of `ask` (SQLite, FTS5, fusion) extrapolated linearly from {n1:,}"
            f" ({rest(q1):.1f} ms) and {n2:,} ({rest(q2):.1f} ms) passages: {rest_1m:.0f} ms.",
        ]
    out += [
        "",
        f"**{largest:,} passages cost** (measured on the copied corpus): the SQLite store (text, FTS5,"
        f" word counts, float32 passage vectors, float16 sentence vectors, stem numbers) and the"
        f" vector file take"
        f" {per_passage / 1024:.1f} KiB per passage, {qbig['disk'] / 2**30:.1f} GiB in all"
        f" ({qbig['vector_bytes'] / 1024:.1f} KiB per passage of it the stored passage and sentence"
        f" vectors); the SQLite file is read through the OS page cache, not held in RAM. Vector index"
        f" at {mill['n']:,} (bench/perf_million.py): {mill['disk_bytes'] / 2**30:.2f} GiB on disk,"
        f" {mill['resident_mb'] / 1024:.2f} GiB of RAM once loaded.", "",
        f"**Cold start** (index of {ten:,} passages, OS file cache warm, median of {args.runs} runs;"
        " the ONNX export already in the cache folder): naive script"
        f" {c['naive']:.2f} s; `bot.py ask` {c['ask']:.2f} s; `bot.py run --local` ready in"
        f" {c['run ready']:.2f} s and first answer at {c['run answer']:.2f} s. Peak memory: naive"
        f" {cold['rss_mb']['naive']:.0f} MB, ask {cold['rss_mb']['ask']:.0f} MB, run"
        f" {cold['rss_mb']['run']:.0f} MB.", "",
        "**Encoders** (Recall@5 on SQuAD questions of the 1k corpus, corpus-wide): fp32 ONNX (same"
        f" vectors as torch) product {quality['fp32']['product_r5']:.3f}, dense"
        f" {quality['fp32']['dense_r5']:.3f}; int8 product {quality['int8']['product_r5']:.3f},"
        f" dense {quality['int8']['dense_r5']:.3f}.", "",
        "**Where the time goes in one query** (mean ms per question, same run; the store calls are"
        " made by retrieval/search.py; *counted per word* is the word counting as it was"
        " before this run's change, one FTS5 `count(*)` per question word, timed on its own):", "",
        "| passages | encode (ONNX) | vector search | " + " | ".join(STORE_CALLS)
        + " | counted per word (before) | ask p50 |",
        "|---:|" + "---:|" * (len(STORE_CALLS) + 4),
        *[
            f"| {q['passages']:,} | {np.mean(q['onnx']):.1f} | {np.mean(q['vectors']):.2f} | "
            + " | ".join(f"{q['store_ms'][k]:.1f}" for k in STORE_CALLS)
            + f" | {np.mean(q.get('counted', [float('nan')])):.1f} | {p50(q['ask']):.1f} |"
            for _, q in sorted(sizes.items())
        ],
        "",
        f"At {largest:,} passages the keyword side is the longest part of a question:"
        f" `keyword_search` takes {qbig['store_ms']['keyword_search']:.1f} ms, FTS5's BM25 scoring every"
        " passage that holds one of the words it is given (the rarest question words, up to"
        " `keyword_postings_budget` postings). In the copied corpus every word is at least"
        f" {largest // passages:,} times as common as in the 1k corpus, so the budget is reached with"
        " fewer words, but the rows scored stay near the budget. Walking those postings alone"
        " (`count(*)`) takes under a millisecond; the scoring is FTS5's own C code, so the budget is"
        " the lever. Encoding the question is"
        f" {100 * np.mean(q10['onnx']) / np.mean(q10['ask']):.0f}% of a query at {ten:,}.", "",
        "**What each change bought** (numbers from this run):", "",
        f"- *Word counts kept at ingest* (index/term_counts.py, table `term_counts`): counting the"
        f" question's words takes {qbig['store_ms']['term_document_counts']:.2f} ms at {largest:,}"
        f" passages instead of {np.mean(qbig.get('counted', [float('nan')])):.1f} ms for one `count(*)`"
        " per word, which walked each word's postings.",
        f"- *Sentence vectors stored as float16* in new indexes (older ones keep float32, named in"
        f" `meta`): {qbig['vector_bytes'] / 1024:.1f} KiB of stored vectors per passage instead of about"
        f" {(qbig['vector_bytes'] - 384 * 4) * 2 / 1024 + 1.5:.1f} KiB; the store at {largest:,}"
        f" passages is {qbig['disk'] / 2**30:.1f} GiB.",
        f"- *ONNX Runtime encoder* (index/onnx_encoder.py; the packaged model exported once, attention"
        " fused, idle threads sleeping instead of spinning): a process that asks never imports torch,"
        f" so `bot.py ask` answers in {c['ask']:.2f} s against the naive script's {c['naive']:.2f} s and"
        f" peaks at {cold['rss_mb']['ask']:.0f} MB against {cold['rss_mb']['naive']:.0f} MB; one question"
        f" encodes in {p50(q10['onnx']):.1f} ms against torch's {bare_p50(q10):.1f} ms. Same vectors"
        " (cosine 1 - 1e-6), same fingerprint: indexes built with torch are read as they are.",
        f"- *Ingest, batches one per core* (many batches run on a one-thread ONNX session, one batch"
        " per core, instead of each batch spread over both cores; all texts tokenised in one call;"
        f" the model loading while `bot.py index` reads its files): ingest at {p50(product_ratios):.2f}x"
        " the bare torch encode (median of turns). Measured on its own (707 SQuAD texts, same"
        " process, in turns), one batch per core gave 1.13x the texts per second of the fp32 export"
        " and 1.14x of the int8 one.",
        "- *IVF probes 1/32 of the cells instead of 1/16* (index/vectors.py; existing indexes take"
        " it on load): at 1,000,000 vectors 32 probes instead of 64, recall@10 0.994 instead of 0.998"
        " and 3.5 ms instead of 6.3 ms per search (measured on its own on bench/perf_million.py's"
        " vectors); the rows above are with 32.",
        f"- *One OpenMP thread per FAISS search*: exact search over {million[0]['n']:,} vectors takes"
        f" {million[0]['exact_p50_ms']:.2f} ms instead of {million[0]['exact_all_threads_p50_ms']:.1f} ms"
        " with FAISS's default two threads on two busy cores.",
        f"- *Index kind by size* (exact up to 20,000 vectors, then IVF with float16 codes): at"
        f" {mill['n']:,} vectors a search takes {mill['p50_ms']:.1f} ms instead of"
        f" {mill['exact_p50_ms']:.0f} ms exact, recall@10 {mill['recall10']:.3f}, and"
        f" {mill['disk_bytes'] / 2**20:.0f} MiB instead of {mill['n'] * 384 * 4 / 2**20:.0f} MiB.",
        "- *Batches of at most 512 padded tokens* (index/onnx_encoder.py: two 256-token paragraphs"
        " to a batch, short sentences up to `batch_size` together): in a one-off comparison (`bot.py"
        " index` of this corpus in turns with 32-text batches, one run, not part of this script),"
        " 1.28x the passages per second in int8 and 1.22x in fp32; int8 vectors slightly nearer fp32"
        " (mean cosine 0.9934,"
        " lowest 0.974 instead of 0.969). Peak memory of `bot.py index`"
        f" {ing['product']['rss_mb']:.0f} MB (984 MB with 32-text batches, previous run).",
        "- *Keyword search on a thread of its own while the question encodes* (retrieval/search.py;"
        " SQLite and ONNX Runtime both release the GIL), and *the last 5,000 passages read kept"
        f" decoded in memory* (index/store.py): at {largest:,} passages a question's parts add up"
        f" to {sum_of_parts(qbig):.1f} ms (mean; table above) and its p50 is {p50(qbig['ask']):.1f} ms.",
        "- *Word matching in numpy over all candidates at once, on stem numbers stored at ingest*"
        " (8 bytes per stem; an older index numbers its stems once when opened), and *the FTS5 index"
        " merged into one segment after an ingest* (retrieval/search.py, index/store.py): query p50"
        f" {p50(q10['ask']):.1f} ms at {ten:,} passages and {p50(qbig['ask']):.1f} ms at {largest:,}"
        " (16.0 and 23.8 ms in the run before).",
        f"- *int8 encoder* (optional, `quantized_encoder = true`): ingest {int8_rate / product_rate:.2f}x"
        f" the fp32 ONNX rate, {int8_rate / bare_rate:.2f}x bare torch, for {loss:.1f} point of product"
        " Recall@5; an index records which encoder built it.", "",
        f"**Profile of one query** (cProfile, 20 asks at {ten:,} passages, by cumulative time):", "",
        "```", *r["profile_query"], "```", "",
        "**Profile of one ingest batch** (cProfile, `Library.ingest` of 3 articles):", "",
        "```", *r["profile_ingest"], "```", "",
    ]
    return "\n".join(out)


def sum_of_parts(q: dict) -> float:
    """Mean ms of a question's encode, vector search and store calls, as if run one after another."""
    return np.mean(q["onnx"]) + np.mean(q["vectors"]) + sum(q["store_ms"][k] for k in STORE_CALLS)


def write_results(section: str) -> None:
    replace_section("Performance", section, RESULTS)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="small sizes, no RESULTS.md")
    parser.add_argument("--paragraphs", type=int, default=1000, help="real paragraphs ingested")
    parser.add_argument("--sizes", default="10000,100000,1000000",
                        help="larger query corpora (copies, built once and kept in bench/_work/perf)")
    parser.add_argument("--vectors", default="10000,100000,1000000", help="vector-search sizes")
    parser.add_argument("--questions", type=int, default=200, help="questions timed per size")
    parser.add_argument("--runs", type=int, default=3, help="cold starts per command")
    parser.add_argument("--ingest-rounds", type=int, default=2, help="times the ingest is measured")
    parser.add_argument("--no-write", action="store_true", help="leave RESULTS.md alone")
    parser.add_argument("--report-only", action="store_true",
                        help="write the section again from the last run's bench/_work/perf/results.json")
    args = parser.parse_args()
    args.command = "python bench/perf.py" + "".join(f" {a}" for a in sys.argv[1:])
    if args.quick:
        args.paragraphs, args.sizes, args.vectors = 300, "3000", "10000,100000"
        args.questions, args.runs, args.ingest_rounds = 60, 1, 1
        args.no_write = True
    logging.basicConfig(level=logging.ERROR)
    if args.report_only:
        saved = json.loads((WORK / "results.json").read_text())
        saved["queries"] = {int(k): v for k, v in saved["queries"].items()}
        args.command = saved["command"]
        section = report(args, saved, saved["elapsed"])
        print(section)
        if not args.no_write:
            write_results(section)
        return
    started = time.perf_counter()
    WORK.mkdir(parents=True, exist_ok=True)
    settings = load_settings(ROOT / "config.toml").search
    results = {}

    bare = Bare()
    product = MiniLMEmbedder(onnx_cache=CACHE)
    product.encode(["warm up"])  # makes the ONNX export if it is missing, before any timing

    base_articles = squad_articles(args.paragraphs)
    corpus = WORK / f"corpus-{args.paragraphs}"
    shutil.rmtree(corpus, ignore_errors=True)
    paths = write_articles(base_articles, corpus)
    print("ingest ...", file=sys.stderr)
    results["ingest"] = measure_ingest(args, paths, bare)
    base_dir = WORK / "index-ingest-product"

    questions = [q for a in base_articles for q, _ in a.questions]
    questions = questions[:: max(1, len(questions) // args.questions)][: args.questions]
    base = Library(base_dir, product)
    per_copy = base.store.count_passages()
    directories = {per_copy: base_dir}
    for size in map(int, args.sizes.split(",")):
        print(f"building {size} ...", file=sys.stderr)
        directories[size] = build_copies(base, size)
    real = np.concatenate([np.stack(list(known_vectors(base.store).values()))])
    base.close()
    results["queries"] = {}
    for size, directory in directories.items():
        print(f"queries at {size} ...", file=sys.stderr)
        results["queries"][size] = measure_queries(directory, product, bare, questions, settings)
    ten = min((s for s in directories if s >= 10_000), default=max(directories))
    results["ten"] = ten

    bare.close()
    print("profiles ...", file=sys.stderr)
    results["profile_query"] = profile_query(directories[ten], product, questions[0], settings)
    results["profile_ingest"] = profile_ingest(paths, product)

    print("encoder quality ...", file=sys.stderr)
    results["quality"] = measure_encoder_quality(
        base_articles, base_dir, WORK / "index-ingest-int8", settings, limit=args.questions * 10)

    print("vector search to 1M ...", file=sys.stderr)
    np.save(WORK / "real.npy", real)
    np.save(WORK / "questions.npy", product.encode(questions, batch_size=64))
    million = subprocess.run(
        [PY, "bench/perf_million.py", str(WORK / "real.npy"), str(WORK / "questions.npy"),
         *args.vectors.split(",")], cwd=ROOT, capture_output=True, text=True, check=True,
    )
    results["million"] = [json.loads(line) for line in million.stdout.splitlines() if line.strip()]

    print("cold start ...", file=sys.stderr)
    results["cold"] = measure_cold_start(directories[ten], questions[0], args.runs)
    results["command"], results["elapsed"] = args.command, time.perf_counter() - started
    (WORK / "results.json").write_text(json.dumps(results, default=str))

    section = report(args, results, results["elapsed"])
    print(section)
    if not args.no_write:
        write_results(section)
        print(f"\nwritten to {RESULTS.relative_to(ROOT)}", file=sys.stderr)


if __name__ == "__main__":
    main()
