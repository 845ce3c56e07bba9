"""Starting the bot: on Discord with a token, or locally against the Discord stand-in."""

import asyncio
import contextlib
import logging
import signal
import sys
import threading
from collections.abc import AsyncIterator

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


async def run_locally(bot: NewsBot, questions: AsyncIterator[str] | None = None, out=None) -> None:
    """The bot on a local Discord stand-in, with a terminal to talk to it as a member.

    A line is a message that mentions the bot in #general; `/ask QUESTION` uses the slash
    command instead. An empty line, end of input, SIGINT or SIGTERM stops.
    """
    from harness import DiscordStandIn, running_client

    questions = questions or _stdin_lines()
    out = out or sys.stdout
    stop = asyncio.Event()
    async with DiscordStandIn() as standin, running_client(bot, standin):
        _on_signals(stop.set)
        general = standin.channel("general").id
        print(f"Local Discord stand-in on {standin.urls.api}; the bot is in #general as "
              f"@{standin.bot.name}. Type a question; /ask QUESTION uses the slash command.",
              file=out, flush=True)
        while (line := await _next_line(questions, stop)) and line.strip():
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


async def _next_line(lines: AsyncIterator[str], stop: asyncio.Event) -> str | None:
    """The next line, or None at the end of input or once `stop` is set."""
    reading = asyncio.ensure_future(anext(lines, None))
    stopping = asyncio.ensure_future(stop.wait())
    await asyncio.wait({reading, stopping}, return_when=asyncio.FIRST_COMPLETED)
    stopping.cancel()
    if not reading.done():
        reading.cancel()
        return None
    return reading.result()


async def _stdin_lines() -> AsyncIterator[str]:
    """Lines of standard input, read by a daemon thread so a pending read never blocks exit."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[str | None] = asyncio.Queue()

    def read() -> None:
        for line in sys.stdin:
            loop.call_soon_threadsafe(queue.put_nowait, line.rstrip("\n"))
        loop.call_soon_threadsafe(queue.put_nowait, None)

    threading.Thread(target=read, name="stdin-reader", daemon=True).start()
    while (line := await queue.get()) is not None:
        yield line


def _close_on_signals(bot: NewsBot) -> None:
    _on_signals(lambda: asyncio.ensure_future(bot.close()))


def _on_signals(callback) -> None:
    loop = asyncio.get_running_loop()
    for signum in (signal.SIGINT, signal.SIGTERM):
        with contextlib.suppress(NotImplementedError, RuntimeError):
            loop.add_signal_handler(signum, callback)
