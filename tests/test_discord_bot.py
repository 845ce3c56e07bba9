"""The real discord.py client running the bot against the local Discord stand-in."""

import asyncio
import contextlib
import dataclasses
import json
import logging
import re
import time
from datetime import UTC, datetime, timedelta

import pytest
from aiohttp import web

from discord_bot.answer_log import AnswerLog
from discord_bot.bot_settings import BotSettings
from discord_bot.client import APOLOGY, NewsBot
from discord_bot.runner import TokenProblem, run_on_discord
from feeds.feed_settings import FetchLimits
from harness import DiscordStandIn, Op, point_discord_py_at, running_client
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from tests.conftest import FIXTURES, SAMPLE
from tests.pages import serve

QUICK = BotSettings(cooldown_seconds=0, defer_after_seconds=1.5)


@contextlib.asynccontextmanager
async def bot_on_standin(library, settings=QUICK, searcher=None, feed_polling=None, watch_store=None):
    searcher = searcher or Searcher(library, SearchSettings())
    log = AnswerLog(library.directory / "answers.sqlite")
    bot = NewsBot(searcher, log, settings, feed_polling, watch_store, guild_ready_timeout=0.05)
    # No privileged intent is enabled for the application, as on a fresh Discord app.
    async with DiscordStandIn(privileged_intents=0) as standin, running_client(bot, standin):
        yield standin, bot
        sent = bot_messages(standin)
        assert all(pings_nobody(m) for m in sent), [m.allowed_mentions for m in sent]
    log.close()


def pings_nobody(message) -> bool:
    """Sent with mentions off: nothing parsed, no user or role allowed, no reply ping."""
    rules = message.allowed_mentions or {}
    return (rules.get("parse") == [] and not rules.get("users") and not rules.get("roles")
            and not rules.get("replied_user", False))


def description(message) -> str:
    return message.embeds[0]["description"]


def button_ids(message) -> list[str]:
    return [c["custom_id"] for row in message.components for c in row["components"]]


def bot_messages(standin):
    return [m for m in standin.world.messages.values() if m.author.id == standin.bot.id]


async def ask(standin, question, user=None, channel="general", **options):
    record = await standin.slash_command(
        "ask", {"question": question, **options}, user=user or standin.member,
        channel_id=standin.channel(channel).id,
    )
    return await standin.wait_for_response(record, timeout=30)


async def quotes(standin, person, about=None, user=None, channel="general"):
    options = {"person": person} | ({"about": about} if about else {})
    record = await standin.slash_command(
        "quotes", options, user=user or standin.member, channel_id=standin.channel(channel).id)
    return await standin.wait_for_response(record, timeout=30)


def citation_lines(message) -> list[str]:
    return [line for line in description(message).splitlines() if line.startswith("**[")]


# Two people quoted on two topics or more each, attributed by name, by "she/he added" and
# by role ("the minister said", "the union leader said"). Kept here, not in tests/fixtures:
# other tests index that whole folder and count its articles.
BRIEFING = """Minister defends rail budget as union warns of summer strikes

Transport Minister Helena Varga defended the new rail budget on Tuesday, telling a briefing in \
Marlow that most of the money would go to signalling and track repairs.

“Every pound in this budget goes into the network people actually ride on,” Varga said.

“The old signals on the northern line fail twice a week, and that is where we start,” she added.

Asked about fares, the minister said the government would not raise them this year. \
“Fares stay frozen until the new timetable is running,” the minister said.

Rail union leader Tomas Okonkwo said drivers would walk out in July unless talks on pay resumed.

“Our drivers have had no pay rise in three years while their shifts got longer,” Okonkwo said.

“If there is no offer by June, the trains stop for a week,” he added.

On safety, the union leader said the budget ignored staffing. \
“You cannot run a safe railway with empty cabs and closed ticket offices,” the union leader said.

The ministry said talks with the union would resume next month.
"""


@pytest.fixture(scope="module")
def quotes_library(tmp_path_factory, minilm):
    """The sample article and the briefing, where Helena Varga and Tomas Okonkwo are quoted;
    indexed once for the tests that only read it."""
    folder = tmp_path_factory.mktemp("quotes")
    briefing = folder / "briefing_quotes.txt"
    briefing.write_text(BRIEFING, encoding="utf-8")
    library = Library(folder / "index", minilm)
    assert len(library.ingest([SAMPLE, briefing]).added) == 2
    yield library
    library.close()


async def test_slash_ask_replies_with_cited_passages_and_buttons(library):
    async with bot_on_standin(library) as (standin, _):
        record = await ask(standin, "What did Zhao Lijian say?")
        reply = record.reply
        text = description(reply)
        assert reply.embeds[0]["title"] == "What did Zhao Lijian say?"
        # the first passage shows ¶9, which names Zhao, alone or with a neighbouring paragraph
        assert re.search(r"\*\*\[1\] Biden and Xi to talk on phone as US presses China over Russia"
                         r" · ¶(8–)?9(–10)?\*\*", text)
        assert "· ¶9–10** · 000\\_3cd0485b87778113.txt — Zhao Lijian\n" in text
        assert "they can lord it over the world" in text
        assert reply.allowed_mentions == {"parse": []}
        # Zhao is quoted in one paragraph of the one article: nothing more to show
        assert {i.split(":")[0] for i in button_ids(reply)} == {"vote", "context"}
        record = await ask(standin, "How has China responded to the war in Ukraine?")
        ids = button_ids(record.reply)
        assert ids[0].startswith("more:") and {i.split(":")[0] for i in ids} == {"more", "vote", "context"}


async def test_a_mention_and_a_dm_each_get_a_cited_answer(library):
    async with bot_on_standin(library) as (standin, _):
        general = standin.channel("general").id
        await standin.send_message(general, standin.member, f"<@{standin.bot.id}> What did Zhao Lijian say?")
        reply = await standin.wait_for_message(general, timeout=30)
        assert "¶9–10" in description(reply)
        assert standin.requests_to("POST", f"/channels/{general}/typing")

        await standin.send_dm(standin.member, "When will Biden and Xi speak on the phone?")
        dm = await standin.wait_for_message(standin.dm_channel(standin.member).id, timeout=30)
        assert "· ¶1–2**" in description(dm) and "13:00 GMT on Friday" in description(dm)


async def test_an_off_topic_question_is_told_it_is_not_in_the_articles(library):
    async with bot_on_standin(library) as (standin, _):
        reply = (await ask(standin, "What is the weather in Paris tomorrow?")).reply
        assert description(reply) == "That is not in the indexed articles."
        assert reply.components == []


async def test_more_results_context_and_votes(library):
    async with bot_on_standin(library) as (standin, bot):
        first = (await ask(standin, "How has China responded to the war in Ukraine?")).reply
        more_id = next(i for i in button_ids(first) if i.startswith("more:"))
        more = await standin.wait_for_response(
            await standin.click_button(first, more_id, user=standin.member), timeout=30)
        assert more.reply.ephemeral
        assert more.reply.embeds[0]["title"] == "More: How has China responded to the war in Ukraine?"
        assert "**[4]" in description(more.reply)

        reply = (await ask(standin, "What did Zhao Lijian say?")).reply
        context_id = next(i for i in button_ids(reply) if i.startswith("context:"))
        context = await standin.wait_for_response(
            await standin.click_button(reply, context_id, user=standin.member), timeout=30)
        shown = description(context.reply)
        # around Zhao's quote, ¶10: the paragraph that names him and the one after
        assert context.reply.ephemeral and "`¶9`" in shown and "**" in shown and "`¶11`" in shown

        vote_id = next(i for i in button_ids(reply) if i.endswith(":down"))
        vote = await standin.wait_for_response(
            await standin.click_button(reply, vote_id, user=standin.admin), timeout=30)
        assert vote.reply.content == "Thanks for the feedback."
        [stored] = bot.answer_log.votes()
        assert (stored.vote, stored.user_id) == (-1, standin.admin.id)
        assert stored.question == "What did Zhao Lijian say?" and len(stored.passage_ids) == 1


async def test_an_article_with_everyone_and_role_mentions_pings_no_one(library, tmp_path):
    hostile = tmp_path / "hostile.txt"
    hostile.write_text(
        "Town hall **meeting** moved\n\n"
        "@everyone the town hall meeting about the new ferry timetable moved to Thursday, "
        "said <@&123456789012345678> and <@234567890123456789> @here.\n\n"
        "The ferry timetable adds two evening crossings."
    )
    library.ingest([hostile])
    async with bot_on_standin(library) as (standin, _):
        reply = (await ask(standin, "When is the town hall meeting about the ferry timetable?")).reply
        text = description(reply)
        assert "@\u200beveryone" in text and "123456789012345678" in text
        assert "@everyone" not in text and "@here" not in text
        assert not re.search(r"<@[!&]?\d+>", text)
        assert "\\*\\*meeting\\*\\*" in text
        general = standin.channel("general").id
        await standin.send_message(general, standin.member, f"<@{standin.bot.id}> ferry timetable meeting")
        await standin.wait_for_message(general, timeout=30)
        sent = bot_messages(standin)
        assert sent and all(pings_nobody(m) for m in sent)
        assert all(m.pinged() == {"users": [], "roles": [], "everyone": False} for m in sent)


async def test_ingest_is_refused_to_members_and_works_for_admins(library):
    async with bot_on_standin(library) as (standin, bot):
        upload = standin.upload("harbour.txt", (FIXTURES / "harbour.txt").read_bytes(), "text/plain")
        general = standin.channel("general").id
        refused = await standin.wait_for_response(await standin.slash_command(
            "ingest", {"file": upload}, user=standin.member, channel_id=general))
        assert refused.reply.ephemeral and "Manage Server" in refused.reply.content
        assert len(bot.library.articles()) == 1

        done = await standin.wait_for_response(await standin.slash_command(
            "ingest", {"file": upload}, user=standin.admin, channel_id=general), timeout=30)
        assert done.reply.ephemeral and "1 added" in description(done.reply)
        bot.settings = dataclasses.replace(bot.settings, max_upload_bytes=100)
        too_big = await standin.wait_for_response(await standin.slash_command(
            "ingest", {"file": upload}, user=standin.admin, channel_id=general))
        assert too_big.reply.content.startswith("harbour.txt is "), too_big.reply.content
        assert too_big.reply.content.endswith("bytes; the limit is 100")
        answer = (await ask(standin, "Who cut the ribbon on the harbour bridge?")).reply
        assert "Harbour bridge reopens after two years of repairs · ¶2" in description(answer)

        sources = await standin.wait_for_response(await standin.slash_command(
            "sources", {}, user=standin.admin, channel_id=general))
        assert "2 indexed article(s)" == sources.reply.embeds[0]["title"]
        choices = await standin.autocomplete("forget", {"article": "harb"}, focused="article",
                                             user=standin.admin, channel_id=general)
        assert [c["name"] for c in choices] == ["Harbour bridge reopens after two years of repairs"]
        forgot = await standin.wait_for_response(await standin.slash_command(
            "forget", {"article": choices[0]["value"]}, user=standin.admin, channel_id=general), timeout=30)
        assert forgot.reply.content.startswith("Forgot Harbour bridge")
        assert len(bot.library.articles()) == 1


def article_page():
    html = (FIXTURES / "observatory.html").read_text()

    async def page(request):
        return web.Response(text=html, content_type="text/html")

    return serve({"/comet": page})


async def test_ingest_url_fetches_a_loopback_page_only_when_config_allows_it(library):
    allowed = dataclasses.replace(QUICK, fetch=FetchLimits(allow_private_addresses=True))
    async with article_page() as base:
        url = f"{base}/comet"
        async with bot_on_standin(library) as (standin, _):
            refused = await standin.wait_for_response(await standin.slash_command(
                "ingest", {"url": url}, user=standin.admin, channel_id=standin.channel("general").id))
            assert "127.0.0.1 is a private, loopback or link-local address" in refused.reply.content
        async with bot_on_standin(library, allowed) as (standin, _):
            done = await standin.wait_for_response(await standin.slash_command(
                "ingest", {"url": url}, user=standin.admin, channel_id=standin.channel("general").id),
                timeout=30)
            assert "Mountain observatory spots a new comet" in description(done.reply)
            answer = (await ask(standin, "Who found the new comet?")).reply
            assert re.search(rf"\[Mountain observatory spots a new comet\]\({re.escape(url)}#:~:text=[^)]+\)"
                             r" · ¶1–2\*\*", description(answer))


async def test_a_rate_limited_reply_is_retried(library):
    async with bot_on_standin(library) as (standin, _):
        general = standin.channel("general").id
        standin.rate_limit_next(f"POST /channels/{general}/messages", retry_after=0.2)
        await standin.send_message(general, standin.member, f"<@{standin.bot.id}> What did Zhao Lijian say?")
        reply = await standin.wait_for_message(general, timeout=30)
        assert "¶9–10" in description(reply)
        assert [r.status for r in standin.requests_to("POST", f"/channels/{general}/messages")] == [429, 200]


async def test_after_a_dropped_connection_the_bot_resumes_and_keeps_answering(library):
    async with bot_on_standin(library) as (standin, _):
        await standin.drop_connection()
        await standin.wait_for_op(Op.RESUME, timeout=15)
        reply = (await ask(standin, "What did Zhao Lijian say?")).reply
        assert "¶9–10" in description(reply)
        assert len(standin.ops(Op.IDENTIFY)) == 1


async def test_fifty_questions_at_once_all_get_their_answer(library):
    async with bot_on_standin(library) as (standin, _):
        general = standin.channel("general").id
        questions = [f"<@{standin.bot.id}> What did Zhao Lijian say?"] * 50
        sent = await asyncio.gather(*(standin.send_message(general, standin.member, q) for q in questions))

        def answers():
            return [m for m in bot_messages(standin) if m.embeds]

        await standin.wait_until(lambda: len(answers()) >= 50, timeout=120, what="50 answers")
        assert {int(m.message_reference["message_id"]) for m in answers()} == {m.id for m in sent}
        assert all("¶9–10" in description(m) for m in answers())


async def test_slow_answers_are_deferred_and_quick_ones_are_not(library):
    class SlowSearcher(Searcher):
        def ask(self, *args, **kwargs):
            import time

            time.sleep(0.5)
            return super().ask(*args, **kwargs)

    quick = await _callback_types(library, QUICK, None)
    slow = await _callback_types(library, dataclasses.replace(QUICK, defer_after_seconds=0.1),
                                 SlowSearcher(library, SearchSettings()))
    assert quick == [4] and slow == [5]


async def _callback_types(library, settings, searcher):
    async with bot_on_standin(library, settings, searcher) as (standin, _):
        record = await ask(standin, "What did Zhao Lijian say?")
        assert "¶9–10" in description(record.reply)
        return record.callback_types


async def test_cooldown_and_channel_limits_get_a_friendly_reply(library):
    settings = dataclasses.replace(QUICK, cooldown_seconds=60, channels=())
    async with bot_on_standin(library, settings) as (standin, bot):
        await ask(standin, "What did Zhao Lijian say?")
        second = await ask(standin, "Who is Katrina Yu?")
        assert second.reply.ephemeral and second.reply.content.startswith("One moment, please")
    only_news = dataclasses.replace(QUICK, channels=(0,))
    async with bot_on_standin(library, only_news) as (standin, bot):
        bot.settings = dataclasses.replace(only_news, channels=(standin.channel("news").id,))
        refused = await ask(standin, "What did Zhao Lijian say?", channel="general")
        assert refused.reply.ephemeral and refused.reply.content.startswith("I only answer in <#")
        assert "¶9–10" in description((await ask(standin, "What did Zhao Lijian say?", channel="news")).reply)


async def test_a_bug_is_logged_with_its_traceback_and_the_user_gets_an_apology(library, caplog):
    class BrokenSearcher(Searcher):
        def ask(self, *args, **kwargs):
            raise RuntimeError("index exploded")

    with caplog.at_level(logging.ERROR, logger="discord_bot.error_replies"):
        async with bot_on_standin(library, QUICK, BrokenSearcher(library, SearchSettings())) as (standin, _):
            record = await ask(standin, "What did Zhao Lijian say?")
            assert record.reply.ephemeral and record.reply.content == APOLOGY
    assert any(r.exc_info and "index exploded" in str(r.exc_info[1]) for r in caplog.records)


async def test_a_user_mistake_gets_a_short_reply_not_an_apology(library):
    async with bot_on_standin(library) as (standin, _):
        empty = await ask(standin, "   ")
        assert empty.reply.ephemeral and empty.reply.content.startswith("the question is empty")
        unknown = await ask(standin, "Who is Katrina Yu?", article="no-such-article")
        assert unknown.reply.content.startswith("no indexed article matches 'no-such-article'")


async def test_a_missing_or_wrong_token_gets_a_clear_message(library):
    def new_bot():
        return NewsBot(Searcher(library, SearchSettings()), AnswerLog(library.directory / "l.sqlite"), QUICK)

    with pytest.raises(TokenProblem, match="set DISCORD_TOKEN"):
        await run_on_discord(new_bot(), None)
    async with DiscordStandIn() as standin:
        with point_discord_py_at(standin):
            bot = new_bot()
            with pytest.raises(TokenProblem, match="Discord rejected DISCORD_TOKEN") as caught:
                await run_on_discord(bot, "not-the-token")
            assert "not-the-token" not in str(caught.value)


def test_run_local_answers_from_the_terminal_and_stops_cleanly_on_sigterm(tmp_path):
    """`python bot.py run --local` as a person uses it; SIGTERM ends it with exit code 0."""
    import signal
    import subprocess
    import sys

    from tests.conftest import ROOT

    process = subprocess.Popen(
        [sys.executable, "bot.py", "run", "--local", "--index", str(tmp_path / "index")],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True,
    )
    try:
        assert "Local Discord stand-in on http://127.0.0.1:" in process.stdout.readline()
        process.stdin.write("What did Zhao Lijian say?\n")
        process.stdin.flush()
        reply = "".join(iter(process.stdout.readline, "[👍] [👎] [Context [1]]\n"))
        assert "== What did Zhao Lijian say? ==" in reply and "· ¶9–10**" in reply
        process.send_signal(signal.SIGTERM)
        assert process.wait(timeout=30) == 0
    finally:
        process.kill()
        process.wait()


async def test_a_slow_question_does_not_hold_up_a_quick_one(library):
    class SometimesSlowSearcher(Searcher):
        def ask(self, question, *args, **kwargs):
            if "slowly" in question:
                time.sleep(2)
            return super().ask(question, *args, **kwargs)

    searcher = SometimesSlowSearcher(library, SearchSettings())
    async with bot_on_standin(library, QUICK, searcher) as (standin, _):
        general = standin.channel("general").id
        mention = f"<@{standin.bot.id}>"
        slow = await standin.send_message(general, standin.admin, f"{mention} Who is Katrina Yu, slowly?")
        quick = await standin.send_message(general, standin.member, f"{mention} What did Zhao Lijian say?")

        def replies_to(message):
            return lambda m: int((m.message_reference or {}).get("message_id", 0)) == message.id and m.embeds

        first = await standin.wait_for_message(general, lambda m: bool(m.embeds), timeout=30)
        assert int(first.message_reference["message_id"]) == quick.id
        await standin.wait_for_message(general, replies_to(slow), timeout=30)


async def test_slash_quotes_replies_with_one_persons_quotes_each_naming_them(quotes_library):
    async with bot_on_standin(quotes_library) as (standin, bot):
        reply = (await quotes(standin, "varga")).reply
        assert reply.embeds[0]["title"] == "What did Helena Varga say?"
        cited = citation_lines(reply)
        assert len(cited) == 3 and all(line.endswith("— Helena Varga") for line in cited), cited
        assert all("Minister defends rail budget as union warns of summer strikes" in line for line in cited)
        text = description(reply)
        assert "Every pound in this budget" in text and "Fares stay frozen" in text
        assert "Okonkwo" not in text and "drivers" not in text and "Zhao" not in text
        # logged as the question Searcher.quotes answered, which "More results" asks again
        answer_id = int(next(i for i in button_ids(reply) if i.startswith("vote:")).split(":")[1])
        assert bot.answer_log.answer(answer_id).question == "What did Helena Varga say?"


async def test_slash_quotes_about_a_topic_puts_that_quote_first_and_more_results_works(quotes_library):
    two_per_reply = dataclasses.replace(QUICK, passages_per_reply=2)
    async with bot_on_standin(quotes_library, two_per_reply) as (standin, _):
        reply = (await quotes(standin, "Tomas Okonkwo", about="railway safety")).reply
        assert reply.embeds[0]["title"] == "What did Tomas Okonkwo say about railway safety?"
        first, *_ = description(reply).split("\n\n**[2]")
        assert re.search(r"· ¶(7–)?8\*\*", first) and "safe railway" in first, first
        assert all(line.endswith("— Tomas Okonkwo") for line in citation_lines(reply))

        fares = (await quotes(standin, "Varga", about="fares")).reply
        assert "Fares stay frozen" in description(fares).split("\n\n**[2]")[0]

        more_id = next(i for i in button_ids(reply) if i.startswith("more:"))
        more = await standin.wait_for_response(
            await standin.click_button(reply, more_id, user=standin.member), timeout=30)
        assert more.reply.embeds[0]["title"] == "More: What did Tomas Okonkwo say about railway safety?"
        assert citation_lines(more.reply)[0].startswith("**[3]")
        assert all(line.endswith("— Tomas Okonkwo") for line in citation_lines(more.reply))


async def test_slash_quotes_of_someone_nobody_quoted_gets_a_one_line_reply(quotes_library):
    async with bot_on_standin(quotes_library) as (standin, _):
        record = await quotes(standin, "nobody-at-all")
        reply = record.reply
        assert reply.ephemeral and not reply.embeds
        assert reply.content.startswith("nobody called 'nobody-at-all' is quoted in the indexed articles")
        assert "\n" not in reply.content and reply.content != APOLOGY
        # the bot carries on answering
        assert citation_lines((await quotes(standin, "okonkwo")).reply)


async def test_quotes_autocomplete_offers_the_quoted_people_matching_what_is_typed(quotes_library):
    async with bot_on_standin(quotes_library) as (standin, _):
        general = standin.channel("general").id

        async def choices(typed):
            found = await standin.autocomplete("quotes", {"person": typed}, focused="person",
                                               user=standin.member, channel_id=general)
            return [c["name"] for c in found]

        assert await choices("Okon") == ["Tomas Okonkwo"]
        assert await choices("VARG") == ["Helena Varga"]
        everyone = await choices("")
        assert everyone[:2] == ["Helena Varga", "Tomas Okonkwo"] and "Zhao Lijian" in everyone
        assert await choices("nobody-at-all") == []


async def test_a_mention_asking_what_someone_said_gets_their_quotes(quotes_library):
    async with bot_on_standin(quotes_library) as (standin, _):
        general = standin.channel("general").id
        await standin.send_message(general, standin.member, f"<@{standin.bot.id}> What did Helena Varga say?")
        reply = await standin.wait_for_message(general, timeout=30)
        cited = citation_lines(reply)
        assert cited and all(line.endswith("— Helena Varga") for line in cited), cited
        assert "Okonkwo" not in description(reply)


async def test_this_week_is_read_against_the_day_the_question_was_asked(tmp_path, minilm):
    """The stand-in stamps messages and interactions with the current time, as Discord does."""
    today = datetime.now(UTC).date()
    dated = [
        {"title": "Harbour reopens", "published": today.isoformat(),
         "text": "The harbour of Parnu reopened to ferries after the storm damage was repaired."},
        {"title": "Harbour closes", "published": (today - timedelta(days=60)).isoformat(),
         "text": "The harbour of Parnu closed to ferries after a storm damaged the piers."},
    ]
    (tmp_path / "dated.jsonl").write_text("\n".join(json.dumps(a) for a in dated) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "dated.jsonl"])
    async with bot_on_standin(library) as (standin, _):
        general = standin.channel("general").id
        await standin.send_message(general, standin.member,
                                   f"<@{standin.bot.id}> What happened to the harbour of Parnu last year?")
        reply = description(await standin.wait_for_message(general, timeout=30))
        last_year = today.year - 1
        assert reply.startswith(f"*Nothing in the articles from {last_year} answers that; from any day:*")
        text = description((await ask(standin, "What happened to the harbour of Parnu this week?")).reply)
        monday = today - timedelta(days=today.weekday())
        assert text.startswith(f"*Articles from {monday.day}") and "Harbour reopens" in text
        assert "Harbour closes" not in text
