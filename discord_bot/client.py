"""The bot as a discord.py client: /ask, mentions and DMs, buttons, admin and watch commands.

Searching and indexing run in worker threads, never on the event loop, so one slow
question does not hold up anyone else's.
"""

import asyncio
import dataclasses
import logging
import math
import re
import time
from collections.abc import Awaitable, Callable

import discord
from discord import app_commands

from discord_bot.answer_log import AnswerLog
from discord_bot.bot_settings import BotSettings
from discord_bot.buttons import BUTTON_TYPES, answer_buttons
from discord_bot.feed_polling import FeedPolling
from discord_bot.replies import NO_PINGS, ReplyStyle, answer_embed, context_embed, notice_embed, shorten
from discord_bot.watch_alerts import WatchAlerts
from feeds.fetch import fetch_page
from index.articles import SUPPORTED_SUFFIXES, article_from_html, article_from_plain_text, parse_articles
from index.errors import IndexingError
from retrieval.answer import Answer
from retrieval.search import Searcher
from watches.watch_store import WatchStore

log = logging.getLogger(__name__)

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
        await self.tree.sync()
        if self.feed_polling is not None:
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
            async with message.channel.typing():
                answer = await asyncio.to_thread(
                    self.searcher.ask, question, self.settings.passages_per_reply, None,
                    message.created_at.date())
            embed, view = self._answer_reply(answer, message.author.id, message.channel.id)
            await message.reply(embed=embed, view=view, allowed_mentions=NO_PINGS, mention_author=False)
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
        done, _ = await asyncio.wait({search}, timeout=self.settings.defer_after_seconds)
        if not done:
            await interaction.response.defer(thinking=True)
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
        await interaction.response.defer(ephemeral=True, thinking=True)
        data = await upload.read()
        articles = await asyncio.to_thread(parse_articles, data, name, f"discord upload: {name}")
        await self._store(interaction, articles)

    async def ingest_link(self, interaction: discord.Interaction, url: str) -> None:
        await interaction.response.defer(ephemeral=True, thinking=True)
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

    async def send(self, interaction: discord.Interaction, ephemeral: bool = False, **message) -> None:
        """Reply to an interaction, whether or not it was deferred; never pinging anyone."""
        message = {k: v for k, v in message.items() if v is not None}
        if interaction.response.is_done():
            await interaction.followup.send(allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message)
        else:
            await interaction.response.send_message(allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message)

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
        if isinstance(error, USER_ERRORS):
            text = str(error)
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
        last = self._last_question_at.get(user_id)
        if last is not None and now - last < wait:
            seconds = math.ceil(wait - (now - last))
            raise UserMistake(f"One moment, please: you can ask again in {seconds} s.")
        self._last_question_at[user_id] = now
