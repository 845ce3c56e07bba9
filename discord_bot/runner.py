"""Starting the bot: on Discord with a token, or locally against the Discord stand-in."""

import asyncio
import contextlib
import logging
import signal
import sys

import discord

from discord_bot.client import NewsBot

log = logging.getLogger(__name__)


class TokenProblem(Exception):
    """DISCORD_TOKEN is missing or Discord rejected it; the message says what to do."""


async def run_on_discord(bot: NewsBot, token: str | None) -> None:
    """Connect and answer until SIGINT or SIGTERM, then close cleanly."""
    if not token:
        raise TokenProblem(
            "set DISCORD_TOKEN to your bot's token (Developer Portal → your application → Bot → "
            "Reset Token); the README's Discord set-up section walks through it"
        )
    _close_on_signals(bot)
    try:
        async with bot:
            await bot.start(token)
    except discord.LoginFailure:
        raise TokenProblem(
            "Discord rejected DISCORD_TOKEN; copy a fresh token from the Developer Portal"
        ) from None
    except discord.PrivilegedIntentsRequired:
        raise TokenProblem("Discord refused an intent the bot asked for") from None


async def run_locally(bot: NewsBot, questions=None, out=None) -> None:
    """The bot on a local Discord stand-in, with a terminal to talk to it as a member.

    A line is a message that mentions the bot in #general; `/ask QUESTION` uses the slash
    command instead. An empty line or end of input stops.
    """
    from harness import DiscordStandIn, running_client

    questions = questions or _stdin_lines()
    out = out or sys.stdout
    async with DiscordStandIn() as standin, running_client(bot, standin):
        _close_on_signals(bot)
        general = standin.channel("general").id
        print(f"Local Discord stand-in on {standin.urls.api}; the bot is in #general as "
              f"@{standin.bot.name}. Type a question; /ask QUESTION uses the slash command.", file=out)
        async for line in questions:
            if not line.strip() or bot.is_closed():
                break
            if line.startswith("/ask "):
                record = await standin.slash_command(
                    "ask", {"question": line[5:]}, user=standin.member, channel_id=general)
                reply = (await standin.wait_for_response(record, timeout=60)).reply
            else:
                mark = standin.checkpoint()
                await standin.send_message(general, standin.member, f"{standin.bot.mention} {line}")
                reply = await standin.wait_for_message(general, after=mark, timeout=60)
            print(render_for_terminal(reply), file=out, flush=True)


def render_for_terminal(message) -> str:
    """A stored stand-in message as a person would read it in Discord."""
    parts = [message.content] if message.content else []
    for embed in message.embeds:
        parts += [f"== {embed.get('title', '')} ==", embed.get("description", "")]
    buttons = [c.get("label") or c.get("emoji", {}).get("name", "")
               for row in message.components for c in row.get("components", [])]
    if buttons:
        parts.append("[" + "] [".join(buttons) + "]")
    return "\n".join(parts) + "\n"


async def _stdin_lines():
    loop = asyncio.get_running_loop()
    while True:
        line = await loop.run_in_executor(None, sys.stdin.readline)
        if not line:
            return
        yield line.rstrip("\n")


def _close_on_signals(bot: NewsBot) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
