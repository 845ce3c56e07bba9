"""The Discord bot's soak runs: load, another process writing the index, gateway and REST faults.

    python bench/soak_bot.py            # prints a table; bench/soak.py publishes run()'s rows

The bot runs as it does in production, in its own process (`bot.py run`'s composition:
config.toml, the ONNX model, SQLite and FAISS), connected to the Discord stand-in
(harness/) that this process serves and drives: members ask by /ask, by mentioning the bot
and by DM, all at once, and every question is accounted for. A question survives when it
gets exactly one reply, that reply is an answer (not an error), and it cites the synthetic
article that answers it. Only synthetic articles (harness.crowd.town_articles) and the
bundled sample article are indexed, into a temporary folder.
"""

from __future__ import annotations

import argparse
import asyncio
import contextlib
import dataclasses
import os
import signal
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from harness import DiscordStandIn, Op  # noqa: E402
from harness.crowd import KINDS, Asked, Crowd, Question, TownArticle, percentile, town_articles  # noqa: E402

TOWNS = town_articles(24)
NEW_TOWNS = town_articles(60, start=1000)  # indexed by another process while the bot serves
CONCURRENT = 200
MEMORY_QUESTIONS = (1_000, 10_000)
ONLY: set[str] = set()  # --only: some modes (after the first), for a quick look
BOT_LOG: Path | None = None  # --bot-log: keep the bot's log there


# -- the bot's process -----------------------------------------------------------------------


def bot_worker(base_url: str, index_dir: Path, shards: tuple[int, int] | None = None) -> None:
    """The bot as `bot.py run` composes it (no feed polling), on the stand-in at `base_url`;
    with `shards` (shard, count) that one shard, with an answer log of its own."""
    import logging
    from types import SimpleNamespace

    from cli.opening import open_searcher
    from discord_bot.answer_log import AnswerLog
    from discord_bot.client import news_bot
    from harness import DEFAULT_TOKEN, StandInUrls, point_discord_py_at
    from settings import DEFAULT_CONFIG, load_settings

    logging.basicConfig(level=logging.WARNING, format="%(levelname)s %(name)s: %(message)s [%(asctime)s]")
    logging.getLogger("discord").setLevel(logging.ERROR)  # its rate-limit warnings are expected here
    settings = load_settings(DEFAULT_CONFIG)
    searcher = open_searcher(SimpleNamespace(index=index_dir), settings)
    searcher.ask("warm up")
    discord = settings.discord
    log_name = "answers.sqlite"
    if shards:
        discord = dataclasses.replace(discord, shard_ids=(shards[0],), shard_count=shards[1],
                                      cooldown_seconds=0)
        log_name = f"answers-{shards[0]}.sqlite"
    bot = news_bot(searcher, AnswerLog(index_dir / log_name), discord, guild_ready_timeout=0.1)

    async def main() -> None:
        loop = asyncio.get_running_loop()
        for signum in (signal.SIGINT, signal.SIGTERM):
            loop.add_signal_handler(signum, lambda: asyncio.ensure_future(bot.close()))
        with point_discord_py_at(StandInUrls(base_url)):
            async with bot:
                await bot.start(DEFAULT_TOKEN)

    asyncio.run(main())


class BotProcess:
    """`python bench/soak_bot.py --bot-worker URL INDEX` beside this process; its stderr in a file."""

    def __init__(self, base_url: str, index_dir: Path, log_path: Path, shards: tuple[int, int] | None = None):
        self.log_path = log_path
        self._log = log_path.open("w")
        sharded = ["--shard", f"{shards[0]}/{shards[1]}"] if shards else []
        self.process = subprocess.Popen(
            [sys.executable, __file__, "--bot-worker", base_url, str(index_dir), *sharded],
            cwd=ROOT, stdin=subprocess.DEVNULL, stdout=self._log, stderr=subprocess.STDOUT)

    def rss_mb(self) -> float:
        for line in Path(f"/proc/{self.process.pid}/status").read_text().splitlines():
            if line.startswith("VmRSS:"):
                return int(line.split()[1]) / 1024
        raise RuntimeError("no VmRSS")

    def alive(self) -> bool:
        return self.process.poll() is None

    def errors(self) -> list[str]:
        """What the bot logged as a bug: each ERROR line, with its traceback's last line."""
        found, lines = [], self.log_path.read_text().splitlines()
        for number, line in enumerate(lines):
            if line.startswith(("ERROR", "CRITICAL")):
                found.append(line)
            elif line.startswith("Traceback") and found:
                end = next((x for x in lines[number + 1:] if x and not x[0].isspace()), "")
                found[-1] += f" ({end})"
        return found

    def stop(self) -> int:
        if self.alive():
            self.process.send_signal(signal.SIGTERM)
            try:
                self.process.wait(timeout=30)
            except subprocess.TimeoutExpired:
                self.process.kill()
                self.process.wait()
        self._log.close()
        return self.process.returncode


def bot_py(*arguments: str) -> subprocess.Popen:
    return subprocess.Popen([sys.executable, "bot.py", *arguments], cwd=ROOT,
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)


# -- asking ----------------------------------------------------------------------------------


class Soak:
    """The stand-in, the bot's process and a crowd of members, for one run of every mode."""

    def __init__(self, standin: DiscordStandIn, bot: BotProcess, index_dir: Path):
        self.standin, self.bot, self.index_dir = standin, bot, index_dir
        self.crowd = Crowd(standin)
        self.members = 0
        self.problems: list[str] = []

    def questions(self, count: int, kinds=KINDS, towns: list[TownArticle] = TOWNS) -> list[Question]:
        """`count` questions, each from a member who has not asked before."""
        questions = []
        for n in range(count):
            self.members += 1
            town = towns[n % len(towns)]
            member = self.standin.add_member(f"member{self.members}")
            questions.append(Question(kinds[n % len(kinds)], member, town.question, expect=town.title))
        return questions

    async def ask(self, questions: list[Question], timeout: float = 120) -> list[Asked]:
        asked = await self.crowd.ask_all(questions)
        await self.settle(asked, timeout)
        return asked

    async def settle(self, asked: list[Asked], timeout: float = 120) -> None:
        with contextlib.suppress(TimeoutError):  # the unanswered are counted, not raised
            await self.crowd.wait_answered(asked, timeout=timeout)
        await self.standin.settle(timeout=30)

    def survived(self, asked: list[Asked]) -> int:
        wrong = self.crowd.wrong(asked)
        if wrong:
            question, said = wrong[0]
            self.problems.append(f"{len(wrong)} not answered once, e.g. {question!r}: {said[:100]!r}")
        return len(asked) - len(wrong)

    def forget_history(self) -> None:
        """Drop the stand-in's record of finished questions (the long run would otherwise
        fill this process's memory and slow its lookups); the crowd starts afresh. Only
        when nothing is pending: a retry still to come would find its question gone."""
        world = self.standin.world
        for store in (world.messages, world.nonces, world.interactions):
            store.clear()
        world.message_log.clear()
        self.standin.rest.requests.clear()
        self.standin.gateway.received.clear()
        self.crowd = Crowd(self.standin)


def latency_note(asked: list[Asked]) -> str:
    times = [a.latency for a in asked if a.latency is not None]
    if not times:
        return "no answers"
    return (f"p50 {percentile(times, 0.5):.2f} s, p95 {percentile(times, 0.95):.2f} s, "
            f"max {max(times):.2f} s")


def row(mode: str, tried: int, survived: int, notes: str) -> dict:
    return {"mode": mode, "tried": tried, "survived": survived, "notes": notes}


# -- the modes -------------------------------------------------------------------------------


async def concurrent_mixed(soak: Soak) -> tuple[dict, list[Asked]]:
    asked = await soak.ask(soak.questions(CONCURRENT))
    kinds = ", ".join(f"{sum(a.question.kind == k for a in asked)} {k}" for k in KINDS)
    note = f"{latency_note(asked)} ({kinds}; {CONCURRENT} distinct members)"
    return row(f"{CONCURRENT} concurrent questions, mixed", len(asked), soak.survived(asked), note), asked


async def while_another_process_indexes(soak: Soak, idle: list[Asked], folder: Path) -> dict:
    """`bot.py index` of 60 new articles from the shell while waves of 200 questions arrive;
    then the new articles asked about, and `bot.py forget` while another wave is answered."""
    for article in NEW_TOWNS:
        (folder / article.filename).write_text(article.text, encoding="utf-8")
    indexing = bot_py("index", str(folder), "--index", str(soak.index_dir))
    started, asked = time.monotonic(), []
    while indexing.poll() is None:  # 200 at once, again as soon as they are answered
        asked += await soak.ask(soak.questions(CONCURRENT))
    indexed = indexing.wait() == 0 and "60 added" in indexing.stdout.read()
    index_seconds = time.monotonic() - started
    new = await soak.ask(soak.questions(30, towns=NEW_TOWNS[::2]))
    seen = soak.survived(new)

    forgotten = NEW_TOWNS[0]
    forgetting = bot_py("forget", forgotten.filename, "--index", str(soak.index_dir))
    during_forget = await soak.crowd.ask_all(soak.questions(50))
    forgot = forgetting.wait() == 0
    await soak.settle(during_forget)
    after = await soak.ask(soak.questions(6, towns=[forgotten]))
    still_cited = sum(forgotten.title in "".join(str(m.embeds) for m in soak.crowd.replies(a)) for a in after)

    answered = asked + during_forget
    idle_times = [a.latency for a in idle if a.latency is not None]
    notes = (f"{len(asked)} asked, {CONCURRENT} at a time, while `bot.py index` of 60 articles ran "
             f"({index_seconds:.0f} s, indexed: {indexed}): "
             f"{latency_note(asked)}; idle p50 {percentile(idle_times, 0.5):.2f} s, "
             f"p95 {percentile(idle_times, 0.95):.2f} s. New articles answered without restart: "
             f"{seen}/{len(new)}. `bot.py forget` ({forgot}) while 50 asked: the forgotten article "
             f"cited in {still_cited}/{len(after)} answers after")
    survived = soak.survived(answered) if indexed and forgot and seen == len(new) and not still_cited else 0
    return row("two processes: `bot.py index`/`forget` while serving", len(answered), survived, notes)


async def memory(soak: Soak) -> dict:
    """10,000 questions in waves of 200 (new members each wave); the bot's RSS after 1,000 and 10,000."""
    rss, asked_total, survived, times = {}, 0, 0, []
    start_rss = soak.bot.rss_mb()
    while asked_total < MEMORY_QUESTIONS[-1]:
        asked = await soak.ask(soak.questions(CONCURRENT))
        asked_total += len(asked)
        survived += soak.survived(asked)
        times += [a.latency for a in asked if a.latency is not None]
        soak.forget_history()
        if asked_total in MEMORY_QUESTIONS:
            rss[asked_total] = soak.bot.rss_mb()
    first, last = (rss[n] for n in MEMORY_QUESTIONS)
    notes = (f"RSS {start_rss:.0f} MB at start, {first:.0f} MB after 1,000, {last:.0f} MB after 10,000 "
             f"({(last - first) / first:+.1%}; limit ±10%); p50 {percentile(times, 0.5):.2f} s, "
             f"p95 {percentile(times, 0.95):.2f} s per wave of {CONCURRENT}")
    ok = abs(last - first) <= 0.10 * first
    return row("10,000 questions (memory)", asked_total, survived if ok else 0, notes)


async def gateway_drops(soak: Soak) -> dict:
    standin, asked = soak.standin, []
    resumes = len(standin.ops(Op.RESUME))
    cuts = standin.CUTS * 3
    for cut in cuts:
        before = len(standin.ops(Op.RESUME))
        await standin.cut(cut)
        # written while the bot is away: replayed after its RESUME
        asked += await soak.crowd.ask_all(soak.questions(20, ("mention", "dm")))
        await standin.wait_until(lambda n=before: len(standin.ops(Op.RESUME)) > n, timeout=60,
                                 what=f"RESUME after {cut}")
        asked += await soak.ask(soak.questions(20))
    await soak.settle(asked)
    notes = (f"{len(cuts)} cuts (TCP abort, close 4000, op 7 RECONNECT, in turn), 20 questions during "
             f"each and 20 after; {len(standin.ops(Op.RESUME)) - resumes} RESUMEs")
    return row("gateway: repeated disconnects", len(asked), soak.survived(asked), notes)


async def invalid_sessions(soak: Soak) -> dict:
    standin, asked, rounds = soak.standin, [], 2
    identifies = len(standin.ops(Op.IDENTIFY))
    started = time.monotonic()
    for _ in range(rounds):
        session = standin.gateway.session
        count = len(standin.ops(Op.IDENTIFY))
        await standin.invalidate_session()
        await standin.wait_until(lambda n=count, s=session: len(standin.ops(Op.IDENTIFY)) > n
                                 and standin.gateway.session is not s, timeout=60, what="re-IDENTIFY")
        await asyncio.sleep(0.5)  # READY and GUILD_CREATE reach the bot
        asked += await soak.ask(soak.questions(50))
    notes = (f"{rounds} × op 9 (not resumable): {len(standin.ops(Op.IDENTIFY)) - identifies} "
             f"re-IDENTIFYs (discord.py waits 5 s before each), 50 questions after each; "
             f"{time.monotonic() - started:.0f} s in all")
    return row("gateway: invalid session", len(asked), soak.survived(asked), notes)


async def rate_limit_storms(soak: Soak) -> dict:
    standin = soak.standin
    general = standin.channel("general").id
    routes = {f"POST /channels/{general}/messages": 40, "/callback": 30, "/typing": 20}
    for route, times in routes.items():
        standin.rate_limit_next(route, retry_after=0.25, times=times, is_global=route == "/typing")
    asked = await soak.ask(soak.questions(CONCURRENT))
    seen = {route: _statuses(standin, route).count(429) for route in routes}
    notes = (f"429s served: {', '.join(f'{n} on {_short(r)}' for r, n in seen.items())} "
             f"(typing's global); {latency_note(asked)}")
    return row("REST: 429 storms on 3 routes", len(asked), soak.survived(asked), notes)


async def server_errors(soak: Soak) -> dict:
    standin = soak.standin
    general = standin.channel("general").id
    routes = (f"POST /channels/{general}/messages", "/callback", "/typing")
    for route in routes:
        standin.fail_next(route, 500, times=5)
        standin.fail_next(route, 502, times=5, applied=True)
    asked = await soak.ask(soak.questions(CONCURRENT))
    seen = {route: sum(s >= 500 for s in _statuses(standin, route)) for route in routes}
    notes = (f"5xx served: {', '.join(f'{n} on {_short(r)}' for r, n in seen.items())}, half of them "
             f"after the request took effect; {latency_note(asked)}")
    return row("REST: 500/502 on replies", len(asked), soak.survived(asked), notes)


async def slow_responses(soak: Soak) -> dict:
    standin = soak.standin
    standin.delay_next("/callback", 2.0, times=30)
    standin.delay_next("/webhooks/", 2.0, times=30)
    standin.delay_next("POST /channels/", 2.0, times=30)
    asked = await soak.ask(soak.questions(100))
    refused = sum(bool(a.interaction.rejected_callbacks) for a in asked if a.interaction)
    notes = (f"30 interaction acks, 30 followups/edits and 30 channel posts answered 2 s late; "
             f"{refused} acknowledgements refused; {latency_note(asked)}")
    return row("REST: slow interaction responses", len(asked), soak.survived(asked), notes)


def _statuses(standin: DiscordStandIn, route: str) -> list[int]:
    return [r.status for r in standin.requests if route in f"{r.method} {r.path}"]


def _short(route: str) -> str:
    return "channel messages" if "/messages" in route else route.strip("/")


# -- the run ---------------------------------------------------------------------------------


async def _run(work: Path, progress: Callable[[str], None]) -> list[dict]:
    articles = work / "articles"
    articles.mkdir()
    for article in TOWNS:
        (articles / article.filename).write_text(article.text, encoding="utf-8")
    index_dir = work / "index"
    made = subprocess.run([sys.executable, "bot.py", "index", str(articles), "data/articles", "--index",
                           str(index_dir)], cwd=ROOT, capture_output=True, text=True)
    if made.returncode:
        raise RuntimeError(made.stdout + made.stderr)
    rows: list[dict] = []
    async with DiscordStandIn(privileged_intents=0) as standin:
        bot = BotProcess(standin.urls.base, index_dir, BOT_LOG or work / "bot.log")
        try:
            soak = Soak(standin, bot, index_dir)
            gateway = standin.gateway
            await standin.wait_until(
                lambda: standin.world.global_commands and gateway.session and gateway.session.connection,
                timeout=120, what="the bot registered its commands and identified")
            await asyncio.sleep(0.5)  # READY and GUILD_CREATE reach the bot
            warm = await soak.ask(soak.questions(3), timeout=60)
            if soak.survived(warm) != 3:
                raise RuntimeError(f"the bot does not answer: {soak.crowd.wrong(warm)}; {bot.errors()}")
            first, idle = await concurrent_mixed(soak)
            rows.append(first)
            progress(str(first))
            new_folder = work / "new"
            new_folder.mkdir()
            steps = {"index": lambda: while_another_process_indexes(soak, idle, new_folder),
                     "memory": lambda: memory(soak), "drops": lambda: gateway_drops(soak),
                     "invalid": lambda: invalid_sessions(soak), "429": lambda: rate_limit_storms(soak),
                     "5xx": lambda: server_errors(soak), "slow": lambda: slow_responses(soak)}
            for name, step in steps.items():
                if ONLY and name not in ONLY:
                    continue
                errors_before = len(bot.errors())
                soak.problems.clear()
                result = await step()
                logged = bot.errors()[errors_before:]
                if soak.problems:
                    result["notes"] += "; " + "; ".join(soak.problems)
                alive = bot.alive()
                result["notes"] += f"; bot process alive: {'yes' if alive else 'NO'}"
                if logged:
                    result["notes"] += f"; {len(logged)} error line(s) logged, first: {logged[0][:120]}"
                if not alive:
                    result["survived"] = 0
                rows.append(result)
                progress(str(result))
                soak.crowd = Crowd(standin)
                if not alive:
                    break
        finally:
            bot.stop()
    return rows


def run() -> list[dict]:
    """Every mode once; rows of {"mode", "tried", "survived", "notes"}."""
    def progress(line: str) -> None:
        print(time.strftime("%H:%M:%S"), line, file=sys.stderr, flush=True)

    with tempfile.TemporaryDirectory(prefix="soak-bot-") as folder:
        return asyncio.run(_run(Path(folder), progress))


def table(rows: list[dict]) -> str:
    lines = ["| mode | tried | survived | notes |", "|---|---:|---:|---|"]
    lines += [f"| {r['mode']} | {r['tried']} | {r['survived']} | {r['notes']} |" for r in rows]
    return "\n".join(lines)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--bot-worker", nargs=2, metavar=("URL", "INDEX"), help=argparse.SUPPRESS)
    parser.add_argument("--shard", metavar="N/COUNT", help=argparse.SUPPRESS)
    parser.add_argument("--quick", action="store_true", help="a smoke run: 40 at once, 1,000 questions")
    parser.add_argument("--only", default="", help="modes after the first, e.g. index,slow")
    parser.add_argument("--bot-log", type=Path, help="keep the bot process's log in this file")
    arguments = parser.parse_args()
    ONLY.update(filter(None, arguments.only.split(",")))
    if arguments.bot_log:
        global BOT_LOG
        BOT_LOG = arguments.bot_log
    if arguments.bot_worker:
        os.environ.setdefault("HF_HUB_OFFLINE", "1")
        shards = tuple(int(n) for n in arguments.shard.split("/")) if arguments.shard else None
        bot_worker(arguments.bot_worker[0], Path(arguments.bot_worker[1]), shards)
        return
    if arguments.quick:
        global CONCURRENT, MEMORY_QUESTIONS
        CONCURRENT, MEMORY_QUESTIONS = 40, (200, 1_000)
    started = time.monotonic()
    print(table(run()))
    print(f"\n({time.monotonic() - started:.0f} s)")


if __name__ == "__main__":
    main()
