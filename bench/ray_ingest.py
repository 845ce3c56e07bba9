"""Ingest rate: `bot.py index DIR` against `bot.py index DIR --ray` (Ray on this machine).

    python bench/ray_ingest.py [--articles 300] [--paragraphs 3]

The corpus is SQuAD v1.1 dev paragraphs (bench/perf_corpus.py), `--paragraphs` to an
article, written as .txt files into a temporary folder. Each command runs once, as a fresh
process into a fresh temporary index, start-up included (for --ray: starting Ray and its
workers); passages/s are the passages stored over the wall time. Prints, writes nothing.
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

from bench.perf_corpus import squad_articles  # noqa: E402


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


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--articles", type=int, default=300)
    parser.add_argument("--paragraphs", type=int, default=3, help="SQuAD paragraphs per article")
    args = parser.parse_args()
    with tempfile.TemporaryDirectory(prefix="ray-ingest-bench-") as work:
        corpus = Path(work) / "corpus"
        paragraphs = write_corpus(corpus, args.articles, args.paragraphs)
        print(f"corpus: {len(list(corpus.iterdir()))} articles, {paragraphs} paragraphs")
        results = {}
        for name, folder, extra in (("plain", "plain", ()), ("--ray (local)", "ray", ("--ray",))):
            seconds, passages, summary = timed_index(corpus, Path(work) / folder, *extra)
            results[name] = passages / seconds
            print(f"{name:>14}: {passages} passages in {seconds:.1f} s = {passages / seconds:.1f} passages/s"
                  f"   ({summary})")
        print(f"--ray / plain: {results['--ray (local)'] / results['plain']:.2f}x")


if __name__ == "__main__":
    main()
