"""/timeline: the best passage of each story about a topic, oldest first, a page at a time
with Earlier and Later buttons. The topic lives in the answer log and the page in the
button's id, so the buttons keep working after a restart (the timeline is built again,
with what is indexed then)."""

import asyncio
import math

import discord
from discord import app_commands

from discord_bot.replies import answer_embed
from retrieval.answer import Answer

ENTRIES_PER_PAGE = 5


@app_commands.command(name="timeline", description="Each story about a topic in the articles, oldest first")
@app_commands.describe(topic="What the stories are about, e.g. ferry strike, or ferry strike in June")
async def timeline(interaction: discord.Interaction, topic: app_commands.Range[str, 1, 300]) -> None:
    bot = interaction.client

    def first_page(found: Answer, user_id: int | None, channel_id: int | None):
        return timeline_page(bot, found, 0, _logged(bot, found, user_id, channel_id))

    await bot.reply_with(interaction, lambda: bot.searcher.timeline(topic, interaction.created_at.date()),
                         first_page)


def timeline_page(bot, found: Answer, page: int, answer_id: int | None):
    """The embed of one page of a timeline, and its buttons (none for a one-page timeline)."""
    pages = max(1, math.ceil(len(found.passages) / ENTRIES_PER_PAGE))
    page = min(max(page, 0), pages - 1)
    shown = found.passages[page * ENTRIES_PER_PAGE:(page + 1) * ENTRIES_PER_PAGE]
    heading = f"Timeline: {found.question}" + (f" ({page + 1}/{pages})" if pages > 1 else "")
    embed = answer_embed(found, bot.style, passages=shown, heading=heading)
    if not found.passages:
        embed.description = "Nothing in the indexed articles is about that" + (
            f" in articles from {found.time_scope.label}." if found.time_scope else ".")
    if pages == 1 or answer_id is None:
        return embed, None
    view = discord.ui.View(timeout=None)
    view.add_item(TimelinePage(answer_id, page - 1, "◀ Earlier", disabled=page == 0))
    view.add_item(TimelinePage(answer_id, page + 1, "Later ▶", disabled=page == pages - 1))
    return embed, view


class TimelinePage(discord.ui.DynamicItem[discord.ui.Button],
                   template=r"timeline:(?P<answer>\d+):(?P<page>-?\d+)"):
    def __init__(self, answer_id: int, page: int, label: str = "Later ▶", disabled: bool = False):
        super().__init__(discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, disabled=disabled,
            custom_id=f"timeline:{answer_id}:{page}"))
        self.answer_id, self.page = answer_id, page

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["answer"]), int(match["page"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.guarded(interaction, _turn_page, self.answer_id, self.page)


async def _turn_page(interaction: discord.Interaction, answer_id: int, page: int) -> None:
    """The message shows the asked page in place of the one it showed."""
    bot = interaction.client
    logged = bot.logged_answer(answer_id)
    found = await asyncio.to_thread(bot.searcher.timeline, logged.question, interaction.created_at.date())
    embed, view = timeline_page(bot, found, page, answer_id)
    await interaction.response.edit_message(embed=embed, view=view)


def _logged(bot, found: Answer, user_id: int | None, channel_id: int | None) -> int | None:
    if not found.passages:
        return None
    return bot.answer_log.record_answer(
        found.question, None, [p.passage_id for p in found.passages], user_id, channel_id)
