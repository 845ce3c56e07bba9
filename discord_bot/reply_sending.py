"""Replies sent to Discord: an interaction's reply whether or not it was deferred, never
pinging anyone and never posted twice, and any reply safe to repeat tried again after
discord.py gave up on it (a rate-limit storm, or Discord's 5xx)."""

import asyncio
import logging
from collections.abc import Awaitable, Callable

import discord

from discord_bot.replies import NO_PINGS

log = logging.getLogger(__name__)

ALREADY_ACKNOWLEDGED = 40060  # Discord's code: this interaction was answered already
# After discord.py gave up on a reply (its five tries all rate limited, or all a 5xx from
# Discord), the bot tries again after these pauses before it gives up itself.
REPLY_RETRY_PAUSES = (1.0, 2.0, 4.0)


async def defer(interaction: discord.Interaction, ephemeral: bool = False) -> None:
    """Show "thinking…"; `send` then turns that message into the reply."""
    try:
        await retrying(lambda: interaction.response.defer(ephemeral=ephemeral, thinking=True))
    except discord.HTTPException as error:
        if error.code != ALREADY_ACKNOWLEDGED:
            raise
        # a retry whose first try had arrived (its answer lost to a 5xx): deferred all the same
        log.info("interaction %s: the defer had arrived already", interaction.id)
    interaction.extras["thinking"] = True


async def send(interaction: discord.Interaction, ephemeral: bool = False, **message) -> None:
    """Reply to an interaction, whether or not it was deferred; never pinging anyone, and
    never twice when Discord's answer to a first try is lost (a 5xx after the work was
    done), since every way used is safe to repeat: the first response (a second is refused
    with 40060), or an edit of the "thinking" message. Only a further message (after a
    reply, e.g. an error) is a followup, retried after a 429 alone."""
    message = {k: v for k, v in message.items() if v is not None}
    if interaction.extras.pop("thinking", False):
        await retrying(lambda: interaction.edit_original_response(allowed_mentions=NO_PINGS, **message))
    elif interaction.response.is_done() or interaction.extras.get("answered"):
        await retrying(lambda: interaction.followup.send(
            allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message), server_errors=False)
    else:
        try:
            await retrying(lambda: interaction.response.send_message(
                allowed_mentions=NO_PINGS, ephemeral=ephemeral, **message))
        except discord.HTTPException as error:
            if error.code != ALREADY_ACKNOWLEDGED:
                raise
            log.info("interaction %s: the reply had arrived already", interaction.id)
        interaction.extras["answered"] = True


async def retrying(attempt: Callable[[], Awaitable], server_errors: bool = True):
    """`attempt()`, made again after REPLY_RETRY_PAUSES when discord.py gave up on it: five
    429s in a row (a rate-limit storm) or, with `server_errors`, five 5xx from Discord. Only
    for requests safe to repeat; other errors are raised at once."""
    for pause in REPLY_RETRY_PAUSES:
        try:
            return await attempt()
        except discord.HTTPException as error:
            if not (error.status == 429 or (server_errors and error.status >= 500)):
                raise
            log.warning("Discord refused a reply (%s); trying again in %.0f s", error.status, pause)
        await asyncio.sleep(pause)
    return await attempt()
