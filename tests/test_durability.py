"""Durability, the short form of bench/soak_storage.py: kill -9 at seeded random moments of
`bot.py index`, of an admin's /ingest in the bot on the Discord stand-in, and of `bot.py
feeds poll`; then a full disk (a small tmpfs, root only). After each kill the integrity check
(index/integrity.py) is clean against the source articles, the index opens and answers, and
the same ingest, run again, completes it.
"""

import asyncio
import logging
import random
import shutil
import signal
import sqlite3
from pathlib import Path

import faiss
import numpy as np
import pytest

import bot
from bench.soak_storage import (
    PYTHON,
    ROOT,
    Unavailable,
    articles_in_index,
    feeds_config,
    fill,
    kill_at,
    small_disk,
    start,
    store_generation,
    synthetic_article,
    upload_file,
    write_corpus,
)
from feeds.feed_store import FeedStore
from feeds.poller import poll
from index.articles import parse_articles
from index.errors import DiskFull
from index.integrity import check_index
from index.library import Library
from retrieval.search import Searcher, SearchSettings
from settings import load_settings

KILLS = 2
_REBUILD_NOTE = "is missing; rebuilding it from"


def reopen_and_ask(folder: Path, minilm, question: str, title: str, caplog) -> Library:
    """The index opens with nothing but the vector file's rebuild to say, and answers a
    committed article's question from that article."""
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        library = Library(folder, minilm)
    said = [r.getMessage() for r in caplog.records if r.levelno >= logging.WARNING]
    assert all(_REBUILD_NOTE in line for line in said), said
    answer = Searcher(library, SearchSettings()).ask(question, k=5)
    assert answer.answered and title in [p.citation.title for p in answer.passages]
    return library


def assert_whole(folder: Path, expected, complete: bool = False) -> None:
    report = check_index(folder, expected)
    assert report.ok, report.problems
    if complete:
        assert {a.identity for a in articles_in_index(folder)} == {a.identity for a in expected}
        assert report.vector_file, report.notes


# -- the check itself finds damage -------------------------------------------------------------


@pytest.fixture(scope="module")
def small_index(tmp_path_factory, minilm):
    corpus = write_corpus(tmp_path_factory.mktemp("corpus"), 6, seed=3)
    folder = tmp_path_factory.mktemp("small") / "index"
    library = Library(folder, minilm)
    library.ingest([corpus.folder])
    library.close()
    return corpus, folder


def _sql(statement: str):
    def damage(folder: Path) -> None:
        db = sqlite3.connect(folder / "store.sqlite")
        db.execute(statement)
        db.commit()
        db.close()
    return damage


def _drop_a_vector(folder: Path) -> None:
    path = next(folder.glob("vectors-*.faiss"))
    index = faiss.read_index(str(path))
    index.remove_ids(np.array([int(faiss.vector_to_array(index.id_map)[0])], dtype=np.int64))
    faiss.write_index(index, str(path))


def _shift_a_vector(folder: Path) -> None:
    path = next(folder.glob("vectors-*.faiss"))
    index = faiss.read_index(str(path))
    first = int(faiss.vector_to_array(index.id_map)[0])
    vector = index.reconstruct(first)
    index.remove_ids(np.array([first], dtype=np.int64))
    index.add_with_ids(np.roll(vector, 1).reshape(1, -1), np.array([first], dtype=np.int64))
    faiss.write_index(index, str(path))


DAMAGE = {
    "a passage missing": (_sql("DELETE FROM passages WHERE id = (SELECT max(id) FROM passages)"),
                          "passages cover paragraphs"),
    "a keyword row missing": (_sql("DELETE FROM passages_fts WHERE rowid = (SELECT min(id) FROM passages)"),
                              "keyword index"),
    "a word miscounted": (_sql("UPDATE term_counts SET passages = passages + 1 WHERE token = 'council'"),
                          "word counts"),
    "a quote missing": (_sql("DELETE FROM quotes WHERE rowid = (SELECT min(rowid) FROM quotes)"), "quotes:"),
    "a date not a day": (_sql("UPDATE articles SET published = 'March' WHERE published IS NOT NULL"),
                         "not an ISO day"),
    "a centroid stale": (_sql("UPDATE articles SET centroid = title_vector"), "centroid"),
    "a vector file short of one": (_drop_a_vector, "vectors; the store has"),
    "a vector file with a wrong vector": (_shift_a_vector, "vectors differ"),
}


@pytest.mark.parametrize("damage", DAMAGE)
def test_the_integrity_check_finds_each_kind_of_damage(small_index, tmp_path, damage):
    corpus, folder = small_index
    assert check_index(folder, corpus.articles).ok
    copy = tmp_path / "index"
    shutil.copytree(folder, copy)
    harm, expected_problem = DAMAGE[damage]
    harm(copy)
    report = check_index(copy, corpus.articles)
    assert any(expected_problem in problem for problem in report.problems), report.problems


def test_the_integrity_check_compares_with_the_source_files(small_index, tmp_path):
    corpus, folder = small_index
    changed = [a for a in corpus.articles]
    changed[0] = type(changed[0])(changed[0].title, changed[0].paragraphs[:-1], changed[0].source)
    report = check_index(folder, changed)
    assert any("differ from the source's" in p for p in report.problems), report.problems


# -- kill -9 -------------------------------------------------------------------------------------


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    return write_corpus(tmp_path_factory.mktemp("corpus") / "articles", 40, seed=11)


@pytest.mark.parametrize("trial", range(KILLS))
def test_kill_during_bot_py_index_keeps_every_committed_article_whole(
        corpus, tmp_path, minilm, caplog, trial):
    rng = random.Random(trial)
    folder = tmp_path / "index"
    process = start([PYTHON, "bot.py", "index", str(corpus.folder), "--index", str(folder)], tmp_path / "log")
    # within the first embedding batch's commits (about 25 articles): a later target is reached
    # only in the last batch's burst of commits, after which nothing is left to kill
    kill = kill_at(process, folder, generation=rng.randint(2, 12), then=rng.uniform(0, 0.05), timeout=120)
    assert kill.moment is not None, (tmp_path / "log").read_text()
    stored = articles_in_index(folder)
    assert 0 < len(stored) < len(corpus.articles)
    assert_whole(folder, corpus.articles)

    asked = stored[rng.randrange(len(stored))]
    library = reopen_and_ask(folder, minilm, corpus.questions[asked.title], asked.title, caplog)
    report = library.ingest([corpus.folder])  # what `bot.py index` runs
    library.close()
    assert len(report.unchanged) == len(stored) and len(report.added) == len(corpus.articles) - len(stored)
    assert_whole(folder, corpus.articles, complete=True)


def test_a_running_bot_writes_a_whole_vector_file_after_an_ingest_beside_it_was_killed(
        corpus, tmp_path, minilm):
    """A cron `bot.py index` killed beside a running bot leaves articles committed without a
    vector file; the bot's next ingest must not save its older vectors under the new generation."""
    folder = tmp_path / "index"
    running = Library(folder, minilm)
    first, rest = corpus.articles[:3], corpus.articles[3:]
    running.ingest_articles(first)
    process = start([PYTHON, "bot.py", "index", str(corpus.folder), "--index", str(folder)], tmp_path / "log")
    kill = kill_at(process, folder, generation=8, then=0.02, timeout=120)
    assert kill.moment is not None and 3 < len(articles_in_index(folder)) < len(corpus.articles)
    running.ingest_articles(rest[-2:])
    assert_whole(folder, corpus.articles)
    assert check_index(folder).vector_file
    running.close()


@pytest.fixture(scope="module")
def upload(tmp_path_factory):
    return upload_file(tmp_path_factory.mktemp("upload"), 30, seed=5)


@pytest.mark.parametrize("trial", range(KILLS))
def test_kill_during_an_admin_ingest_in_the_bot_keeps_every_committed_article_whole(
        upload, tmp_path, minilm, caplog, trial):
    path, expected, questions = upload
    rng = random.Random(100 + trial)
    folder = tmp_path / "index"
    process = start([PYTHON, "bench/soak_storage.py", "--discord-ingest", str(folder), str(path)],
                    tmp_path / "log")
    # the bot indexes the bundled sample into an empty index first: generation 1
    kill = kill_at(process, folder, generation=1 + rng.randint(1, 20), then=rng.uniform(0, 0.02), timeout=120)
    assert kill.moment is not None, (tmp_path / "log").read_text()
    stored = articles_in_index(folder)
    assert 1 < len(stored) < len(expected)
    assert_whole(folder, expected)

    asked = next(a for a in stored if a.title in questions)
    library = reopen_and_ask(folder, minilm, questions[asked.title], asked.title, caplog)
    # what /ingest runs for the same upload (discord_bot/ingesting.py, store)
    articles = parse_articles(path.read_bytes(), path.name, f"discord upload: {path.name}")
    report = library.ingest_articles(articles)
    library.close()
    assert len(report.added) == len(expected) - len(stored)
    assert_whole(folder, expected, complete=True)


@pytest.mark.parametrize("trial", range(KILLS))
async def test_kill_during_a_feed_poll_keeps_every_committed_article_whole(tmp_path, minilm, caplog, trial):
    from datetime import UTC, datetime

    from tests.feed_server import Story, feed_site

    rng = random.Random(200 + trial)
    stories = random.Random(trial)
    made = [synthetic_article(stories, n) for n in range(15)]
    questions = {m["title"]: m["question"] for m in made}
    config = feeds_config(tmp_path)
    settings = load_settings(config)
    folder = tmp_path / "index"
    async with feed_site() as site:
        site.stories = {"rss": [], "atom": [], "json": []}
        for number, m in enumerate(made):
            day = datetime.fromisoformat(m["published"]).replace(hour=8, tzinfo=UTC)
            site.stories[("rss", "atom", "json")[number % 3]].append(
                Story(f"story-{number}", m["title"], m["paragraphs"], day, page_date=m["published"]))
        feeds = FeedStore(folder)
        for path in ("/rss.xml", "/atom.xml", "/feed.json"):
            feeds.add(site.url(path))
        process = await asyncio.create_subprocess_exec(
            PYTHON, "bot.py", "--config", str(config), "feeds", "poll", "--index", str(folder), cwd=ROOT,
            stdout=asyncio.subprocess.DEVNULL, stderr=asyncio.subprocess.DEVNULL)
        target, then = rng.randint(1, 12), rng.uniform(0, 0.05)
        for _ in range(6000):  # the site answers on this loop while the poll runs
            if process.returncode is not None or store_generation(folder) >= target:
                break
            await asyncio.sleep(0.01)
        await asyncio.sleep(then)
        assert process.returncode is None, "the poll ended before the kill"
        process.send_signal(signal.SIGKILL)
        await process.wait()

        stored = articles_in_index(folder)
        assert 0 < len(stored) < len(made)
        assert_whole(folder, None)
        hashes = {a.identity: a.content_hash for a in stored}
        asked = stored[0]
        library = reopen_and_ask(folder, minilm, questions[asked.title], asked.title, caplog)
        report = await poll(library, feeds, settings.discord.fetch, settings.feeds)  # `feeds poll` again
        assert not report.errors
        after = articles_in_index(folder)
        library.close()
        feeds.close()
    assert {a.url for a in after} == {site.article_url(f"story-{n}") for n in range(len(made))}
    assert all(hashes[a.identity] == a.content_hash for a in after if a.identity in hashes)
    assert_whole(folder, after, complete=True)
    db = sqlite3.connect(folder / "feeds.sqlite")
    seen = {row[0] for row in db.execute("SELECT article_url FROM entries WHERE article_url IS NOT NULL")}
    db.close()
    assert seen == {a.url for a in after}


# -- a full disk ----------------------------------------------------------------------------------


@pytest.fixture
def disk(tmp_path):
    try:
        with small_disk(tmp_path / "disk", size="16m") as mounted:
            yield mounted
    except Unavailable as reason:
        pytest.skip(str(reason))


@pytest.mark.parametrize("free", [0, 256 << 10], ids=["0 bytes free", "256 KiB free"])
def test_a_full_disk_fails_the_ingest_in_one_line_and_loses_nothing(disk, tmp_path, minilm, capsys, free):
    before = write_corpus(tmp_path / "before", 8, seed=21)
    more = write_corpus(tmp_path / "more", 6, seed=22)
    folder = disk / "index"
    running = Library(folder, minilm)  # as a running bot holds it
    running.ingest([before.folder])
    searcher = Searcher(running, SearchSettings())
    stored = {a.identity: a.content_hash for a in articles_in_index(folder)}
    filler = fill(disk, free)

    code = bot.main(["index", str(more.folder), "--index", str(folder)])
    errors = [line for line in capsys.readouterr().err.splitlines() if line.startswith("error:")]
    assert code == 1 and len(errors) == 1, errors
    assert errors[0].startswith(f"error: the disk holding the index folder {folder} ")
    assert "is full" in errors[0] and "free some space" in errors[0]

    with pytest.raises(DiskFull, match=f"{folder}.*is full"):  # the bot's /ingest, a feed poll
        running.ingest([more.folder])
    asked = before.articles[0]
    answer = searcher.ask(before.questions[asked.title], k=5)
    assert answer.answered and asked.title in [p.citation.title for p in answer.passages]
    assert not list(folder.glob("*.tmp"))

    filler.unlink()
    after = {a.identity: a.content_hash for a in articles_in_index(folder)}
    assert all(after.get(identity) == content for identity, content in stored.items())
    assert_whole(folder, before.articles + more.articles)
    report = running.ingest([more.folder])
    running.close()
    assert not report.errors and len(report.added) + len(report.unchanged) == len(more.articles)
    assert_whole(folder, before.articles + more.articles, complete=True)
