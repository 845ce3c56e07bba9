"""Politeness toward each site: one request at a time per host, a pause between two."""

import asyncio
import contextlib
import math
import time
from collections import defaultdict
from collections.abc import AsyncIterator
from urllib.parse import urlsplit


class HostPacer:
    """A request to a host starts at least `delay_seconds` after the previous one to that
    host ended; requests to other hosts do not wait."""

    def __init__(self, delay_seconds: float):
        self._delay = delay_seconds
        self._turns: dict[str, asyncio.Lock] = defaultdict(asyncio.Lock)
        self._last_done: dict[str, float] = {}

    @contextlib.asynccontextmanager
    async def turn(self, url: str) -> AsyncIterator[None]:
        host = (urlsplit(url).hostname or "").lower()
        async with self._turns[host]:
            wait = self._last_done.get(host, -math.inf) + self._delay - time.monotonic()
            if wait > 0:
                await asyncio.sleep(wait)
            try:
                yield
            finally:
                self._last_done[host] = time.monotonic()
