"""The feeds followed and the entries already seen, in `feeds.sqlite` beside the index.

Times are stored as ISO 8601 text in UTC. A feed whose `next_try` is empty is due at
every poll; one that failed waits until its `next_try`.
"""

import threading
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path
from urllib.parse import urlsplit

from index.errors import IndexingError
from index.side_files import open_beside_index
from index.store_schema import Transaction

FEEDS_FILE = "feeds.sqlite"

_SCHEMA = """
CREATE TABLE IF NOT EXISTS feeds (
    url TEXT PRIMARY KEY,
    title TEXT,
    etag TEXT,
    last_modified TEXT,
    added_at TEXT NOT NULL,
    last_polled TEXT,
    last_error TEXT,
    failures INTEGER NOT NULL DEFAULT 0,
    next_try TEXT
);
CREATE TABLE IF NOT EXISTS entries (
    feed_url TEXT NOT NULL,
    entry_key TEXT NOT NULL,
    updated TEXT,
    article_url TEXT,
    first_seen TEXT NOT NULL,
    PRIMARY KEY (feed_url, entry_key)
);
"""
_FEED_COLUMNS = (
    "url, title, etag, last_modified, added_at, last_polled, last_error, failures, next_try, "
    "(SELECT count(*) FROM entries WHERE entries.feed_url = feeds.url)"
)


class FeedProblem(IndexingError):
    """A feed address that cannot be followed, or a feed that is not followed."""


@dataclass(frozen=True)
class Feed:
    url: str
    title: str | None
    etag: str | None
    last_modified: str | None
    added_at: datetime
    last_polled: datetime | None
    last_error: str | None
    failures: int
    next_try: datetime | None
    entries_seen: int

    def is_due(self, now: datetime) -> bool:
        return self.next_try is None or self.next_try <= now

    def summary(self) -> str:
        """One line: address, title, last poll, entries seen, and any failure with the next try."""
        line = (f"{self.url}  {self.title or '(no title yet)'}  last polled {_shown(self.last_polled)}, "
                f"{self.entries_seen} entries seen")
        if self.last_error:
            times = "once" if self.failures == 1 else f"{self.failures} times in a row"
            line += f"; failed {times}: {self.last_error}; next try {_shown(self.next_try)}"
        return line


@dataclass(frozen=True)
class SeenEntry:
    feed_url: str
    key: str
    updated: str | None  # the entry's updated (else published) value when it was last read
    article_url: str | None  # None when no article could be made of it
    first_seen: datetime


class FeedStore:
    """A small SQLite file beside the index; safe to use from several threads."""

    def __init__(self, directory: Path):
        self.path = directory / FEEDS_FILE
        self._lock = threading.Lock()
        self._db = open_beside_index(directory, FEEDS_FILE, _SCHEMA)

    def close(self) -> None:
        self._db.close()

    # -- the feeds followed -------------------------------------------------------------

    def add(self, url: str, now: datetime | None = None) -> bool:
        """Follow the feed at `url`; False when it is already followed."""
        url = url.strip()
        parts = urlsplit(url)
        if parts.scheme not in ("http", "https") or not parts.hostname:
            raise FeedProblem(
                f"{url!r} is not an http(s) address; give the feed's full URL, e.g. "
                "https://example.com/feed.xml"
            )
        with self._lock:
            cursor = self._db.execute(
                "INSERT OR IGNORE INTO feeds (url, added_at) VALUES (?, ?)", (url, _text(_now(now))))
        return cursor.rowcount == 1

    def remove(self, url: str) -> int:
        """Stop following a feed and forget its entries (its indexed articles stay); the
        number of entries forgotten."""
        url = url.strip()
        with self._lock, Transaction(self._db):
            if not self._db.execute("DELETE FROM feeds WHERE url = ?", (url,)).rowcount:
                raise FeedProblem(f"no feed {url} is followed; `python bot.py feeds list` shows them")
            return self._db.execute("DELETE FROM entries WHERE feed_url = ?", (url,)).rowcount

    def feeds(self) -> list[Feed]:
        with self._lock:
            rows = self._db.execute(f"SELECT {_FEED_COLUMNS} FROM feeds ORDER BY added_at, url").fetchall()
        return [_feed(row) for row in rows]

    def feed(self, url: str) -> Feed | None:
        with self._lock:
            row = self._db.execute(
                f"SELECT {_FEED_COLUMNS} FROM feeds WHERE url = ?", (url.strip(),)).fetchone()
        return _feed(row) if row else None

    # -- what a poll found ----------------------------------------------------------------

    def seen_entries(self, feed_url: str) -> dict[str, SeenEntry]:
        """The feed's entries already read, by key."""
        with self._lock:
            rows = self._db.execute(
                "SELECT feed_url, entry_key, updated, article_url, first_seen FROM entries "
                "WHERE feed_url = ?", (feed_url,),
            ).fetchall()
        return {row[1]: SeenEntry(row[0], row[1], row[2], row[3], _time(row[4])) for row in rows}

    def record_fetched(
        self, url: str, title: str | None, etag: str | None, last_modified: str | None,
        polled_at: datetime, entries: Iterable[SeenEntry],
    ) -> None:
        """A successful poll: the feed's validators and title, its failures cleared, and the
        entries read marked seen (their first sighting kept), all in one transaction."""
        with self._lock, Transaction(self._db):
            followed = self._db.execute(
                "UPDATE feeds SET title = coalesce(?, title), etag = ?, last_modified = ?, last_polled = ?, "
                "last_error = NULL, failures = 0, next_try = NULL WHERE url = ?",
                (title, etag, last_modified, _text(polled_at), url),
            ).rowcount
            if not followed:  # removed while it was being polled
                return
            self._db.executemany(
                "INSERT INTO entries (feed_url, entry_key, updated, article_url, first_seen) "
                "VALUES (?, ?, ?, ?, ?) ON CONFLICT (feed_url, entry_key) DO UPDATE SET "
                "updated = excluded.updated, article_url = coalesce(excluded.article_url, article_url)",
                [(url, e.key, e.updated, e.article_url, _text(e.first_seen)) for e in entries],
            )

    def record_not_modified(self, url: str, polled_at: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE feeds SET last_polled = ?, last_error = NULL, failures = 0, next_try = NULL "
                "WHERE url = ?", (_text(polled_at), url))

    def record_failure(self, url: str, error: str, polled_at: datetime, failures: int,
                       next_try: datetime) -> None:
        with self._lock:
            self._db.execute(
                "UPDATE feeds SET last_polled = ?, last_error = ?, failures = ?, next_try = ? WHERE url = ?",
                (_text(polled_at), error, failures, _text(next_try), url))


def _feed(row) -> Feed:
    url, title, etag, last_modified, added_at, last_polled, last_error, failures, next_try, seen = row
    return Feed(url, title, etag, last_modified, _time(added_at), _time(last_polled), last_error,
                failures, _time(next_try), seen)


def _now(now: datetime | None) -> datetime:
    return now or datetime.now(UTC)


def _text(moment: datetime) -> str:
    return moment.astimezone(UTC).isoformat()


def _time(text: str | None) -> datetime | None:
    return datetime.fromisoformat(text) if text else None


def _shown(moment: datetime | None) -> str:
    return moment.astimezone(UTC).strftime("%Y-%m-%d %H:%M UTC") if moment else "never"
