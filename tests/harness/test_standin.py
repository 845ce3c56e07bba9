"""The real discord.py client against the local Discord stand-in."""

from __future__ import annotations

import contextlib
import math
from collections.abc import AsyncIterator

import discord
import pytest
from discord import app_commands
from discord.ext import commands

from harness import CommandUnavailable, DiscordStandIn, Op, point_discord_py_at, running_client

TOPICS = ["Elections", "Economy", "Energy", "Health"]


class VoteView(discord.ui.View):
    def __init__(self) -> None:
        super().__init__(timeout=30)

    @discord.ui.button(label="Useful", custom_id="vote:useful")
    async def useful(self, interaction: discord.Interaction, button: discord.ui.Button) -> None:
        await interaction.response.edit_message(
            content=f"marked useful by {interaction.user.name}", view=None
        )


@app_commands.command(description="Summarise an article")
async def summarize(
    interaction: discord.Interaction, query: str, article: discord.Attachment | None = None
) -> None:
    await interaction.response.defer(thinking=True)
    text = (await article.read()).decode() if article else ""
    await interaction.followup.send(f"{query}: {len(text)} chars starting {text[:5]!r}")


async def topic_choices(interaction: discord.Interaction, current: str):
    matching = [t for t in TOPICS if current.lower() in t.lower()]
    return [app_commands.Choice(name=t, value=t.lower()) for t in matching]


@app_commands.command(description="Pick a topic")
@app_commands.autocomplete(topic=topic_choices)
async def topic(interaction: discord.Interaction, topic: str) -> None:
    await interaction.response.send_message(f"topic {topic}")


@app_commands.command(description="Ask for feedback")
async def feedback(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("Was this useful?", view=VoteView())


@app_commands.command(description="Rebuild the index")
@app_commands.default_permissions(manage_guild=True)
async def reindex(interaction: discord.Interaction) -> None:
    await interaction.response.send_message("reindexing", ephemeral=True)


class SampleBot(commands.Bot):
    """A tiny bot: replies to mentions and DMs, has four slash commands."""

    def __init__(self) -> None:
        intents = discord.Intents.default()
        intents.message_content = True
        super().__init__(
            command_prefix=commands.when_mentioned,
            intents=intents,
            help_command=None,
            guild_ready_timeout=0.05,
        )
        self.dms: list[discord.Message] = []

    async def setup_hook(self) -> None:
        for command in (summarize, topic, feedback, reindex):
            self.tree.add_command(command)
        await self.tree.sync()

    async def on_message(self, message: discord.Message) -> None:
        if message.author.bot:
            return
        if message.guild is None:
            self.dms.append(message)
            await message.channel.send(f"got your DM: {message.content}")
        elif self.user in message.mentions:
            await message.channel.send(
                f"pong {message.author.mention}", allowed_mentions=discord.AllowedMentions.none()
            )


@contextlib.asynccontextmanager
async def bot_on_standin() -> AsyncIterator[tuple[DiscordStandIn, SampleBot]]:
    async with DiscordStandIn() as standin, running_client(SampleBot(), standin) as bot:
        yield standin, bot


async def test_client_connects_and_sees_the_guild():
    original_base = discord.http.Route.BASE
    async with bot_on_standin() as (standin, bot):
        general = bot.get_channel(standin.channel("general").id)
        assert isinstance(general, discord.TextChannel) and general.name == "general"
        assert general.guild.name == standin.guild.name
        assert bot.user.id == standin.bot.id
        assert bot.application_id == standin.application_id
        assert {c["name"] for c in standin.world.global_commands} >= {"summarize", "topic"}
        assert math.isfinite(bot.latency)  # a HEARTBEAT was ACKed
        assert [r.path for r in standin.ops(Op.IDENTIFY)] == ["/gateway"]
        assert standin.gateway.connects[0]["compress"] == "zlib-stream"
        with pytest.raises(discord.NotFound):
            await general.guild.fetch_emojis()
        assert [r.path for r in standin.unknown_requests] == [f"/guilds/{standin.guild.id}/emojis"]
    assert discord.http.Route.BASE == original_base


async def test_mention_is_answered_without_pinging():
    async with bot_on_standin() as (standin, _):
        general = standin.channel("general").id
        await standin.send_message(general, standin.member, f"{standin.bot.mention} hello")
        reply = await standin.wait_for_message(general)
        assert reply.content == f"pong {standin.member.mention}"
        assert reply.allowed_mentions == {"parse": []}
        assert reply.pinged()["users"] == []


async def test_slash_command_defers_then_follows_up_with_the_attachment():
    async with bot_on_standin() as (standin, _):
        news = standin.channel("news").id
        article = standin.upload("article.txt", b"Hello world, news.", "text/plain")
        record = await standin.slash_command(
            "summarize", {"query": "gist", "article": article}, user=standin.member, channel_id=news
        )
        await standin.wait_for_response(record)
        assert record.callback_types == [5]
        assert record.reply.content == "gist: 18 chars starting 'Hello'"
        assert record.reply is record.original  # the followup replaced the "thinking" message


async def test_admin_only_command_is_hidden_from_plain_members():
    async with bot_on_standin() as (standin, _):
        general = standin.channel("general").id
        with pytest.raises(CommandUnavailable):
            await standin.slash_command("reindex", user=standin.member, channel_id=general)
        record = await standin.slash_command("reindex", user=standin.admin, channel_id=general)
        await standin.wait_for_response(record)
        assert record.reply.ephemeral and record.reply.content == "reindexing"


async def test_autocomplete_returns_choices():
    async with bot_on_standin() as (standin, _):
        choices = await standin.autocomplete(
            "topic",
            {"topic": "e"},
            focused="topic",
            user=standin.member,
            channel_id=standin.channel("general").id,
        )
        assert [c["name"] for c in choices] == ["Elections", "Economy", "Energy", "Health"]


async def test_button_click_reaches_the_view():
    async with bot_on_standin() as (standin, _):
        general = standin.channel("general").id
        command = await standin.slash_command("feedback", user=standin.member, channel_id=general)
        message = (await standin.wait_for_response(command)).reply
        click = await standin.click_button(message, "vote:useful", user=standin.admin)
        await standin.wait_for_response(click)
        assert click.callback_types == [7]
        assert standin.message(message.id).content == "marked useful by alice"
        assert standin.message(message.id).components == []


async def test_dm_reaches_the_bot():
    async with bot_on_standin() as (standin, bot):
        await standin.send_dm(standin.member, "hi bot")
        dm = standin.dm_channel(standin.member).id
        reply = await standin.wait_for_message(dm)
        assert reply.content == "got your DM: hi bot"
        assert isinstance(bot.dms[0].channel, discord.DMChannel)


async def test_rate_limited_send_is_retried():
    async with bot_on_standin() as (standin, _):
        general = standin.channel("general").id
        standin.rate_limit_next(f"POST /channels/{general}/messages", retry_after=0.1)
        await standin.send_message(general, standin.admin, f"{standin.bot.mention} hi")
        await standin.wait_for_message(general)
        sends = standin.requests_to("POST", f"/channels/{general}/messages")
        assert [r.status for r in sends] == [429, 200]


async def test_dropped_connection_is_resumed():
    async with bot_on_standin() as (standin, _):
        general = standin.channel("general").id
        await standin.drop_connection()
        # Sent while the client is away: must be replayed after its RESUME.
        await standin.send_message(general, standin.member, f"{standin.bot.mention} still there?")
        resume = await standin.wait_for_op(Op.RESUME)
        assert resume.path == "/resume"
        assert (await standin.wait_for_message(general)).content.startswith("pong")
        assert len(standin.ops(Op.IDENTIFY)) == 1


async def test_stand_ins_can_run_one_after_another():
    for _ in range(2):
        async with DiscordStandIn() as standin:
            with point_discord_py_at(standin) as urls:
                assert discord.http.Route.BASE == urls.api
