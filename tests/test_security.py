"""Security: who may use which command, which addresses the bot fetches, the token, and what
the answer log keeps about people.

The permission table is read from the bot's registered command tree and its button types, so
a new command is refused to plain members unless it is added to PUBLIC_COMMANDS on purpose.
"""

import contextlib
import dataclasses
import logging
import re
import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from aiohttp import web
from discord import app_commands
from discord.enums import AppCommandOptionType

import bot
import feeds.fetch as fetch_module
from discord_bot.answer_log import AnswerLog
from discord_bot.buttons import BUTTON_TYPES
from discord_bot.client import APOLOGY
from discord_bot.feed_polling import FeedPolling
from feeds.feed_settings import FeedSettings, FetchLimits
from feeds.feed_store import FeedStore
from feeds.fetch import FetchRefused, fetch_page
from feeds.poller import poll
from harness import DEFAULT_TOKEN, CommandUnavailable, DiscordStandIn, point_discord_py_at
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from settings import DEFAULT_CONFIG, ConfigError, load_settings
from tests.conftest import FIXTURES, ROOT
from tests.test_discord_bot import QUICK, bot_messages, bot_on_standin, button_ids
from tests.test_discord_watches import add_moderator
from watches.watch_store import WatchStore

# Commands every member may use. Anything else in the tree must be refused to a member
# without the permission: a new command is covered by the table without being listed here.
PUBLIC_COMMANDS = {"ask", "quotes", "timeline"}
# Needs Manage Messages (or Manage Server); every other non-public command needs Manage Server.
MODERATOR_COMMANDS = {"watch add", "watch list", "watch remove"}
# Buttons anyone may press under an answer (they act on that answer only), by class name. A
# new button type fails test_every_registered_button_is_classified until it is put here or
# given a permission check (and a row in that test).
PUBLIC_BUTTONS = {"MoreResults", "ShowContext", "Vote", "TimelinePage"}

REFUSED_IN_SERVER = re.compile(r"^Only members with the (Manage Messages or )?Manage Server permission")
REFUSED_IN_DM = re.compile(r"work in a server('s channels)?, not in direct messages")


@contextlib.asynccontextmanager
async def full_bot(library):
    """The bot with every optional part (feeds, watches), so every command is registered."""
    feeds, watches = FeedStore(library.directory), WatchStore(library.directory)
    polling = FeedPolling(library, feeds, FetchLimits(), FeedSettings())
    try:
        async with bot_on_standin(library, feed_polling=polling, watch_store=watches) as (standin, newsbot):
            yield standin, newsbot
    finally:
        feeds.close()
        watches.close()


def leaf_commands(tree: app_commands.CommandTree) -> dict[str, app_commands.Command]:
    return {c.qualified_name: c for c in tree.walk_commands() if isinstance(c, app_commands.Command)}


def options_for(command: app_commands.Command, standin) -> dict:
    """Values for the command's required options (or its first optional one when none is
    required), each one the command would act on if nobody checked the permission."""
    parameters = [p for p in command.parameters if p.required] or command.parameters[:1]
    values = {}
    for parameter in parameters:
        if parameter.type is AppCommandOptionType.attachment:
            values[parameter.display_name] = standin.upload(
                "harbour.txt", (FIXTURES / "harbour.txt").read_bytes(), "text/plain")
        elif parameter.type is AppCommandOptionType.integer:
            values[parameter.display_name] = 1
        elif parameter.display_name == "url":
            values[parameter.display_name] = "https://example.com/feed.xml"
        else:
            values[parameter.display_name] = "Did the ferry strike end?"
    return values


def state(newsbot) -> tuple:
    """Everything an admin command could change."""
    return (
        [(a.article_id, a.paragraphs) for a in newsbot.library.articles()],
        [f.url for f in newsbot.feed_polling.store.feeds()],
        [(w.watch_id, w.query) for w in newsbot.watch_alerts.store.watches()],
    )


async def run_command(standin, name, options, user, channel_id):
    """The reply's text, or None when Discord would not even offer the command to the user
    (hidden by its default permissions or unavailable in DMs), which also refuses it."""
    try:
        record = await standin.slash_command(name, options, user=user, channel_id=channel_id)
    except CommandUnavailable:
        return None
    reply = (await standin.wait_for_response(record, timeout=30)).reply
    assert reply.ephemeral, (name, reply.content)
    return reply.content or ""


async def test_every_admin_command_is_refused_to_members_in_servers_and_dms(library):
    async with full_bot(library) as (standin, newsbot):
        commands = leaf_commands(newsbot.tree)
        # the table is the registered tree: it holds the known admin commands, and more
        assert {"ingest", "sources", "forget", "feed add", "feed remove", "feed list", "watch add",
                "watch list", "watch remove"} <= set(commands)
        assert {"ask", "quotes"} <= set(commands)
        moderator = add_moderator(standin)
        general = standin.channel("general").id
        checked = []
        for name, command in sorted(commands.items()):
            if name in PUBLIC_COMMANDS:
                continue
            options = options_for(command, standin)
            refused_to = [standin.member] + ([] if name in MODERATOR_COMMANDS else [moderator])
            for user in refused_to:
                before = state(newsbot)
                text = await run_command(standin, name, options, user, general)
                assert text is None or REFUSED_IN_SERVER.match(text), (name, user.name, text)
                assert state(newsbot) == before, (name, user.name)
            for user in (standin.member, standin.admin):  # DMs: nobody, admins included
                before = state(newsbot)
                text = await run_command(standin, name, options, user, standin.dm_channel(user).id)
                assert text is None or REFUSED_IN_DM.search(text), (name, user.name, text)
                assert state(newsbot) == before, (name, user.name)
            # and the command does work for an admin in the server: the refusal is the check's
            text = await run_command(standin, name, options, standin.admin, general)
            assert text is not None and not REFUSED_IN_SERVER.match(text), (name, text)
            checked.append(name)
        assert len(checked) == len(set(commands) - PUBLIC_COMMANDS)


async def test_admin_autocompletes_offer_members_nothing(library):
    async with full_bot(library) as (standin, newsbot):
        newsbot.feed_polling.store.add("https://example.com/feed.xml")
        newsbot.watch_alerts.store.add("Did the ferry strike end?", standin.channel("general").id,
                                       standin.guild.id, standin.admin.id)
        general = standin.channel("general").id
        checked = 0
        for name, command in sorted(leaf_commands(newsbot.tree).items()):
            if name in PUBLIC_COMMANDS:
                continue
            for parameter in command.parameters:
                if not parameter.autocomplete:
                    continue
                focus = parameter.display_name
                offered = await standin.autocomplete(name, {focus: ""}, focused=focus,
                                                     user=standin.admin, channel_id=general)
                assert offered, (name, focus)  # an admin is offered something: the test can fail
                refused = await standin.autocomplete(name, {focus: ""}, focused=focus,
                                                     user=standin.member, channel_id=general)
                assert refused == [], (name, focus, refused)
                checked += 1
        assert checked >= 3  # /forget article, /feed remove url, /watch remove watch


async def test_every_registered_button_is_classified(library):
    async with full_bot(library) as (_, newsbot):
        # discord.py has no public getter for the dynamic items a client registered
        registered = {item.__name__ for item in newsbot._connection._view_store._dynamic_items.values()}
    assert {b.__name__ for b in BUTTON_TYPES} <= registered
    unclassified = registered - PUBLIC_BUTTONS
    assert not unclassified, f"put {unclassified} in PUBLIC_BUTTONS or give it a permission check and a test"


async def test_the_public_buttons_work_for_a_plain_member_in_a_server_and_in_a_dm(library):
    async with full_bot(library) as (standin, _):
        general = standin.channel("general").id
        for channel in (general, standin.dm_channel(standin.member).id):
            question = {"question": "How has China responded to the war in Ukraine?"}
            record = await standin.slash_command("ask", question, user=standin.member, channel_id=channel)
            reply = (await standin.wait_for_response(record, timeout=30)).reply
            kinds = {custom_id.split(":")[0]: custom_id for custom_id in button_ids(reply)}
            assert {"more", "vote", "context"} <= set(kinds)
            for custom_id in kinds.values():
                click = await standin.click_button(reply, custom_id, user=standin.member)
                answer = (await standin.wait_for_response(click, timeout=30)).reply
                assert not REFUSED_IN_SERVER.match(answer.content or "") and answer.content != APOLOGY


# -- private addresses --------------------------------------------------------------------

PRIVATE_FORMS = [
    "127.0.0.1", "localhost", "LOCALHOST", "vm",  # typed, and names whose DNS answer is loopback
    "2130706433", "0x7f000001", "017700000001",  # 127.0.0.1 as one number: decimal, hex, octal
    "0177.0.0.1", "0x7f.0.0.1", "127.1", "127.000.000.001",  # dotted octal, hex, short, padded
    "①②⑦.0.0.1", "127。0。0。1",  # IDNA folds these to 127.0.0.1
    "0.0.0.0", "0",
    "[::1]", "[::ffff:127.0.0.1]", "[::ffff:7f00:1]", "[0:0:0:0:0:ffff:7f00:1]", "[::127.0.0.1]",
    "[::]", "[::ffff:127.0.0.1%25lo]",
]
ELSEWHERE_PRIVATE = [  # nothing listens there; refused before any connection is tried
    "10.0.0.5", "192.168.1.1", "172.16.0.1", "169.254.169.254", "100.64.0.1", "[fe80::1]",
    "[fc00::1]", "[64:ff9b::a9fe:a9fe]", "[2002:a9fe:a9fe::]", "[::ffff:169.254.169.254]", "224.0.0.1",
]


@contextlib.asynccontextmanager
async def site(host: str, routes: dict):
    app = web.Application()
    for path, handler in routes.items():
        app.router.add_get(path, handler)
    runner = web.AppRunner(app)
    await runner.setup()
    server = web.TCPSite(runner, host, 0)
    await server.start()
    try:
        yield server._server.sockets[0].getsockname()[1]
    finally:
        await runner.cleanup()


@contextlib.asynccontextmanager
async def secret_server():
    """A server on 127.0.0.1 that counts every request: a guard that fails lets one through."""
    hits = []

    async def secret(request):
        hits.append(request.path)
        return web.Response(text="internal secret", content_type="text/html")

    async with site("127.0.0.1", {"/secret": secret, "/feed.xml": secret}) as port:
        yield port, hits


@pytest.mark.parametrize("host", PRIVATE_FORMS)
async def test_a_private_target_in_any_form_is_refused(host):
    async with secret_server() as (port, hits):
        with pytest.raises(FetchRefused, match="private, loopback or link-local"):
            await fetch_page(f"http://{host}:{port}/secret", FetchLimits())
        assert hits == []


@pytest.mark.parametrize("host", ELSEWHERE_PRIVATE)
async def test_private_link_local_and_embedded_ipv4_ranges_are_refused(host):
    with pytest.raises(FetchRefused, match="private, loopback or link-local"):
        await fetch_page(f"http://{host}/", FetchLimits(timeout_seconds=2))


@pytest.fixture
def public_127_0_0_2(monkeypatch):
    """127.0.0.2 stands for a public site; every other address keeps the real rule."""
    real = fetch_module.is_internal
    monkeypatch.setattr("feeds.fetch.is_internal", lambda address: address != "127.0.0.2" and real(address))


@pytest.mark.parametrize("host", PRIVATE_FORMS)
async def test_a_redirect_to_a_private_target_in_any_form_is_refused(host, public_127_0_0_2):
    async with secret_server() as (port, hits):
        async def redirect(request):
            raise web.HTTPFound(f"http://{host}:{port}/secret")

        async def page(request):
            return web.Response(text="public page", content_type="text/html")

        async with site("127.0.0.2", {"/go": redirect, "/page": page}) as public_port:
            # the "public" site itself is fetched: only the redirect's target is refused
            public = await fetch_page(f"http://127.0.0.2:{public_port}/page", FetchLimits())
            assert public.text == "public page"
            with pytest.raises(FetchRefused, match="private, loopback or link-local"):
                await fetch_page(f"http://127.0.0.2:{public_port}/go", FetchLimits())
        assert hits == []


async def test_feeds_refuse_private_feed_addresses_and_entry_links(tmp_path, minilm, public_127_0_0_2):
    library = Library(tmp_path / "index", minilm)
    store = FeedStore(tmp_path / "index")
    async with secret_server() as (port, hits):
        links = [f"http://{host}:{port}/secret" for host in
                 ("2130706433", "0177.0.0.1", "[::ffff:7f00:1]", "localhost", "127。0。0。1")]
        items = "".join(
            f"<item><title>Harbour story {n}</title><link>{link}</link><guid>story-{n}</guid>"
            f"<description>The harbour ferry number {n} now runs every hour on weekdays.</description></item>"
            for n, link in enumerate(links))

        async def feed(request):
            return web.Response(text=f"<rss version='2.0'><channel><title>Port news</title>{items}"
                                     "</channel></rss>", content_type="application/rss+xml")

        async with site("127.0.0.2", {"/rss.xml": feed}) as public_port:
            store.add(f"http://127.0.0.2:{public_port}/rss.xml")
            for host in ("2130706433", "0177.0.0.1", "[::1]", "localhost"):
                store.add(f"http://{host}:{port}/feed.xml")
            report = await poll(library, store, FetchLimits(), FeedSettings(per_host_delay_seconds=0))
        assert hits == []
        assert len(report.errors) == 4 and all("private, loopback or link-local" in e for e in report.errors)
        # each entry was indexed from the feed's own text instead of its private page
        assert report.from_feed_text == len(links) and len(report.added) == len(links)
    store.close()
    library.close()


async def test_ingest_url_refuses_an_octal_loopback_address_in_discord(library):
    async with secret_server() as (port, hits), bot_on_standin(library) as (standin, _):
        for host in ("0177.0.0.1", "2130706433", "[::1]"):
            record = await standin.slash_command("ingest", {"url": f"http://{host}:{port}/secret"},
                                                 user=standin.admin, channel_id=standin.channel("general").id)
            reply = (await standin.wait_for_response(record, timeout=30)).reply
            assert "private, loopback or link-local" in reply.content, reply.content
        assert hits == [] and len(library.articles()) == 1


# -- the token ----------------------------------------------------------------------------


async def test_the_token_never_appears_in_logs_or_replies(library, caplog):
    class BrokenSearcher(Searcher):
        def ask(self, question, *args, **kwargs):
            if "explode" in question:
                raise RuntimeError(f"index exploded while answering {question!r}")
            return super().ask(question, *args, **kwargs)

    caplog.set_level(logging.DEBUG)  # every logger, discord.py's HTTP and gateway included
    token = DEFAULT_TOKEN
    broken = BrokenSearcher(library, SearchSettings())
    async with bot_on_standin(library, QUICK, broken) as (standin, newsbot):
        general = standin.channel("general").id
        for question in ("What did Zhao Lijian say?", "please explode", "   "):
            record = await standin.slash_command("ask", {"question": question}, user=standin.member,
                                                 channel_id=general)
            await standin.wait_for_response(record, timeout=30)
        await standin.send_message(general, standin.member, f"<@{standin.bot.id}> explode again")
        await standin.wait_for_message(general, timeout=30)
        replies = bot_messages(standin)
        assert any(m.content == APOLOGY for m in replies)
        assert newsbot.http.token == token  # the bot did log in with it
    # a rejected token: the message says so without repeating it
    async with DiscordStandIn() as standin:
        with point_discord_py_at(standin):
            from discord_bot.client import NewsBot
            from discord_bot.runner import TokenProblem, run_on_discord

            wrong = "MTIz.wrong-token.but-still-secret"
            rejected = NewsBot(Searcher(library, SearchSettings()), AnswerLog(library.directory / "l.sqlite"),
                               QUICK)
            with pytest.raises(TokenProblem) as caught:
                await run_on_discord(rejected, wrong)
            assert wrong not in str(caught.value)
    logged = "\n".join(r.getMessage() + (str(r.exc_info[1]) if r.exc_info else "") for r in caplog.records)
    assert "index exploded" in logged and "IDENTIFY" in logged  # the logs were captured at DEBUG
    assert token not in logged and token not in caplog.text
    assert wrong not in caplog.text
    assert all(token not in (m.content or "") + str(m.embeds) for m in replies)


# -- what the answer log keeps ------------------------------------------------------------


def answer_log_rows(path: Path) -> dict[str, list[tuple]]:
    db = sqlite3.connect(path)
    try:
        return {table: db.execute(f"SELECT * FROM {table}").fetchall() for table in ("answers", "feedback")}
    finally:
        db.close()


def on_disk(path: Path) -> bytes:
    return b"".join(p.read_bytes() for p in path.parent.glob(path.name + "*"))


async def test_the_answer_log_keeps_ids_only_and_forget_user_deletes_one_persons_data(library, capsys):
    path = library.directory / "answers.sqlite"
    secret_question = "What did Zhao Lijian say about lording it over the world?"
    other_question = "When will Biden and Xi speak on the phone?"
    async with bot_on_standin(library) as (standin, _):
        general = standin.channel("general").id
        record = await standin.slash_command("ask", {"question": secret_question}, user=standin.member,
                                             channel_id=general)
        mine = (await standin.wait_for_response(record, timeout=30)).reply
        record = await standin.slash_command("ask", {"question": other_question}, user=standin.admin,
                                             channel_id=general)
        theirs = (await standin.wait_for_response(record, timeout=30)).reply
        for reply, voter in ((mine, standin.member), (mine, standin.admin), (theirs, standin.member),
                             (theirs, standin.admin)):
            vote = next(i for i in button_ids(reply) if i.endswith(":up"))
            await standin.wait_for_response(await standin.click_button(reply, vote, user=voter), timeout=30)

        rows = answer_log_rows(path)
        assert {r[4] for r in rows["answers"]} == {standin.member.id, standin.admin.id}
        assert {r[1] for r in rows["feedback"]} == {standin.member.id, standin.admin.id}
        stored = on_disk(path)
        for name in (standin.member.user.name, standin.admin.user.name, "bob", "alice"):
            assert name.encode() not in stored  # ids, never names
        assert secret_question.encode() in stored

        # a deletion request while the bot runs
        assert bot.main(["forget-user", str(standin.member.id), "--index", str(library.directory)]) == 0
        out = capsys.readouterr().out
        # bob's question and bob's two votes, and alice's vote that copies bob's question
        assert out.startswith(f"forgot user {standin.member.id}: 1 answer and 3 votes deleted"), out
        rows = answer_log_rows(path)
        assert [r[1] for r in rows["answers"]] == [other_question]
        assert [(r[1], r[3]) for r in rows["feedback"]] == [(standin.admin.id, other_question)]
        # alice's answer still works for its buttons
        more = next(i for i in button_ids(theirs) if i.startswith(("context:", "more:")))
        click = await standin.click_button(theirs, more, user=standin.admin)
        assert (await standin.wait_for_response(click, timeout=30)).reply.content != APOLOGY
    assert secret_question.encode() not in on_disk(path)  # overwritten, not only unlinked
    assert str(standin.member.id) not in str(answer_log_rows(path))


def test_forget_user_without_an_answer_log_creates_nothing_and_rejects_a_non_id(tmp_path, capsys):
    folder = tmp_path / "never-made"
    assert bot.main(["forget-user", "123456789012345678", "--index", str(folder)]) == 0
    assert "forgot user 123456789012345678: 0 answers and 0 votes" in capsys.readouterr().out
    assert not folder.exists()
    for bad in ("bob", "-5", "0", "1e5", "１２３"):
        with pytest.raises(SystemExit) as exit_code:
            bot.main(["forget-user", bad, "--index", str(folder)])
        assert exit_code.value.code == 2
        assert "must be a Discord user id" in capsys.readouterr().err


def test_forget_user_takes_the_id_off_the_watches_they_added(tmp_path, capsys):
    store = WatchStore(tmp_path)
    theirs = store.add("Did the ferry strike end?", channel_id=5, guild_id=6, added_by=77)
    others = store.add("Who won the chess olympiad?", channel_id=5, guild_id=6, added_by=88)
    assert bot.main(["forget-user", "77", "--index", str(tmp_path)]) == 0
    assert "1 watch no longer name them" in capsys.readouterr().out
    assert store.watch(theirs.watch_id).added_by is None and store.watch(others.watch_id).added_by == 88
    assert "by user" not in store.watch(theirs.watch_id).summary()
    store.close()


def test_answers_and_votes_older_than_the_retention_are_deleted(tmp_path):
    path = tmp_path / "answers.sqlite"
    log = AnswerLog(path, retention_days=30)
    kept = log.record_answer("recent question", None, [1], 11, 22)
    old = log.record_answer("old question", None, [2], 12, 22)
    log.record_vote(log.answer(old), 12, 1)
    log.close()
    db = sqlite3.connect(path)
    long_ago = (datetime.now(UTC) - timedelta(days=31)).isoformat(timespec="seconds")
    db.execute("UPDATE answers SET asked_at = ? WHERE id = ?", (long_ago, old))
    db.execute("UPDATE feedback SET voted_at = ?", (long_ago,))
    db.commit()
    db.close()

    log = AnswerLog(path, retention_days=30)  # pruned when opened
    assert log.answer(old) is None and log.votes() == [] and log.answer(kept).question == "recent question"
    assert log.prune(datetime.now(UTC) + timedelta(days=29)) == 0  # not yet 30 days old
    assert log.prune(datetime.now(UTC) + timedelta(days=31)) == 1
    assert log.answer(kept) is None
    log.close()
    assert b"old question" not in on_disk(path)


def test_the_retention_is_a_documented_checked_setting():
    assert load_settings(DEFAULT_CONFIG).discord.answer_log_retention_days == 90
    assert "answer_log_retention_days = 90" in DEFAULT_CONFIG.read_text()
    readme = (ROOT / "README.md").read_text()
    assert "answer_log_retention_days" in readme and "forget-user ID" in readme


@pytest.mark.parametrize("value", ['"90"', "0", "-1", "3651", "90.5", "true", "[90]"])
def test_a_bad_retention_is_a_config_error(tmp_path, value):
    config = tmp_path / "config.toml"
    config.write_text(f"[discord]\nanswer_log_retention_days = {value}\n")
    with pytest.raises(ConfigError, match="answer_log_retention_days must be a whole number from 1 to 3650"):
        load_settings(config)


def test_run_passes_the_retention_to_the_answer_log():
    source = " ".join((ROOT / "bot.py").read_text().split())
    assert 'AnswerLog(searcher.library.directory / "answers.sqlite", ' \
        "settings.discord.answer_log_retention_days)" in source
    assert dataclasses.replace(QUICK, answer_log_retention_days=7).answer_log_retention_days == 7
