"""`bot.py forget-user ID`: a deletion request. Everything the bot keeps about one Discord
user goes: the questions they asked and their 👍/👎 in the answer log, other people's votes
that copy their questions, and their id on the watches they added (the watches stay: they
belong to the channel)."""

from pathlib import Path

from settings import Settings


def forget_user(arguments, settings: Settings) -> int:
    from discord_bot.answer_log import ANSWERS_FILE, AnswerLog
    from watches.watch_store import WATCHES_FILE, WatchStore

    folder = Path(arguments.index or settings.index_dir)
    user_id = arguments.user_id
    answers = votes = watches = 0
    if (folder / ANSWERS_FILE).exists():  # never create a log (or an index folder) to empty it
        log = AnswerLog(folder / ANSWERS_FILE, settings.discord.answer_log_retention_days)
        try:
            forgotten = log.forget_user(user_id)
        finally:
            log.close()
        answers, votes = forgotten.answers, forgotten.votes
    if (folder / WATCHES_FILE).exists():
        store = WatchStore(folder)
        try:
            watches = store.forget_user(user_id)
        finally:
            store.close()
    print(f"forgot user {user_id}: {_counted(answers, 'answer')} and {_counted(votes, 'vote')} deleted "
          f"from the answer log; {_counted(watches, 'watch', 'watches')} no longer name them")
    return 0


def discord_user_id(value: str) -> int:
    """argparse type: a Discord user id, a positive whole number (a snowflake)."""
    import argparse

    text = value.strip().removeprefix("<@").removeprefix("!").removesuffix(">")
    if not text.isascii() or not text.isdigit() or not 0 < int(text) < 2**64:
        raise argparse.ArgumentTypeError(
            f"must be a Discord user id (a number like 123456789012345678), got {value!r}")
    return int(text)


def _counted(number: int, singular: str, plural: str | None = None) -> str:
    return f"{number} {singular if number == 1 else plural or singular + 's'}"
