"""Point the real, unmodified discord.py client at a stand-in.

discord.py has two hard-coded addresses, both class attributes read when used:

* `discord.http.Route.BASE` ("https://discord.com/api/v10"): every REST call, including
  interaction callbacks and webhook followups, is built from it.
* `discord.gateway.DiscordWebSocket.DEFAULT_GATEWAY` ("wss://gateway.discord.gg/"): the first
  gateway connection dials it directly (no GET /gateway), and so does a re-IDENTIFY after an
  invalidated session. Resumes go to `resume_gateway_url` from READY instead.

`point_discord_py_at` swaps both and restores them on exit. It is process-wide: every
discord.py client in the process talks to the stand-in while it is active.
"""

from __future__ import annotations

import asyncio
import contextlib
from collections.abc import AsyncIterator, Iterator
from typing import TYPE_CHECKING, TypeVar

import discord
import yarl
from discord.gateway import DiscordWebSocket
from discord.http import Route

from .model import StandInUrls

if TYPE_CHECKING:
    from .standin import DiscordStandIn

ClientT = TypeVar("ClientT", bound=discord.Client)


@contextlib.contextmanager
def point_discord_py_at(target: DiscordStandIn | StandInUrls) -> Iterator[StandInUrls]:
    """Send discord.py's REST and gateway traffic to a started stand-in, until exit."""
    urls = target if isinstance(target, StandInUrls) else target.urls
    saved = Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY
    Route.BASE = urls.api
    DiscordWebSocket.DEFAULT_GATEWAY = yarl.URL(urls.gateway)
    try:
        yield urls
    finally:
        Route.BASE, DiscordWebSocket.DEFAULT_GATEWAY = saved


@contextlib.asynccontextmanager
async def running_client(
    client: ClientT, standin: DiscordStandIn, *, ready_timeout: float = 10.0
) -> AsyncIterator[ClientT]:
    """Log `client` in to the stand-in, connect, wait for `on_ready`; close it on exit.

    `login` runs the client's `setup_hook` (e.g. command tree sync) before the gateway
    connects. A client failing to connect (bad token, disallowed intents) raises here.
    Pass `guild_ready_timeout=0.1` (or so) to the client: discord.py waits that long after
    the last GUILD_CREATE before `on_ready` (default 2 s).
    """
    with point_discord_py_at(standin):
        try:
            await client.login(standin.token)
            connection = asyncio.create_task(client.connect(), name="discord-client-connect")
            try:
                await _until_ready(client, connection, ready_timeout)
                yield client
            finally:
                await client.close()
                await asyncio.wait_for(connection, timeout=5.0)
        finally:
            await client.close()


async def _until_ready(client: discord.Client, connection: asyncio.Task, timeout: float) -> None:
    ready = asyncio.ensure_future(client.wait_until_ready())
    done, _ = await asyncio.wait({ready, connection}, timeout=timeout, return_when="FIRST_COMPLETED")
    if ready in done:
        return
    ready.cancel()
    if connection in done:
        connection.result()  # re-raises why the client gave up
        raise RuntimeError("the client stopped before becoming ready")
    raise TimeoutError(f"the client was not ready within {timeout}s")
