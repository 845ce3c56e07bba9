"""What the bot answered, so buttons can act on it after a restart, and the 👍/👎 it got.

Who asked or voted is kept as the Discord user id only (no name), for
`discord.answer_log_retention_days`: older answers and votes are deleted when the log is
opened and then at most hourly as answers come in. `forget_user` deletes everything one
person asked or voted (`python bot.py forget-user ID`), overwriting it on disk.
"""

import json
import sqlite3
import threading
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

ANSWERS_FILE = "answers.sqlite"
DEFAULT_RETENTION_DAYS = 90
PRUNE_EVERY = timedelta(hours=1)

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


@dataclass(frozen=True)
class Forgotten:
    """What `AnswerLog.forget_user` deleted."""

    answers: int  # the person's questions
    votes: int  # their 👍/👎, and others' votes on their answers (which copy the question)


class AnswerLog:
    """A small SQLite file beside the index; safe to use from several threads."""

    def __init__(self, path: Path, retention_days: float = DEFAULT_RETENTION_DAYS):
        self._lock = threading.Lock()
        self.retention = timedelta(days=retention_days)
        self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        self._db.execute("PRAGMA journal_mode = WAL")
        # deleted rows are overwritten, not left readable in free pages of the file
        self._db.execute("PRAGMA secure_delete = ON")
        self._db.executescript(_SCHEMA)
        self._pruned_at: datetime | None = None
        self.prune()

    def prune(self, now: datetime | None = None) -> int:
        """Delete the answers and votes older than the retention; how many rows went."""
        now = now or datetime.now(UTC)
        cutoff = (now - self.retention).isoformat(timespec="seconds")
        with self._lock:
            self._pruned_at = now
            answers = self._db.execute("DELETE FROM answers WHERE asked_at < ?", (cutoff,)).rowcount
            votes = self._db.execute("DELETE FROM feedback WHERE voted_at < ?", (cutoff,)).rowcount
        return answers + votes

    def forget_user(self, user_id: int) -> Forgotten:
        """Delete every answer `user_id` asked for and every vote they gave or that copies
        one of their questions, and checkpoint the journal so none of it stays on disk."""
        with self._lock:
            self._db.execute("BEGIN IMMEDIATE")
            try:
                votes = self._db.execute(
                    "DELETE FROM feedback WHERE user_id = ? OR answer_id IN"
                    " (SELECT id FROM answers WHERE user_id = ?)", (user_id, user_id)).rowcount
                answers = self._db.execute("DELETE FROM answers WHERE user_id = ?", (user_id,)).rowcount
                self._db.execute("COMMIT")
            except BaseException:
                self._db.execute("ROLLBACK")
                raise
            self._db.execute("PRAGMA wal_checkpoint(TRUNCATE)")
        return Forgotten(answers, votes)

    def user_ids(self) -> set[int]:
        """Every user id the log holds (of askers and voters)."""
        with self._lock:
            rows = self._db.execute(
                "SELECT user_id FROM answers WHERE user_id IS NOT NULL UNION SELECT user_id FROM feedback"
            ).fetchall()
        return {row[0] for row in rows}

    def record_answer(self, question: str, article_id: str | None, passage_ids: list[int],
                      user_id: int | None, channel_id: int | None) -> int:
        if self._pruned_at is None or datetime.now(UTC) - self._pruned_at >= PRUNE_EVERY:
            self.prune()
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
