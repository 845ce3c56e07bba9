"""The bot's own feed polling: `feeds.poller.poll` on the bot's event loop, every
`poll_interval_minutes` give or take `jitter_share` of it, one poll at a time.

The first poll comes one wait after the start, not at once: a bot restarted often would
otherwise poll at every restart.
"""

import asyncio
import contextlib
import logging
import math
import random
from collections.abc import Awaitable, Callable

from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import FeedStore
from feeds.poller import PollReport, poll
from index.library import Library

log = logging.getLogger(__name__)


class FeedPolling:
    def __init__(self, library: Library, store: FeedStore, limits: FetchLimits, settings: FeedSettings):
        self.library = library
        self.store = store
        self.limits = limits
        self.settings = settings
        # called with the article ids a poll added or replaced (the bot's watch alerts)
        self.after_ingest: Callable[[tuple[str, ...]], Awaitable[None]] | None = None
        self._one_at_a_time = asyncio.Lock()
        self._task: asyncio.Task | None = None

    @property
    def running(self) -> bool:
        return self._task is not None and not self._task.done()

    @property
    def longest_wait_minutes(self) -> int:
        """The most minutes from one poll to the next, jitter included, rounded up."""
        return math.ceil(self.settings.poll_interval_minutes * (1 + self.settings.jitter_share))

    def next_wait_seconds(self) -> float:
        jitter = self.settings.jitter_share
        return self.settings.poll_interval_minutes * 60 * random.uniform(1 - jitter, 1 + jitter)

    def start(self) -> None:
        """Poll in the background on the running event loop until `stop`."""
        if not self.running:
            self._task = asyncio.create_task(self._poll_forever(), name="feed-polling")

    async def stop(self) -> None:
        """Stop polling; a poll under way is cancelled (its feeds are read again next time)."""
        task, self._task = self._task, None
        if task is None or task.done():
            return
        task.cancel()
        with contextlib.suppress(asyncio.CancelledError):
            await task

    async def poll_once(self) -> PollReport:
        """One poll of the feeds that are due, after any poll under way has finished, and
        then `after_ingest` with the articles it brought."""
        async with self._one_at_a_time:
            report = await poll(self.library, self.store, self.limits, self.settings)
            if report.feeds:
                log.info("feeds: %s", report.summary())
            for error in report.errors:
                log.warning("feed failed: %s", error)
            for reason in report.without_article:
                log.info("skipped a feed entry: %s", reason)
            new_articles = (*report.added, *report.replaced)
            if new_articles and self.after_ingest is not None:
                await self.after_ingest(new_articles)
        return report

    async def _poll_forever(self) -> None:
        while True:
            await asyncio.sleep(self.next_wait_seconds())
            try:
                await self.poll_once()
            except Exception:
                log.exception("the feed poll failed; the next one comes after the usual wait")
