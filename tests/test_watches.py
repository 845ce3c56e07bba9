"""Watches: watches.sqlite, matching an ingest's new passages with the real model, and the
`bot.py watch` commands with `feeds poll` printing what answers them."""

import asyncio
import math
from datetime import UTC, date, datetime, timedelta

import pytest

import bot
from discord_bot.bot_settings import BotSettings
from index.articles import Article
from index.library import Library
from index.passages import Citation
from retrieval.answer import FoundPassage
from retrieval.search import Searcher, SearchSettings
from retrieval.watch_match import WatchMatch, alerts
from settings import ConfigError, load_settings
from tests.conftest import ROOT
from tests.feed_server import _stories, feed_site
from tests.test_discord_feeds import SEALS
from watches.watch_matches import match_watches
from watches.watch_store import WatchProblem, WatchStore

SEAL_COUNT = "How many seal pups were counted on the sandbank?"
CHESS = "Who won the chess olympiad in Chennai?"


def found(passage_id: int, text: str, article_id: str = "a1") -> FoundPassage:
    citation = Citation(article_id, "Seal pups counted", "seals.txt", None, "2024-03-12", 1)
    return FoundPassage(1, 1.0, passage_id, citation, text, (0, len(text)))


def article(story) -> Article:
    return Article(story.title, tuple(story.paragraphs), story.slug, f"https://news.example/{story.slug}",
                   story.day)


def test_watches_and_their_alerts_survive_reopening_the_store(tmp_path):
    store = WatchStore(tmp_path / "index")
    added_at = datetime(2024, 3, 12, 9, 30, tzinfo=UTC)
    cli = store.add(f"  {SEAL_COUNT}\n", now=added_at)
    channel = store.add(CHESS, channel_id=111, guild_id=222, added_by=333, now=added_at)
    store.record_alerts(cli.watch_id, [found(7, "Wardens counted forty-one pups.")], "printed")
    store.record_alerts(channel.watch_id, [found(7, "Wardens counted forty-one pups.")], "alone")
    store.record_alerts(channel.watch_id, [found(8, "A recount found forty-four.")], "digest")
    store.close()

    store = WatchStore(tmp_path / "index")
    assert [(w.watch_id, w.query, w.channel_id, w.guild_id, w.added_by, w.added_at, w.alerts)
            for w in store.watches()] == [
        (1, SEAL_COUNT, None, None, None, added_at, 1), (2, CHESS, 111, 222, 333, added_at, 2)]
    assert store.channel_watches(111) == [store.watch(2)] and store.channel_watches(999) == []
    assert store.watch(1).summary() == (
        f"1  {SEAL_COUNT}  (added 2024-03-12 09:30 UTC for `feeds poll`; 1 alert)")
    assert store.watch(2).summary() == (
        f"2  {CHESS}  (added 2024-03-12 09:30 UTC by user 333 in Discord channel 111; 2 alerts)")
    # the same passage, or the same text under a new id (its article replaced), alerts no more
    assert store.has_alerted(2, found(7, "anything"))
    assert store.has_alerted(2, found(90, "A recount  found forty-four."))
    assert not store.has_alerted(1, found(8, "A recount found forty-four."))
    hour_ago = datetime.now(UTC) - timedelta(hours=1)
    assert (store.alerts_since(2, hour_ago, "alone"), store.alerts_since(2, hour_ago, "digest")) == (1, 1)
    assert store.alerts_since(2, datetime.now(UTC), "alone") == 0

    assert store.remove(2).query == CHESS
    assert [w.watch_id for w in store.watches()] == [1] and not store.has_alerted(2, found(7, "x"))
    assert store.add(CHESS).watch_id == 3  # a removed watch's id is never given again
    with pytest.raises(WatchProblem, match=r"^there is no watch 2; `python bot.py watch list` shows them$"):
        store.remove(2)
    store.close()


@pytest.mark.parametrize(("query", "message"), [
    (" \n ", "the question to watch is empty; give one, e.g. Did the ferry strike end?"),
    ("why " * 60, "the question to watch is 239 characters; keep it under 200"),
])
def test_a_question_to_watch_is_given_and_short(tmp_path, query, message):
    store = WatchStore(tmp_path / "index")
    with pytest.raises(WatchProblem) as raised:
        store.add(query)
    assert str(raised.value) == message and store.watches() == []
    store.close()


def test_an_ingest_matches_the_watches_its_new_passages_answer_once(tmp_path, minilm):
    library, store = Library(tmp_path / "index", minilm), WatchStore(tmp_path / "index")
    seals, chess = store.add(SEAL_COUNT), store.add(CHESS, channel_id=5)
    searcher = Searcher(library, SearchSettings())  # the shipped threshold
    first = library.ingest_articles([article(story) for story in _stories()["rss"]])
    assert match_watches(searcher, store, first.added) == []  # nothing about seals or chess

    report = library.ingest_articles([article(SEALS)])
    [matched] = match_watches(searcher, store, report.added)
    assert matched.watch == seals and matched.match.probability >= searcher.settings.watch_min_probability
    assert matched.match.score_lead >= searcher.settings.watch_min_score_lead
    assert matched.match.passage.citation.title == SEALS.title
    assert "forty-one grey seal pups" in matched.match.passage.text
    store.record_alerts(seals.watch_id, [matched.match.passage], "printed")
    assert match_watches(searcher, store, report.added) == []

    # a new version of the article keeps that paragraph: new passage ids, the same text
    changed = article(SEALS)
    changed = Article(changed.title, (*changed.paragraphs[:1], "The wardens thank the volunteers."),
                      changed.source, changed.url, changed.published)
    report = library.ingest_articles([changed])
    assert report.replaced and match_watches(searcher, store, report.replaced) == []
    assert store.watch(chess.watch_id).alerts == 0

    # the same story again from another outlet, in other words: no new answer, no alert
    retold = Article("Seal count on the sandbank", (
        "Wardens counted forty-one grey seal pups on the sandbank this winter, a record number.",),
        "retold.txt", "https://other.example/seals", SEALS.day)
    report = library.ingest_articles([retold])
    assert report.added and match_watches(searcher, store, report.added) == []
    store.close()
    library.close()


def test_the_rule_reads_the_fused_score_lead_over_what_the_index_held(tmp_path, minilm):
    library = Library(tmp_path / "index", minilm)
    first = library.ingest_articles([article(SEALS)])
    searcher = Searcher(library, SearchSettings())
    new_ids = set(library.store.passage_ids_of(first.added[0]))
    # an index that held nothing before: any answer is new, its leads are infinite
    alone = searcher.watch_match(SEAL_COUNT, new_ids)
    assert alone is not None and alone.score_lead == alone.similarity_lead == math.inf
    library.forget(first.added[0])

    library.ingest_articles([article(story) for story in _stories()["rss"]])
    report = library.ingest_articles([article(SEALS)])
    new_ids = set(library.store.passage_ids_of(report.added[0]))
    match = searcher.watch_candidate(SEAL_COUNT, date(2024, 3, 12), new_ids)
    assert match.passage.passage_id in new_ids and "forty-one grey seal pups" in match.passage.text

    # the lead is the ranking's fused score less the best of a passage held before, read
    # before the recency prior: asked a year later, it is the same
    ranking = searcher.ranking_for(SEAL_COUNT, None, searcher.settings.candidates)
    fused = {stored.passage_id: ranking.fused[i] for i, stored in enumerate(ranking.candidates.stored)}
    held = max(score for pid, score in fused.items() if pid not in new_ids)
    assert match.score_lead == pytest.approx(fused[match.passage.passage_id] - held)
    similarity = dict(zip([s.passage_id for s in ranking.candidates.stored], ranking.candidates.similarity,
                          strict=True))
    assert match.similarity_lead == pytest.approx(
        similarity[match.passage.passage_id] - max(v for pid, v in similarity.items() if pid not in new_ids))
    later = searcher.watch_candidate(SEAL_COUNT, date(2025, 3, 12), new_ids)
    assert (later.score_lead, later.similarity_lead) == (match.score_lead, match.similarity_lead)

    # both settings decide, each at its bound; the cosine lead does not
    assert match.probability >= 0.9 and 3.5 <= match.score_lead < math.inf

    def matched(**settings) -> bool:
        return Searcher(library, SearchSettings(**settings)).watch_match(
            SEAL_COUNT, new_ids, date(2024, 3, 12)) is not None

    assert matched(watch_min_score_lead=match.score_lead)
    assert not matched(watch_min_score_lead=match.score_lead + 1e-6)
    assert matched(watch_min_probability=match.probability)
    assert not matched(watch_min_probability=min(1.0, match.probability + 1e-6))
    assert matched(watch_min_score_lead=match.score_lead, watch_min_probability=match.probability)
    assert searcher.watch_match(SEAL_COUNT, set(), date(2024, 3, 12)) is None  # nothing new
    library.close()


def test_alerts_need_the_probability_and_the_score_lead():
    settings = SearchSettings(watch_min_probability=0.9, watch_min_score_lead=3.5)
    passage = found(7, "Wardens counted forty-one pups.")
    assert alerts(WatchMatch(passage, 0.9, 3.5, similarity_lead=0.0), settings)
    assert alerts(WatchMatch(passage, 0.99, math.inf, math.inf), settings)
    assert not alerts(WatchMatch(passage, 0.89, 10.0, similarity_lead=1.0), settings)
    assert not alerts(WatchMatch(passage, 1.0, 3.49, similarity_lead=1.0), settings)
    assert not alerts(WatchMatch(passage, 1.0, -math.inf, -math.inf), settings)


def test_the_watch_settings_are_checked_and_the_shipped_ones_are_the_defaults(tmp_path):
    shipped = load_settings(ROOT / "config.toml").search
    assert (shipped.watch_min_probability, shipped.watch_min_score_lead) == (
        SearchSettings().watch_min_probability, SearchSettings().watch_min_score_lead) == (0.9, 3.5)
    config = tmp_path / "config.toml"
    config.write_text("[retrieval]\nwatch_min_lead = 0.15\n")
    replaced = (r"^config.toml: retrieval.watch_min_lead was replaced by retrieval.watch_min_score_lead "
                r"\(a lead in fused score, not cosine\)")
    with pytest.raises(ConfigError, match=replaced):
        load_settings(config)
    config.write_text("[retrieval]\nwatch_min_score_lead = 51\n")
    with pytest.raises(ConfigError, match=r"watch_min_score_lead must be a number from 0 to 50, got 51$"):
        load_settings(config)
    config.write_text("[retrieval]\nwatch_min_score_lead = 2\nwatch_min_probability = 0.5\n")
    search = load_settings(config).search
    assert (search.watch_min_probability, search.watch_min_score_lead) == (0.5, 2.0)


# -- the command line ------------------------------------------------------------------------


@pytest.fixture(autouse=True)
def loopback_is_public(monkeypatch):
    monkeypatch.setattr("feeds.fetch.is_internal", lambda address: address.startswith("169.254."))


async def test_the_watch_commands_and_feeds_poll_printing_what_answers_them(capsys, tmp_path, minilm):
    index, config = tmp_path / "index", tmp_path / "config.toml"
    config.write_text("[discord]\nfetch_timeout_seconds = 1\n\n[feeds]\nper_host_delay_seconds = 0\n")

    async def run(*argv) -> tuple[int, str, str]:
        argv = ["--config", str(config), *map(str, argv), "--index", str(index)]
        code = await asyncio.to_thread(bot.main, argv)
        out, err = capsys.readouterr()
        return code, out, err

    assert await run("watch", "list") == (
        0, 'No watches yet: `python bot.py watch add "QUESTION"` adds one.\n', "")
    assert await run("watch", "add", SEAL_COUNT) == (
        0, f"watching for: {SEAL_COUNT} (watch 1); `python bot.py feeds poll` prints each new passage "
           "that answers it\n", "")
    code, out, err = await run("watch", "add", "x" * 300)
    assert (code, out, err) == (
        1, "", "error: the question to watch is 300 characters; keep it under 200\n")
    await run("watch", "add", CHESS)
    channel_watches = WatchStore(index)
    channel_watches.add(SEAL_COUNT, channel_id=4242, guild_id=1, added_by=7)
    channel_watches.close()
    code, out, _ = await run("watch", "list")
    assert [line.split("  (")[0] for line in out.splitlines()] == [
        f"1  {SEAL_COUNT}", f"2  {CHESS}", f"3  {SEAL_COUNT}"]

    async with feed_site() as site:
        site.add_rss_story(SEALS)
        await run("feeds", "add", site.url("/rss.xml"))
        code, out, err = await run("feeds", "poll")
        summary, cli_match, *passage, channel_match = out.splitlines()
        assert code == 0 and err == "" and summary.endswith("articles: 4 added, 0 replaced")
        citation = f"[1] Seal pups counted on the sandbank · ¶1 · {site.article_url('seals')} · 2024-03-12"
        assert cli_match in (f'watch 1 "{SEAL_COUNT}": {citation}',
                             f'watch 1 "{SEAL_COUNT}": {citation.replace("¶1", "¶1–2")}')
        assert passage[0].startswith("> Wardens counted forty-one grey seal pups")
        assert all(line.startswith("> ") for line in passage)
        assert channel_match == (f'watch 3 "{SEAL_COUNT}" matched (Discord channel 4242; only the running '
                                 f"bot posts there): {cli_match.split(': ', 1)[1]}")
        code, out, _ = await run("feeds", "poll")
        assert code == 0 and len(out.splitlines()) == 1  # nothing new, nothing printed again

    code, out, _ = await run("watch", "list")
    assert out.splitlines()[0].endswith("for `feeds poll`; 1 alert)")
    assert await run("watch", "remove", 1) == (0, f"stopped watching for: {SEAL_COUNT} (watch 1)\n", "")
    code, out, err = await run("watch", "remove", 1)
    assert (code, out, err) == (1, "", "error: there is no watch 1; `python bot.py watch list` shows them\n")
    code, out, _ = await run("watch", "list")
    assert [line.split("  ")[0] for line in out.splitlines()] == ["2", "3"]


def test_the_hourly_alert_limit_is_a_checked_setting(capsys, tmp_path):
    assert load_settings(ROOT / "config.toml").discord.watch_alerts_per_hour == 5
    assert BotSettings().watch_alerts_per_hour == 5
    config = tmp_path / "config.toml"
    config.write_text("[discord]\nwatch_alerts_per_hour = 0\n")
    code = bot.main(["--config", str(config), "watch", "list", "--index", str(tmp_path / "index")])
    _, err = capsys.readouterr()
    assert code == 1 and err == (
        "error: config.toml: discord.watch_alerts_per_hour must be a whole number from 1 to 60, got 0\n")
