"""Requests to one host wait their turn and a pause; requests to other hosts do not."""

import asyncio
import time

from feeds.host_pacer import HostPacer


async def request(pacer: HostPacer, url: str, log: list) -> None:
    async with pacer.turn(url):
        started = time.monotonic()
        await asyncio.sleep(0.05)
        log.append((url, started, time.monotonic()))


async def test_one_host_waits_the_delay_after_the_previous_request_ended():
    pacer, log = HostPacer(0.2), []
    await asyncio.gather(*(request(pacer, f"https://a.example/{n}", log) for n in range(3)))
    gaps = [later[1] - earlier[2] for earlier, later in zip(log, log[1:], strict=False)]
    assert len(gaps) == 2 and min(gaps) >= 0.2


async def test_other_hosts_do_not_wait():
    pacer, log = HostPacer(5), []
    started = time.monotonic()
    await asyncio.gather(*(request(pacer, f"https://{host}.example/feed", log) for host in "abc"))
    assert time.monotonic() - started < 1
