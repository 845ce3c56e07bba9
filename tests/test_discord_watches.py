"""/watch end to end: the real discord.py client on the Discord stand-in, the real model with
the shipped watch threshold, and the local news site of tests/feed_server.py over real HTTP."""

import logging
from datetime import UTC, datetime

import pytest

from discord_bot.bot_settings import BotSettings
from discord_bot.feed_polling import FeedPolling
from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import FeedStore
from harness import Member, Perm, Role, User
from retrieval.search import Searcher, SearchSettings
from tests.feed_server import Story, feed_site
from tests.test_discord_bot import QUICK, bot_on_standin, description
from tests.test_discord_feeds import SEALS
from watches.watch_store import WatchStore

LIMITS = FetchLimits(timeout_seconds=5)
BY_HAND = FeedSettings(poll_interval_minutes=30, jitter_share=0, per_host_delay_seconds=0)

SEAL_COUNT = "How many seal pups were counted on the sandbank?"
CHESS = "Who won the chess olympiad in Chennai?"
RECOUNT = Story("recount", "Seal pup recount finds more pups", [
    "A recount of the seal pups on the sandbank found forty-four pups, three more than first counted.",
], datetime(2024, 3, 13, 8, tzinfo=UTC))


pytestmark = pytest.mark.usefixtures("only_link_local_is_private")


@pytest.fixture
def library(empty_library):
    return empty_library


@pytest.fixture
def stores(library):
    feeds, watches = FeedStore(library.directory), WatchStore(library.directory)
    yield feeds, watches
    feeds.close()
    watches.close()


def add_moderator(standin) -> Member:
    """A member with Manage Messages (through a "Moderator" role) and not Manage Server."""
    world = standin.world
    role = Role(world.ids.next(), "Moderator", Perm.MANAGE_MESSAGES, position=1)
    moderator = Member(User(world.ids.next(), "carol"), [role.id])
    world.guild.roles[role.id] = role
    world.guild.members[moderator.id] = moderator
    return moderator


async def watch_command(standin, action, options=None, user=None, channel="news"):
    record = await standin.slash_command(f"watch {action}", options or {}, user=user or standin.admin,
                                         channel_id=standin.channel(channel).id)
    return (await standin.wait_for_response(record, timeout=30)).reply


def alerts_in(standin, channel: str):
    """The bot's messages in a channel that everyone sees (not ephemeral replies)."""
    return [m for m in standin.messages(standin.channel(channel))
            if m.author.id == standin.bot.id and not m.ephemeral]


async def test_a_polled_article_that_answers_a_watch_is_posted_once_in_its_channel(library, stores, caplog):
    caplog.set_level(logging.WARNING, logger="discord_bot.watch_alerts")
    feeds, watches = stores
    polling = FeedPolling(library, feeds, LIMITS, BY_HAND)
    async with feed_site() as site, bot_on_standin(library, feed_polling=polling,
                                                   watch_store=watches) as (standin, _):
        moderator = add_moderator(standin)
        added = await watch_command(standin, "add", {"query": f"  {SEAL_COUNT} "}, user=moderator)
        assert added.ephemeral and added.content == (
            f"Watching for: {SEAL_COUNT} (watch 1). Each new passage that answers it is posted here, "
            "at most 5 an hour; /watch remove stops it.")
        await watch_command(standin, "add", {"query": CHESS}, channel="general")
        # #announcements is read-only for everyone, the bot included
        await watch_command(standin, "add", {"query": SEAL_COUNT}, user=standin.owner,
                            channel="announcements")
        watches.add(SEAL_COUNT)  # a command-line watch: the bot logs its matches
        feeds.add(site.url("/rss.xml"))

        # the ferry, library and harbour-lights stories answer none of them at the shipped threshold
        assert len((await polling.poll_once()).added) == 3
        assert [alerts_in(standin, c) for c in ("news", "general", "announcements")] == [[], [], []]

        site.add_rss_story(SEALS)
        await polling.poll_once()
        [alert] = alerts_in(standin, "news")
        assert alert.embeds[0]["title"] == f"Watch: {SEAL_COUNT}"
        cited = f"**[1] [Seal pups counted on the sandbank]({site.article_url('seals')})"
        assert description(alert).split("\n")[0] in (f"{cited} · ¶1** · 2024-03-12",
                                                    f"{cited} · ¶1–2** · 2024-03-12")
        assert "forty-one grey seal pups" in description(alert)
        assert alert.allowed_mentions == {"parse": []}
        assert alerts_in(standin, "general") == [] and alerts_in(standin, "announcements") == []
        [refused] = [r for r in caplog.records if "could not post watch 3's alert" in r.getMessage()]
        assert "Missing Permissions" in refused.getMessage()

        assert (await polling.poll_once()).count("not modified") == 1
        site.add_rss_story(Story("market", "Night market opens on the quay", [
            "A night market with forty stalls opened on the quay on Friday evening.",
        ], datetime(2024, 3, 14, 18, tzinfo=UTC)))
        assert len((await polling.poll_once()).added) == 1
        assert len(alerts_in(standin, "news")) == 1
    assert [w.alerts for w in watches.watches()] == [1, 0, 0, 1]


async def test_past_its_hourly_limit_a_watch_gets_a_digest_of_citations(library, stores):
    feeds, watches = stores
    polling = FeedPolling(library, feeds, LIMITS, BY_HAND)
    settings = BotSettings(cooldown_seconds=0, watch_alerts_per_hour=1)
    # the recount is the same story again: by default it would not lead the first article by
    # watch_min_score_lead and would alert nobody; here the cap and the digest are what is tested
    searcher = Searcher(library, SearchSettings(watch_min_score_lead=0.0))
    async with feed_site() as site, bot_on_standin(library, settings, searcher, feed_polling=polling,
                                                   watch_store=watches) as (standin, _):
        await watch_command(standin, "add", {"query": SEAL_COUNT})
        site.add_rss_story(SEALS)
        feeds.add(site.url("/rss.xml"))
        await polling.poll_once()
        [alone] = alerts_in(standin, "news")
        assert "forty-one grey seal pups" in description(alone)

        recount = "\n\n".join([RECOUNT.title, *RECOUNT.paragraphs])
        upload = standin.upload("recount.txt", recount.encode(), "text/plain")
        mark = standin.checkpoint()
        await standin.slash_command("ingest", {"file": upload}, user=standin.admin,
                                    channel_id=standin.channel("general").id)
        digest = await standin.wait_for_message(standin.channel("news"), after=mark, timeout=30)
        assert digest.embeds[0]["title"] == f"Watch: {SEAL_COUNT}"
        assert description(digest) == (
            "…and 1 more for this watch this hour:\n\n"
            "**[1] Seal pup recount finds more pups · ¶1** · discord upload: recount.txt")
        assert digest.allowed_mentions == {"parse": []}
    assert watches.watches()[0].alerts == 2


async def test_watch_commands_are_for_moderators_and_act_on_this_channels_watches(library, stores):
    _, watches = stores
    async with bot_on_standin(library, QUICK, watch_store=watches) as (standin, _):
        moderator = add_moderator(standin)
        refused = await watch_command(standin, "add", {"query": SEAL_COUNT}, user=standin.member)
        assert refused.ephemeral and refused.content == (
            "Only members with the Manage Messages or Manage Server permission can do that.")
        blank = await watch_command(standin, "add", {"query": "   "}, user=moderator)
        assert blank.content == "the question to watch is empty; give one, e.g. Did the ferry strike end?"
        await watch_command(standin, "add", {"query": SEAL_COUNT}, user=moderator)
        await watch_command(standin, "add", {"query": CHESS})
        await watch_command(standin, "add", {"query": "Did the ferry strike end?"}, channel="general")

        listed = await watch_command(standin, "list", user=moderator)
        assert listed.ephemeral and listed.embeds[0]["title"] == "2 watch(es) in this channel"
        seals, chess = description(listed).split("\n\n")
        assert seals.startswith(f"`1` {SEAL_COUNT} · added by <@{moderator.id}> on ")
        assert seals.endswith(" · 0 alerts")
        assert chess.startswith(f"`2` {CHESS} · added by <@{standin.admin.id}>")

        async def choices(typed, user):
            found = await standin.autocomplete("watch remove", {"watch": typed}, focused="watch", user=user,
                                               channel_id=standin.channel("news").id)
            return [(c["name"], c["value"]) for c in found]

        assert await choices("seal", moderator) == [(f"1 · {SEAL_COUNT}", 1)]
        assert await choices("", standin.member) == []
        elsewhere = await watch_command(standin, "remove", {"watch": 3}, user=moderator)
        assert elsewhere.content == "No watch 3 in this channel; /watch list shows them."
        assert (await watch_command(standin, "remove", {"watch": 1}, user=standin.member)).content.startswith(
            "Only members with the Manage Messages")
        removed = await watch_command(standin, "remove", {"watch": 1}, user=moderator)
        assert removed.ephemeral and removed.content == f"Stopped watching for: {SEAL_COUNT} (watch 1)."
        listed = await watch_command(standin, "list")
        assert description(listed).startswith(f"`2` {CHESS}")
        assert len(description(listed).split("\n\n")) == 1
    assert [(w.watch_id, w.channel_id) for w in watches.watches()] == [
        (2, standin.channel("news").id), (3, standin.channel("general").id)]
