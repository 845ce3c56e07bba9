"""/feed and the bot's own feed polling, end to end: the real discord.py client on the Discord
stand-in, the real model, and the local news site of tests/feed_server.py over real HTTP."""

import asyncio
import logging
import sqlite3
import time
from datetime import UTC, datetime

import pytest

from discord_bot.feed_polling import FeedPolling
from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import FeedStore
from tests.conftest import FIXTURES
from tests.feed_server import Story, feed_site
from tests.test_discord_bot import ask, bot_on_standin, description

LIMITS = FetchLimits(timeout_seconds=5)
EVERY_HALF_HOUR = FeedSettings(poll_interval_minutes=30, jitter_share=0.1, per_host_delay_seconds=0)
# waits of 0.06 to 0.18 s, so that the polling loop itself runs several times in a test
EVERY_TENTH_OF_A_SECOND = FeedSettings(poll_interval_minutes=0.002, jitter_share=0.5,
                                       per_host_delay_seconds=0)

FERRY_QUESTION = "How many cars can the new island ferry carry?"
SEALS = Story("seals", "Seal pups counted on the sandbank", [
    "Wardens counted forty-one grey seal pups on the sandbank off the harbour this winter.",
    "That is the most since the count began, and the wardens ask walkers to keep their dogs on leads.",
], datetime(2024, 3, 12, 8, tzinfo=UTC))


pytestmark = pytest.mark.usefixtures("only_link_local_is_private")


@pytest.fixture
def library(empty_library):
    return empty_library


@pytest.fixture
def store(library):
    store = FeedStore(library.directory)
    yield store
    store.close()


async def feed_command(standin, action, options=None, user=None):
    record = await standin.slash_command(f"feed {action}", options or {}, user=user or standin.admin,
                                         channel_id=standin.channel("general").id)
    return (await standin.wait_for_response(record, timeout=30)).reply


async def until(check, what: str, timeout: float = 20.0) -> None:
    deadline = time.monotonic() + timeout
    while not check():
        assert time.monotonic() < deadline, f"after {timeout} s: {what} never happened"
        await asyncio.sleep(0.02)


def page_requests(site, since: int = 0) -> list[str]:
    return [hit.path for hit in site.hits[since:] if hit.path.startswith("/articles/")]


class FeedStoreFailingOnce(FeedStore):
    """Its first read of the followed feeds fails, as a feeds.sqlite locked by another program would."""

    failed = False

    def feeds(self):
        if not self.failed:
            self.failed = True
            raise sqlite3.OperationalError("database is locked")
        return super().feeds()


async def test_the_bot_polls_by_itself_and_answers_from_the_new_articles(library, caplog):
    caplog.set_level(logging.ERROR, logger="discord_bot.feed_polling")
    store = FeedStoreFailingOnce(library.directory)
    polling = FeedPolling(library, store, LIMITS, EVERY_TENTH_OF_A_SECOND)
    async with feed_site() as site:
        rss = site.url("/rss.xml")
        async with bot_on_standin(library, feed_polling=polling) as (standin, _):
            added = await feed_command(standin, "add", {"url": rss})
            assert added.ephemeral and added.content == f"Following <{rss}>; it is read within 1 minute."
            await until(lambda: len(library.articles()) == 3, "the feed's three articles indexed")
            answer = description((await ask(standin, FERRY_QUESTION)).reply)
            cited = f"**[1] [Island ferry returns after three years]({site.article_url('ferry')}#:~:text="
            # ¶2 holds the answer, alone or after ¶1, linked to its sentence; the date is the page's
            first = answer.split("\n")[0]
            shown = ("· ¶2** · 2024-03-04", "· ¶1–2** · 2024-03-04")
            assert first.startswith(cited) and first.endswith(shown)
            assert "forty cars" in answer

            mark = len(site.hits)
            site.add_rss_story(SEALS)
            await until(lambda: len(library.articles()) == 4, "the new story indexed")
            feed_reads = len(site.requests_to("/rss.xml"))
            await until(lambda: len(site.requests_to("/rss.xml")) >= feed_reads + 2, "two more polls")
            assert page_requests(site, mark) == ["/articles/seals"]  # entries seen are not fetched again
        assert not polling.running
        after_close = len(site.hits)
        await asyncio.sleep(0.4)
        assert len(site.hits) == after_close
    store.close()
    # the first poll failed (the store could not be read), and the polling went on
    [failure] = [r for r in caplog.records if r.exc_info]
    assert failure.getMessage().startswith("the feed poll failed")
    assert "database is locked" in failure.exc_text


async def test_feed_add_list_and_remove_for_admins_while_an_ingest_runs(library, store):
    polling = FeedPolling(library, store, LIMITS, EVERY_HALF_HOUR)
    async with feed_site() as site, bot_on_standin(library, feed_polling=polling) as (standin, bot):
        rss, atom = site.url("/rss.xml"), site.url("/atom.xml")
        refused = await feed_command(standin, "add", {"url": rss}, user=standin.member)
        assert refused.ephemeral
        assert refused.content == "Only members with the Manage Server permission can do that."
        wrong = await feed_command(standin, "add", {"url": "ftp://example.com/feed"})
        assert wrong.content.startswith("'ftp://example.com/feed' is not an http(s) address")
        added = await feed_command(standin, "add", {"url": rss})
        assert added.content == f"Following <{rss}>; it is read within 33 minutes."
        again = await feed_command(standin, "add", {"url": rss})
        assert again.content == f"Already following <{rss}>; /feed list shows when it was last read."
        await feed_command(standin, "add", {"url": atom})
        assert site.hits == []  # following fetches nothing

        upload = standin.upload("harbour.txt", (FIXTURES / "harbour.txt").read_bytes(), "text/plain")
        ingest = await standin.slash_command("ingest", {"file": upload}, user=standin.admin,
                                             channel_id=standin.channel("general").id)
        report = await polling.poll_once()
        assert "1 added" in description((await standin.wait_for_response(ingest, timeout=30)).reply)
        assert len(report.added) == 5 and len(library.articles()) == 6
        assert library.passage_count == library.store.count_passages()

        listed = await feed_command(standin, "list")
        assert listed.ephemeral and listed.embeds[0]["title"] == "2 followed feed(s)"
        gazette, times = description(listed).split("\n\n")
        assert gazette.startswith(f"{rss}  Harbour Gazette  last polled ")
        assert gazette.endswith(", 3 entries seen")
        assert times.startswith(f"{atom}  Valley Times  last polled ")

        mark = len(site.hits)
        report = await polling.poll_once()
        assert report.count("not modified") == 2 and page_requests(site, mark) == []

        async def choices(typed, user):
            found = await standin.autocomplete("feed remove", {"url": typed}, focused="url", user=user,
                                               channel_id=standin.channel("general").id)
            return [(c["name"], c["value"]) for c in found]

        assert await choices("gazette", standin.admin) == [(f"Harbour Gazette · {rss}", rss)]
        assert await choices("", standin.member) == []  # the followed feeds are for admins
        removed = await feed_command(standin, "remove", {"url": rss})
        assert removed.content == (f"Stopped following <{rss}> and forgot the 3 entries seen in it; "
                                   "its articles stay indexed.")
        gone = await feed_command(standin, "remove", {"url": rss})
        assert gone.content == f"No feed {rss} is followed; /feed list shows them."
        listed = await feed_command(standin, "list")
        assert listed.embeds[0]["title"] == "1 followed feed(s)" and description(listed).startswith(atom)
        assert len(library.articles()) == 6


async def test_a_question_asked_during_a_poll_is_answered_before_the_poll_ends(library, store):
    polling = FeedPolling(library, store, LIMITS, EVERY_HALF_HOUR)
    async with feed_site() as site, bot_on_standin(library, feed_polling=polling) as (standin, _):
        store.add(site.url("/rss.xml"))
        await polling.poll_once()
        site.add_rss_story(SEALS)
        site.page_delay_seconds = 1.0
        polling_now = asyncio.ensure_future(polling.poll_once())
        await until(lambda: "/articles/seals" in page_requests(site), "the new story's page requested")
        answer = (await ask(standin, FERRY_QUESTION)).reply
        assert not polling_now.done()
        assert "forty cars" in description(answer)
        report = await polling_now
    assert report.added and "Seal pups counted on the sandbank" in {a.title for a in library.articles()}


async def test_closing_the_bot_cancels_a_poll_under_way(library, store, caplog):
    caplog.set_level(logging.ERROR)
    polling = FeedPolling(library, store, LIMITS, EVERY_TENTH_OF_A_SECOND)
    async with feed_site() as site:
        rss = site.url("/rss.xml")
        store.add(rss)
        site.page_delay_seconds = 30
        async with bot_on_standin(library, feed_polling=polling):
            await until(lambda: page_requests(site), "a poll waiting for a page")
            closing = time.monotonic()
        assert time.monotonic() - closing < 2 and not polling.running
    # nothing recorded: the next poll reads the feed's entries again
    assert store.feed(rss).entries_seen == 0 and library.articles() == []
    assert caplog.records == []


def test_each_wait_is_the_interval_give_or_take_the_jitter(library, store):
    polling = FeedPolling(library, store, LIMITS, FeedSettings(poll_interval_minutes=30, jitter_share=0.1))
    waits = [polling.next_wait_seconds() for _ in range(200)]
    assert all(27 * 60 <= wait <= 33 * 60 for wait in waits)
    assert max(waits) - min(waits) > 60  # not the same wait every time
    assert polling.longest_wait_minutes == 33
    steady = FeedPolling(library, store, LIMITS, FeedSettings(poll_interval_minutes=5, jitter_share=0))
    assert {steady.next_wait_seconds() for _ in range(10)} == {300}
