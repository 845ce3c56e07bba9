"""Fetching pages and feeds: private addresses refused, size and time limits kept, conditional GET."""

import asyncio

import pytest
from aiohttp import web

from feeds.fetch import FetchLimits, FetchRefused, fetch_page, is_internal
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


ETAG, MODIFIED = '"v1"', "Tue, 05 Mar 2024 08:00:00 GMT"


async def feed(request):
    validators = {"ETag": ETAG, "Last-Modified": MODIFIED}
    if request.headers.get("If-None-Match") == ETAG or request.headers.get("If-Modified-Since") == MODIFIED:
        return web.Response(status=304, headers=validators)
    return web.Response(text="<rss version='2.0'></rss>", content_type="application/rss+xml",
                        charset="iso-8859-1", headers=validators)


async def moved(request):
    raise web.HTTPMovedPermanently("/feed")


def server():
    return serve({"/page": page, "/big": big, "/slow": slow, "/redirect": to_metadata, "/feed": feed,
                  "/moved": moved})


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


@pytest.mark.usefixtures("only_link_local_is_private")
async def test_a_redirect_to_a_private_address_is_refused():
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


async def test_a_page_comes_with_its_final_url_content_type_and_validators():
    async with server() as base:
        page = await fetch_page(f"{base}/moved", OPEN)
    assert page.url == f"{base}/feed" and page.status == 200 and not page.not_modified
    assert page.content_type == "application/rss+xml" and page.charset == "iso-8859-1"
    assert (page.etag, page.last_modified) == (ETAG, MODIFIED)
    assert page.body == b"<rss version='2.0'></rss>" and page.text == "<rss version='2.0'></rss>"


@pytest.mark.parametrize("validator", [{"If-None-Match": ETAG}, {"If-Modified-Since": MODIFIED}])
async def test_a_conditional_get_of_an_unchanged_feed_is_not_modified_and_has_no_body(validator):
    async with server() as base:
        page = await fetch_page(f"{base}/feed", OPEN, headers=validator)
    assert page.not_modified and page.status == 304 and page.body == b""
    assert (page.etag, page.last_modified) == (ETAG, MODIFIED)


async def test_a_stale_validator_gets_the_whole_feed():
    async with server() as base:
        page = await fetch_page(f"{base}/feed", OPEN, headers={"If-None-Match": '"v0"'})
    assert page.status == 200 and page.body.startswith(b"<rss")
