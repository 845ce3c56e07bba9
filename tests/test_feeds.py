"""Feeds end to end: a local news site (tests/feed_server.py) polled into a real index with the
real model, over real HTTP on 127.0.0.1, and the `bot.py feeds` commands."""

import asyncio
import subprocess
import sys
import time
from dataclasses import fields
from datetime import UTC, datetime, timedelta

import pytest

import bot
from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import FeedStore
from feeds.poller import poll
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from settings import load_settings
from tests.conftest import ROOT
from tests.feed_server import PRIVATE_LINK, Story, feed_site

LIMITS = FetchLimits(allow_private_addresses=False, timeout_seconds=1)
NO_DELAY = FeedSettings(per_host_delay_seconds=0)


pytestmark = pytest.mark.usefixtures("only_link_local_is_private")


@pytest.fixture
def index(empty_library):
    store = FeedStore(empty_library.directory)
    yield empty_library, store
    store.close()


def by_url(library: Library) -> dict:
    return {article.url: article for article in library.articles()}


def page_requests(site, since: int = 0) -> list[str]:
    return [hit.path for hit in site.hits[since:] if hit.path.startswith("/articles/")]


def paragraphs_of(library: Library, article_id: str) -> list[str]:
    return [p.passage.text for p in library.store.passages_of_article(article_id)]


async def test_a_first_poll_indexes_every_entry_with_its_title_date_and_link(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/rss.xml"))
        store.add(site.url("/atom.xml"))
        report = await poll(library, store, LIMITS, NO_DELAY)
    assert report.count("fetched") == 2 and report.new_entries == 5 and len(report.added) == 5
    assert report.errors == () and report.summary() == (
        "2 feeds polled (0 not modified, 0 failed); 5 new entries (2 from the feed's own text); "
        "articles: 5 added, 0 replaced")
    articles = by_url(library)
    assert {url: (a.title, a.published) for url, a in articles.items()} == {
        # the page's date, else the feed's
        site.article_url("ferry"): ("Island ferry returns after three years", "2024-03-04"),
        site.article_url("library"): ("Old library reopens as a makerspace", "2024-03-06"),
        PRIVATE_LINK: ("Harbour lights switched to solar power", "2024-03-07"),
        site.article_url("bridge"): ("Valley bridge closes for repairs", "2024-03-08"),
        site.article_url("menu"): ("Sheep shearing contest draws record crowd", "2024-03-09"),
    }
    assert articles[site.article_url("ferry")].paragraphs == 3  # the whole page, not the feed's summary
    assert sorted(page_requests(site)) == ["/articles/bridge", "/articles/ferry", "/articles/library",
                                           "/articles/menu"]
    answer = Searcher(library, SearchSettings()).ask("How many cars can the new ferry carry?")
    assert answer.passages[0].citation.title == "Island ferry returns after three years"
    assert {f.title: f.entries_seen for f in store.feeds()} == {"Harbour Gazette": 3, "Valley Times": 2}


async def test_a_second_poll_fetches_nothing_again(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/rss.xml"))
        store.add(site.url("/atom.xml"))
        await poll(library, store, LIMITS, NO_DELAY)
        first = site.requests_to("/rss.xml")[0]
        mark = len(site.hits)
        report = await poll(library, store, LIMITS, NO_DELAY)
    assert report.count("not modified") == 2 and report.new_entries == 0 and not report.added
    assert [hit.path for hit in site.hits[mark:]] in (["/rss.xml", "/atom.xml"], ["/atom.xml", "/rss.xml"])
    rss, atom = site.requests_to("/rss.xml")[1], site.requests_to("/atom.xml")[1]
    assert "If-None-Match" not in first.headers
    assert rss.headers["If-None-Match"] == store.feed(site.url("/rss.xml")).etag
    assert atom.headers["If-Modified-Since"] == "Sat, 09 Mar 2024 12:00:00 GMT"


async def test_a_new_item_is_the_only_page_fetched_and_indexed(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/rss.xml"))
        store.add(site.url("/atom.xml"))
        await poll(library, store, LIMITS, NO_DELAY)
        site.add_rss_story(Story("market", "Night market opens on the quay", [
            "A night market with forty stalls opened on the quay on Friday evening.",
            "Traders sold smoked fish, wool and honey until midnight under strings of lights.",
        ], datetime(2024, 3, 12, 18, tzinfo=UTC)))
        mark = len(site.hits)
        report = await poll(library, store, LIMITS, NO_DELAY)
    assert page_requests(site, mark) == ["/articles/market"]
    assert report.count("fetched") == 1 and report.count("not modified") == 1 and report.new_entries == 1
    market = by_url(library)[site.article_url("market")]
    assert report.added == (market.article_id,) and market.published == "2024-03-12"


async def test_an_entry_whose_page_is_refused_or_holds_no_article_is_indexed_from_the_feed(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/rss.xml"))
        store.add(site.url("/atom.xml"))
        store.add(site.url("/feed.json"))
        report = await poll(library, store, LIMITS, NO_DELAY)
    articles = by_url(library)
    # refused: a link-local address; no article: a page of links; a page that is 404
    lights, sheep, goat = (articles[url] for url in (
        PRIVATE_LINK, site.article_url("menu"), site.article_url("gone")))
    assert paragraphs_of(library, lights.article_id) == [
        "All twelve harbour lights now run on solar panels and batteries, the port authority said.",
        "The old diesel generators will be sold to a museum of maritime engineering."]
    assert sheep.paragraphs == 2 and sheep.published == "2024-03-09"
    assert (goat.title, goat.published, goat.paragraphs) == (
        "Goat escapes from the county fair", "2024-03-11", 1)
    assert report.from_feed_text == 3 and report.without_article == ()
    assert "/articles/menu" in page_requests(site) and "/articles/gone" in page_requests(site)


async def test_a_json_feed_is_read_and_its_pages_fetched(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/feed.json"))
        report = await poll(library, store, LIMITS, NO_DELAY)
    orchard = by_url(library)[site.article_url("orchard")]
    assert report.count("fetched") == 1 and len(report.added) == 2
    assert (orchard.title, orchard.published, orchard.paragraphs) == (
        "Orchard harvest is the best in a decade", "2024-03-10", 2)  # the page, not the one-line feed item
    assert store.feed(site.url("/feed.json")).title == "Valley Radio"


async def test_failing_feeds_back_off_longer_each_time_and_recover(index):
    library, store = index
    settings = FeedSettings(per_host_delay_seconds=0, backoff_base_minutes=5, backoff_max_minutes=12)
    t0 = datetime.now(UTC)
    async with feed_site() as site:
        broken, junk, rss = site.url("/broken.xml"), site.url("/not-a-feed"), site.url("/rss.xml")
        for url in (broken, junk, rss):
            store.add(url)
        report = await poll(library, store, LIMITS, settings, now=t0)
        assert report.count("failed") == 2 and report.count("fetched") == 1 and len(report.added) == 3
        assert sorted(report.errors) == [f"{broken} answered HTTP 500",
                                         f"{junk} is not an RSS, Atom or JSON feed"]
        next_try = t0 + timedelta(minutes=5)
        assert store.feed(broken).next_try == next_try
        assert store.feed(broken).summary().endswith(
            f"failed once: {broken} answered HTTP 500; next try {next_try:%Y-%m-%d %H:%M} UTC")

        mark = len(site.hits)
        report = await poll(library, store, LIMITS, settings, now=t0 + timedelta(minutes=4))
        assert report.waiting == 2 and [hit.path for hit in site.hits[mark:]] == ["/rss.xml"]

        t1 = t0 + timedelta(minutes=5)
        await poll(library, store, LIMITS, settings, now=t1)
        assert (store.feed(broken).failures, store.feed(broken).next_try) == (2, t1 + timedelta(minutes=10))

        t2 = t1 + timedelta(minutes=10)
        site.broken = False
        await poll(library, store, LIMITS, settings, now=t2)
    mended, still = store.feed(broken), store.feed(junk)
    assert (mended.failures, mended.last_error, mended.next_try, mended.title) == (0, None, None, "Mended")
    assert (still.failures, still.next_try) == (3, t2 + timedelta(minutes=12))  # capped
    assert still.last_error == f"{junk} is not an RSS, Atom or JSON feed"


async def test_a_slow_feed_times_out_without_holding_up_the_others(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/slow.xml"))
        store.add(site.url("/feed.json"))
        started = time.monotonic()
        report = await poll(library, store, FetchLimits(timeout_seconds=0.5), NO_DELAY)
        took = time.monotonic() - started
    assert report.errors == (f"{site.url('/slow.xml')} took longer than 0.5 s",)
    assert len(report.added) == 2 and took < site.slow_seconds


async def test_requests_to_one_host_are_spaced_by_the_per_host_delay(index):
    library, store = index
    delay = 0.2
    async with feed_site() as site:
        store.add(site.url("/rss.xml"))
        store.add(site.url("/atom.xml"))
        await poll(library, store, LIMITS, FeedSettings(per_host_delay_seconds=delay))
    arrivals = [hit.at for hit in site.hits]
    assert len(arrivals) == 6  # two feeds and four pages, all on 127.0.0.1
    assert min(later - earlier for earlier, later in zip(arrivals, arrivals[1:], strict=False)) >= delay


async def test_feeds_and_seen_entries_survive_a_restart(tmp_path, minilm):
    async with feed_site() as site:
        library, store = Library(tmp_path / "index", minilm), FeedStore(tmp_path / "index")
        store.add(site.url("/rss.xml"))
        store.add(site.url("/feed.json"))
        await poll(library, store, LIMITS, NO_DELAY)
        store.close()
        library.close()

        listed = subprocess.run([sys.executable, "bot.py", "feeds", "list", "--index", tmp_path / "index"],
                                cwd=ROOT, capture_output=True, text=True, timeout=60)
        assert listed.returncode == 0 and listed.stderr == ""
        lines = listed.stdout.splitlines()
        assert len(lines) == 2 and "Harbour Gazette" in lines[0] and "3 entries seen" in lines[0]
        assert "Valley Radio" in lines[1] and "2 entries seen" in lines[1]

        library, store = Library(tmp_path / "index", minilm), FeedStore(tmp_path / "index")
        mark = len(site.hits)
        report = await poll(library, store, LIMITS, NO_DELAY)
        store.close()
        library.close()
    assert page_requests(site, mark) == [] and report.new_entries == 0
    assert report.count("not modified") == 1  # the JSON feed gives no validators: read, nothing new


async def test_a_changed_article_replaces_the_old_one(index):
    library, store = index
    async with feed_site() as site:
        store.add(site.url("/atom.xml"))
        await poll(library, store, LIMITS, NO_DELAY)
        bridge = by_url(library)[site.article_url("bridge")]
        site.rewrite_atom_story("bridge", [
            "The stone bridge over the river will now stay open: engineers say the cracks are shallow.",
            "Repairs to its two arches will be done at night over the summer instead.",
        ], datetime(2024, 3, 9, 15, tzinfo=UTC))
        mark = len(site.hits)
        report = await poll(library, store, LIMITS, NO_DELAY)
    assert page_requests(site, mark) == ["/articles/bridge"]
    assert report.replaced == (bridge.article_id,) and report.added == () and report.new_entries == 1
    assert paragraphs_of(library, bridge.article_id)[0].startswith("The stone bridge over the river will now")
    assert len(library.articles()) == 2


async def test_a_poll_leaves_the_event_loop_free_to_answer(index):
    library, store = index
    longest_wait = 0.0

    async def heartbeat():
        nonlocal longest_wait
        while True:
            before = time.monotonic()
            await asyncio.sleep(0.01)
            longest_wait = max(longest_wait, time.monotonic() - before)

    async with feed_site() as site:
        for path in ("/rss.xml", "/atom.xml", "/feed.json"):
            store.add(site.url(path))
        beating = asyncio.ensure_future(heartbeat())
        report = await poll(library, store, LIMITS, NO_DELAY)
        beating.cancel()
    assert len(report.added) == 7
    # 0.3 s when three threads extracted at once (trafilatura's first use loads its TLD list)
    assert longest_wait < 0.1, f"the event loop was held for {longest_wait:.2f} s"


# -- the command line ------------------------------------------------------------------------


async def run(capsys, *argv) -> tuple[int, str, str]:
    """bot.main in a worker thread: it runs its own event loop, and the site needs this one."""
    code = await asyncio.to_thread(bot.main, [str(a) for a in argv])
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def config(tmp_path):
    path = tmp_path / "config.toml"
    path.write_text("[discord]\nfetch_timeout_seconds = 1\n\n[feeds]\nper_host_delay_seconds = 0\n")
    return path


async def test_the_feeds_commands_add_list_poll_and_remove(capsys, tmp_path, config, minilm):
    index = tmp_path / "index"

    async def feeds(*argv):
        return await run(capsys, "--config", config, "feeds", *argv, "--index", index)

    async with feed_site() as site:
        rss, broken = site.url("/rss.xml"), site.url("/broken.xml")
        assert await feeds("list") == (
            0, "No feeds followed yet: `python bot.py feeds add URL` adds one.\n", "")
        code, out, err = await feeds("add", "ftp://example.com/feed")
        assert code == 1 and out == "" and err.count("\n") == 1
        assert err.startswith("error: 'ftp://example.com/feed' is not an http(s) address")
        assert await feeds("add", rss) == (0, f"following {rss}; `python bot.py feeds poll` reads it\n", "")
        assert await feeds("add", rss) == (0, f"already following {rss}\n", "")
        await feeds("add", broken)
        code, out, _ = await feeds("list")
        assert code == 0
        assert out.splitlines()[0] == f"{rss}  (no title yet)  last polled never, 0 entries seen"
        assert len(site.hits) == 0  # adding fetches nothing

        code, out, err = await feeds("poll")
        assert code == 0  # a failing feed is not a failed cron job
        assert out == ("2 feeds polled (0 not modified, 1 failed); 3 new entries (1 from the feed's own "
                       "text); articles: 3 added, 0 replaced\n")
        assert err == f"error: {broken} answered HTTP 500\n"

        code, out, _ = await feeds("list")
        gazette, failing = out.splitlines()
        assert gazette.startswith(f"{rss}  Harbour Gazette  last polled ")
        assert gazette.endswith(", 3 entries seen")
        assert f"failed once: {broken} answered HTTP 500; next try " in failing

        code, out, _ = await run(capsys, "sources", "--index", index)
        assert code == 0 and len(out.splitlines()) == 3
        assert f"Island ferry returns after three years  (3 paragraphs, {site.article_url('ferry')})" in out

        code, out, _ = await feeds("poll")
        assert code == 0 and out == "1 feed polled (1 not modified, 0 failed); 0 new entries; " \
            "articles: 0 added, 0 replaced; 1 feed waiting to be tried again\n"

        assert await feeds("remove", rss) == (0, f"stopped following {rss} and forgot the 3 entries seen "
                                                 "in it; its articles stay indexed\n", "")
        code, out, _ = await feeds("list")
        assert out.startswith(broken) and len(out.splitlines()) == 1
        code, out, err = await feeds("remove", rss)
        assert (code, out) == (1, "") and err == f"error: no feed {rss} is followed; " \
            "`python bot.py feeds list` shows them\n"
        code, out, _ = await run(capsys, "sources", "--index", index)
        assert len(out.splitlines()) == 3


async def test_a_poll_into_a_damaged_index_exits_non_zero_with_one_line(capsys, tmp_path, config):
    index = tmp_path / "index"
    index.mkdir()
    (index / "store.sqlite").write_bytes(b"\x13" * 4096)
    async with feed_site() as site:
        await run(capsys, "--config", config, "feeds", "add", site.url("/rss.xml"), "--index", index)
        code, out, err = await run(capsys, "--config", config, "feeds", "poll", "--index", index)
    assert code == 1 and out == "" and "store.sqlite is damaged" in err and err.count("\n") == 1


def test_the_feeds_settings_are_documented_and_checked(tmp_path, capsys):
    text = (ROOT / "config.toml").read_text()
    section = text[text.index("\n[feeds]\n"):]
    for setting in fields(FeedSettings):
        assert f"\n{setting.name} = " in section, f"config.toml does not show feeds.{setting.name}"
        line_before = section[:section.index(f"\n{setting.name} = ")].rsplit("\n", 1)[-1]
        assert line_before.startswith("#"), f"feeds.{setting.name} has no comment"
    assert load_settings(ROOT / "config.toml").feeds == FeedSettings()
    for toml, message in [
        ("[feeds]\nper_host_delay_seconds = -1\n",
         "feeds.per_host_delay_seconds must be a number from 0 to 60"),
        ("[feeds]\nbackoff_base_minutes = 60\nbackoff_max_minutes = 30\n",
         "feeds.backoff_base_minutes (60) must not be more than feeds.backoff_max_minutes (30)"),
        ("[feeds]\npoll_every = 3\n", "feeds.poll_every is not a known setting"),
    ]:
        config = tmp_path / "config.toml"
        config.write_text(toml)
        code = bot.main(["--config", str(config), "feeds", "list", "--index", str(tmp_path / "index")])
        _, err = capsys.readouterr()
        assert code == 1 and message in err and err.count("\n") == 1
