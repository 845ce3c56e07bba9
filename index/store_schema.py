"""The store's tables, and what an index made by an earlier version gets when it is opened.

Columns added after the first schema are added to an older index on open and filled from
what it already stores; the article vectors that need the model are filled by the Library
(index/article_vectors.py).
"""

import json
import logging
import sqlite3

import numpy as np

from index.dates import iso_day
from index.passages import stem_key, word_stems
from index.term_counts import SCHEMA as TERM_COUNTS_SCHEMA
from index.term_counts import TOKENIZER, TermCounts, passage_words

log = logging.getLogger(__name__)

SCHEMA_VERSION = "1"

SCHEMA = f"""
CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
CREATE TABLE IF NOT EXISTS articles (
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL,
    source TEXT NOT NULL,
    url TEXT,
    published TEXT,
    author TEXT,
    identity TEXT NOT NULL UNIQUE,
    content_hash TEXT NOT NULL,
    paragraphs INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    title_vector BLOB,
    centroid BLOB
);
CREATE INDEX IF NOT EXISTS articles_by_content ON articles (content_hash);
CREATE TABLE IF NOT EXISTS passages (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL,
    piece INTEGER NOT NULL,
    text TEXT NOT NULL,
    context TEXT NOT NULL,
    text_hash TEXT NOT NULL,
    sentence_spans TEXT NOT NULL,
    vector BLOB NOT NULL,
    sentence_vectors BLOB NOT NULL,
    sentence_stems TEXT,
    stem_keys BLOB
);
CREATE INDEX IF NOT EXISTS passages_by_article ON passages (article_id, paragraph, piece);
CREATE INDEX IF NOT EXISTS passages_by_hash ON passages (text_hash);
CREATE VIRTUAL TABLE IF NOT EXISTS passages_fts USING fts5 (
    text, context, title, tokenize = '{TOKENIZER}'
);
""" + TERM_COUNTS_SCHEMA

# The articles still lacking a vector (an index made before the columns, or an article
# written by a bare Store without its title's vector): an empty index once they are filled,
# so that opening a complete index finds nothing to do at the cost of one lookup.
WITHOUT_VECTORS = "title_vector IS NULL OR centroid IS NULL"
_WITHOUT_VECTORS_INDEX = (
    f"CREATE INDEX IF NOT EXISTS articles_without_vectors ON articles (id) WHERE {WITHOUT_VECTORS}"
)


def add_missing_columns(db: sqlite3.Connection) -> None:
    """Columns added after the first schema: an older index gets them on open, filled
    with what can be made from what it stores (the article vectors: index/article_vectors.py)."""
    columns = {row[1] for row in db.execute("PRAGMA table_info(passages)")}
    if "sentence_stems" not in columns:
        with Transaction(db):
            db.execute("ALTER TABLE passages ADD COLUMN sentence_stems TEXT")
            rows = db.execute("SELECT id, text, sentence_spans FROM passages").fetchall()
            db.executemany(
                "UPDATE passages SET sentence_stems = ? WHERE id = ?",
                [(json.dumps(sentence_stems([text[a:b] for a, b in json.loads(spans)])), pid)
                 for pid, text, spans in rows],
            )
    if "stem_keys" not in columns:
        log.info("numbering the stored passages' word stems once (index made before it)")
        with Transaction(db):
            db.execute("ALTER TABLE passages ADD COLUMN stem_keys BLOB")
            last = 0
            while rows := db.execute(
                "SELECT id, sentence_stems FROM passages WHERE id > ? ORDER BY id LIMIT 5000",
                (last,),
            ).fetchall():
                db.executemany(
                    "UPDATE passages SET stem_keys = ? WHERE id = ?",
                    [(stem_keys(json.loads(stems)).tobytes(), pid) for pid, stems in rows],
                )
                last = rows[-1][0]
    article_columns = {row[1] for row in db.execute("PRAGMA table_info(articles)")}
    if "author" not in article_columns:
        with Transaction(db):  # an index made before authors were kept: none known
            db.execute("ALTER TABLE articles ADD COLUMN author TEXT")
    if not {"title_vector", "centroid"} <= article_columns:
        with Transaction(db):  # adding a column rewrites no row; the Library fills them
            for column in ("title_vector", "centroid"):
                if column not in article_columns:
                    db.execute(f"ALTER TABLE articles ADD COLUMN {column} BLOB")
    db.execute(_WITHOUT_VECTORS_INDEX)


def normalise_published(db: sqlite3.Connection) -> None:
    """Publication dates as one ISO day (index/dates.py), indexed for ranges of days; an index
    made before stored them as its sources wrote them, and gets them rewritten once."""
    db.execute("CREATE INDEX IF NOT EXISTS articles_by_published ON articles (published)")
    form = db.execute("SELECT value FROM meta WHERE key = 'published_form'").fetchone()
    if form and form[0] == "iso-day":
        return
    with Transaction(db):
        rows = db.execute("SELECT id, published FROM articles WHERE published IS NOT NULL").fetchall()
        db.executemany("UPDATE articles SET published = ? WHERE id = ?",
                       [(_iso_day_or_none(published), article_id) for article_id, published in rows])
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('published_form', 'iso-day')")


def _iso_day_or_none(value: str) -> str | None:
    try:
        return iso_day(value)
    except ValueError:
        log.warning("an article's publication date %r is not a date; it is dropped", value)
        return None


def count_terms_of_stored_passages(db: sqlite3.Connection, terms: TermCounts) -> None:
    """An index made before `term_counts` existed gets it filled, once, on open."""
    with Transaction(db):
        last, counted = 0, 0
        while rows := db.execute(
            "SELECT id, text, context FROM passages WHERE id > ? ORDER BY id LIMIT 2000", (last,)
        ).fetchall():
            if not counted:
                log.info("counting the words of the stored passages once (index made before it)")
            terms.add([passage_words(text, context) for _, text, context in rows])
            last, counted = rows[-1][0], counted + len(rows)


def has_table(db: sqlite3.Connection, name: str) -> bool:
    """Whether a table (or index) of this name exists."""
    return db.execute("SELECT 1 FROM sqlite_master WHERE name = ?", (name,)).fetchone() is not None


class Transaction:
    """BEGIN IMMEDIATE ... COMMIT, or ROLLBACK on any exception (Ctrl-C included)."""

    def __init__(self, db: sqlite3.Connection):
        self._db = db

    def __enter__(self):
        self._db.execute("BEGIN IMMEDIATE")

    def __exit__(self, kind, value, traceback):
        if kind is None:
            try:
                self._db.execute("COMMIT")
            except BaseException:
                if self._db.in_transaction:  # a COMMIT that failed (a full disk) leaves it open
                    self._db.execute("ROLLBACK")
                raise
        elif self._db.in_transaction:  # SQLite may have rolled it back itself (a full disk)
            self._db.execute("ROLLBACK")
        return False


def sentence_stems(sentences: list[str]) -> list[str]:
    """Each sentence's word stems, space-separated (the sentence_stems column, as JSON)."""
    return [" ".join(word_stems(sentence)) for sentence in sentences]


def stem_keys(stems_of_sentences) -> np.ndarray:
    """The stems' numbers (index.passages.stem_key) in order, a 0 after each sentence (one
    empty sentence at least)."""
    keys = []
    for stems in stems_of_sentences:
        keys += map(stem_key, stems.split())
        keys.append(0)
    return np.array(keys or [0], dtype=np.int64)


def chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
