"""What the buttons under an answer (buttons.py) do: the next passages for the logged
question, a passage's neighbouring paragraphs, and a vote on the answer."""

import asyncio
from typing import TYPE_CHECKING

import discord

from discord_bot.buttons import answer_buttons
from discord_bot.error_replies import UserMistake
from discord_bot.replies import answer_embed, context_embed

if TYPE_CHECKING:
    from discord_bot.client import NewsBot


async def more_results(bot: "NewsBot", interaction: discord.Interaction, answer_id: int, shown: int) -> None:
    logged = bot.logged_answer(answer_id)
    per_reply = bot.settings.passages_per_reply
    answer = await asyncio.to_thread(bot.searcher.ask, logged.question, min(shown + per_reply, 25),
                                     logged.article_id, interaction.created_at.date())
    page = answer.passages[shown:]
    if not page:
        raise UserMistake("There are no more passages for this question.")
    embed = answer_embed(answer, bot.style, passages=page, heading=f"More: {logged.question}")
    more = len(answer.passages) == shown + per_reply and shown + per_reply < 25
    view = answer_buttons(answer_id, page, shown + len(page), more)
    await bot.send(interaction, embed=embed, view=view, ephemeral=True)


async def show_context(bot: "NewsBot", interaction: discord.Interaction, passage_id: int) -> None:
    stored = await asyncio.to_thread(bot.library.neighbours, passage_id, bot.settings.context_radius)
    focus = next(s.passage.citation for s in stored if s.passage_id == passage_id)
    neighbours = [(s.passage.citation, s.passage.text) for s in stored]
    await bot.send(interaction, embed=context_embed(focus, neighbours, bot.style), ephemeral=True)


async def record_vote(bot: "NewsBot", interaction: discord.Interaction, answer_id: int, vote: int) -> None:
    logged = bot.logged_answer(answer_id)
    await asyncio.to_thread(bot.answer_log.record_vote, logged, interaction.user.id, vote)
    await bot.send(interaction, content="Thanks for the feedback.", ephemeral=True)


def logged_answer(bot: "NewsBot", answer_id: int):
    """The answer a button is under, from the answer log."""
    logged = bot.answer_log.answer(answer_id)
    if logged is None:
        raise UserMistake("I no longer have that answer; please ask again.")
    return logged
