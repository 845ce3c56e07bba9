"""Discord-side timings, run by hand: start to ready, and 50 questions asked at once.

    python bench/discord_load.py

Both against the local Discord stand-in (harness/) with the real discord.py client and
the real model, on the bundled sample article.
"""

import asyncio
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))


def start_to_ready(index_dir: Path) -> tuple[float, float]:
    """Seconds from `bot.py run --local` starting to the bot being ready, and to a first answer."""
    started = time.perf_counter()
    process = subprocess.Popen(
        [sys.executable, "bot.py", "run", "--local", "--index", str(index_dir)],
        cwd=ROOT, stdin=subprocess.PIPE, stdout=subprocess.PIPE, stderr=subprocess.DEVNULL, text=True,
    )
    process.stdout.readline()
    ready = time.perf_counter() - started
    process.stdin.write("What did Zhao Lijian say?\n")
    process.stdin.flush()
    while not process.stdout.readline().startswith("[More results]"):
        pass
    answered = time.perf_counter() - started
    process.stdin.close()
    process.wait(timeout=30)
    return ready, answered


async def fifty_at_once(index_dir: Path) -> tuple[float, float]:
    from discord_bot.answer_log import AnswerLog
    from discord_bot.bot_settings import BotSettings
    from discord_bot.client import NewsBot
    from harness import DiscordStandIn, running_client
    from index.embedder import MiniLMEmbedder
    from index.library import Library
    from retrieval.search import Searcher, SearchSettings

    library = Library(index_dir, MiniLMEmbedder())
    searcher = Searcher(library, SearchSettings())
    searcher.ask("warm up")
    bot = NewsBot(searcher, AnswerLog(index_dir / "answers.sqlite"), BotSettings(cooldown_seconds=0),
                  guild_ready_timeout=0.05)
    async with DiscordStandIn() as standin, running_client(bot, standin):
        general = standin.channel("general").id
        questions = [f"<@{standin.bot.id}> What did Zhao Lijian say?"] * 50
        started = time.perf_counter()
        await asyncio.gather(*(standin.send_message(general, standin.member, q) for q in questions))

        def answers():
            return [m for m in standin.world.messages.values() if m.author.id == standin.bot.id and m.embeds]

        await standin.wait_until(lambda: len(answers()) >= 50, timeout=300, what="50 answers")
        all_fifty = time.perf_counter() - started
        single = []
        for _ in range(10):
            t = time.perf_counter()
            searcher.ask("What did Zhao Lijian say?")
            single.append(time.perf_counter() - t)
    return all_fifty, statistics.median(single)


def main() -> None:
    with tempfile.TemporaryDirectory() as folder:
        index_dir = Path(folder) / "index"
        subprocess.run([sys.executable, "bot.py", "index", "data/articles", "--index", str(index_dir)],
                       cwd=ROOT, check=True, capture_output=True)
        ready, answered = start_to_ready(index_dir)
        print(f"run --local: ready after {ready:.2f} s, first answer after {answered:.2f} s")
        all_fifty, single = asyncio.run(fifty_at_once(index_dir))
        print(f"50 mentions at once: all answered in {all_fifty:.2f} s "
              f"({all_fifty / 50 * 1000:.0f} ms each; one search alone takes {single * 1000:.1f} ms)")


if __name__ == "__main__":
    main()
