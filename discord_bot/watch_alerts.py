"""Watch alerts after each ingest (a feed poll, /ingest): one message per newly indexed passage
that answers a channel's watch, at most `per_hour` in any hour per watch; past that, the
round's passages for the watch go out together in one digest of their citations."""

import asyncio
import logging
from collections.abc import Sequence
from datetime import UTC, datetime, timedelta

import discord

from discord_bot.replies import NO_PINGS, ReplyStyle, watch_digest_embed, watch_embed
from retrieval.answer import FoundPassage
from retrieval.search import Searcher
from watches.watch_matches import match_watches
from watches.watch_store import Watch, WatchStore

log = logging.getLogger(__name__)

HOUR = timedelta(hours=1)


class WatchAlerts:
    def __init__(self, client: discord.Client, searcher: Searcher, store: WatchStore, per_hour: int,
                 style: ReplyStyle):
        self.client = client
        self.searcher = searcher
        self.store = store
        self.per_hour = per_hour
        self.style = style
        self._one_round_at_a_time = asyncio.Lock()  # so that the hourly counts hold

    async def after_ingest(self, article_ids: Sequence[str]) -> None:
        """Alert the watches that the added or replaced articles answer. Never raises: an
        ingest has already succeeded, and a failure here is logged."""
        if not article_ids:
            return
        try:
            async with self._one_round_at_a_time:
                matched = await asyncio.to_thread(match_watches, self.searcher, self.store, article_ids)
                for found in matched:
                    await self._deliver(found.watch, [found.match.passage])
        except Exception:
            log.exception("watch alerts after an ingest failed")

    async def _deliver(self, watch: Watch, passages: list[FoundPassage]) -> None:
        if watch.channel_id is None:  # a command-line watch: `feeds poll` prints, the bot logs
            for passage in passages:
                log.info("watch %d (%s) matched %s", watch.watch_id, watch.query, passage.citation.title)
            self.store.record_alerts(watch.watch_id, passages, "logged")
            return
        now = datetime.now(UTC)
        room = max(self.per_hour - self.store.alerts_since(watch.watch_id, now - HOUR, "alone"), 0)
        alone, digest = passages[:room], passages[room:]
        channel = self.client.get_partial_messageable(watch.channel_id, guild_id=watch.guild_id)
        try:
            for passage in alone:
                await channel.send(embed=watch_embed(watch.query, passage, self.style),
                                   allowed_mentions=NO_PINGS)
                self.store.record_alerts(watch.watch_id, [passage], "alone", now)
            if digest:
                await channel.send(embed=watch_digest_embed(watch.query, digest, self.style),
                                   allowed_mentions=NO_PINGS)
                self.store.record_alerts(watch.watch_id, digest, "digest", now)
        except discord.HTTPException as error:  # no access to the channel any more, or it is gone
            log.warning("could not post watch %d's alert in channel %d: %s", watch.watch_id,
                        watch.channel_id, error)
