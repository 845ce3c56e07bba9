"""What the bot answered, so buttons can act on it after a restart, and the 👍/👎 it got."""

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from pathlib import Path

_SCHEMA = """
CREATE TABLE IF NOT EXISTS answers (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    question TEXT NOT NULL,
    article_id TEXT,
    passage_ids TEXT NOT NULL,
    user_id INTEGER,
    channel_id INTEGER,
    asked_at TEXT NOT NULL
);
CREATE TABLE IF NOT EXISTS feedback (
    answer_id INTEGER NOT NULL REFERENCES answers (id),
    user_id INTEGER NOT NULL,
    vote INTEGER NOT NULL CHECK (vote IN (-1, 1)),
    question TEXT NOT NULL,
    passage_ids TEXT NOT NULL,
    voted_at TEXT NOT NULL,
    PRIMARY KEY (answer_id, user_id)
);
"""


@dataclass(frozen=True)
class LoggedAnswer:
    answer_id: int
    question: str
    article_id: str | None
    passage_ids: tuple[int, ...]


@dataclass(frozen=True)
class Vote:
    answer_id: int
    user_id: int
    vote: int
    question: str
    passage_ids: tuple[int, ...]


class AnswerLog:
    """A small SQLite file beside the index; safe to use from several threads."""

    def __init__(self, path: Path):
        self._lock = threading.Lock()
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        self._db.executescript(_SCHEMA)

    def record_answer(self, question: str, article_id: str | None, passage_ids: list[int],
                      user_id: int | None, channel_id: int | None) -> int:
        with self._lock:
            cursor = self._db.execute(
                "INSERT INTO answers (question, article_id, passage_ids, user_id, channel_id, asked_at)"
                " VALUES (?, ?, ?, ?, ?, ?)",
                (question, article_id, json.dumps(passage_ids), user_id, channel_id, _now()),
            )
            return cursor.lastrowid

    def answer(self, answer_id: int) -> LoggedAnswer | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id, question, article_id, passage_ids FROM answers WHERE id = ?", (answer_id,)
            ).fetchone()
        if row is None:
            return None
        return LoggedAnswer(row[0], row[1], row[2], tuple(json.loads(row[3])))

    def record_vote(self, answer: LoggedAnswer, user_id: int, vote: int) -> None:
        """One vote per person per answer; voting again replaces the earlier vote."""
        with self._lock:
            self._db.execute(
                "INSERT OR REPLACE INTO feedback (answer_id, user_id, vote, question, passage_ids,"
                " voted_at) VALUES (?, ?, ?, ?, ?, ?)",
                (answer.answer_id, user_id, vote, answer.question, json.dumps(answer.passage_ids), _now()),
            )

    def votes(self) -> list[Vote]:
        with self._lock:
            rows = self._db.execute(
                "SELECT answer_id, user_id, vote, question, passage_ids FROM feedback ORDER BY voted_at"
            ).fetchall()
        return [Vote(r[0], r[1], r[2], r[3], tuple(json.loads(r[4]))) for r in rows]

    def close(self) -> None:
        with self._lock:
            self._db.close()


def _now() -> str:
    return datetime.now(UTC).isoformat(timespec="seconds")
