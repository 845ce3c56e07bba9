"""/feed add, remove and list: the feeds the bot polls, for members with Manage Server.
Replies are ephemeral; the descriptions are what people see in Discord."""

import discord
from discord import app_commands

from discord_bot.error_replies import UserMistake
from discord_bot.replies import defuse, lines_embed, shorten
from feeds.feed_store import Feed, FeedStore

CHOICE_LIMIT = 100  # characters in an autocomplete choice's name and in its value

feed = app_commands.Group(name="feed", description="Follow RSS, Atom and JSON feeds (Manage Server)")


async def _followed_feed_choices(interaction: discord.Interaction, current: str
                                 ) -> list[app_commands.Choice[str]]:
    """Followed feeds whose address or title holds what was typed; none for non-admins."""
    bot = interaction.client
    if not bot.allowed(bot.require_admin, interaction):
        return []
    wanted = current.casefold().strip()
    feeds = [f for f in bot.feed_polling.store.feeds()
             if wanted in f.url.casefold() or wanted in (f.title or "").casefold()]
    return [app_commands.Choice(name=shorten(f"{f.title} · {f.url}" if f.title else f.url, CHOICE_LIMIT),
                                value=f.url[:CHOICE_LIMIT]) for f in feeds[:25]]


@feed.command(name="add", description="Follow a feed; the bot reads it at its next poll")
@app_commands.describe(url="The feed's address, http(s)")
async def add(interaction: discord.Interaction, url: str) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    url = url.strip()
    polling = bot.feed_polling
    if polling.store.add(url):
        text = f"Following <{url}>; it is read within {_minutes(polling.longest_wait_minutes)}."
    else:
        text = f"Already following <{url}>; /feed list shows when it was last read."
    await bot.send(interaction, content=text, ephemeral=True)


@feed.command(name="remove", description="Stop following a feed (its articles stay indexed)")
@app_commands.describe(url="The feed to stop following")
@app_commands.autocomplete(url=_followed_feed_choices)
async def remove(interaction: discord.Interaction, url: str) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    store = bot.feed_polling.store
    followed = _followed(store, url)
    forgotten = store.remove(followed.url)
    await bot.send(interaction, ephemeral=True, content=(
        f"Stopped following <{followed.url}> and forgot the {forgotten} entries seen in it; "
        "its articles stay indexed."))


@feed.command(name="list", description="The followed feeds: when each was read, and any failure")
async def list_feeds(interaction: discord.Interaction) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    feeds = bot.feed_polling.store.feeds()
    lines = [defuse(f.summary()) for f in feeds] or ["No feeds are followed yet: /feed add adds one."]
    embed = lines_embed(f"{len(feeds)} followed feed(s)", lines, bot.style)
    await bot.send(interaction, embed=embed, ephemeral=True)


def _followed(store: FeedStore, url: str) -> Feed:
    url = url.strip()
    found = store.feed(url)
    if found is None and len(url) == CHOICE_LIMIT:  # a longer address, cut to fit its choice
        longer = [f for f in store.feeds() if f.url.startswith(url)]
        found = longer[0] if len(longer) == 1 else None
    if found is None:
        raise UserMistake(f"No feed {url} is followed; /feed list shows them.")
    return found


def _minutes(count: int) -> str:
    return "1 minute" if count == 1 else f"{count} minutes"
