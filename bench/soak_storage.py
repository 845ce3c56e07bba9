"""Storage soak: kill -9 at random moments of every kind of ingest, and a full disk.

    python bench/soak_storage.py [--kills 20] [--articles 500] [--seed 7] [--modes index,discord,feeds,disk]

Modes (each a row of `run()`):

- `bot.py index` on a synthetic corpus of 500 articles (.txt files and .jsonl files with
  dates and authors, every article with attributed quotations), killed with SIGKILL at a
  moment drawn uniformly over a full run's duration, in a fresh index folder each time;
- an admin's `/ingest file:` (a .jsonl upload) in the real bot (discord_bot.NewsBot with
  discord.py) connected to the local Discord stand-in (harness/), composed as `bot.py run
  --local` composes it, the process killed during the ingest;
- `bot.py feeds poll` against a local news site (tests/feed_server.py's pages and feeds
  with many stories), killed during the poll;
- a full disk: the index folder on a small tmpfs (root only), the disk filled to a few
  different amounts of free space before an ingest.

After each kill: `index.integrity.check_index` finds no problem against the source
articles (every article stored is whole: passages, vectors, keyword rows, word counts,
quotes, dates; nothing half-written), `bot.py ask` answers a question copied from an
article that was committed, with exit code 0 and nothing on stderr but the expected note
that the vector file is rebuilt, and re-running the same ingest completes it (every
source article stored, the check clean again).

The corpus is generated here (made-up towns and people); bench/_work news data is not used.
"""

import argparse
import contextlib
import errno
import json
import os
import random
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
if str(ROOT) not in sys.path:
    sys.path.insert(0, str(ROOT))

from index.articles import Article, find_article_files, parse_articles, read_articles  # noqa: E402
from index.integrity import check_index  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402

PYTHON = sys.executable

# -- the synthetic corpus ----------------------------------------------------------------------

_SYLLABLES = ("var", "dol", "mer", "sten", "ka", "rin", "bro", "lis", "tor", "vik", "an", "hel",
              "gar", "mo", "sund", "by", "le", "nor", "fen", "quar", "zel", "ost", "pim", "dra")
_FIRST = ("Maria", "Jonas", "Amira", "Kenji", "Lena", "Tomas", "Priya", "Oskar", "Fatima", "Ewan",
          "Ingrid", "Mateo", "Sofia", "Dmitri", "Grace", "Henrik", "Nadia", "Pablo", "Yusuf", "Clara")
_LAST = ("Lopez", "Berg", "Haddad", "Tanaka", "Ortiz", "Novak", "Raman", "Lind", "Okafor", "Baird",
         "Sorensen", "Ruiz", "Marino", "Volkov", "Achebe", "Dahl", "Karim", "Navarro", "Demir", "Moreau")
_ROLES = ("mayor", "harbour master", "head teacher", "fire chief", "council leader", "museum director",
          "transport officer", "hospital manager")
_THINGS = ("bridge", "ferry", "library", "tram line", "swimming pool", "market hall", "cycle path",
           "concert hall", "water plant", "wind farm", "night bus", "school kitchen")
_ACTIONS = ("rebuild", "reopen", "extend", "close", "sell", "repair", "double", "rename")
_MONTHS = ("January", "February", "March", "April", "May", "June", "July", "August", "September",
           "October", "November", "December")


def _town(rng: random.Random) -> str:
    return "".join(rng.choice(_SYLLABLES) for _ in range(rng.randint(2, 3))).capitalize()


def synthetic_article(rng: random.Random, number: int) -> dict:
    """One made-up local news story: title, paragraphs (with quotations), date, author."""
    town, thing, action = _town(rng), rng.choice(_THINGS), rng.choice(_ACTIONS)
    first, last, role = rng.choice(_FIRST), rng.choice(_LAST), rng.choice(_ROLES)
    other = f"{rng.choice(_FIRST)} {rng.choice(_LAST)}"
    cost, weeks, year = rng.randint(2, 90), rng.randint(3, 40), rng.randint(1950, 2019)
    people, month = rng.randint(120, 9000), rng.choice(_MONTHS)
    paragraphs = [
        f"The {town} council voted on Tuesday to {action} the {thing}, a plan that will cost "
        f"{cost} million crowns over the next {rng.randint(2, 9)} years.",
        f"“We promised the people of {town} a {thing} they can be proud of, and this is the "
        f"day we keep that promise,” said {first} {last}, the {role} of {town}.",
        f"{last} said the work would start in {month} and take about {weeks} weeks. "
        f"“Nobody will be left without a way to get to work,” she added.",
        f"Residents have argued about the {thing} since it was first built in {year}. "
        f"About {people} people signed a petition last year asking the council to act.",
    ]
    if rng.random() < 0.6:
        paragraphs.append(
            f"Not everyone is pleased. “The money would be better spent on housing,” said {other}, "
            f"who runs a bakery near the old {thing} in {town}.")
    if rng.random() < 0.5:
        paragraphs.append(f"The council will publish the full plans for the {thing} on its website "
                          f"before a public meeting in {town} on {rng.randint(1, 28)} {month}.")
    day = f"2024-{rng.randint(1, 12):02d}-{rng.randint(1, 28):02d}"
    return {"title": f"{town} to {action} its {thing} (story {number})", "paragraphs": paragraphs,
            "published": day, "author": f"{rng.choice(_FIRST)} {rng.choice(_LAST)}",
            "question": f"What did the {town} council vote to do with the {thing}?"}


@dataclass
class Corpus:
    folder: Path
    articles: list[Article]  # as the product reads the files: what the index must hold
    questions: dict[str, str]  # article title -> a question its first paragraph answers

    def questions_for(self, articles: list[Article]) -> dict[str, str]:
        """identity -> question, for these articles (read from the corpus some other way)."""
        return {a.identity: self.questions[a.title] for a in articles if a.title in self.questions}

    @property
    def files(self) -> list[Path]:
        return sorted(find_article_files([self.folder]))


def write_corpus(folder: Path, count: int, seed: int = 0, jsonl_share: float = 0.5) -> Corpus:
    """`count` articles: about half as .txt files (title line, blank-line paragraphs, no
    date), the rest ten to a .jsonl file with `published` and `author`."""
    rng = random.Random(seed)
    folder.mkdir(parents=True, exist_ok=True)
    stories = [synthetic_article(rng, n) for n in range(count)]
    split = int(count * (1 - jsonl_share))
    by_title = {}
    for number, story in enumerate(stories[:split]):
        path = folder / f"story_{number:04d}.txt"
        path.write_text(story["title"] + "\n\n" + "\n\n".join(story["paragraphs"]) + "\n", encoding="utf-8")
        by_title[story["title"]] = story
    rest = stories[split:]
    for start in range(0, len(rest), 10):
        lines = [json.dumps({"title": s["title"], "text": "\n\n".join(s["paragraphs"]),
                             "published": s["published"], "author": s["author"]}, ensure_ascii=False)
                 for s in rest[start:start + 10]]
        (folder / f"batch_{start // 10:03d}.jsonl").write_text("\n".join(lines) + "\n", encoding="utf-8")
        by_title.update((s["title"], s) for s in rest[start:start + 10])
    articles = [a for path in find_article_files([folder]) for a in read_articles(path)]
    return Corpus(folder, articles, {title: story["question"] for title, story in by_title.items()})


def articles_in_index(directory: Path) -> list[Article]:
    """The articles an index holds, rebuilt from its store (paragraphs from their passages):
    the reference a clean run leaves, for sources that are not files (feed pages)."""
    db = sqlite3.connect(directory / "store.sqlite")
    try:
        paragraphs: dict[str, dict[int, list[str]]] = {}
        for article_id, paragraph, text in db.execute(
                "SELECT article_id, paragraph, text FROM passages ORDER BY article_id, paragraph, piece"):
            paragraphs.setdefault(article_id, {}).setdefault(paragraph, []).append(text)
        return [Article(title=title, paragraphs=tuple(" ".join(p) for _, p in sorted(paragraphs[i].items())),
                        source=source, url=url, published=published, author=author)
                for i, title, source, url, published, author in db.execute(
                    "SELECT id, title, source, url, published, author FROM articles")]
    finally:
        db.close()


# -- killing a process at a moment ------------------------------------------------------------


def store_generation(directory: Path) -> int:
    """The store's generation (one more per committed article), 0 before any; read without
    disturbing a writer (WAL readers never block it)."""
    path = directory / "store.sqlite"
    if not path.exists():
        return 0
    try:
        db = sqlite3.connect(f"file:{path}?mode=ro", uri=True, timeout=0.2)
        try:
            row = db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        finally:
            db.close()
    except sqlite3.Error:
        return 0
    return int(row[0]) if row else 0


@dataclass
class Kill:
    moment: float | None  # seconds after start; None: the process ended before it
    generation: int  # the store's generation when it was killed (or ended)
    output: str = ""


def start(argv: list[str], log: Path) -> subprocess.Popen:
    out = log.open("w")
    return subprocess.Popen(argv, cwd=ROOT, stdout=out, stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL,
                            env={**os.environ, "PYTHONUNBUFFERED": "1"})


def kill_at(process: subprocess.Popen, directory: Path, seconds: float | None = None,
            generation: int | None = None, then: float = 0.0, timeout: float = 600) -> Kill:
    """SIGKILL `process` `seconds` after now, or `then` seconds after the store reaches
    `generation`; whichever comes first. Returns when it is dead."""
    began = time.monotonic()
    deadline = began + (seconds if seconds is not None else timeout)
    while process.poll() is None and time.monotonic() < deadline:
        if generation is not None and store_generation(directory) >= generation:
            deadline = min(deadline, time.monotonic() + then)
            generation = None
        time.sleep(0.01)
    if process.poll() is not None:
        return Kill(None, store_generation(directory))
    moment = time.monotonic() - began
    process.send_signal(signal.SIGKILL)
    process.wait()
    return Kill(moment, store_generation(directory))


def run_to_end(process: subprocess.Popen, directory: Path, timeout: float = 900, warm_up: int = 0,
               ) -> tuple[float, float | None]:
    """Wait for `process`; (its duration, seconds until its first commit after `warm_up`
    ones, or None)."""
    began, first, start_generation = time.monotonic(), None, store_generation(directory) + warm_up
    while process.poll() is None:
        if first is None and store_generation(directory) > start_generation:
            first = time.monotonic() - began
        if time.monotonic() - began > timeout:
            process.kill()
            raise TimeoutError(f"{process.args} ran over {timeout} s")
        time.sleep(0.02)
    return time.monotonic() - began, first


# -- what must hold after a kill --------------------------------------------------------------


_EXPECTED_STDERR = ("is missing; rebuilding it from", "could not be read yet", "vectors are kept in memory")


def ask_problems(directory: Path, questions: dict[str, str], rng: random.Random,
                 config: Path | None = None, committed: dict[str, str] | None = None,
                 ) -> tuple[list[str], str]:
    """`bot.py ask` on a committed article's question: exit 0, nothing on stderr but the
    vector file's rebuild, answered, with that article among the passages. With nothing
    committed, `bot.py sources` must open the index (an empty `ask` would index the sample).
    `committed` (identity -> title) saves reading the store (a full disk)."""
    if committed is None:
        committed = {a.identity: a.title for a in articles_in_index(directory)}
    prefix = [PYTHON, "bot.py"] + (["--config", str(config)] if config else [])
    asked = [i for i in committed if i in questions]
    if not asked:
        done = subprocess.run(prefix + ["sources", "--index", str(directory)], cwd=ROOT,
                              capture_output=True, text=True, timeout=300)
        problems = [] if done.returncode == 0 else [f"sources failed: {done.stderr.strip()[:300]}"]
        return problems, "opened (nothing committed to ask about)"
    identity = rng.choice(sorted(asked))
    argv = prefix + ["ask", "--json", "--k", "5", "--index", str(directory), questions[identity]]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)
    problems = []
    unexpected = [line for line in done.stderr.splitlines()
                  if line.strip() and not any(mark in line for mark in _EXPECTED_STDERR)]
    if done.returncode != 0 or unexpected:
        problems.append(f"ask exited {done.returncode}: {' | '.join(unexpected)[:300]}")
    else:
        answer = json.loads(done.stdout)
        titles = [p["title"] for p in answer["passages"]]
        if not answer["answered"] or committed[identity] not in titles:
            problems.append(f"ask did not answer from {committed[identity]!r}: {titles[:3]}")
    rebuilt = any(mark in done.stderr for mark in _EXPECTED_STDERR[:1])
    return problems, "vector file rebuilt on open" if rebuilt else ""


def check_problems(directory: Path, expected: list[Article], complete: bool = False) -> list[str]:
    """The integrity check against the source articles; with `complete`, every one stored
    and the vector file present."""
    report = check_index(directory, expected)
    problems = list(report.problems)
    if complete:
        stored = {a.identity for a in articles_in_index(directory)}
        missing = [a.identity for a in expected if a.identity not in stored]
        if missing:
            problems.append(f"{len(missing)} source articles not stored after the re-run, e.g. {missing[0]}")
        if not report.vector_file:
            problems.append("no vector file for the store's generation after the re-run")
    return problems


# -- the kill soak, one mode ----------------------------------------------------------------


@dataclass
class KillMode:
    """How to start one kind of ingest into a folder, and what it must leave there."""

    name: str
    argv: Callable[[Path], list[str]]  # the command, for an index folder
    expected: list[Article] | None  # None: what the calibration run stored
    questions: dict[str, str]  # title -> question
    prepare: Callable[[Path], None] = lambda folder: None
    config: Path | None = None
    warm_up_commits: int = 0  # commits before the ingest proper (the bot indexes the sample first)


def soak_kills(mode: KillMode, work: Path, kills: int, rng: random.Random) -> dict:
    """Calibrate with one full run, then `kills` trials, each in a fresh folder: start, kill
    at a moment uniform between half the time to the first commit and the end, check, ask,
    re-run to the end, check again."""
    reference = work / "calibration"
    shutil.rmtree(reference, ignore_errors=True)
    mode.prepare(reference)
    total, first = run_to_end(start(mode.argv(reference), work / "calibration.log"), reference,
                              warm_up=mode.warm_up_commits)
    expected = mode.expected if mode.expected is not None else articles_in_index(reference)
    questions = {a.identity: mode.questions[a.title] for a in expected if a.title in mode.questions}
    failures, moments, committed, rebuilt = [], [], [], 0
    calibration = check_problems(reference, expected, complete=True)
    if calibration:
        failures.append(f"calibration run: {calibration[0]}")
    shutil.rmtree(reference, ignore_errors=True)
    for trial in range(kills):
        folder = work / f"trial-{trial:02d}"
        shutil.rmtree(folder, ignore_errors=True)
        mode.prepare(folder)
        kill = kill_at(start(mode.argv(folder), work / f"trial-{trial:02d}.log"), folder,
                       seconds=rng.uniform(0.5 * (first or total), 0.97 * total))
        moments.append(kill.moment)
        committed.append(len(articles_in_index(folder)) if (folder / "store.sqlite").exists() else 0)
        problems = [f"after the kill: {p}" for p in check_problems(folder, expected)]
        asked, note = ask_problems(folder, questions, rng, mode.config)
        problems += asked
        rebuilt += note == "vector file rebuilt on open"
        rerun = start(mode.argv(folder), work / f"trial-{trial:02d}-rerun.log")
        run_to_end(rerun, folder)
        if rerun.returncode != 0:
            problems.append(f"the re-run exited {rerun.returncode}")
        problems += [f"after the re-run: {p}" for p in check_problems(folder, expected, complete=True)]
        if problems:
            failures.append(f"trial {trial} (killed at {kill.moment}s, {committed[-1]} stored): "
                            f"{problems[0]}")
        shutil.rmtree(folder, ignore_errors=True)
    landed = [m for m in moments if m is not None]
    middle = sum(0 < c < len(expected) for c in committed)
    notes = (f"full run {total:.1f} s, first commit at {first or 0:.1f} s; kills at "
             f"{min(landed, default=0):.1f}-{max(landed, default=0):.1f} s"
             f"{f' ({kills - len(landed)} ended first)' if len(landed) < kills else ''}; "
             f"{middle} mid-ingest (stored {min(committed)}-{max(committed)} of {len(expected)}), "
             f"{sum(c == 0 for c in committed)} before any commit, "
             f"{sum(c >= len(expected) for c in committed)} after the last; "
             f"vector file rebuilt on open after {rebuilt}")
    if failures:
        notes += "; FAILURES: " + " || ".join(failures[:3])
    return {"mode": mode.name, "tried": kills, "survived": kills - len(failures) + (1 if calibration else 0),
            "notes": notes}


def index_mode(work: Path, articles: int, seed: int) -> KillMode:
    corpus = write_corpus(work / "corpus", articles, seed)
    return KillMode(f"kill -9 during bot.py index ({articles} articles)",
                    lambda folder: [PYTHON, "bot.py", "index", str(corpus.folder), "--index", str(folder)],
                    corpus.articles, corpus.questions)


def upload_file(work: Path, articles: int, seed: int) -> tuple[Path, list[Article], dict[str, str]]:
    """One .jsonl upload of `articles` articles, the articles the bot reads from it (with the
    bundled sample that `bot.py run` indexes into an empty index first) and their questions."""
    corpus = write_corpus(work / "upload-parts", articles, seed, jsonl_share=1.0)
    upload = work / "upload.jsonl"
    upload.write_text("".join(p.read_text(encoding="utf-8") for p in corpus.files), encoding="utf-8")
    expected = parse_articles(upload.read_bytes(), upload.name, f"discord upload: {upload.name}")
    settings = load_settings(DEFAULT_CONFIG)
    sample = [a for path in find_article_files([settings.articles_dir]) for a in read_articles(path)]
    return upload, expected + sample, corpus.questions


def discord_mode(work: Path, articles: int, seed: int) -> KillMode:
    upload, expected, questions = upload_file(work, articles, seed)
    return KillMode(f"kill -9 during /ingest in bot.py run --local ({articles}-article upload)",
                    lambda folder: [PYTHON, str(Path(__file__).resolve()), "--discord-ingest", str(folder),
                                    str(upload)],
                    expected, questions, warm_up_commits=1)


def discord_ingest_child(index: Path, upload: Path) -> int:
    """The bot composed as `bot.py run --local` composes it, on the local Discord stand-in;
    an admin sends `/ingest file:` with `upload`, and the reply is printed."""
    import asyncio
    from argparse import Namespace

    from cli.opening import open_feed_store, open_searcher, open_watch_store
    from discord_bot.answer_log import AnswerLog
    from discord_bot.client import NewsBot
    from discord_bot.feed_polling import FeedPolling
    from harness import DiscordStandIn, running_client

    settings = load_settings(DEFAULT_CONFIG)
    arguments = Namespace(index=index)
    searcher = open_searcher(arguments, settings)
    bot = NewsBot(searcher, AnswerLog(searcher.library.directory / "answers.sqlite"), settings.discord,
                  FeedPolling(searcher.library, open_feed_store(arguments, settings), settings.discord.fetch,
                              settings.feeds),
                  open_watch_store(arguments, settings), guild_ready_timeout=0.1)

    async def ingest() -> str:
        async with DiscordStandIn() as standin, running_client(bot, standin):
            attachment = standin.upload(upload.name, upload.read_bytes(), "application/x-ndjson")
            record = await standin.slash_command("ingest", {"file": attachment}, user=standin.admin,
                                                 channel_id=standin.channel("general").id)
            reply = (await standin.wait_for_response(record, timeout=900)).reply
            return reply.content or " ".join(e.get("description", "") for e in reply.embeds)

    reply = asyncio.run(ingest())
    print(reply)
    return 0 if "added" in reply or "unchanged" in reply else 1


# -- the feed site ------------------------------------------------------------------------------


class FeedSiteThread:
    """tests/feed_server.py's news site with `count` synthetic stories over its RSS, Atom
    and JSON feeds, served from a thread of its own."""

    def __init__(self, count: int, seed: int):
        self.count, self.seed = count, seed
        self.questions: dict[str, str] = {}
        self.feed_urls: list[str] = []
        self._ready, self._stop = threading.Event(), None

    def __enter__(self) -> "FeedSiteThread":
        self._thread = threading.Thread(target=self._serve, daemon=True)
        self._thread.start()
        if not self._ready.wait(30):
            raise RuntimeError("the feed site did not start")
        return self

    def __exit__(self, *_) -> None:
        self._loop.call_soon_threadsafe(self._stop.set)
        self._thread.join(10)

    def _serve(self) -> None:
        import asyncio

        asyncio.run(self._main())

    async def _main(self) -> None:
        import asyncio
        from datetime import UTC, datetime

        from tests.feed_server import Story, feed_site

        self._loop, self._stop = asyncio.get_running_loop(), asyncio.Event()
        rng = random.Random(self.seed)
        stories: dict[str, list] = {"rss": [], "atom": [], "json": []}
        for number in range(self.count):
            made = synthetic_article(rng, number)
            day = datetime.fromisoformat(made["published"]).replace(hour=8, tzinfo=UTC)
            story = Story(f"story-{number}", made["title"], made["paragraphs"], day,
                          page_date=made["published"] if number % 2 else None)
            stories[("rss", "atom", "json")[number % 3]].append(story)
            self.questions[made["title"]] = made["question"]
        async with feed_site() as site:
            site.stories = stories
            self.feed_urls = [site.url(p) for p in ("/rss.xml", "/atom.xml", "/feed.json")]
            self._ready.set()
            await self._stop.wait()


def feeds_config(work: Path) -> Path:
    """config.toml with loopback fetches allowed (the site is on 127.0.0.1) and no pause per host."""
    text = DEFAULT_CONFIG.read_text(encoding="utf-8")
    for old, new in (("allow_private_urls = false", "allow_private_urls = true"),
                     ("per_host_delay_seconds = 1", "per_host_delay_seconds = 0")):
        if old not in text:
            raise RuntimeError(f"config.toml no longer holds {old!r}")
        text = text.replace(old, new)
    path = work / "config.toml"
    path.write_text(text, encoding="utf-8")
    return path


def feeds_mode(work: Path, site: FeedSiteThread) -> KillMode:
    config = feeds_config(work)

    def prepare(folder: Path) -> None:
        from feeds.feed_store import FeedStore

        store = FeedStore(folder)
        for url in site.feed_urls:
            store.add(url)
        store.close()

    return KillMode(f"kill -9 during bot.py feeds poll ({site.count} stories in 3 feeds)",
                    lambda folder: [PYTHON, "bot.py", "--config", str(config), "feeds", "poll",
                                    "--index", str(folder)],
                    None, site.questions, prepare, config)


# -- a full disk --------------------------------------------------------------------------------


class Unavailable(Exception):
    """The small disk cannot be made here; the message says why (a skip reason)."""


@contextmanager
def small_disk(where: Path, size: str = "24m") -> Iterator[Path]:
    """A size-limited tmpfs mounted at `where` (root only), unmounted on exit."""
    if not hasattr(os, "geteuid") or os.geteuid() != 0:
        raise Unavailable("mounting a small tmpfs needs root")
    where.mkdir(parents=True, exist_ok=True)
    done = subprocess.run(["mount", "-t", "tmpfs", "-o", f"size={size}", "tmpfs", str(where)],
                          capture_output=True, text=True)
    if done.returncode != 0:
        raise Unavailable(f"mount -t tmpfs failed: {done.stderr.strip() or done.returncode}")
    try:
        yield where
    finally:
        subprocess.run(["umount", "-l", str(where)], capture_output=True)


def fill(disk: Path, leave: int) -> Path:
    """Fill the disk with one file, then give back `leave` bytes of it."""
    filler = disk / "filler"
    chunk = b"\0" * (1 << 20)
    with filler.open("ab") as out:
        try:
            while True:
                out.write(chunk)
                out.flush()
        except OSError as error:
            if error.errno != errno.ENOSPC:
                raise
    with contextlib.suppress(OSError):  # flushing the last partial chunk may fail too
        out.close()
    size = filler.stat().st_size
    os.truncate(filler, max(0, size - leave))
    return filler


DISK_SLACKS = (0, 16 << 10, 64 << 10, 256 << 10, 1 << 20)


def soak_disk_full(work: Path, seed: int, slacks: tuple[int, ...] = DISK_SLACKS) -> dict:
    """For each amount of free space left: an index of 20 articles on a 24 MiB tmpfs, the disk
    filled, `bot.py index` of 10 more; it must fail with one line naming the folder, leave
    every article stored before as it was (and any new one whole), answer, and succeed
    once the space is freed."""
    name = "disk full during bot.py index (tmpfs, free space " + ", ".join(_kib(s) for s in slacks) + ")"
    before_corpus = write_corpus(work / "before", 20, seed)
    after_corpus = write_corpus(work / "after", 10, seed + 1)
    expected = before_corpus.articles + after_corpus.articles
    questions = {a.identity: before_corpus.questions[a.title] for a in before_corpus.articles}
    rng = random.Random(seed)
    try:
        with small_disk(work / "disk") as disk:
            failures, answered_full = [], 0
            for slack in slacks:
                folder = disk / "index"
                shutil.rmtree(folder, ignore_errors=True)
                (disk / "filler").unlink(missing_ok=True)
                built = bot_index(before_corpus.folder, folder)
                stored = articles_in_index(folder)
                before = {a.identity: a.content_hash for a in stored}
                filler = fill(disk, slack)
                problems, answered = disk_full_problems(folder, after_corpus.folder, questions,
                                                        {a.identity: a.title for a in stored}, rng)
                answered_full += answered
                filler.unlink()  # read only once the space is free: a new reader needs room for -shm
                after = {a.identity: a.content_hash for a in articles_in_index(folder)}
                if any(after.get(identity) != content for identity, content in before.items()):
                    problems.append("an article stored before the full disk changed or went missing")
                problems += check_problems(folder, expected)
                again = bot_index(after_corpus.folder, folder)
                if built.returncode or again.returncode:
                    problems.append(f"index exited {built.returncode}, then {again.returncode} once freed: "
                                    f"{again.stderr.strip()[:200]}")
                problems += check_problems(folder, expected, complete=True)
                if problems:
                    failures.append(f"{_kib(slack)} free: {problems[0]}")
    except Unavailable as reason:
        return {"mode": name, "tried": 0, "survived": 0, "notes": f"skipped: {reason}"}
    notes = (f"a fresh `bot.py ask` answered while the disk was full at {answered_full} of {len(slacks)} "
             "levels (with 0 bytes free SQLite cannot create store.sqlite-shm, so a new process cannot "
             "open the index: it says the disk is full)")
    if failures:
        notes += "; FAILURES: " + " || ".join(failures[:3])
    return {"mode": name, "tried": len(slacks), "survived": len(slacks) - len(failures), "notes": notes}


def disk_full_problems(folder: Path, new_articles: Path, questions: dict[str, str],
                       committed: dict[str, str], rng: random.Random) -> tuple[list[str], bool]:
    """`bot.py index` on a full disk must exit 1 with one line naming the folder and a full
    disk; then whether a fresh `bot.py ask` answers, the disk still full."""
    done = bot_index(new_articles, folder)
    problems = []
    lines = [line for line in done.stderr.splitlines() if line.strip() and not line.startswith("indexing")]
    errors = [line for line in lines if line.startswith("error:")]
    if done.returncode != 1 or len(errors) != 1 or str(folder) not in errors[0] or "full" not in errors[0]:
        problems.append(f"exit {done.returncode}, stderr {' | '.join(lines)[:300]!r}")
    asked, _ = ask_problems(folder, questions, rng, committed=committed)
    return problems, not asked


def bot_index(articles: Path, folder: Path) -> subprocess.CompletedProcess:
    return subprocess.run([PYTHON, "bot.py", "index", str(articles), "--index", str(folder)],
                          cwd=ROOT, capture_output=True, text=True)


def _kib(count: int) -> str:
    return f"{count >> 10} KiB" if count < 1 << 20 else f"{count >> 20} MiB"


# -- all of it ----------------------------------------------------------------------------------


MODES = ("index", "discord", "feeds", "disk")


def run(kills: int = 20, articles: int = 500, seed: int = 7, modes: tuple[str, ...] = MODES,
        work: Path | None = None) -> list[dict]:
    """The storage soak; one row per mode: {"mode", "tried", "survived", "notes"}."""
    rows = []
    with tempfile.TemporaryDirectory(prefix="soak-storage-", dir=work) as scratch:
        base = Path(scratch)
        rng = random.Random(seed)
        if "index" in modes:
            (base / "index").mkdir()
            rows.append(soak_kills(index_mode(base / "index", articles, seed), base / "index", kills, rng))
        if "discord" in modes:
            (base / "discord").mkdir()
            mode = discord_mode(base / "discord", max(20, articles // 5), seed)
            rows.append(soak_kills(mode, base / "discord", kills, rng))
        if "feeds" in modes:
            (base / "feeds").mkdir()
            with FeedSiteThread(max(12, articles // 8), seed) as site:
                rows.append(soak_kills(feeds_mode(base / "feeds", site), base / "feeds", kills, rng))
        if "disk" in modes:
            (base / "disk-full").mkdir()
            rows.append(soak_disk_full(base / "disk-full", seed))
    return rows


def table(rows: list[dict]) -> str:
    lines = ["| mode | survived / tried | notes |", "|---|---|---|"]
    lines += [f"| {r['mode']} | {r['survived']} / {r['tried']} | {r['notes']} |" for r in rows]
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--kills", type=int, default=20)
    parser.add_argument("--articles", type=int, default=500)
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--modes", default="index,discord,feeds,disk")
    parser.add_argument("--work", type=Path, help="where the scratch folder goes (default: system temp)")
    parser.add_argument("--discord-ingest", nargs=2, type=Path, metavar=("INDEX", "UPLOAD"),
                        help=argparse.SUPPRESS)
    arguments = parser.parse_args(argv)
    if arguments.discord_ingest:
        return discord_ingest_child(*arguments.discord_ingest)
    began = time.monotonic()
    rows = run(arguments.kills, arguments.articles, arguments.seed, tuple(arguments.modes.split(",")),
               arguments.work)
    print(table(rows))
    print(f"\n({time.monotonic() - began:.0f} s)")
    return 0 if all(r["survived"] == r["tried"] for r in rows) else 1


if __name__ == "__main__":
    sys.exit(main())
