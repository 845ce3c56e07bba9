"""Questions in messages: a mention of the bot in a channel it answers in, or any DM,
answered in a reply with "typing…" shown while the search runs in a worker thread."""

import asyncio
import contextlib
import logging
import re
from typing import TYPE_CHECKING

import aiohttp
import discord

from discord_bot import error_replies
from discord_bot.answering import answer_reply
from discord_bot.permissions import channel_allowed
from discord_bot.replies import NO_PINGS
from discord_bot.reply_sending import retrying

if TYPE_CHECKING:
    from discord_bot.client import NewsBot

log = logging.getLogger(__name__)


async def answer_message(bot: "NewsBot", message: discord.Message) -> None:
    """A mention in an allowed channel, or any DM, is a question."""
    if message.author.bot or (bot.user is None):
        return
    in_dm = message.guild is None
    if not in_dm and (bot.user not in message.mentions
                      or not channel_allowed(message.channel, bot.settings.channels)):
        return
    question = re.sub(rf"<@!?{bot.user.id}>", " ", message.content).strip()

    async def reply(text: str) -> None:
        await message.reply(text, allowed_mentions=NO_PINGS, mention_author=False)

    try:
        bot.cooldowns.check(message.author.id, bot.settings.cooldown_seconds)
        answered = asyncio.Event()
        typing = asyncio.ensure_future(show_typing(message.channel, answered))
        bot.typing_tasks.add(typing)  # a task only weakly referenced may be collected
        typing.add_done_callback(bot.typing_tasks.discard)
        try:
            answer = await asyncio.to_thread(
                bot.searcher.ask, question, bot.settings.passages_per_reply, None,
                message.created_at.date())
            embed, view = answer_reply(bot, answer, message.author.id, message.channel.id)
            # The question's id as the nonce: Discord keeps one message per nonce, so a
            # retried send whose first try did arrive (a 502 after the work was done, or
            # the same question dispatched twice) posts nothing new.
            await retrying(lambda: message.reply(
                embed=embed, view=view, allowed_mentions=NO_PINGS, mention_author=False,
                nonce=str(message.id)))
        finally:
            answered.set()  # not typing.cancel(): see show_typing
    except Exception as error:
        await error_replies.report(error, reply, bot.settings.channels)


async def show_typing(channel, answered: asyncio.Event) -> None:
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
