"""Ingest rate: `bot.py index DIR` against `bot.py index DIR --ray --workers N` (Ray on this
machine, 1 and 2 encoder actors), and the single writer's own rate.

    python bench/ray_ingest.py [--articles 300] [--paragraphs 3] [--no-write]

The corpus is SQuAD v1.1 dev paragraphs (bench/perf_corpus.py), `--paragraphs` to an
article, written as .txt files into a temporary folder. Each command runs once, as a fresh
process into a fresh temporary index, start-up included (for --ray: starting Ray and its
workers); passages/s are the passages stored over the wall time, all in one run. The
writer's rate is an in-process ingest of the same corpus whose encoder returns the vectors
the plain ingest stored (every text known): reading, splitting, planning, copy detection,
SQLite, FTS5 and FAISS, without the model: the rate past which more embedding workers no
longer help. Publishes the section "Ingest on Ray" of RESULTS.md.
"""

import argparse
import re
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

import numpy as np  # noqa: E402

from bench.perf_corpus import squad_articles  # noqa: E402
from bench.results_file import publish  # noqa: E402


def write_corpus(folder: Path, articles: int, paragraphs: int) -> int:
    """`articles` .txt files of `paragraphs` SQuAD paragraphs each; returns the paragraphs."""
    texts = [(a.title, p) for a in squad_articles(articles * paragraphs) for p in a.paragraphs]
    folder.mkdir(parents=True)
    written = 0
    for number in range(articles):
        chunk = texts[number * paragraphs:(number + 1) * paragraphs]
        if not chunk:
            break
        title = f"{chunk[0][0]}, part {number}"
        (folder / f"{number:04}.txt").write_text(title + "\n\n" + "\n\n".join(p for _, p in chunk) + "\n")
        written += len(chunk)
    return written


def timed_index(corpus: Path, index: Path, *extra: str) -> tuple[float, int, str]:
    started = time.perf_counter()
    done = subprocess.run([sys.executable, str(ROOT / "bot.py"), "index", str(corpus), "--index", str(index),
                           *extra], capture_output=True, text=True, cwd=ROOT)
    seconds = time.perf_counter() - started
    if done.returncode:
        raise SystemExit(f"bot.py index {' '.join(extra)} failed:\n{done.stderr}")
    summary = done.stdout.strip().splitlines()[-1]
    embedded, reused = (int(n) for n in re.search(r"(\d+) embedded, (\d+) reused", summary).groups())
    return seconds, embedded + reused, summary


def stored_vectors(index: Path) -> dict[str, np.ndarray]:
    """Every text the index embedded (passages, their sentences, titles) with its vector."""
    import json
    import sqlite3

    known = {}
    with sqlite3.connect(index / "store.sqlite") as db:
        kind = np.dtype(dict(db.execute("SELECT key, value FROM meta")).get("sentence_vectors", "float16"))
        for text, spans, vector, sentences in db.execute(
                "SELECT text, sentence_spans, vector, sentence_vectors FROM passages"):
            known[text] = np.frombuffer(vector, dtype=np.float32)
            spans = json.loads(spans)
            if len(spans) > 1:
                matrix = np.frombuffer(sentences, dtype=kind).reshape(len(spans), -1).astype(np.float32)
                known.update((text[a:b], row) for (a, b), row in zip(spans, matrix, strict=True))
        for title, vector in db.execute("SELECT title, title_vector FROM articles"):
            known[title] = np.frombuffer(vector, dtype=np.float32)
    return known


def writer_rate(corpus: Path, plain_index: Path, index: Path) -> tuple[float, int, int]:
    """(seconds, passages, texts the cache missed) of an ingest whose encoder knows every text."""
    from bench.copies import CachedVectors
    from cli.opening import encoder_cache_dir
    from index.embedder import MiniLMEmbedder
    from index.library import Library

    embedder = CachedVectors(MiniLMEmbedder(onnx_cache=encoder_cache_dir()), index.with_suffix(".npy"))
    embedder.known = stored_vectors(plain_index)
    library = Library(index, embedder)
    started = time.perf_counter()
    report = library.ingest([corpus])
    seconds = time.perf_counter() - started
    library.close()
    return seconds, report.passages_embedded + report.passages_reused, embedder.encoded


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--paragraphs", type=int, default=3, help="SQuAD paragraphs per article")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    args = parser.parse_args()
    rows = []
    with tempfile.TemporaryDirectory(prefix="ray-ingest-bench-") as work:
        corpus = Path(work) / "corpus"
        paragraphs = write_corpus(corpus, args.articles, args.paragraphs)
        print(f"corpus: {len(list(corpus.iterdir()))} articles, {paragraphs} paragraphs", file=sys.stderr)
        rates = {}
        commands = [("`bot.py index`", "plain", ())] + [
            (f"`bot.py index --ray --workers {n}`", f"ray{n}", ("--ray", "--workers", str(n)))
            for n in (1, 2)]
        for name, folder, extra in commands:
            seconds, passages, summary = timed_index(corpus, Path(work) / folder, *extra)
            rates[folder] = passages / seconds
            rows.append(f"| {name} | {passages} | {seconds:.1f} | {passages / seconds:.1f} |"
                        f" {rates[folder] / rates['plain']:.2f} |")
            print(rows[-1], f"({summary})", file=sys.stderr)
        seconds, passages, misses = writer_rate(corpus, Path(work) / "plain", Path(work) / "writer")
        rate = passages / seconds
        rows.append(f"| the single writer alone (every vector known; {misses} texts encoded) | {passages} |"
                    f" {seconds:.1f} | {rate:.1f} | {rate / rates['plain']:.2f} |")
    body = [
        f"`python bench/ray_ingest.py`: {args.articles} articles of {args.paragraphs} SQuAD paragraphs, "
        "each command once, in one run, as a fresh process into a fresh index (start-up included; Ray "
        "starts in about 5 s); 2 shared cores.",
        "",
        "| ingest | passages | seconds | passages/s | vs plain |",
        "|---|---:|---:|---:|---:|",
        *rows,
        "",
        "The writer's rate is where more embedding workers stop helping: a cluster whose workers "
        "embed faster than that is held up by the one writer (SCALING.md).",
    ]
    publish("Ingest on Ray", body, write=not args.no_write)


if __name__ == "__main__":
    main()
