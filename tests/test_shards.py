"""A sharded bot: each process answers its shards' servers (shard 0 also the DMs), and the
processes writing one index take turns."""

import contextlib
import dataclasses
import json
import threading

import pytest

import bot
from discord_bot.answer_log import AnswerLog
from discord_bot.client import NewsBot, ShardedNewsBot, news_bot
from harness import DiscordStandIn, running_client
from index.integrity import check_index
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from settings import ConfigError, load_settings
from tests.conftest import SAMPLE
from tests.test_discord_bot import QUICK, bot_messages, pings_nobody


@contextlib.asynccontextmanager
async def two_shards(library, tmp_path):
    """Shards 0 and 1 of 2, each its own NewsBot with its own answer log, on one stand-in."""
    bots = []
    for shard in (0, 1):
        settings = dataclasses.replace(QUICK, shard_count=2, shard_ids=(shard,))
        log = AnswerLog(tmp_path / f"answers-{shard}.sqlite")
        bots.append(news_bot(Searcher(library, SearchSettings()), log, settings, guild_ready_timeout=0.05))
    async with DiscordStandIn(privileged_intents=0) as standin, running_client(bots[0], standin), \
            running_client(bots[1], standin):
        yield standin, bots
    for shard_bot in bots:
        shard_bot.answer_log.close()


def answered(shard_bot) -> list[str]:
    return [vote_free.question for vote_free in _answers(shard_bot.answer_log)]


def _answers(log):
    found, answer_id = [], 1
    while (logged := log.answer(answer_id)) is not None:
        found.append(logged)
        answer_id += 1
    return found


async def test_each_shard_answers_its_servers_and_shard_zero_the_dms(library, tmp_path):
    async with two_shards(library, tmp_path) as (standin, bots):
        assert all(isinstance(b, ShardedNewsBot) for b in bots)
        owner = standin.gateway.shard_of(standin.world.guild.id)
        assert owner == (standin.world.guild.id >> 22) % 2  # Discord's rule
        general = standin.channel("general").id
        record = await standin.slash_command("ask", {"question": "What did Zhao Lijian say?"},
                                             user=standin.member, channel_id=general)
        assert (await standin.wait_for_response(record, timeout=30)).reply.embeds
        mark = standin.checkpoint()
        await standin.send_message(general, standin.member, f"{standin.bot.mention} Who is Zhao Lijian?")
        await standin.wait_for_message(general, after=mark, timeout=30)
        dm = standin.dm_channel(standin.member).id
        mark = standin.checkpoint()
        await standin.send_dm(standin.member, "What did Zhao Lijian say about Ukraine?")
        await standin.wait_for_message(dm, after=mark, timeout=30)
        await standin.settle()
        server_side, other = answered(bots[owner]), answered(bots[1 - owner])
        assert server_side[:2] == ["What did Zhao Lijian say?", "Who is Zhao Lijian?"]
        dms = answered(bots[0])[-1:]
        assert dms == ["What did Zhao Lijian say about Ukraine?"]
        if owner == 1:
            assert other == ["What did Zhao Lijian say about Ukraine?"]  # shard 0: the DM alone
        else:
            assert other == []
        assert len(bot_messages(standin)) == 3  # each answered once, by one shard
        assert all(pings_nobody(m) for m in bot_messages(standin))


def test_one_shard_is_a_plain_client_and_shards_are_checked(tmp_path, library):
    plain = news_bot(Searcher(library, SearchSettings()), AnswerLog(tmp_path / "a.sqlite"), QUICK)
    assert type(plain) is NewsBot
    config = tmp_path / "config.toml"
    config.write_text("[discord]\nshard_count = 2\nshard_ids = [0, 2]\n")
    with pytest.raises(ConfigError, match="shards are numbered 0 to 1"):
        load_settings(config)
    config.write_text("[discord]\nshard_count = 4\nshard_ids = [1, 3]\n")
    settings = load_settings(config).discord
    assert (settings.shard_count, settings.shard_ids, settings.holds_shard_zero) == (4, (1, 3), False)
    with pytest.raises(SystemExit):
        bot.main(["run", "--shards", "0,4/4"])


def test_two_writers_on_one_index_take_turns_and_leave_it_whole(tmp_path, minilm):
    folder = tmp_path / "index"
    writers = [Library(folder, minilm), Library(folder, minilm)]
    files = []
    for writer in range(2):
        path = tmp_path / f"writer-{writer}.jsonl"
        path.write_text("\n".join(json.dumps({
            "title": f"Harbour report {writer}-{n}", "published": "2022-06-14",
            "text": f"The harbour board of town {writer}-{n} met on Monday and approved {n + 3} new cranes."
                    f"\n\nThe cranes for town {writer}-{n} arrive in {n + 2} weeks, the board said."})
            for n in range(12)) + "\n")
        files.append(path)
    threads = [threading.Thread(target=writers[n].ingest, args=([files[n]],)) for n in range(2)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    report = check_index(folder)
    assert report.ok, report.problems
    assert report.articles == 24 and report.vector_file
    for writer in writers:
        writer.close()
    reopened = Library(folder, minilm)
    assert reopened.passage_count == reopened.store.count_passages() == 48


async def test_two_bot_processes_each_answer_their_own_shard(tmp_path, minilm):
    """Two `bot.py run`-like processes as shards 0 and 1 of 2 (bench/soak_bot.py's worker),
    one stand-in: the server's questions reach the process of its shard, a DM shard 0's."""
    from bench.soak_bot import BotProcess

    folder = tmp_path / "index"
    Library(folder, minilm).ingest([SAMPLE])
    async with DiscordStandIn(privileged_intents=0) as standin:
        workers = [BotProcess(standin.urls.base, folder, tmp_path / f"shard-{n}.log", shards=(n, 2))
                   for n in (0, 1)]
        try:
            gateway = standin.gateway
            await standin.wait_until(
                lambda: standin.world.global_commands and len(gateway.sessions) == 2
                and all(s.connection for s in gateway.sessions.values()),
                timeout=120, what="both shards identified and shard 0 registered the commands")
            general = standin.channel("general").id
            record = await standin.slash_command("ask", {"question": "What did Zhao Lijian say?"},
                                                 user=standin.member, channel_id=general)
            assert (await standin.wait_for_response(record, timeout=60)).reply.embeds
            mark = standin.checkpoint()
            await standin.send_dm(standin.member, "Who is Zhao Lijian?")
            await standin.wait_for_message(standin.dm_channel(standin.member).id, after=mark, timeout=60)
            await standin.settle()
        finally:
            for worker in workers:
                worker.stop()
        owner = gateway.shard_of(standin.world.guild.id)
        logs = [AnswerLog(folder / f"answers-{n}.sqlite") for n in (0, 1)]
        questions = [[a.question for a in _answers(log)] for log in logs]
        expected = [[], []]
        expected[owner].append("What did Zhao Lijian say?")
        expected[0].append("Who is Zhao Lijian?")
        assert questions == expected
        assert len(bot_messages(standin)) == 2
        assert not any(worker.errors() for worker in workers)
