"""Questions asked through an interaction (/ask, /quotes, /timeline): searched in a worker
thread, never on the event loop, and replied to at once when quick, otherwise deferred
before Discord's deadline; and the reply to an answer, with its buttons, that mentions
and DMs get too (mentions.py)."""

import asyncio
from collections.abc import Callable
from typing import TYPE_CHECKING

import discord

from discord_bot.buttons import answer_buttons
from discord_bot.replies import answer_embed
from retrieval.answer import Answer

if TYPE_CHECKING:
    from discord_bot.client import NewsBot


async def answer_interaction(bot: "NewsBot", interaction: discord.Interaction, find: Callable[[], Answer],
                             make_reply: Callable | None = None) -> None:
    """Run `find` in a worker thread and reply with its answer: at once when quick,
    otherwise deferred before Discord's deadline. The answer log keeps the answer's own
    question, which the "More results" button asks again."""
    bot.require_allowed_channel(interaction)
    bot.cooldowns.check(interaction.user.id, bot.settings.cooldown_seconds)
    search = asyncio.ensure_future(asyncio.to_thread(find))
    # counted from when Discord created the interaction, not from when this busy bot got
    # to it: one that reached the bot late is deferred at once, still inside the deadline
    age = max(0.0, (discord.utils.utcnow() - interaction.created_at).total_seconds())
    done, _ = await asyncio.wait({search}, timeout=max(0.0, bot.settings.defer_after_seconds - age))
    if not done:
        await bot.defer(interaction)
    answer = await search
    if make_reply is None:
        embed, view = answer_reply(bot, answer, interaction.user.id, interaction.channel_id)
    else:
        embed, view = make_reply(answer, interaction.user.id, interaction.channel_id)
    await bot.send(interaction, embed=embed, view=view)


def answer_reply(bot: "NewsBot", answer: Answer, user_id: int | None, channel_id: int | None):
    """The answer's embed and, when it found passages, its buttons (the answer logged for them)."""
    embed = answer_embed(answer, bot.style)
    if not answer.answered:
        return embed, None
    answer_id = bot.answer_log.record_answer(
        answer.question, answer.article_id, [p.passage_id for p in answer.passages], user_id, channel_id
    )
    more = len(answer.passages) == bot.settings.passages_per_reply
    return embed, answer_buttons(answer_id, answer.passages, len(answer.passages), more)
