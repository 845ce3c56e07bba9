"""Feed ingest rate, and answering while a poll ingests (issue 14).

    python bench/feed_ingest.py [--entries N]

A local news site on 127.0.0.1 serves an RSS feed whose entries link to article pages
made from the whole 2022 articles of the news development split (bench/_work/news): half
of them are indexed first, the feed carries the other half. One poll (the product's
feeds/poller.py: conditional GET, page fetch, trafilatura, embedding, ingest) is timed, and
the same questions are asked one at a time from another thread, as the Discord bot does,
before the poll (idle) and while it runs: p50 and p95 of both, in one run.
"""

import argparse
import asyncio
import json
import statistics
import sys
import tempfile
import threading
import time
from datetime import datetime
from email.utils import format_datetime
from html import escape
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from aiohttp import web  # noqa: E402

from cli.opening import encoder_cache_dir  # noqa: E402
from feeds.feed_settings import FeedSettings, FetchLimits  # noqa: E402
from feeds.feed_store import FeedStore  # noqa: E402
from feeds.poller import poll  # noqa: E402
from index.articles import articles_from_jsonl  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402
from tests.pages import serve  # noqa: E402

WORK = Path(__file__).resolve().parent / "_work"
NEWS = WORK / "news"


def page(record: dict) -> str:
    paragraphs = "".join(f"<p>{escape(p)}</p>" for p in record["text"].split("\n\n") if p.strip())
    return (f"<html><head><title>{escape(record['title'])}</title>"
            f"<meta property=\"article:published_time\" content=\"{record['published']}\"></head>"
            f"<body><article><h1>{escape(record['title'])}</h1>{paragraphs}</article></body></html>")


def rss(records: list[dict], base: str) -> str:
    items = "".join(
        f"<item><title>{escape(r['title'])}</title><link>{base}/a/{n}</link><guid>{base}/a/{n}</guid>"
        f"<pubDate>{format_datetime(datetime.fromisoformat(r['published']))}</pubDate></item>"
        for n, r in enumerate(records))
    return f"<?xml version=\"1.0\"?><rss version=\"2.0\"><channel><title>bench</title>{items}</channel></rss>"


def ask_until(searcher: Searcher, questions: list[str], stop: threading.Event | None, times: list[float]):
    """Ask the questions in turn (again and again while `stop` is unset), timing each."""
    while True:
        for question in questions:
            if stop is not None and stop.is_set():
                return
            started = time.perf_counter()
            searcher.ask(question)
            times.append(time.perf_counter() - started)
        if stop is None:
            return


async def run(entries: int) -> int:
    lines = (NEWS / "news-articles-dev.jsonl").read_text().splitlines()
    records = [json.loads(line) for line in lines if line]
    questions = [json.loads(line)["question"] for line in
                 (NEWS / "news-articles-dev-questions.jsonl").read_text().splitlines() if line][:60]
    indexed, fed = records[::2], records[1::2][:entries]
    with tempfile.TemporaryDirectory() as folder:
        library = Library(Path(folder) / "index", MiniLMEmbedder(onnx_cache=encoder_cache_dir()))
        text = "\n".join(json.dumps(r) for r in indexed)
        library.ingest_articles(list(articles_from_jsonl(text, "bench")))
        searcher = Searcher(library, load_settings(DEFAULT_CONFIG).search)
        feed: dict[str, str] = {}

        async def feed_xml(request):
            return web.Response(text=feed["xml"], content_type="application/rss+xml")

        async def article(request):
            return web.Response(text=page(fed[int(request.match_info["n"])]), content_type="text/html")

        async with serve({"/feed.xml": feed_xml, "/a/{n}": article}) as base:
            feed["xml"] = rss(fed, base)
            store = FeedStore(Path(folder) / "index")
            store.add(f"{base}/feed.xml")
            ask_until(searcher, questions[:20], None, [])  # warm: the model, the passages read
            idle: list[float] = []
            ask_until(searcher, questions, None, idle)
            during: list[float] = []
            stop = threading.Event()
            asking = threading.Thread(target=ask_until, args=(searcher, questions, stop, during))
            started = time.perf_counter()
            asking.start()
            report = await poll(library, store, FetchLimits(allow_private_addresses=True),
                                FeedSettings(per_host_delay_seconds=0.0))
            seconds = time.perf_counter() - started
            stop.set()
            asking.join()
        library.close()
    added = len(report.added) + len(report.replaced)
    p50_idle, p50_during = statistics.median(idle), statistics.median(during)
    p95_idle = statistics.quantiles(idle, n=20)[-1]
    p95_during = statistics.quantiles(during, n=20)[-1]
    print(f"one poll of {report.new_entries} new entries ({added} articles indexed, {len(indexed)} indexed"
          f" before): {seconds:.1f} s, {report.new_entries / seconds * 60:.0f} entries/min (page fetch,"
          f" trafilatura, embedding, ingest; 2 cores)")
    print(f"questions idle: p50 {p50_idle * 1e3:.1f} ms, p95 {p95_idle * 1e3:.1f} ms ({len(idle)} asked)")
    print(f"questions while the poll ingests: p50 {p50_during * 1e3:.1f} ms, p95 {p95_during * 1e3:.1f} ms"
          f" ({len(during)} asked); p50 ratio {p50_during / p50_idle:.2f}x")
    return 0


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--entries", type=int, default=53, help="feed entries (at most 53)")
    arguments = parser.parse_args()
    if not (NEWS / "news-articles-dev.jsonl").exists():
        print("needs the news development split in bench/_work/news: see bench/quality_news.py",
              file=sys.stderr)
        return 1
    return asyncio.run(run(arguments.entries))


if __name__ == "__main__":
    sys.exit(main())
