"""The index folder, and the small SQLite files kept in it beside the index itself
(feeds.sqlite, watches.sqlite)."""

import sqlite3
from pathlib import Path

from index.errors import DamagedIndex


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
