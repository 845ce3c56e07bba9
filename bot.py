"""News passage bot: ask questions about news articles, get cited passages back.

    python bot.py index PATH... [--index DIR] [--ray [ADDRESS]]
    python bot.py ask "QUESTION" [--index DIR] [--k N] [--article A] [--as-of DAY] [--json]
    python bot.py ask --json < questions.txt      (one question per line, JSON lines out)
    python bot.py timeline "TOPIC" [--as-of DAY] [--json]  (each story about it, oldest first)
    python bot.py chat | sources | forget ID
    python bot.py feeds add URL | remove URL | list | poll   (RSS, Atom and JSON feeds)
    python bot.py watch add "QUESTION" | list | remove ID  (`feeds poll` prints new answers)
    python bot.py run [--local] [--shards 0,1/4]  (the Discord bot, polling the feeds; token: DISCORD_TOKEN)
"""

import argparse
import dataclasses
import logging
import os
import sqlite3
import sys
from pathlib import Path

os.environ.setdefault("HF_HUB_OFFLINE", "1")  # never download anything at run time

from cli.argument_values import passage_count, shards, worker_count  # noqa: E402
from cli.feed_commands import feeds_add, feeds_list, feeds_poll, feeds_remove  # noqa: E402
from cli.opening import open_feed_store, open_library, open_searcher, open_watch_store, progress_bar  # noqa: E402
from cli.privacy_commands import discord_user_id, forget_user  # noqa: E402
from cli.question_lines import answer_json_lines, as_of_day  # noqa: E402
from cli.watch_commands import watch_add, watch_list, watch_remove  # noqa: E402
from index.disk_space import disk_full_error, is_disk_full  # noqa: E402
from index.errors import IndexingError  # noqa: E402
from retrieval.render import answer_to_json, json_line, render_text  # noqa: E402
from settings import DEFAULT_CONFIG, ConfigError, Settings, load_settings  # noqa: E402

log = logging.getLogger("bot")


def main(argv: list[str] | None = None) -> int:
    arguments = _parser().parse_args(argv)
    logging.basicConfig(level=logging.WARNING, format="%(levelname)s: %(message)s")
    settings = None
    try:
        settings = load_settings(arguments.config)
        return arguments.command(arguments, settings)
    except (IndexingError, ConfigError) as error:
        print(f"error: {error}", file=sys.stderr)
        return 1
    except (sqlite3.DatabaseError, OSError) as error:
        folder = getattr(arguments, "index", None) or (settings.index_dir if settings else Path.cwd())
        if is_disk_full(error, folder):  # feeds.sqlite, watches.sqlite...: not damaged, only full
            print(f"error: {disk_full_error(error, folder)}", file=sys.stderr)
            return 1
        if isinstance(error, OSError):
            raise
        print(f"error: the index is damaged ({error}); move it away and index again", file=sys.stderr)
        return 1
    except KeyboardInterrupt:
        print("interrupted; everything indexed before this point is kept", file=sys.stderr)
        return 130


# -- commands ---------------------------------------------------------------------------


def command_index(arguments, settings: Settings) -> int:
    paths = [Path(p) for p in arguments.paths]
    if arguments.workers and not arguments.ray:
        raise IndexingError("--workers is for --ray: give --ray too, or leave --workers out")
    if arguments.ray:  # Ray reads, splits and embeds (index/ray_ingest.py); ray is imported only here
        from cli.opening import encoder_cache_dir
        from index.ray_ingest import ingest_with_ray

        library = open_library(arguments, settings)
        report = ingest_with_ray(library, paths, address=arguments.ray, quantized=settings.quantized_encoder,
                                 progress=progress_bar, onnx_cache=encoder_cache_dir(),
                                 concurrency=arguments.workers)
    else:
        # the model loads while the files are read and split (bench/perf.py: ingest)
        library = open_library(arguments, settings, preload_model=True)
        report = library.ingest(paths, progress=progress_bar)
    for error in report.errors:
        print(f"error: {error}", file=sys.stderr)
    print(report.summary())
    return 1 if report.errors else 0


def command_ask(arguments, settings: Settings) -> int:
    searcher = open_searcher(arguments, settings)
    if arguments.question is None:
        if not arguments.json:
            raise IndexingError('give a question, e.g. ask "What did Zhao Lijian say?", or use --json')
        return answer_json_lines(searcher, arguments, sys.stdin, sys.stdout)
    answer = searcher.ask(arguments.question, k=arguments.k, article=arguments.article,
                          as_of=as_of_day(arguments.as_of))
    if arguments.json:
        print(json_line(answer_to_json(answer)))
    else:
        print(render_text(answer))
    return 0


def command_timeline(arguments, settings: Settings) -> int:
    from retrieval.timeline import render_timeline_text, timeline_to_json

    timeline = open_searcher(arguments, settings).timeline(arguments.topic, as_of=as_of_day(arguments.as_of))
    if arguments.json:
        print(json_line(timeline_to_json(timeline)))
    else:
        print(render_timeline_text(timeline))
    return 0


def command_chat(arguments, settings: Settings) -> int:
    """A terminal chat whose replies are the Discord bot's embeds, shown as text."""
    from discord_bot.replies import ReplyStyle, answer_embed

    searcher = open_searcher(arguments, settings)
    style = ReplyStyle(colour=settings.discord.embed_colour)
    print("Ask about the indexed articles. An empty line or Ctrl-D quits.")
    while True:
        try:
            question = input("\nyou> ")
        except EOFError:
            return 0
        if not question.strip():
            return 0
        try:
            answer = searcher.ask(question, k=arguments.k, article=arguments.article,
                                  as_of=as_of_day(arguments.as_of))
            embed = answer_embed(answer, style)
            reply = f"== {embed.title} ==\n{embed.description}"
        except IndexingError as error:
            reply = str(error)
        print("\nbot> " + reply.replace("\n", "\n     "))


def command_run(arguments, settings: Settings) -> int:
    """The Discord bot: on Discord with DISCORD_TOKEN, or on the local stand-in with --local."""
    import asyncio

    from discord_bot.answer_log import AnswerLog
    from discord_bot.client import news_bot
    from discord_bot.feed_polling import FeedPolling
    from discord_bot.runner import TokenProblem, run_locally, run_on_discord

    logging.getLogger().setLevel(logging.INFO)
    logging.getLogger("discord").setLevel(logging.WARNING)
    logging.getLogger("discord.client").addFilter(lambda r: "voice will NOT" not in r.getMessage())
    if arguments.shards:
        shard_ids, shard_count = arguments.shards
        settings = dataclasses.replace(settings, discord=dataclasses.replace(
            settings.discord, shard_ids=shard_ids, shard_count=shard_count))
    searcher = open_searcher(arguments, settings)
    feed_polling = FeedPolling(searcher.library, open_feed_store(arguments, settings),
                               settings.discord.fetch, settings.feeds)
    bot = news_bot(
        searcher,
        AnswerLog(searcher.library.directory / "answers.sqlite", settings.discord.answer_log_retention_days),
        settings.discord,
        feed_polling,
        open_watch_store(arguments, settings),
        guild_ready_timeout=0.1 if arguments.local else 2.0,
    )
    try:
        if arguments.local:
            asyncio.run(run_locally(bot))
        else:
            asyncio.run(run_on_discord(bot, os.environ.get("DISCORD_TOKEN")))
    except TokenProblem as problem:
        print(f"error: {problem}", file=sys.stderr)
        return 1
    return 0


def command_sources(arguments, settings: Settings) -> int:
    library = open_library(arguments, settings)
    articles = library.articles()
    if not articles:
        print("No articles indexed yet: `python bot.py index PATH...` adds some.")
    for article in articles:
        source = article.url or Path(article.source.split("#")[0]).name
        by = f", by {article.author}" if article.author else ""
        print(f"{article.article_id}  {article.title}  ({article.paragraphs} paragraphs, {source}{by})")
    return 0


def command_forget(arguments, settings: Settings) -> int:
    library = open_library(arguments, settings)
    article = library.forget(arguments.article)
    print(f"forgot {article.article_id}: {article.title}")
    return 0


# -- composition --------------------------------------------------------------------------


def _parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="bot.py", description=__doc__.splitlines()[0])
    parser.add_argument("--config", type=Path, default=DEFAULT_CONFIG, help="settings file")
    commands = parser.add_subparsers(required=True, metavar="COMMAND")

    def command(name, handler, help_text, within=commands):
        sub = within.add_parser(name, help=help_text, description=help_text)
        sub.set_defaults(command=handler)
        sub.add_argument("--index", type=Path, help="index folder (default: index.dir in config.toml)")
        return sub

    index = command("index", command_index, "add articles (.txt .md .html .jsonl files or folders)")
    index.add_argument("paths", nargs="+", metavar="PATH")
    index.add_argument("--ray", nargs="?", const="local", metavar="ADDRESS",
                       help="read, split and embed in Ray (requirements-scale.txt): on this machine, "
                            "or on the cluster at ADDRESS (HOST:PORT)")
    index.add_argument("--workers", type=worker_count, metavar="N",
                       help="with --ray: encoder actors (default: one per CPU Ray sees)")

    ask = command("ask", command_ask, "answer one question, or one per stdin line with --json")
    ask.add_argument("question", nargs="?", help="the question (omit with --json to read stdin)")
    for sub in (ask, command("chat", command_chat, "chat with the bot in this terminal")):
        sub.add_argument("--k", type=passage_count, help="passages per answer (1-25)")
        sub.add_argument("--article", help="only this article: id, exact title or file name")
        sub.add_argument("--as-of", metavar="YYYY-MM-DD",
                         help='the day "today", "this week" and the like are read against (default: today)')
    ask.add_argument("--json", action="store_true", help="print JSON instead of text")
    timeline = command("timeline", command_timeline,
                       "the best passage of each story about a topic, oldest first")
    timeline.add_argument("topic", metavar="TOPIC", help='e.g. "ferry strike", or "ferry strike in June"')
    timeline.add_argument("--as-of", metavar="YYYY-MM-DD",
                          help='the day "this week" and the like are read against (default: today)')
    timeline.add_argument("--json", action="store_true", help="print JSON instead of text")

    run = command("run", command_run, "run the Discord bot (token from DISCORD_TOKEN)")
    run.add_argument("--shards", type=shards, metavar="IDS/COUNT",
                     help="connect as these of COUNT gateway shards, e.g. 0,1/4 (default: [discord])")
    run.add_argument("--local", action="store_true",
                     help="run against a local Discord stand-in and chat with it in this terminal")

    command("sources", command_sources, "list the indexed articles")
    forget = command("forget", command_forget, "remove an article from the index")
    forget.add_argument("article", metavar="ID", help="article id, exact title or file name")
    about = "a deletion request: delete what the answer log keeps about one Discord user"
    forget_who = command("forget-user", forget_user, about)
    forget_who.add_argument("user_id", metavar="ID", type=discord_user_id, help="the Discord user id")

    feeds = commands.add_parser("feeds", help="follow RSS, Atom and JSON feeds and index their entries",
                                description="follow RSS, Atom and JSON feeds and index their entries")
    actions = feeds.add_subparsers(required=True, metavar="ACTION")
    add = command("add", feeds_add, "follow a feed (read at the next poll)", actions)
    add.add_argument("url", metavar="URL", help="the feed's address, http(s)")
    remove = command("remove", feeds_remove,
                     "stop following a feed and forget its entries (its articles stay indexed)", actions)
    remove.add_argument("url", metavar="URL")
    command("list", feeds_list, "list the feeds, when each was polled, and any failure", actions)
    command("poll", feeds_poll, "poll the feeds that are due, once, and index new entries (for cron)",
            actions)

    about = "standing questions: `feeds poll` prints each new passage that answers one"
    watch = commands.add_parser("watch", help=about, description=about)
    actions = watch.add_subparsers(required=True, metavar="ACTION")
    add = command("add", watch_add, "watch a question", actions)
    add.add_argument("query", metavar="QUESTION",
                     help='the question to watch, e.g. "Did the ferry strike end?"')
    command("list", watch_list, "list the watches (Discord channels' too) with their ids", actions)
    remove = command("remove", watch_remove, "stop a watch", actions)
    remove.add_argument("watch_id", metavar="ID", type=int, help="the watch's id, from `watch list`")
    return parser


if __name__ == "__main__":
    sys.exit(main())
