"""`bot.py watch add|list|remove`: standing questions that `feeds poll` answers."""

from cli.opening import open_watch_store
from settings import Settings


def watch_add(arguments, settings: Settings) -> int:
    watch = open_watch_store(arguments, settings).add(arguments.query)
    print(f"watching for: {watch.query} (watch {watch.watch_id}); `python bot.py feeds poll` prints "
          "each new passage that answers it")
    return 0


def watch_list(arguments, settings: Settings) -> int:
    watches = open_watch_store(arguments, settings).watches()
    if not watches:
        print('No watches yet: `python bot.py watch add "QUESTION"` adds one.')
    for watch in watches:
        print(watch.summary())
    return 0


def watch_remove(arguments, settings: Settings) -> int:
    watch = open_watch_store(arguments, settings).remove(arguments.watch_id)
    print(f"stopped watching for: {watch.query} (watch {watch.watch_id})")
    return 0
