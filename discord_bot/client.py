"""The bot as a discord.py client: /ask, mentions and DMs, buttons, admin and watch commands.

Searching and indexing run in worker threads, never on the event loop, so one slow
question does not hold up anyone else's.

NewsBot stays the one way in, which commands and buttons call (`interaction.client`); the
work is done in: startup.py (commands registered and synced), mentions.py (questions in
messages), answering.py (questions through interactions), button_actions.py, ingesting.py
(/ingest), permissions.py, cooldowns.py, reply_sending.py (replies retried, never twice)
and error_replies.py (what a person is told when something fails).
"""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from discord_bot import (
    answering,
    button_actions,
    error_replies,
    ingesting,
    mentions,
    permissions,
    reply_sending,
    startup,
)
from discord_bot.answer_log import AnswerLog
from discord_bot.bot_settings import BotSettings
from discord_bot.cooldowns import Cooldowns
from discord_bot.error_replies import APOLOGY, UserMistake
from discord_bot.feed_polling import FeedPolling
from discord_bot.replies import NO_PINGS, ReplyStyle
from discord_bot.watch_alerts import WatchAlerts
from retrieval.answer import Answer
from retrieval.search import Searcher
from watches.watch_store import WatchStore

# APOLOGY and UserMistake (error_replies.py) are imported from here too, by tests/
__all__ = ["APOLOGY", "NewsBot", "ShardedNewsBot", "UserMistake", "news_bot"]

log = logging.getLogger(__name__)


class NewsBot(discord.Client):
    def __init__(self, searcher: Searcher, answer_log: AnswerLog, settings: BotSettings,
                 feed_polling: FeedPolling | None = None, watch_store: WatchStore | None = None, **options):
        """With `feed_polling` the bot polls the feeds while it runs and has /feed; with
        `watch_store` it has /watch and alerts the watches after each poll and /ingest."""
        super().__init__(intents=discord.Intents.default(), allowed_mentions=NO_PINGS, **options)
        self.searcher = searcher
        self.library = searcher.library
        self.answer_log = answer_log
        self.settings = settings
        self.feed_polling = feed_polling
        self.style = ReplyStyle(colour=settings.embed_colour)
        self.watch_alerts = None if watch_store is None else WatchAlerts(
            self, searcher, watch_store, settings.watch_alerts_per_hour, self.style)
        if feed_polling is not None and self.watch_alerts is not None:
            feed_polling.after_ingest = self.watch_alerts.after_ingest
        self.tree = app_commands.CommandTree(self)
        self.tree.on_error = self._on_command_error
        self.cooldowns = Cooldowns()
        self.typing_tasks: set[asyncio.Task] = set()  # mentions.py's "typing…", kept referenced

    async def setup_hook(self) -> None:
        await startup.set_up(self)

    async def close(self) -> None:
        if self.feed_polling is not None:
            await self.feed_polling.stop()
        await super().close()

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))

    # -- questions: mentions.py, answering.py --------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A mention in an allowed channel, or any DM, is a question."""
        await mentions.answer_message(self, message)

    async def answer_slash(
        self, interaction: discord.Interaction, question: str, article: str | None
    ) -> None:
        """/ask: answered at once when quick, otherwise deferred before Discord's deadline."""
        await answering.answer_interaction(self, interaction, lambda: self.searcher.ask(
            question, self.settings.passages_per_reply, article, interaction.created_at.date()))

    async def answer_quotes(self, interaction: discord.Interaction, person: str, about: str | None) -> None:
        """/quotes: one person's quotations (on a topic), replied to as /ask is."""
        await answering.answer_interaction(
            self, interaction, lambda: self.searcher.quotes(person, about, self.settings.passages_per_reply))

    async def reply_with(self, interaction: discord.Interaction, find: Callable[[], Answer],
                         make_reply: Callable | None = None) -> None:
        """Run `find` in a worker thread and reply with `make_reply(answer, user id, channel
        id)` -> (embed, view): at once when quick, otherwise deferred before Discord's
        deadline (/timeline)."""
        await answering.answer_interaction(self, interaction, find, make_reply)

    # -- buttons: button_actions.py -------------------------------------------------

    async def more_results(self, interaction: discord.Interaction, answer_id: int, shown: int) -> None:
        await button_actions.more_results(self, interaction, answer_id, shown)

    async def show_context(self, interaction: discord.Interaction, passage_id: int) -> None:
        await button_actions.show_context(self, interaction, passage_id)

    async def record_vote(self, interaction: discord.Interaction, answer_id: int, vote: int) -> None:
        await button_actions.record_vote(self, interaction, answer_id, vote)

    def logged_answer(self, answer_id: int):
        return button_actions.logged_answer(self, answer_id)

    # -- who may do what, where: permissions.py ------------------------------------

    @staticmethod
    def allowed(require: Callable[[discord.Interaction], None], interaction: discord.Interaction) -> bool:
        """Whether `require` (require_admin, require_moderator) lets the interaction's member
        through: autocompletes offer nothing to those who may not use the command."""
        return permissions.allowed(require, interaction)

    def require_admin(self, interaction: discord.Interaction) -> None:
        """Manage Server, checked here: a server's command permissions can be changed."""
        permissions.require_admin(interaction)

    def require_moderator(self, interaction: discord.Interaction) -> None:
        """Manage Messages in this channel, or Manage Server, checked here as for admins."""
        permissions.require_moderator(interaction)

    def require_allowed_channel(self, interaction: discord.Interaction) -> None:
        """A server channel the bot answers in (`discord.channels`); any DM."""
        permissions.require_allowed_channel(interaction, self.settings.channels)

    # -- /ingest: ingesting.py -------------------------------------------------------

    async def ingest_upload(self, interaction: discord.Interaction, upload: discord.Attachment) -> None:
        await ingesting.ingest_upload(self, interaction, upload)

    async def ingest_link(self, interaction: discord.Interaction, url: str) -> None:
        await ingesting.ingest_link(self, interaction, url)

    # -- replies and errors: reply_sending.py, error_replies.py ----------------------

    async def defer(self, interaction: discord.Interaction, ephemeral: bool = False) -> None:
        """Show "thinking…"; `send` then turns that message into the reply."""
        await reply_sending.defer(interaction, ephemeral)

    async def send(self, interaction: discord.Interaction, ephemeral: bool = False, **message) -> None:
        """Reply to an interaction, whether or not it was deferred; never pinging anyone and
        never twice (reply_sending.send)."""
        await reply_sending.send(interaction, ephemeral, **message)

    async def guarded(self, interaction: discord.Interaction, handler: Callable[..., Awaitable], *args):
        """Run a button's handler with the same error handling as the commands."""
        try:
            await handler(interaction, *args)
        except Exception as error:
            await self._report_to(interaction, error)

    async def _on_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        await self._report_to(interaction, error)

    async def _report_to(self, interaction: discord.Interaction, error: Exception) -> None:
        await error_replies.report(error, lambda text: self.send(interaction, content=text, ephemeral=True),
                                   self.settings.channels)


class ShardedNewsBot(NewsBot, discord.AutoShardedClient):
    """The bot as some of several gateway shards (`[discord] shard_count`, `shard_ids`):
    discord.py's AutoShardedClient, which gets each shard's servers and, on shard 0, the DMs."""


def news_bot(searcher: Searcher, answer_log: AnswerLog, settings: BotSettings, *args, **options) -> NewsBot:
    """A NewsBot, sharded when `settings` say so."""
    if settings.shard_count == 1:
        return NewsBot(searcher, answer_log, settings, *args, **options)
    return ShardedNewsBot(searcher, answer_log, settings, *args, shard_count=settings.shard_count,
                          shard_ids=list(settings.shard_ids) or None, **options)
