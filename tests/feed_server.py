"""A local news site for feed tests, on 127.0.0.1 (port 0), started and stopped by the test.

    /rss.xml        RSS 2.0 with an ETag; 304 when the request carries it. `add_rss_story` adds an item.
    /atom.xml       Atom with Last-Modified; 304 when If-Modified-Since carries it.
    /feed.json      JSON Feed 1.1.
    /broken.xml     HTTP 500 while `broken` is true, then an empty RSS feed.
    /slow.xml       answers after `slow_seconds`.
    /not-a-feed     an HTML page.
    /articles/SLUG  the stories' pages, after `page_delay_seconds`; /articles/menu holds only
                    links; others are 404.

One RSS item links to a link-local address (169.254.169.254), which the fetcher must
refuse: a test makes only 169.254.x.x count as private, so that 127.0.0.1 is fetched.
Every request is logged with its headers and the time it arrived.
"""

import asyncio
import contextlib
import hashlib
import time
from collections.abc import AsyncIterator
from dataclasses import dataclass, field
from datetime import UTC, datetime
from email.utils import format_datetime
from html import escape

from aiohttp import web

from tests.pages import serve

PRIVATE_LINK = "http://169.254.169.254/latest/meta-data/harbour-lights"


@dataclass
class Story:
    slug: str
    title: str
    paragraphs: list[str]
    published: datetime  # the date the feed gives
    page_date: str | None = None  # the date in the page's own metadata; None: the page has none
    updated: datetime | None = None
    link: str | None = None  # None: the site's own /articles/SLUG
    feed_text: str | None = None  # the feed's own content (HTML); None: the first paragraph

    @property
    def day(self) -> str:
        return self.published.date().isoformat()


@dataclass(frozen=True)
class Hit:
    path: str
    headers: dict[str, str]
    at: float  # time.monotonic() when it arrived


def _stories() -> dict[str, list[Story]]:
    return {
        "rss": [
            Story("ferry", "Island ferry returns after three years", [
                "The island ferry carried its first passengers in three years on Tuesday morning.",
                "Harbour master Lena Ortiz said the new boat can carry two hundred people and forty cars.",
                "Tickets cost less than before because the council now pays part of the running costs.",
            ], datetime(2024, 3, 5, 8, tzinfo=UTC), page_date="2024-03-04"),
            Story("library", "Old library reopens as a makerspace", [
                "The old town library reopened on Wednesday as a workshop with laser cutters and looms.",
                "Volunteers spent two winters rewiring the building and repairing its slate roof.",
            ], datetime(2024, 3, 6, 9, tzinfo=UTC)),
            Story("lights", "Harbour lights switched to solar power", [
                "All twelve harbour lights now run on solar panels and batteries, the port authority said.",
                "The old diesel generators will be sold to a museum of maritime engineering.",
            ], datetime(2024, 3, 7, 10, tzinfo=UTC), link=PRIVATE_LINK,
                feed_text="<p>All twelve harbour lights now run on solar panels and batteries, the port "
                          "authority said.</p><p>The old diesel generators will be sold to a museum of "
                          "maritime engineering.</p>"),
        ],
        "atom": [
            Story("bridge", "Valley bridge closes for repairs", [
                "The stone bridge over the river will close for six weeks from Monday for urgent repairs.",
                "Engineers found cracks in two of its arches during a routine inspection last month.",
            ], datetime(2024, 3, 8, 7, tzinfo=UTC), page_date="2024-03-08",
                updated=datetime(2024, 3, 8, 7, tzinfo=UTC)),
            Story("menu", "Sheep shearing contest draws record crowd", [
                "More than three thousand people watched the valley's sheep shearing contest on Saturday.",
                "The winner sheared a ewe in under forty seconds, a record for the county fair.",
            ], datetime(2024, 3, 9, 12, tzinfo=UTC), updated=datetime(2024, 3, 9, 12, tzinfo=UTC),
                feed_text="<p>More than three thousand people watched the valley's sheep shearing contest "
                          "on Saturday.</p><p>The winner sheared a ewe in under forty seconds, a record "
                          "for the county fair.</p>"),
        ],
        "json": [
            Story("orchard", "Orchard harvest is the best in a decade", [
                "Apple growers in the valley picked their largest harvest in ten years this autumn.",
                "A wet spring and a warm September gave the trees more fruit than the stores could hold.",
            ], datetime(2024, 3, 10, 6, tzinfo=UTC)),
            Story("gone", "Goat escapes from the county fair", [
                "A goat escaped from the county fair on Sunday and was found grazing on the bowling green.",
            ], datetime(2024, 3, 11, 6, tzinfo=UTC)),
        ],
    }


@dataclass
class FeedSite:
    base: str = ""
    stories: dict[str, list[Story]] = field(default_factory=_stories)
    hits: list[Hit] = field(default_factory=list)
    broken: bool = True
    slow_seconds: float = 2.0
    page_delay_seconds: float = 0.0
    atom_modified: datetime = datetime(2024, 3, 9, 12, tzinfo=UTC)
    closing: asyncio.Event = field(default_factory=asyncio.Event)

    def url(self, path: str) -> str:
        return self.base + path

    def requests_to(self, path: str) -> list[Hit]:
        return [hit for hit in self.hits if hit.path == path]

    def article_url(self, slug: str) -> str:
        return self.url(f"/articles/{slug}")

    def add_rss_story(self, story: Story) -> None:
        self.stories["rss"].append(story)

    def rewrite_atom_story(self, slug: str, paragraphs: list[str], updated: datetime) -> None:
        """The story's page and its feed entry change, as when a newsroom updates an article."""
        story = next(s for s in self.stories["atom"] if s.slug == slug)
        story.paragraphs, story.updated = paragraphs, updated
        self.atom_modified = updated

    # -- routes ---------------------------------------------------------------------------

    async def rss(self, request: web.Request) -> web.Response:
        body = _rss("Harbour Gazette", self.stories["rss"], self).encode()
        etag = '"' + hashlib.sha256(body).hexdigest()[:16] + '"'
        if request.headers.get("If-None-Match") == etag:
            return web.Response(status=304, headers={"ETag": etag})
        return web.Response(body=body, content_type="application/rss+xml", headers={"ETag": etag})

    async def atom(self, request: web.Request) -> web.Response:
        modified = format_datetime(self.atom_modified, usegmt=True)
        if request.headers.get("If-Modified-Since") == modified:
            return web.Response(status=304, headers={"Last-Modified": modified})
        return web.Response(text=_atom("Valley Times", self.stories["atom"], self),
                            content_type="application/atom+xml", headers={"Last-Modified": modified})

    async def json_feed(self, request: web.Request) -> web.Response:
        items = []
        for story in self.stories["json"]:
            item = {"id": f"tag:valley-radio,{story.slug}", "url": f"/articles/{story.slug}",
                    "title": story.title, "date_published": story.published.isoformat(),
                    "authors": [{"name": "Sam Reporter"}]}
            if story.slug == "gone":
                item["content_text"] = "\n\n".join(story.paragraphs)
            else:
                item["content_html"] = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs[:1])
            items.append(item)
        feed = {"version": "https://jsonfeed.org/version/1.1", "title": "Valley Radio", "items": items}
        return web.json_response(feed, content_type="application/feed+json")

    async def broken_feed(self, request: web.Request) -> web.Response:
        if self.broken:
            return web.Response(status=500, text="database is down")
        return web.Response(text=_rss("Mended", [], self), content_type="application/rss+xml")

    async def slow(self, request: web.Request) -> web.Response:
        with contextlib.suppress(TimeoutError):
            await asyncio.wait_for(self.closing.wait(), self.slow_seconds)
        return web.Response(text=_rss("Slow", [], self), content_type="application/rss+xml")

    async def not_a_feed(self, request: web.Request) -> web.Response:
        return web.Response(text="<html><body><h1>Welcome</h1><p>Nothing to see.</p></body></html>",
                            content_type="text/html")

    async def article(self, request: web.Request) -> web.Response:
        if self.page_delay_seconds:
            with contextlib.suppress(TimeoutError):
                await asyncio.wait_for(self.closing.wait(), self.page_delay_seconds)
        slug = request.match_info["slug"]
        if slug == "menu":
            links = "".join(f'<li><a href="/{s}">{s.title()}</a></li>' for s in ("news", "sport", "weather"))
            return web.Response(text=f"<html><head><title>Sections</title></head><body><ul>{links}</ul>"
                                     "</body></html>", content_type="text/html")
        story = next((s for stories in self.stories.values() for s in stories
                      if s.slug == slug and s.slug != "gone"), None)
        if story is None:
            raise web.HTTPNotFound()
        return web.Response(text=_page(story), content_type="text/html")

    def _logged(self, handler):
        async def logged(request: web.Request) -> web.StreamResponse:
            self.hits.append(Hit(request.path, dict(request.headers), time.monotonic()))
            return await handler(request)

        return logged


@contextlib.asynccontextmanager
async def feed_site() -> AsyncIterator[FeedSite]:
    site = FeedSite()
    routes = {
        "/rss.xml": site.rss, "/atom.xml": site.atom, "/feed.json": site.json_feed,
        "/broken.xml": site.broken_feed, "/slow.xml": site.slow, "/not-a-feed": site.not_a_feed,
        "/articles/{slug}": site.article,
    }
    async with serve({path: site._logged(handler) for path, handler in routes.items()}) as base:
        site.base = base
        try:
            yield site
        finally:
            site.closing.set()


def _link(story: Story, site: FeedSite) -> str:
    return story.link or site.article_url(story.slug)


def _feed_text(story: Story) -> str:
    return story.feed_text or f"<p>{escape(story.paragraphs[0])}</p>"


def _rss(title: str, stories: list[Story], site: FeedSite) -> str:
    items = "".join(
        f"<item><title>{escape(s.title)}</title><link>{escape(_link(s, site))}</link>"
        f'<guid isPermaLink="false">harbour-{s.slug}</guid>'
        f"<pubDate>{format_datetime(s.published, usegmt=True)}</pubDate>"
        f"<description>{escape(_feed_text(s))}</description></item>"
        for s in stories
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><rss version="2.0"><channel><title>{escape(title)}'
            f"</title><link>{site.base}/</link><description>News</description>{items}</channel></rss>")


def _atom(title: str, stories: list[Story], site: FeedSite) -> str:
    entries = "".join(
        f"<entry><title>{escape(s.title)}</title><link href=\"{escape(_link(s, site))}\"/>"
        f"<id>tag:valley-times,{s.slug}</id><published>{s.published.isoformat()}</published>"
        f"<updated>{(s.updated or s.published).isoformat()}</updated>"
        f"<author><name>Ada Writer</name></author>"
        f'<content type="html">{escape(_feed_text(s))}</content></entry>'
        for s in stories
    )
    return (f'<?xml version="1.0" encoding="utf-8"?><feed xmlns="http://www.w3.org/2005/Atom">'
            f"<title>{escape(title)}</title><id>tag:valley-times</id>"
            f"<updated>{site.atom_modified.isoformat()}</updated>{entries}</feed>")


def _page(story: Story) -> str:
    date = f'<meta property="article:published_time" content="{story.page_date}">' if story.page_date else ""
    body = "".join(f"<p>{escape(p)}</p>" for p in story.paragraphs)
    return (f"<!doctype html><html><head><title>{escape(story.title)}</title>{date}</head><body>"
            f'<nav><a href="/">Home</a> <a href="/news">News</a></nav>'
            f"<article><h1>{escape(story.title)}</h1>{body}</article></body></html>")
