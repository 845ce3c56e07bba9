"""The watches (standing questions) and the alerts they sent, in `watches.sqlite` beside the index.

A watch belongs to a Discord channel, or to the command line when its channel is empty.
An alert is one passage shown for one watch: posted alone or in a digest in Discord,
printed by `feeds poll`, or logged by the bot for a command-line watch. Times are ISO 8601
text in UTC, always with microseconds, so that they compare as text.
"""

import hashlib
import threading
from collections.abc import Sequence
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from typing import Literal

from index.errors import IndexingError
from index.side_files import open_beside_index
from index.store_schema import Transaction
from retrieval.answer import FoundPassage

WATCHES_FILE = "watches.sqlite"
MAX_QUERY_CHARS = 200

Delivery = Literal["alone", "digest", "printed", "logged"]

# AUTOINCREMENT: the id of a removed watch is never given to a new one
_SCHEMA = """
CREATE TABLE IF NOT EXISTS watches (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    query TEXT NOT NULL,
    channel_id INTEGER,
    guild_id INTEGER,
    added_by INTEGER,
    added_at TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS watches_by_channel ON watches (channel_id);
CREATE TABLE IF NOT EXISTS alerts (
    watch_id INTEGER NOT NULL,
    passage_id INTEGER NOT NULL,
    article_id TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    delivery TEXT NOT NULL,
    sent_at TEXT NOT NULL,
    PRIMARY KEY (watch_id, passage_id)
);
CREATE INDEX IF NOT EXISTS alerts_by_text ON alerts (watch_id, text_hash);
CREATE INDEX IF NOT EXISTS alerts_by_time ON alerts (watch_id, sent_at);
"""
_WATCH_COLUMNS = (
    "id, query, channel_id, guild_id, added_by, added_at, "
    "(SELECT count(*) FROM alerts WHERE alerts.watch_id = watches.id)"
)


class WatchProblem(IndexingError):
    """A watch's question that cannot be watched, or a watch that does not exist."""


@dataclass(frozen=True)
class Watch:
    watch_id: int
    query: str
    channel_id: int | None  # None: a command-line watch, printed by `feeds poll`
    guild_id: int | None
    added_by: int | None  # the Discord user who added it; None from the command line
    added_at: datetime
    alerts: int  # passages shown for it so far

    def summary(self) -> str:
        """One line for `watch list`: id, question, where its alerts go, when added, alerts."""
        by = "" if self.added_by is None else f"by user {self.added_by} "
        where = ("for `feeds poll`" if self.channel_id is None
                 else f"{by}in Discord channel {self.channel_id}")
        alerts = "1 alert" if self.alerts == 1 else f"{self.alerts} alerts"
        return f"{self.watch_id}  {self.query}  (added {_shown(self.added_at)} {where}; {alerts})"


def clean_query(query: str) -> str:
    """The watch's question with its whitespace folded; WatchProblem if empty or too long."""
    text = " ".join((query or "").split())
    if not text:
        raise WatchProblem("the question to watch is empty; give one, e.g. Did the ferry strike end?")
    if len(text) > MAX_QUERY_CHARS:
        raise WatchProblem(
            f"the question to watch is {len(text):,} characters; keep it under {MAX_QUERY_CHARS}")
    return text


class WatchStore:
    """A small SQLite file beside the index; safe to use from several threads."""

    def __init__(self, directory: Path):
        self.path = directory / WATCHES_FILE
        self._lock = threading.Lock()
        self._db = open_beside_index(directory, WATCHES_FILE, _SCHEMA)

    def close(self) -> None:
        self._db.close()

    # -- the watches --------------------------------------------------------------------

    def add(self, query: str, channel_id: int | None = None, guild_id: int | None = None,
            added_by: int | None = None, now: datetime | None = None) -> Watch:
        """A new watch of `query`: in a Discord channel, or for the command line without one."""
        query = clean_query(query)
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO watches (query, channel_id, guild_id, added_by, added_at) "
                "VALUES (?, ?, ?, ?, ?)",
                (query, channel_id, guild_id, added_by, _text(now or datetime.now(UTC))))
        return self.watch(cursor.lastrowid)

    def remove(self, watch_id: int) -> Watch:
        """Stop a watch and forget its alerts; the watch as it was."""
        with self._lock, Transaction(self._db):
            row = self._select_one(watch_id)
            if row is None:
                raise WatchProblem(f"there is no watch {watch_id}; `python bot.py watch list` shows them")
            self._db.execute("DELETE FROM watches WHERE id = ?", (watch_id,))
            self._db.execute("DELETE FROM alerts WHERE watch_id = ?", (watch_id,))
        return _watch(row)

    def forget_user(self, user_id: int) -> int:
        """A deletion request: the watches `user_id` added no longer name them (they stay,
        the channel's); how many there were."""
        with self._lock:
            return self._db.execute(
                "UPDATE watches SET added_by = NULL WHERE added_by = ?", (user_id,)).rowcount

    def watch(self, watch_id: int) -> Watch | None:
        with self._lock:
            row = self._select_one(watch_id)
        return _watch(row) if row else None

    def watches(self) -> list[Watch]:
        """Every watch, oldest first."""
        with self._lock:
            rows = self._db.execute(f"SELECT {_WATCH_COLUMNS} FROM watches ORDER BY id").fetchall()
        return [_watch(row) for row in rows]

    def channel_watches(self, channel_id: int) -> list[Watch]:
        """The watches of one Discord channel, oldest first."""
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_WATCH_COLUMNS} FROM watches WHERE channel_id = ? ORDER BY id", (channel_id,)
            ).fetchall()
        return [_watch(row) for row in rows]

    def _select_one(self, watch_id: int):
        return self._db.execute(f"SELECT {_WATCH_COLUMNS} FROM watches WHERE id = ?", (watch_id,)).fetchone()

    # -- the alerts ---------------------------------------------------------------------

    def has_alerted(self, watch_id: int, passage: FoundPassage) -> bool:
        """Whether this passage, or one with the same text (an article replaced by a new version,
        a wire story in two feeds), was already shown for the watch."""
        with self._lock:
            row = self._db.execute(
                "SELECT 1 FROM alerts WHERE watch_id = ? AND (passage_id = ? OR text_hash = ?)",
                (watch_id, passage.passage_id, _hash(passage.text))).fetchone()
        return row is not None

    def record_alerts(self, watch_id: int, passages: Sequence[FoundPassage], delivery: Delivery,
                      now: datetime | None = None) -> None:
        sent_at = _text(now or datetime.now(UTC))
        with self._lock, Transaction(self._db):
            self._db.executemany(
                "INSERT OR IGNORE INTO alerts (watch_id, passage_id, article_id, text_hash, delivery, "
                "sent_at) VALUES (?, ?, ?, ?, ?, ?)",
                [(watch_id, p.passage_id, p.citation.article_id, _hash(p.text), delivery, sent_at)
                 for p in passages])

    def alerts_since(self, watch_id: int, since: datetime, delivery: Delivery) -> int:
        """How many alerts of the watch went out this way since `since`."""
        with self._lock:
            [count] = self._db.execute(
                "SELECT count(*) FROM alerts WHERE watch_id = ? AND delivery = ? AND sent_at > ?",
                (watch_id, delivery, _text(since))).fetchone()
        return count


def _watch(row) -> Watch:
    watch_id, query, channel_id, guild_id, added_by, added_at, alerts = row
    return Watch(watch_id, query, channel_id, guild_id, added_by, datetime.fromisoformat(added_at), alerts)


def _hash(text: str) -> str:
    return hashlib.sha256(" ".join(text.split()).encode()).hexdigest()


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat(timespec="microseconds")


def _shown(moment: datetime) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC")
