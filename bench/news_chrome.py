"""What the product drops as chrome from real news articles, for a person to read.

    python bench/news_chrome.py [ARTICLES.jsonl] [--short N]

ARTICLES.jsonl is one article a line in the product's .jsonl format (default: the
RealTime QA development articles that /work/shared/news/newsquiz.py builds). Prints the
paragraph counts before and after, the count per kind of chrome, then every dropped
paragraph, every stripped dateline and photo credit once (with how often it occurred), so that each
can be checked by eye: no real paragraph may be among them. `--short N` also lists the
kept paragraphs under N words, where missed chrome tends to hide.
"""

import argparse
import json
import sys
from collections import Counter, defaultdict
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from index.articles import parse_articles, split_paragraphs  # noqa: E402
from index.boilerplate import Cleaned, clean_paragraphs  # noqa: E402

DEFAULT_ARTICLES = ROOT / "bench" / "_work" / "news" / "news-articles-dev.jsonl"


def raw_paragraphs(body: str) -> list[str]:
    """The paragraphs `articles_from_jsonl` hands to the chrome filter."""
    return split_paragraphs(body) if "\n\n" in body else body.splitlines()


def report(path: Path, short_words: int) -> None:
    records = [json.loads(line) for line in path.read_text().splitlines() if line.strip()]
    cleaned: list[Cleaned] = [clean_paragraphs(raw_paragraphs(r["text"])) for r in records]
    before = sum(len([p for p in raw_paragraphs(r["text"]) if p.strip()]) for r in records)
    articles = parse_articles(path.read_bytes(), path.name, str(path))
    after = sum(len(a.paragraphs) for a in articles)
    # an article left with no text (a video page) is skipped by the product
    kept = [c.kept for c in cleaned if c.kept]
    assert [list(a.paragraphs) for a in articles] == kept, "bench and product disagree"
    print(f"{len(records) - len(articles)} article(s) left with no text, skipped")

    dropped: dict[str, Counter] = defaultdict(Counter)
    for c in cleaned:
        for kind, paragraph in c.dropped:
            dropped[kind][paragraph] += 1
    datelines = Counter(c.dateline for c in cleaned if c.dateline)
    whole = sum(1 for r, c in zip(records, cleaned, strict=True)
                if c.dateline and c.dateline in {" ".join(p.split()) for p in raw_paragraphs(r["text"])})

    print(f"{len(records)} articles, {before} paragraphs before, {after} after")
    credits = Counter(credit for c in cleaned for credit in c.photo_credits)
    print(f"  dateline stripped: {sum(datelines.values())} ({whole} were the whole first paragraph)")
    print(f"  photo credit stripped from a kept paragraph: {sum(credits.values())}")
    for kind, texts in sorted(dropped.items()):
        print(f"  {kind}: {sum(texts.values())} dropped ({len(texts)} distinct)")
    print("\n== datelines stripped")
    for dateline, count in datelines.most_common():
        print(f"  {count:3}x {dateline}")
    print("\n== photo credits stripped")
    for credit, count in credits.most_common():
        print(f"  {count:3}x {credit}")
    for kind, texts in sorted(dropped.items()):
        print(f"\n== {kind}")
        for text, count in texts.most_common():
            print(f"  {count:3}x {text}")
    if short_words:
        print(f"\n== kept paragraphs under {short_words} words")
        short = Counter(p for c in cleaned for p in c.kept if len(p.split()) < short_words)
        for text, count in short.items():
            print(f"  {count:3}x {text}")


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("articles", nargs="?", type=Path, default=DEFAULT_ARTICLES)
    parser.add_argument("--short", type=int, default=0, metavar="N",
                        help="also list kept paragraphs under N words")
    args = parser.parse_args()
    report(args.articles, args.short)


if __name__ == "__main__":
    main()
