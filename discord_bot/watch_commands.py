"""/watch add, list and remove: standing questions whose new answers are posted in the channel,
for members with Manage Messages or Manage Server. Replies are ephemeral; the descriptions
are what people see in Discord."""

import discord
from discord import app_commands

from discord_bot.error_replies import UserMistake
from discord_bot.replies import defuse, lines_embed, shorten
from watches.watch_store import MAX_QUERY_CHARS, Watch

WATCHES_PER_CHANNEL = 25  # all of them fit in /watch remove's autocomplete

watch = app_commands.Group(
    name="watch", description="Post new passages that answer a question in this channel (Manage Messages)")


async def _channel_watch_choices(interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[int]]:
    """This channel's watches whose id or question holds what was typed; none for non-moderators."""
    bot = interaction.client
    if not bot.allowed(bot.require_moderator, interaction):
        return []
    wanted = current.casefold().strip()
    watches = [w for w in bot.watch_alerts.store.channel_watches(interaction.channel_id)
               if wanted in str(w.watch_id) or wanted in w.query.casefold()]
    return [app_commands.Choice(name=shorten(f"{w.watch_id} · {w.query}", 100), value=w.watch_id)
            for w in watches[:25]]


@watch.command(name="add", description="Post each new passage that answers this question here")
@app_commands.describe(query="The question to watch, e.g. Did the ferry strike end?")
async def add(interaction: discord.Interaction, query: app_commands.Range[str, 1, MAX_QUERY_CHARS]) -> None:
    bot = interaction.client
    bot.require_moderator(interaction)
    bot.require_allowed_channel(interaction)
    store = bot.watch_alerts.store
    if len(store.channel_watches(interaction.channel_id)) >= WATCHES_PER_CHANNEL:
        raise UserMistake(f"This channel has {WATCHES_PER_CHANNEL} watches, the most it can have; "
                          "/watch remove one first.")
    added = store.add(query, interaction.channel_id, interaction.guild_id, interaction.user.id)
    await bot.send(interaction, ephemeral=True, content=(
        f"Watching for: {defuse(added.query)} (watch {added.watch_id}). Each new passage that answers "
        f"it is posted here, at most {bot.watch_alerts.per_hour} an hour; /watch remove stops it."))


@watch.command(name="list", description="This channel's watches, with their ids")
async def list_watches(interaction: discord.Interaction) -> None:
    bot = interaction.client
    bot.require_moderator(interaction)
    watches = bot.watch_alerts.store.channel_watches(interaction.channel_id)
    lines = [_line(w) for w in watches] or ["No watches in this channel yet: /watch add starts one."]
    embed = lines_embed(f"{len(watches)} watch(es) in this channel", lines, bot.style)
    await bot.send(interaction, embed=embed, ephemeral=True)


@watch.command(name="remove", description="Stop one of this channel's watches")
@app_commands.rename(watch_id="watch")
@app_commands.describe(watch_id="The watch to stop")
@app_commands.autocomplete(watch_id=_channel_watch_choices)
async def remove(interaction: discord.Interaction, watch_id: int) -> None:
    bot = interaction.client
    bot.require_moderator(interaction)
    store = bot.watch_alerts.store
    found = store.watch(watch_id)
    if found is None or found.channel_id != interaction.channel_id:
        raise UserMistake(f"No watch {watch_id} in this channel; /watch list shows them.")
    store.remove(found.watch_id)
    await bot.send(interaction, ephemeral=True,
                   content=f"Stopped watching for: {defuse(found.query)} (watch {found.watch_id}).")


def _line(found: Watch) -> str:
    alerts = "1 alert" if found.alerts == 1 else f"{found.alerts} alerts"
    by = "" if found.added_by is None else f" by <@{found.added_by}>"
    return f"`{found.watch_id}` {defuse(found.query)} · added{by} on {found.added_at:%Y-%m-%d} · {alerts}"
