"""The slash commands. Their docstrings and descriptions are what people see in Discord."""

import asyncio

import discord
from discord import app_commands

from discord_bot.error_replies import UserMistake
from discord_bot.replies import notice_embed, shorten


async def _article_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    wanted = current.casefold()
    articles = interaction.client.library.articles()
    matching = [a for a in articles if wanted in a.title.casefold()] if wanted else articles
    return [app_commands.Choice(name=shorten(a.title, 100), value=a.article_id) for a in matching[:25]]


async def _forgettable_choices(interaction: discord.Interaction, current: str
                               ) -> list[app_commands.Choice[str]]:
    """/forget's article choices: only for those who may forget one, as for /feed remove."""
    bot = interaction.client
    if not bot.allowed(bot.require_admin, interaction):
        return []
    return await _article_choices(interaction, current)


async def _speaker_choices(interaction: discord.Interaction, current: str) -> list[app_commands.Choice[str]]:
    """Quoted people (then organisations) whose name or an alias holds what was typed."""
    wanted = current.casefold().strip()
    speakers = await asyncio.to_thread(interaction.client.library.store.speakers)
    matching = [s for s in speakers
                if not wanted or any(wanted in n.casefold() for n in (s.name, *s.aliases))]
    matching.sort(key=lambda s: s.organisation)  # stable: most quoted first within each
    return [app_commands.Choice(name=shorten(s.name, 100), value=s.name[:100]) for s in matching[:25]]


@app_commands.command(name="ask", description="Ask a question about the indexed news articles")
@app_commands.describe(question="What you want to know", article="Only search this article")
@app_commands.autocomplete(article=_article_choices)
async def ask(interaction: discord.Interaction, question: str, article: str | None = None) -> None:
    await interaction.client.answer_slash(interaction, question, article)


@app_commands.command(name="quotes", description="What someone said in the indexed articles")
@app_commands.describe(person="Who said it", about="Only what they said about this")
@app_commands.autocomplete(person=_speaker_choices)
async def quotes(interaction: discord.Interaction, person: str, about: str | None = None) -> None:
    await interaction.client.answer_quotes(interaction, person, about)


@app_commands.command(name="ingest", description="Add an article from a file or a link (Manage Server)")
@app_commands.describe(file="A .txt, .md, .html or .jsonl file", url="A link to a news article page")
async def ingest(interaction: discord.Interaction, file: discord.Attachment | None = None,
                 url: str | None = None) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    if (file is None) == (url is None):
        raise UserMistake("Give either a file or a url, not both and not neither.")
    if file is not None:
        await bot.ingest_upload(interaction, file)
    else:
        await bot.ingest_link(interaction, url)


@app_commands.command(name="sources", description="List the indexed articles (Manage Server)")
async def sources(interaction: discord.Interaction) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    articles = bot.library.articles()
    lines = [f"`{a.article_id}` {shorten(a.title, 90)} ({a.paragraphs} ¶)" for a in articles]
    text = "\n".join(lines) if lines else "No articles are indexed yet."
    await bot.send(interaction, embed=notice_embed(f"{len(articles)} indexed article(s)", text, bot.style),
                   ephemeral=True)


@app_commands.command(name="forget", description="Remove an article from the index (Manage Server)")
@app_commands.describe(article="The article to remove")
@app_commands.autocomplete(article=_forgettable_choices)
async def forget(interaction: discord.Interaction, article: str) -> None:
    bot = interaction.client
    bot.require_admin(interaction)
    removed = await asyncio.to_thread(bot.library.forget, article)
    await bot.send(interaction, content=f"Forgot {removed.title} (`{removed.article_id}`).", ephemeral=True)


COMMANDS = (ask, quotes, ingest, sources, forget)
