"""/ingest's work (Manage Server, checked by the command): an uploaded file or a fetched
link parsed in a worker thread, indexed, reported, and the watches alerted of what is new."""

import asyncio
import dataclasses
from typing import TYPE_CHECKING

import discord

from discord_bot.error_replies import UserMistake
from discord_bot.replies import notice_embed, shorten
from feeds.fetch import fetch_page
from index.articles import SUPPORTED_SUFFIXES, article_from_html, article_from_plain_text, parse_articles

if TYPE_CHECKING:
    from discord_bot.client import NewsBot


async def ingest_upload(bot: "NewsBot", interaction: discord.Interaction, upload: discord.Attachment) -> None:
    name = upload.filename
    if not name.lower().endswith(SUPPORTED_SUFFIXES):
        raise UserMistake(f"{name}: send a {', '.join(SUPPORTED_SUFFIXES)} file")
    if upload.size > bot.settings.max_upload_bytes:
        raise UserMistake(
            f"{name} is {upload.size:,} bytes; the limit is {bot.settings.max_upload_bytes:,}")
    await bot.defer(interaction, ephemeral=True)
    data = await upload.read()
    articles = await asyncio.to_thread(parse_articles, data, name, f"discord upload: {name}")
    await store(bot, interaction, articles)


async def ingest_link(bot: "NewsBot", interaction: discord.Interaction, url: str) -> None:
    await bot.defer(interaction, ephemeral=True)
    page = await fetch_page(url, bot.settings.fetch)
    if "html" in page.content_type:
        article = await asyncio.to_thread(article_from_html, page.text, page.url, page.url)
    else:
        article = dataclasses.replace(article_from_plain_text(page.text, page.url), url=page.url)
    await store(bot, interaction, [article])


async def store(bot: "NewsBot", interaction: discord.Interaction, articles) -> None:
    """Index `articles`, say what was indexed, then alert the watches of the added and replaced."""
    report = await asyncio.to_thread(bot.library.ingest_articles, articles)
    titles = ", ".join(shorten(a.title, 80) for a in articles[:5])
    await bot.send(interaction, embed=notice_embed("Indexed", f"{titles}\n{report.summary()}",
                                                     bot.style), ephemeral=True)
    if bot.watch_alerts is not None:
        await bot.watch_alerts.after_ingest([*report.added, *report.replaced])
