"""The bot as a discord.py client: /ask, mentions and DMs, buttons, admin and watch commands.

Searching and indexing run in worker threads, never on the event loop, so one slow
question does not hold up anyone else's.
"""

import asyncio
import contextlib
import dataclasses
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable

import aiohttp
import discord
from discord import app_commands

from discord_bot.answer_log import AnswerLog
from discord_bot.bot_settings import BotSettings
from discord_bot.buttons import BUTTON_TYPES, answer_buttons
from discord_bot.feed_polling import FeedPolling
from discord_bot.replies import (
    NO_PINGS,
    ReplyStyle,
    answer_embed,
    context_embed,
    defuse_notice,
    notice_embed,
    shorten,
)
from discord_bot.watch_alerts import WatchAlerts
from feeds.fetch import fetch_page
from index.articles import SUPPORTED_SUFFIXES, article_from_html, article_from_plain_text, parse_articles
from index.errors import IndexingError
from retrieval.answer import Answer
from retrieval.search import Searcher
from watches.watch_store import WatchStore

log = logging.getLogger(__name__)

ALREADY_ACKNOWLEDGED = 40060  # Discord's code: this interaction was answered already
UNKNOWN_INTERACTION = 10062  # too late: the 3 s to acknowledge an interaction have passed
# After discord.py gave up on a reply (its five tries all rate limited, or all a 5xx from
# Discord), the bot tries again after these pauses before it gives up itself.
REPLY_RETRY_PAUSES = (1.0, 2.0, 4.0)
# Past this many members' cooldowns remembered, the expired ones are dropped.
COOLDOWN_ENTRIES_KEPT = 1000

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


class UserMistake(Exception):
    """Something the person can fix (too fast, wrong channel, not allowed); shown as is."""


USER_ERRORS = (IndexingError, UserMistake)


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
        self._last_question_at: dict[int, float] = {}
        self._typing: set[asyncio.Task] = set()

    async def setup_hook(self) -> None:
        from discord_bot.commands import COMMANDS
        from discord_bot.feed_commands import feed
        from discord_bot.timeline_commands import TimelinePage, timeline
        from discord_bot.watch_commands import watch

        for command in (*COMMANDS, timeline):
            self.tree.add_command(command)
        if self.feed_polling is not None:
            self.tree.add_command(feed)
        if self.watch_alerts is not None:
            self.tree.add_command(watch)
        self.add_dynamic_items(*BUTTON_TYPES, TimelinePage)
        if self.settings.holds_shard_zero:  # one process of a sharded bot: commands are global
            await self.tree.sync()
        if self.feed_polling is not None and self.settings.holds_shard_zero:
            self.feed_polling.start()

    async def close(self) -> None:
        if self.feed_polling is not None:
            await self.feed_polling.stop()
        await super().close()

    async def on_ready(self) -> None:
        log.info("connected as %s to %d server(s)", self.user, len(self.guilds))

    # -- questions ------------------------------------------------------------------

    async def on_message(self, message: discord.Message) -> None:
        """A mention in an allowed channel, or any DM, is a question."""
        if message.author.bot or (self.user is None):
            return
        in_dm = message.guild is None
        if not in_dm and (self.user not in message.mentions or not self._channel_allowed(message.channel)):
            return
        question = re.sub(rf"<@!?{self.user.id}>", " ", message.content).strip()

        async def reply(text: str) -> None:
            await message.reply(text, allowed_mentions=NO_PINGS, mention_author=False)

        try:
            self._check_cooldown(message.author.id)
            answered = asyncio.Event()
            typing = asyncio.ensure_future(_show_typing(message.channel, answered))
            self._typing.add(typing)  # a task only weakly referenced may be collected
            typing.add_done_callback(self._typing.discard)
            try:
                answer = await asyncio.to_thread(
                    self.searcher.ask, question, self.settings.passages_per_reply, None,
                    message.created_at.date())
                embed, view = self._answer_reply(answer, message.author.id, message.channel.id)
                # The question's id as the nonce: Discord keeps one message per nonce, so a
                # retried send whose first try did arrive (a 502 after the work was done, or
                # the same question dispatched twice) posts nothing new.
                await _retrying(lambda: message.reply(
                    embed=embed, view=view, allowed_mentions=NO_PINGS, mention_author=False,
                    nonce=str(message.id)))
            finally:
                answered.set()  # not typing.cancel(): see _show_typing
        except Exception as error:
            await self._report(error, reply)

    async def answer_slash(
        self, interaction: discord.Interaction, question: str, article: str | None
    ) -> None:
        """/ask: answered at once when quick, otherwise deferred before Discord's deadline."""
        await self._answer_interaction(interaction, lambda: self.searcher.ask(
            question, self.settings.passages_per_reply, article, interaction.created_at.date()))

    async def answer_quotes(self, interaction: discord.Interaction, person: str, about: str | None) -> None:
        """/quotes: one person's quotations (on a topic), replied to as /ask is."""
        await self._answer_interaction(
            interaction, lambda: self.searcher.quotes(person, about, self.settings.passages_per_reply))

    async def reply_with(self, interaction: discord.Interaction, find: Callable[[], Answer],
                         make_reply: Callable | None = None) -> None:
        """Run `find` in a worker thread and reply with `make_reply(answer, user id, channel
        id)` -> (embed, view): at once when quick, otherwise deferred before Discord's
        deadline (/timeline)."""
        await self._answer_interaction(interaction, find, make_reply)

    async def _answer_interaction(self, interaction: discord.Interaction, find: Callable[[], Answer],
                                  make_reply: Callable | None = None) -> None:
        """Run `find` in a worker thread and reply with its answer: at once when quick,
        otherwise deferred before Discord's deadline. The answer log keeps the answer's own
        question, which the "More results" button asks again."""
        self.require_allowed_channel(interaction)
        self._check_cooldown(interaction.user.id)
        search = asyncio.ensure_future(asyncio.to_thread(find))
        # counted from when Discord created the interaction, not from when this busy bot got
        # to it: one that reached the bot late is deferred at once, still inside the deadline
        age = max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())
        done, _ = await asyncio.wait({search}, timeout=max(0.0, self.settings.defer_after_seconds - age))
        if not done:
            await self.defer(interaction)
        answer = await search
        embed, view = (make_reply or self._answer_reply)(answer, interaction.user.id, interaction.channel_id)
        await self.send(interaction, embed=embed, view=view)

    def _answer_reply(self, answer: Answer, user_id: int | None, channel_id: int | None):
        embed = answer_embed(answer, self.style)
        if not answer.answered:
            return embed, None
        answer_id = self.answer_log.record_answer(
            answer.question, answer.article_id, [p.passage_id for p in answer.passages], user_id, channel_id
        )
        more = len(answer.passages) == self.settings.passages_per_reply
        return embed, answer_buttons(answer_id, answer.passages, len(answer.passages), more)

    # -- buttons --------------------------------------------------------------------

    async def more_results(self, interaction: discord.Interaction, answer_id: int, shown: int) -> None:
        logged = self.logged_answer(answer_id)
        per_reply = self.settings.passages_per_reply
        answer = await asyncio.to_thread(self.searcher.ask, logged.question, min(shown + per_reply, 25),
                                         logged.article_id, interaction.created_at.date())
        page = answer.passages[shown:]
        if not page:
            raise UserMistake("There are no more passages for this question.")
        embed = answer_embed(answer, self.style, passages=page, heading=f"More: {logged.question}")
        more = len(answer.passages) == shown + per_reply and shown + per_reply < 25
        view = answer_buttons(answer_id, page, shown + len(page), more)
        await self.send(interaction, embed=embed, view=view, ephemeral=True)

    async def show_context(self, interaction: discord.Interaction, passage_id: int) -> None:
        stored = await asyncio.to_thread(self.library.neighbours, passage_id, self.settings.context_radius)
        focus = next(s.passage.citation for s in stored if s.passage_id == passage_id)
        neighbours = [(s.passage.citation, s.passage.text) for s in stored]
        await self.send(interaction, embed=context_embed(focus, neighbours, self.style), ephemeral=True)

    async def record_vote(self, interaction: discord.Interaction, answer_id: int, vote: int) -> None:
        logged = self.logged_answer(answer_id)
        await asyncio.to_thread(self.answer_log.record_vote, logged, interaction.user.id, vote)
        await self.send(interaction, content="Thanks for the feedback.", ephemeral=True)

    def logged_answer(self, answer_id: int):
        logged = self.answer_log.answer(answer_id)
        if logged is None:
            raise UserMistake("I no longer have that answer; please ask again.")
        return logged

    # -- admin ----------------------------------------------------------------------

    @staticmethod
    def allowed(require: Callable[[discord.Interaction], None], interaction: discord.Interaction) -> bool:
        """Whether `require` (require_admin, require_moderator) lets the interaction's member
        through: autocompletes offer nothing to those who may not use the command."""
        try:
            require(interaction)
        except UserMistake:
            return False
        return True

    def require_admin(self, interaction: discord.Interaction) -> None:
        """Manage Server, checked here: a server's command permissions can be changed."""
        if interaction.guild is None:
            raise UserMistake("Admin commands work in a server, not in direct messages.")
        if not interaction.permissions.manage_guild:
            raise UserMistake("Only members with the Manage Server permission can do that.")

    def require_moderator(self, interaction: discord.Interaction) -> None:
        """Manage Messages in this channel, or Manage Server, checked here as for admins."""
        if interaction.guild is None:
            raise UserMistake("Watches work in a server's channels, not in direct messages.")
        permissions = interaction.permissions
        if not (permissions.manage_messages or permissions.manage_guild):
            raise UserMistake(
                "Only members with the Manage Messages or Manage Server permission can do that.")

    async def ingest_upload(self, interaction: discord.Interaction, upload: discord.Attachment) -> None:
        name = upload.filename
        if not name.lower().endswith(SUPPORTED_SUFFIXES):
            raise UserMistake(f"{name}: send a {', '.join(SUPPORTED_SUFFIXES)} file")
        if upload.size > self.settings.max_upload_bytes:
            raise UserMistake(
                f"{name} is {upload.size:,} bytes; the limit is {self.settings.max_upload_bytes:,}")
        await self.defer(interaction, ephemeral=True)
        data = await upload.read()
        articles = await asyncio.to_thread(parse_articles, data, name, f"discord upload: {name}")
        await self._store(interaction, articles)

    async def ingest_link(self, interaction: discord.Interaction, url: str) -> None:
        await self.defer(interaction, ephemeral=True)
        page = await fetch_page(url, self.settings.fetch)
        if "html" in page.content_type:
            article = await asyncio.to_thread(article_from_html, page.text, page.url, page.url)
        else:
            article = dataclasses.replace(article_from_plain_text(page.text, page.url), url=page.url)
        await self._store(interaction, [article])

    async def _store(self, interaction: discord.Interaction, articles) -> None:
        report = await asyncio.to_thread(self.library.ingest_articles, articles)
        titles = ", ".join(shorten(a.title, 80) for a in articles[:5])
        await self.send(interaction, embed=notice_embed("Indexed", f"{titles}\n{report.summary()}",
                                                          self.style), ephemeral=True)
        if self.watch_alerts is not None:
            await self.watch_alerts.after_ingest([*report.added, *report.replaced])

    # -- plumbing -------------------------------------------------------------------

    async def defer(self, interaction: discord.Interaction, ephemeral: bool = False) -> None:
        """Show "thinking…"; `send` then turns that message into the reply."""
        try:
            await _retrying(lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True))
        except discord.HTTPException as error:
            if error.code != ALREADY_ACKNOWLEDGED:
                raise
            # a retry whose first try had arrived (its answer lost to a 5xx): deferred all the same
            log.info("interaction %s: the defer had arrived already", interaction.id)
        interaction.extras["thinking"] = True

    async def send(self, interaction: discord.Interaction, ephemeral: bool = False, **message) -> None:
        """Reply to an interaction, whether or not it was deferred; never pinging anyone, and
        never twice when Discord's answer to a first try is lost (a 5xx after the work was
        done), since every way used is safe to repeat: the first response (a second is refused
        with 40060), or an edit of the "thinking" message. Only a further message (after a
        reply, e.g. an error) is a followup, retried after a 429 alone."""
        message = {k: v for k, v in message.items() if v is not None}
        if interaction.extras.pop("thinking", False):
            await _retrying(lambda: interaction.edit_original_response(allowed_mentions=NO_PINGS, **message))
        elif interaction.response.is_done() or interaction.extras.get("answered"):
            await _retrying(lambda: interaction.followup.send(
                allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message), server_errors=False)
        else:
            try:
                await _retrying(lambda: interaction.response.send_message(
                    allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message))
            except discord.HTTPException as error:
                if error.code != ALREADY_ACKNOWLEDGED:
                    raise
                log.info("interaction %s: the reply had arrived already", interaction.id)
            interaction.extras["answered"] = True

    async def guarded(self, interaction: discord.Interaction, handler: Callable[..., Awaitable], *args):
        """Run a button's handler with the same error handling as the commands."""
        try:
            await handler(interaction, *args)
        except Exception as error:
            await self._report(error, lambda text: self.send(interaction, content=text, ephemeral=True))

    async def _on_command_error(self, interaction: discord.Interaction, error: Exception) -> None:
        if isinstance(error, app_commands.CommandInvokeError):
            error = error.original
        await self._report(error, lambda text: self.send(interaction, content=text, ephemeral=True))

    async def _report(self, error: Exception, reply: Callable[[str], Awaitable]) -> None:
        """A user mistake gets a short reply; a bug gets logged with its traceback and an apology."""
        if isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION:
            log.warning("an interaction expired before the bot could acknowledge it "
                        "(it reached the bot after Discord's 3 s deadline)")
            return
        if isinstance(error, USER_ERRORS):
            text = defuse_notice(str(error), self.settings.channels)  # it may quote "@everyone"
        else:
            log.error("unexpected error while answering", exc_info=error)
            text = APOLOGY
        try:
            await reply(shorten(text, 1900))
        except discord.HTTPException:
            log.warning("could not tell the user about an error", exc_info=True)

    def require_allowed_channel(self, interaction: discord.Interaction) -> None:
        """A server channel the bot answers in (`discord.channels`); any DM."""
        if interaction.guild is not None and not self._channel_allowed(interaction.channel):
            raise UserMistake("I only answer in " + ", ".join(f"<#{c}>" for c in self.settings.channels))

    def _channel_allowed(self, channel) -> bool:
        allowed = self.settings.channels
        return not allowed or channel.id in allowed or getattr(channel, "parent_id", None) in allowed

    def _check_cooldown(self, user_id: int) -> None:
        now, wait = time.monotonic(), self.settings.cooldown_seconds
        if len(self._last_question_at) > COOLDOWN_ENTRIES_KEPT:
            self._last_question_at = {u: t for u, t in self._last_question_at.items() if now - t < wait}
        last = self._last_question_at.get(user_id)
        if last is not None and now - last < wait:
            seconds = math.ceil(wait - (now - last))
            raise UserMistake(f"One moment, please: you can ask again in {seconds} s.")
        self._last_question_at[user_id] = now


async def _show_typing(channel, answered: asyncio.Event) -> None:
    """"typing…" in the channel (renewed every 5 s) until `answered` is set. Best effort: it
    runs beside the search, so a slow or refused typing call never delays or fails the answer.

    It is never cancelled: a request cancelled while discord.py waits out a global rate
    limit leaves its global lock closed, and every later REST call of the bot waits forever
    (discord.py 2.7, HTTPClient.request). So the typing call in flight is let finish."""
    while not answered.is_set():
        try:
            await channel.typing()  # one "typing…" (lasts 10 s on Discord)
        except (discord.HTTPException, aiohttp.ClientError, OSError) as error:
            log.info("could not show typing in channel %s: %s", getattr(channel, "id", "?"), error)
            return
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(answered.wait(), timeout=5)


async def _retrying(attempt: Callable[[], Awaitable], server_errors: bool = True):
    """`attempt()`, made again after REPLY_RETRY_PAUSES when discord.py gave up on it: five
    429s in a row (a rate-limit storm) or, with `server_errors`, five 5xx from Discord. Only
    for requests safe to repeat; other errors are raised at once."""
    for pause in REPLY_RETRY_PAUSES:
        try:
            return await attempt()
        except discord.HTTPException as error:
            if not (error.status == 429 or (server_errors and error.status >= 500)):
                raise
            log.warning("Discord refused a reply (%s); trying again in %.0f s", error.status, pause)
        await asyncio.sleep(pause)
    return await attempt()


class ShardedNewsBot(NewsBot, discord.AutoShardedClient):
    """The bot as some of several gateway shards (`[discord] shard_count`, `shard_ids`):
    discord.py's AutoShardedClient, which gets each shard's servers and, on shard 0, the DMs."""


def news_bot(searcher: Searcher, answer_log: AnswerLog, settings: BotSettings, *args, **options) -> NewsBot:
    """A NewsBot, sharded when `settings` say so."""
    if settings.shard_count == 1:
        return NewsBot(searcher, answer_log, settings, *args, **options)
    return ShardedNewsBot(searcher, answer_log, settings, *args, shard_count=settings.shard_count,
                          shard_ids=list(settings.shard_ids) or None, **options)
