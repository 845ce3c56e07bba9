"""One poll of the feeds that are due: a conditional GET of each, every new or changed
entry turned into an article (feeds/entry_articles.py) and indexed.

Feeds are polled a few at a time, and requests to one host one after another with a pause
between them (feeds/host_pacer.py). Network waits are async; parsing, extraction and
ingest run in a worker thread, one at a time: several Python threads busy at once starve
the event loop of the GIL, and a bot answering on that loop must never be held up.
A feed that fails waits longer after each failure in a row; the other feeds poll on.
"""

import asyncio
import logging
from dataclasses import dataclass
from datetime import UTC, datetime
from typing import Literal

from feeds.entry_articles import article_from_feed_text, article_from_page
from feeds.feed_entries import FeedEntry, NotAFeed, ParsedFeed, parse_feed
from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import Feed, FeedStore, SeenEntry
from feeds.fetch import FetchedPage, FetchRefused, fetch_page
from feeds.host_pacer import HostPacer
from index.articles import Article
from index.errors import IndexingError, UnreadableInput
from index.library import IngestReport, Library

log = logging.getLogger(__name__)

FEEDS_AT_ONCE = 8
_PAGE, _FEED_TEXT = "page", "feed text"  # where an entry's article came from

FeedState = Literal["fetched", "not modified", "failed"]


@dataclass(frozen=True)
class FeedOutcome:
    url: str
    state: FeedState
    new_entries: int = 0  # new or changed since the last poll
    from_feed_text: int = 0  # entries indexed from the feed's own text: their page was of no use
    without_article: tuple[str, ...] = ()  # why each such entry gave no article at all
    added: tuple[str, ...] = ()  # article ids
    replaced: tuple[str, ...] = ()
    error: str | None = None  # one line that names the feed
    next_try: datetime | None = None


@dataclass(frozen=True)
class PollReport:
    feeds: tuple[FeedOutcome, ...]
    waiting: int = 0  # feeds not due: waiting to be tried again after failing

    def count(self, state: FeedState) -> int:
        return sum(outcome.state == state for outcome in self.feeds)

    @property
    def new_entries(self) -> int:
        return sum(outcome.new_entries for outcome in self.feeds)

    @property
    def from_feed_text(self) -> int:
        return sum(outcome.from_feed_text for outcome in self.feeds)

    @property
    def without_article(self) -> tuple[str, ...]:
        return tuple(reason for outcome in self.feeds for reason in outcome.without_article)

    @property
    def added(self) -> tuple[str, ...]:
        return tuple(article for outcome in self.feeds for article in outcome.added)

    @property
    def replaced(self) -> tuple[str, ...]:
        return tuple(article for outcome in self.feeds for article in outcome.replaced)

    @property
    def errors(self) -> tuple[str, ...]:
        return tuple(outcome.error for outcome in self.feeds if outcome.error)

    def summary(self) -> str:
        waiting = f"; {_counted(self.waiting, 'feed')} waiting to be tried again" if self.waiting else ""
        if not self.feeds:
            return "no feed is due" + waiting
        sources = [
            f"{self.from_feed_text} from the feed's own text" if self.from_feed_text else "",
            f"{len(self.without_article)} without an article" if self.without_article else "",
        ]
        detail = ", ".join(s for s in sources if s)
        return (
            f"{_counted(len(self.feeds), 'feed')} polled ({self.count('not modified')} not modified, "
            f"{self.count('failed')} failed); {_counted(self.new_entries, 'new entry', 'new entries')}"
            + (f" ({detail})" if detail else "")
            + f"; articles: {len(self.added)} added, {len(self.replaced)} replaced" + waiting
        )


async def poll(
    library: Library, store: FeedStore, limits: FetchLimits, settings: FeedSettings,
    now: datetime | None = None,
) -> PollReport:
    """Poll every feed that is due at `now`. A feed's failure is kept in its outcome and in
    the store; a failure of the index itself raises."""
    now = now or datetime.now(UTC)
    feeds = store.feeds()
    due = [feed for feed in feeds if feed.is_due(now)]
    run = _Poll(library, store, limits, settings, HostPacer(settings.per_host_delay_seconds),
                asyncio.Semaphore(FEEDS_AT_ONCE), asyncio.Lock(), now)
    try:
        async with asyncio.TaskGroup() as group:
            tasks = [group.create_task(run.feed(feed)) for feed in due]
    except BaseExceptionGroup as failure:
        raise failure.exceptions[0] from None
    return PollReport(tuple(task.result() for task in tasks), waiting=len(feeds) - len(due))


@dataclass(frozen=True)
class _Poll:
    library: Library
    store: FeedStore
    limits: FetchLimits
    settings: FeedSettings
    pacer: HostPacer
    slots: asyncio.Semaphore
    worker: asyncio.Lock  # held while a worker thread parses, extracts or ingests
    now: datetime

    async def feed(self, feed: Feed) -> FeedOutcome:
        async with self.slots:
            try:
                async with self.pacer.turn(feed.url):
                    page = await fetch_page(feed.url, self.limits, _conditional_headers(feed))
                if page.not_modified:
                    self.store.record_not_modified(feed.url, self.now)
                    return FeedOutcome(feed.url, "not modified")
                parsed = await self._in_worker(parse_feed, page.body, page.content_type, page.url)
            except (FetchRefused, NotAFeed) as error:
                return self._failed(feed, str(error))
            return await self._index_entries(feed, parsed, page)

    async def _index_entries(self, feed: Feed, parsed: ParsedFeed, page: FetchedPage) -> FeedOutcome:
        """Index the entries not seen before or changed since, then mark them seen."""
        seen = self.store.seen_entries(feed.url)
        fresh = [e for e in parsed.entries if e.key not in seen or seen[e.key].updated != e.version]
        found = [await self._article(entry, feed.url) for entry in fresh]
        articles = [article for article, _ in found if article]
        report = await self._in_worker(self.library.ingest_articles, articles) if articles else IngestReport()
        indexed = {*report.added, *report.replaced, *report.unchanged}
        self.store.record_fetched(feed.url, parsed.title, page.etag, page.last_modified, self.now, [
            SeenEntry(feed.url, entry.key, entry.version,
                      article.url if article and article.article_id in indexed else None, self.now)
            for entry, (article, _) in zip(fresh, found, strict=True)
        ])
        return FeedOutcome(
            feed.url, "fetched", new_entries=len(fresh),
            from_feed_text=sum(how == _FEED_TEXT for _, how in found),
            without_article=tuple(why for article, why in found if article is None),
            added=tuple(report.added), replaced=tuple(report.replaced),
        )

    async def _article(self, entry: FeedEntry, feed_url: str) -> tuple[Article | None, str]:
        """The entry's article and where it came from (_PAGE, _FEED_TEXT), or None and why not."""
        if entry.link:
            try:
                async with self.pacer.turn(entry.link):
                    page = await fetch_page(entry.link, self.limits)
                if "html" in page.content_type:
                    return await self._in_worker(article_from_page, page.text, entry), _PAGE
                reason = f"{page.url} is {page.content_type or 'not a web page'}"
            except IndexingError as error:  # refused, unreachable, or a page with no article
                reason = str(error)
            log.info("%s; indexing the feed's own text instead", reason)
        try:
            return article_from_feed_text(entry, feed_url), _FEED_TEXT
        except UnreadableInput as error:
            return None, str(error)

    async def _in_worker(self, function, *arguments):
        async with self.worker:
            return await asyncio.to_thread(function, *arguments)

    def _failed(self, feed: Feed, reason: str) -> FeedOutcome:
        error = reason if feed.url in reason else f"{feed.url}: {reason}"
        failures = feed.failures + 1
        next_try = self.now + self.settings.backoff(failures)
        self.store.record_failure(feed.url, error, self.now, failures, next_try)
        return FeedOutcome(feed.url, "failed", error=error, next_try=next_try)


def _conditional_headers(feed: Feed) -> dict[str, str]:
    headers = {}
    if feed.etag:
        headers["If-None-Match"] = feed.etag
    if feed.last_modified:
        headers["If-Modified-Since"] = feed.last_modified
    return headers


def _counted(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
