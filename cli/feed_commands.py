"""`bot.py feeds add|remove|list|poll`: the feeds followed, and one poll for cron."""

import sys

from cli.opening import open_feed_store, open_library, open_watch_store
from settings import Settings

_NO_FEEDS = "No feeds followed yet: `python bot.py feeds add URL` adds one."


def feeds_add(arguments, settings: Settings) -> int:
    url = arguments.url.strip()
    if open_feed_store(arguments, settings).add(url):
        print(f"following {url}; `python bot.py feeds poll` reads it")
    else:
        print(f"already following {url}")
    return 0


def feeds_remove(arguments, settings: Settings) -> int:
    url = arguments.url.strip()
    forgotten = open_feed_store(arguments, settings).remove(url)
    print(f"stopped following {url} and forgot the {forgotten} entries seen in it; its articles stay indexed")
    return 0


def feeds_list(arguments, settings: Settings) -> int:
    feeds = open_feed_store(arguments, settings).feeds()
    if not feeds:
        print(_NO_FEEDS)
    for feed in feeds:
        print(feed.summary())
    return 0


def feeds_poll(arguments, settings: Settings) -> int:
    """One poll of the feeds that are due, for cron: a feed that fails is reported on stderr
    and tried again later, and does not make the exit code non-zero."""
    import asyncio

    from feeds.poller import poll

    store = open_feed_store(arguments, settings)
    if not store.feeds():
        print(_NO_FEEDS)
        return 0
    library = open_library(arguments, settings)
    report = asyncio.run(poll(library, store, settings.discord.fetch, settings.feeds))
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    for reason in report.without_article:
        print(f"skipped an entry: {reason}", file=sys.stderr)
    print(report.summary())
    new_articles = (*report.added, *report.replaced)
    if new_articles:
        print_watch_matches(arguments, settings, library, new_articles)
    return 0


def print_watch_matches(arguments, settings: Settings, library, article_ids: tuple[str, ...]) -> None:
    """Each watch a poll's new articles answer, with the passage's citation; the passage
    itself for a command-line watch. A Discord channel's watch is only said to match: the
    running bot posts alerts, this process cannot."""
    from retrieval.render import citation_line
    from retrieval.search import Searcher
    from watches.watch_matches import match_watches

    store = open_watch_store(arguments, settings)
    for found in match_watches(Searcher(library, settings.search), store, article_ids):
        watch, passage = found.watch, found.match.passage
        citation = citation_line(1, passage.citation, passage.paragraph_label, passage.speaker)
        if watch.channel_id is None:
            print(f'watch {watch.watch_id} "{watch.query}": {citation}')
            print("> " + passage.text.replace("\n\n", "\n> "))
            store.record_alerts(watch.watch_id, [passage], "printed")
        else:
            print(f'watch {watch.watch_id} "{watch.query}" matched (Discord channel {watch.channel_id}; '
                  f"only the running bot posts there): {citation}")
