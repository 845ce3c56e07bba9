"""Fetching pages for /ingest url: private addresses refused, size and time limits kept."""

import asyncio

import pytest
from aiohttp import web

from discord_bot.bot_settings import FetchLimits
from discord_bot.fetch import FetchRefused, fetch_page, is_internal
from tests.pages import serve

OPEN = FetchLimits(allow_private_addresses=True)


async def page(request):
    return web.Response(text="<html><p>hello</p></html>", content_type="text/html")


async def big(request):
    return web.Response(text="x" * 50_000, content_type="text/html")


async def slow(request):
    await asyncio.sleep(3)
    return web.Response(text="late")


async def to_metadata(request):
    raise web.HTTPFound("http://169.254.169.254/latest/meta-data")


def server():
    return serve({"/page": page, "/big": big, "/slow": slow, "/redirect": to_metadata})


@pytest.mark.parametrize(
    "url",
    ["http://127.0.0.1/", "http://localhost/", "http://10.0.0.5/", "http://192.168.1.1/",
     "http://169.254.169.254/", "http://[::1]/", "http://[::ffff:127.0.0.1]/"],
)
async def test_private_loopback_and_link_local_addresses_are_refused_by_default(url):
    with pytest.raises(FetchRefused, match="private, loopback or link-local"):
        await fetch_page(url, FetchLimits())


async def test_a_loopback_page_is_fetched_when_allowed():
    async with server() as base:
        page = await fetch_page(f"{base}/page", OPEN)
    assert page.text == "<html><p>hello</p></html>" and "html" in page.content_type


async def test_a_redirect_to_a_private_address_is_refused(monkeypatch):
    # Let the loopback test server count as public, so that only the redirect's target is not.
    monkeypatch.setattr("discord_bot.fetch.is_internal", lambda address: address.startswith("169.254."))
    async with server() as base:
        with pytest.raises(FetchRefused, match="169.254.169.254 is a private"):
            await fetch_page(f"{base}/redirect", FetchLimits(allow_private_addresses=False))


async def test_pages_over_the_size_limit_or_time_limit_are_refused():
    async with server() as base:
        with pytest.raises(FetchRefused, match="larger than the 10 kB limit"):
            await fetch_page(f"{base}/big", FetchLimits(True, max_bytes=10_000))
        with pytest.raises(FetchRefused, match="took longer than 1 s"):
            await fetch_page(f"{base}/slow", FetchLimits(True, timeout_seconds=1))


@pytest.mark.parametrize("url", ["ftp://example.com/a", "file:///etc/passwd", "not a link"])
async def test_only_http_links_are_fetched(url):
    with pytest.raises(FetchRefused, match="is not an http"):
        await fetch_page(url, FetchLimits())


def test_public_addresses_are_not_internal():
    assert not is_internal("93.184.216.34") and is_internal("::ffff:10.0.0.1")
