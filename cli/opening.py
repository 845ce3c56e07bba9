"""Opening the index and the stores beside it, with the model on ONNX Runtime."""

import os
import sys
from pathlib import Path

from settings import Settings


def encoder_cache_dir() -> Path:
    """Where the ONNX export of the model is kept between runs."""
    return Path(os.environ.get("XDG_CACHE_HOME") or Path.home() / ".cache") / "news-passage-bot"


def open_library(arguments, settings: Settings, preload_model: bool = False):
    from index.embedder import MiniLMEmbedder
    from index.library import Library

    # the model runs on ONNX Runtime, exported once into the user's cache folder: a
    # process that only asks never imports torch (bench/perf.py: cold start)
    embedder = MiniLMEmbedder(onnx_cache=encoder_cache_dir(), quantized=settings.quantized_encoder)
    if preload_model:
        embedder.start_loading()
    return Library(arguments.index or settings.index_dir, embedder, batch_size=settings.batch_size)


def open_feed_store(arguments, settings: Settings):
    from feeds.feed_store import FeedStore

    return FeedStore(arguments.index or settings.index_dir)


def open_watch_store(arguments, settings: Settings):
    from watches.watch_store import WatchStore

    return WatchStore(arguments.index or settings.index_dir)


def open_searcher(arguments, settings: Settings):
    """A searcher over the index, indexing the bundled articles first if the index is empty."""
    from retrieval.search import Searcher

    library = open_library(arguments, settings, preload_model=True)
    if library.is_empty:
        print(f"No index yet in {library.directory}: indexing {settings.articles_dir} first.",
              file=sys.stderr)
        report = library.ingest([settings.articles_dir], progress=progress_bar)
        for error in report.errors:
            print(f"error: {error}", file=sys.stderr)
        print(report.summary(), file=sys.stderr)
    return Searcher(library, settings.search)


def progress_bar(total: int):
    from tqdm import tqdm

    return tqdm(total=total, unit="passage", desc="indexing", file=sys.stderr, disable=None)
