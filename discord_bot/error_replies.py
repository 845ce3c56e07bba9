"""What a person is told when answering fails: a user mistake (too fast, wrong channel, not
allowed, a bad file) is shown as is; a bug is logged with its traceback and gets an apology."""

import logging
from collections.abc import Awaitable, Callable

import discord

from discord_bot.replies import defuse_notice, shorten
from index.errors import IndexingError

log = logging.getLogger(__name__)

UNKNOWN_INTERACTION = 10062  # too late: the 3 s to acknowledge an interaction have passed

APOLOGY = "Sorry, something went wrong on my side. It has been logged; please try again later."


class UserMistake(Exception):
    """Something the person can fix (too fast, wrong channel, not allowed); shown as is."""


USER_ERRORS = (IndexingError, UserMistake)


async def report(error: Exception, reply: Callable[[str], Awaitable], channels: tuple[int, ...]) -> None:
    """A user mistake gets a short reply; a bug gets logged with its traceback and an apology.
    `channels`, the ones the bot answers in, are the only mentions the reply keeps."""
    if isinstance(error, discord.NotFound) and error.code == UNKNOWN_INTERACTION:
        log.warning("an interaction expired before the bot could acknowledge it "
                    "(it reached the bot after Discord's 3 s deadline)")
        return
    if isinstance(error, USER_ERRORS):
        text = defuse_notice(str(error), channels)  # it may quote "@everyone"
    else:
        log.error("unexpected error while answering", exc_info=error)
        text = APOLOGY
    try:
        await reply(shorten(text, 1900))
    except discord.HTTPException:
        log.warning("could not tell the user about an error", exc_info=True)
