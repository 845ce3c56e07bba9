"""The buttons under an answer. Their state lives in their custom ids and the answer log,
so they keep working after the bot restarts."""

import discord

from retrieval.answer import FoundPassage


class MoreResults(discord.ui.DynamicItem[discord.ui.Button], template=r"more:(?P<answer>\d+):(?P<shown>\d+)"):
    def __init__(self, answer_id: int, shown: int):
        super().__init__(discord.ui.Button(
            label="More results", style=discord.ButtonStyle.primary, custom_id=f"more:{answer_id}:{shown}",
        ))
        self.answer_id, self.shown = answer_id, shown

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["answer"]), int(match["shown"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.guarded(interaction, interaction.client.more_results,
                                         self.answer_id, self.shown)


class ShowContext(discord.ui.DynamicItem[discord.ui.Button], template=r"context:(?P<passage>\d+)"):
    def __init__(self, passage_id: int, label: str = "Show context"):
        super().__init__(discord.ui.Button(
            label=label, style=discord.ButtonStyle.secondary, custom_id=f"context:{passage_id}", row=1,
        ))
        self.passage_id = passage_id

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["passage"]))

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.guarded(interaction, interaction.client.show_context, self.passage_id)


class Vote(discord.ui.DynamicItem[discord.ui.Button], template=r"vote:(?P<answer>\d+):(?P<vote>up|down)"):
    def __init__(self, answer_id: int, vote: str):
        super().__init__(discord.ui.Button(
            emoji="👍" if vote == "up" else "👎", style=discord.ButtonStyle.secondary,
            custom_id=f"vote:{answer_id}:{vote}",
        ))
        self.answer_id, self.vote = answer_id, vote

    @classmethod
    async def from_custom_id(cls, interaction, item, match):
        return cls(int(match["answer"]), match["vote"])

    async def callback(self, interaction: discord.Interaction) -> None:
        await interaction.client.guarded(interaction, interaction.client.record_vote,
                                         self.answer_id, 1 if self.vote == "up" else -1)


BUTTON_TYPES = (MoreResults, ShowContext, Vote)


def answer_buttons(answer_id: int, passages: tuple[FoundPassage, ...], shown: int,
                   more_possible: bool) -> discord.ui.View:
    """More results and 👍/👎 on the first row, one Show context per passage on the second."""
    view = discord.ui.View(timeout=None)
    if more_possible:
        view.add_item(MoreResults(answer_id, shown))
    view.add_item(Vote(answer_id, "up"))
    view.add_item(Vote(answer_id, "down"))
    for found in passages[:5]:
        view.add_item(ShowContext(found.passage_id, f"Context [{found.rank}]"))
    return view
