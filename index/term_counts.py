"""How many passages hold each word, kept up to date at every write instead of counted per question.

FTS5 stores no document frequencies: both `count(*) ... MATCH` and an `fts5vocab` table
walk the word's whole list of postings, so counting the words of one question grew with
the corpus (8 ms for "the" at 100,000 passages). Here the counts live in their own table,
`term_counts`, keyed by FTS5 token, and a question word costs one primary-key lookup.

Tokens are FTS5's own: a scratch FTS5 table in the connection's in-memory temp schema,
with the tokenizer of `passages_fts`, turns texts into tokens (its `fts5vocab` tables
list them), so a count always refers to exactly what a MATCH on the word would find.
A passage counts once for a token that is in its text or its context, as a MATCH on
`{text context}` does.
"""

import sqlite3

TOKENIZER = "porter unicode61 remove_diacritics 2"

SCHEMA = """
CREATE TABLE IF NOT EXISTS term_counts (
    token TEXT PRIMARY KEY,
    passages INTEGER NOT NULL
) WITHOUT ROWID;
"""

_SCRATCH = f"""
PRAGMA temp_store = MEMORY;
CREATE VIRTUAL TABLE IF NOT EXISTS temp.scratch_fts USING fts5 (
    words, content = '', tokenize = '{TOKENIZER}'
);
CREATE VIRTUAL TABLE IF NOT EXISTS temp.scratch_tokens USING fts5vocab (temp, scratch_fts, 'row');
CREATE VIRTUAL TABLE IF NOT EXISTS temp.scratch_places USING fts5vocab (temp, scratch_fts, 'instance');
"""

_CACHED_WORDS = 10_000


class TermCounts:
    """Passage counts per token over one SQLite connection (the caller holds its lock)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db
        self._db.executescript(_SCRATCH)
        self._tokens_of: dict[str, tuple[str, ...]] = {}

    def add(self, passage_texts: list[str], sign: int = 1) -> None:
        """Count these passages in (sign 1) or out (sign -1); each text is a passage's text
        and context. Call it inside the transaction that writes the passages."""
        if not passage_texts:
            return
        self._scratch([(text,) for text in passage_texts])
        self._db.execute(
            "INSERT INTO term_counts (token, passages) SELECT term, ? * doc FROM temp.scratch_tokens"
            " WHERE true ON CONFLICT (token) DO UPDATE SET passages = passages + excluded.passages",
            (sign,),
        )
        if sign < 0:
            self._db.execute(
                "DELETE FROM term_counts WHERE passages <= 0"
                " AND token IN (SELECT term FROM temp.scratch_tokens)"
            )
        self._empty_scratch()

    def counts(self, words: list[str]) -> dict[str, int]:
        """Passages holding each word. A word FTS5 splits into several tokens ("e_mail") gets
        the smallest of their counts, an upper bound of the passages holding them all;
        a word with no token, or one never indexed, gets 0."""
        if len(self._tokens_of) + len(words) > _CACHED_WORDS:
            self._tokens_of.clear()
        self._learn_tokens([w for w in words if w not in self._tokens_of])
        tokens = sorted({t for w in words for t in self._tokens_of[w]})
        found = {}
        for start in range(0, len(tokens), 500):
            chunk = tokens[start:start + 500]
            found.update(self._db.execute(
                f"SELECT token, passages FROM term_counts WHERE token IN ({','.join('?' * len(chunk))})",
                chunk,
            ))
        return {
            w: min((found.get(t, 0) for t in self._tokens_of[w]), default=0) for w in words
        }

    def is_empty(self) -> bool:
        return self._db.execute("SELECT 1 FROM term_counts LIMIT 1").fetchone() is None

    def _learn_tokens(self, words: list[str]) -> None:
        if not words:
            return
        self._scratch(list(enumerate(words, start=1)), with_rowid=True)
        tokens: dict[int, list[str]] = {}
        for row, token in self._db.execute(
            "SELECT doc, term FROM temp.scratch_places ORDER BY doc, offset"
        ):
            tokens.setdefault(row, []).append(token)
        self._empty_scratch()
        for row, word in enumerate(words, start=1):
            self._tokens_of[word] = tuple(tokens.get(row, ()))

    def _empty_scratch(self) -> None:
        # contentless, so emptied at once: a plain DELETE would leave tombstones to walk
        self._db.execute("INSERT INTO temp.scratch_fts (scratch_fts) VALUES ('delete-all')")

    def _scratch(self, rows: list[tuple], with_rowid: bool = False) -> None:
        self._empty_scratch()
        columns = "(rowid, words)" if with_rowid else "(words)"
        marks = "(?, ?)" if with_rowid else "(?)"
        self._db.executemany(f"INSERT INTO temp.scratch_fts {columns} VALUES {marks}", rows)


def passage_words(text: str, context: str) -> str:
    """What a passage contributes to the counts: its text and the context it borrows."""
    return f"{text}\n{context}" if context else text
