"""The bot under load and faults, short form (bench/soak_bot.py has the long runs).

The real discord.py client against the Discord stand-in, the real model, SQLite and FAISS.
Every question is accounted for: answered exactly once, by the passage of the article
that answers it, and never with an error or an apology.
"""

import asyncio
import contextlib
import dataclasses
import logging
import shutil
import sys
import time

import pytest

from discord_bot.answer_log import AnswerLog
from discord_bot.bot_settings import BotSettings
from discord_bot.client import NewsBot
from harness import DiscordStandIn, Op, running_client
from harness.crowd import KINDS, Crowd, Question, town_articles
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from tests.conftest import ROOT, SAMPLE

TOWNS = town_articles(12)
# Discord's defaults: a member may ask every 5 s, an answer not ready in 1.5 s is deferred.
SETTINGS = BotSettings()


class PausingSearcher(Searcher):
    """Answers `pause` seconds late (a slow index or machine), for the deferred path."""

    pause = 0.0

    def ask(self, *args, **kwargs):
        if self.pause:
            time.sleep(self.pause)
        return super().ask(*args, **kwargs)


@pytest.fixture(scope="module")
def indexed(tmp_path_factory, minilm):
    """The sample article and twelve town articles, indexed once; tests work on copies."""
    folder = tmp_path_factory.mktemp("towns")
    for article in TOWNS:
        (folder / article.filename).write_text(article.text, encoding="utf-8")
    library = Library(folder / "index", minilm)
    assert len(library.ingest([SAMPLE, *sorted(folder.glob("*.txt"))]).added) == 13
    library.close()
    return folder / "index"


@pytest.fixture
def library(indexed, tmp_path, minilm):
    library = Library(shutil.copytree(indexed, tmp_path / "index"), minilm)
    yield library
    library.close()


@contextlib.asynccontextmanager
async def soak_bot(library, caplog, settings=SETTINGS):
    """The bot on a stand-in; on exit, checks that nothing was logged as a bug."""
    searcher = PausingSearcher(library, SearchSettings())
    answer_log = AnswerLog(library.directory / "answers.sqlite")
    bot = NewsBot(searcher, answer_log, settings, guild_ready_timeout=0.05)
    with caplog.at_level(logging.WARNING):
        async with DiscordStandIn(privileged_intents=0) as standin, running_client(bot, standin):
            yield standin, bot, Crowd(standin)
            await standin.settle()
    answer_log.close()
    bugs = [r.getMessage() for r in caplog.records
            if r.name.startswith("discord_bot") and r.levelno >= logging.ERROR]
    assert not bugs, bugs


def town_questions(standin, count, kinds=KINDS, towns=TOWNS, prefix="reader"):
    """`count` questions, each from a new member, their kinds and towns taken in turn."""
    questions = []
    for n in range(count):
        town = towns[n % len(towns)]
        member = standin.add_member(f"{prefix}{len(standin.guild.members)}")
        questions.append(Question(kinds[n % len(kinds)], member, town.question, expect=town.title))
    return questions


async def ask_and_check(crowd, questions, timeout=60):
    asked = await crowd.ask_all(questions)
    await crowd.wait_answered(asked, timeout=timeout)
    assert crowd.wrong(asked) == []
    return asked


def statuses(standin, route):
    return [r.status for r in standin.requests if route in f"{r.method} {r.path}"]


def nothing_answered_twice(standin):
    """Every bot message answers a different question (a mention, a DM or an interaction)."""
    sent = [m for m in standin.world.messages.values() if m.author.id == standin.bot.id and not m.deleted]
    answering = [int(m.message_reference["message_id"]) if m.message_reference
                 else int(m.interaction_metadata["id"]) for m in sent]
    return [key for key in set(answering) if answering.count(key) > 1] == []


def refused_callbacks(standin):
    """Interaction acknowledgements Discord refused: late, or a second one."""
    return [(r.id, r.rejected_callbacks) for r in standin.world.interactions.values() if r.rejected_callbacks]


async def test_forty_members_asking_at_once_by_slash_mention_and_dm_each_get_one_answer(library, caplog):
    async with soak_bot(library, caplog) as (standin, _, crowd):
        asked = await ask_and_check(crowd, town_questions(standin, 40))
        assert {a.question.kind for a in asked} == set(KINDS)
        assert len({a.question.member.id for a in asked}) == 40
        bot_messages = [m for m in standin.world.messages.values() if m.author.id == standin.bot.id]
        assert len(bot_messages) == 40 and nothing_answered_twice(standin)
        assert refused_callbacks(standin) == []


async def bot_py(*arguments):
    """`python bot.py ARGUMENTS` as a separate process; its exit code and output."""
    process = await asyncio.create_subprocess_exec(
        sys.executable, "bot.py", *arguments, cwd=ROOT,
        stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.PIPE)
    out, err = await process.communicate()
    return process.returncode, out.decode() + err.decode()


async def test_articles_indexed_and_forgotten_by_another_process_are_seen_without_a_restart(
        library, caplog, tmp_path):
    new = town_articles(2, start=500)
    folder = tmp_path / "new"
    folder.mkdir()
    for article in new:
        (folder / article.filename).write_text(article.text, encoding="utf-8")
    index = str(library.directory)
    async with soak_bot(library, caplog) as (standin, _, crowd):
        # nothing about the new towns yet
        [before] = await crowd.ask_all(town_questions(standin, 1, ("slash",), new, "early"))
        await crowd.wait_answered([before], timeout=30)
        assert new[0].title not in crowd.replies(before)[0].embeds[0]["description"]

        # `bot.py index` runs while questions keep coming, six every half second
        indexing = asyncio.ensure_future(bot_py("index", str(folder), "--index", index))
        asked = []
        while not indexing.done() and len(asked) < 60:
            asked += await crowd.ask_all(town_questions(standin, 6))
            await asyncio.sleep(0.5)
        code, output = await indexing
        print("asked while indexing", len(asked))
        assert code == 0 and "2 added" in output, output
        await crowd.wait_answered(asked, timeout=60)
        assert crowd.wrong(asked) == []

        # the new articles are answered by the running bot
        after = await ask_and_check(crowd, town_questions(standin, 6, towns=new, prefix="late"))
        assert {a.question.expect for a in after} == {a.title for a in new}

        # `bot.py forget` from the shell: the article is no longer cited
        code, output = await bot_py("forget", new[0].filename, "--index", index)
        assert code == 0, output
        gone = await crowd.ask_all(town_questions(standin, 3, towns=new[:1], prefix="gone"))
        await crowd.wait_answered(gone, timeout=30)
        for a in gone:
            [reply] = crowd.replies(a)
            assert new[0].title not in reply.embeds[0]["description"]
        assert nothing_answered_twice(standin)


async def test_repeated_disconnects_and_an_invalid_session_lose_no_question(library, caplog):
    async with soak_bot(library, caplog) as (standin, bot, crowd):
        asked = []
        # cut three ways; what members write meanwhile is replayed after the RESUME
        for cut in standin.CUTS:
            resumes = len(standin.ops(Op.RESUME))
            await standin.cut(cut)
            asked += await crowd.ask_all(town_questions(standin, 4, ("mention", "dm")))
            await standin.wait_until(lambda n=resumes: len(standin.ops(Op.RESUME)) > n, timeout=20,
                                     what=f"a RESUME after {cut}")
            await crowd.wait_answered(asked, timeout=30)
            asked += await ask_and_check(crowd, town_questions(standin, 3))
        assert len(standin.ops(Op.IDENTIFY)) == 1

        # an invalid session: the client must IDENTIFY again (discord.py waits 5 s first)
        session = standin.gateway.session
        await standin.invalidate_session()
        await standin.wait_until(lambda: len(standin.ops(Op.IDENTIFY)) == 2, timeout=20,
                                 what="a second IDENTIFY")
        await standin.wait_until(lambda: standin.gateway.session is not session and bot.is_ready(),
                                 timeout=10, what="READY on the new session")
        asked += await ask_and_check(crowd, town_questions(standin, 9))
        assert crowd.wrong(asked) == [] and nothing_answered_twice(standin)
        assert not bot.is_closed()


async def test_429_storms_on_two_routes_are_waited_out(library, caplog):
    async with soak_bot(library, caplog) as (standin, _, crowd):
        general = standin.channel("general").id
        standin.rate_limit_next(f"POST /channels/{general}/messages", retry_after=0.1, times=8)
        standin.rate_limit_next("/callback", retry_after=0.1, times=6)
        standin.rate_limit_next("/typing", retry_after=0.3, times=4, is_global=True)
        await ask_and_check(crowd, town_questions(standin, 12))
        assert statuses(standin, f"POST /channels/{general}/messages").count(429) == 8
        assert statuses(standin, "/callback").count(429) == 6
        assert statuses(standin, "/typing").count(429) == 4
        # and after the storm, the bot's REST client is not left waiting on a global limit
        await ask_and_check(crowd, town_questions(standin, 6, ("mention", "dm")), timeout=20)
        assert nothing_answered_twice(standin) and refused_callbacks(standin) == []


async def test_server_errors_on_replies_neither_lose_nor_double_an_answer(library, caplog):
    async with soak_bot(library, caplog) as (standin, bot, crowd):
        general = standin.channel("general").id
        # a 500 that did nothing and a 502 that came after the work was done, on each way of replying
        for route in (f"POST /channels/{general}/messages", "/callback"):
            standin.fail_next(route, 500)
            standin.fail_next(route, 502, applied=True)
        await ask_and_check(crowd, town_questions(standin, 6, ("slash", "mention")))

        # deferred answers (the search takes longer than defer_after_seconds)
        bot.settings = dataclasses.replace(bot.settings, defer_after_seconds=0.2)
        bot.searcher.pause = 0.5
        standin.fail_next("/webhooks/", 502, applied=True)
        standin.fail_next("/webhooks/", 500)
        asked = await ask_and_check(crowd, town_questions(standin, 3, ("slash",)))
        assert all(a.interaction.callback_types == [5] for a in asked)
        for route in (f"POST /channels/{general}/messages", "/callback", "/webhooks/"):
            assert {500, 502} <= set(statuses(standin, route)), (route, statuses(standin, route))
        assert nothing_answered_twice(standin)


async def test_slow_interaction_responses_are_waited_for_and_answered_once(library, caplog):
    async with soak_bot(library, caplog) as (standin, bot, crowd):
        # Discord slow to answer the bot's acknowledgement and its message
        standin.delay_next("/callback", 2.0, times=2)
        standin.delay_next("POST /channels/", 1.0, times=2)
        await ask_and_check(crowd, town_questions(standin, 6, ("slash", "mention")))

        # a search slower than the deadline: deferred, then the slow "thinking" ack
        bot.settings = dataclasses.replace(bot.settings, defer_after_seconds=0.2)
        bot.searcher.pause = 3.2
        standin.delay_next("/callback", 1.0)
        standin.delay_next("/webhooks/", 1.0)
        asked = await ask_and_check(crowd, town_questions(standin, 3, ("slash",)))
        assert all(a.interaction.callback_types == [5] for a in asked)

        # a question that reaches a busy bot 2 s late: deferred at once, not 1.5 s later
        bot.settings = dataclasses.replace(bot.settings, defer_after_seconds=1.5)
        bot.searcher.pause = 2.0
        [late] = await crowd.ask_all(town_questions(standin, 1, ("slash",)))
        time.sleep(2.0)  # the whole process, bot and stand-in, is busy elsewhere
        await crowd.wait_answered([late], timeout=20)
        assert late.interaction.callback_types == [5] and crowd.wrong([late]) == []
        assert nothing_answered_twice(standin) and refused_callbacks(standin) == []
