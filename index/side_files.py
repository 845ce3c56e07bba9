"""The index folder, and the small SQLite files kept in it beside the index itself
(feeds.sqlite, watches.sqlite)."""

import contextlib
import fcntl
import logging
import sqlite3
from collections.abc import Iterator
from pathlib import Path

from index.errors import DamagedIndex

log = logging.getLogger(__name__)

WRITER_LOCK = "writer.lock"


def index_folder(directory: Path) -> Path:
    """The index folder, made when missing; DamagedIndex when a file stands in its place."""
    if directory.exists() and not directory.is_dir():
        raise DamagedIndex(f"{directory} is a file, not an index folder; choose another --index")
    directory.mkdir(parents=True, exist_ok=True)
    return directory


def open_beside_index(directory: Path, file_name: str, schema: str) -> sqlite3.Connection:
    """A SQLite file in the index folder with its tables made, for use from several threads."""
    db = sqlite3.connect(index_folder(directory) / file_name, check_same_thread=False, isolation_level=None)
    db.execute("PRAGMA journal_mode = WAL")
    db.executescript(schema)
    return db


@contextlib.contextmanager
def writer_turn(directory: Path) -> Iterator[None]:
    """Hold the index folder's writer lock: processes writing one index (a `bot.py index`
    beside a running bot, the processes of a sharded bot) take turns. The kernel drops the
    lock of a process that dies, so a killed writer never blocks the next."""
    with open(index_folder(directory) / WRITER_LOCK, "a") as handle:
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            log.info("another process is writing to %s; waiting for its turn to end", directory)
            fcntl.flock(handle, fcntl.LOCK_EX)
        try:
            yield
        finally:
            fcntl.flock(handle, fcntl.LOCK_UN)
