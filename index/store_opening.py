"""Opening the store's SQLite file: the connection's settings, every table made or brought up
to date (index/store_schema.py, index/quote_store.py, index/copy_groups.py, index/term_counts.py),
and the formats its vectors are stored in. An error on opening is reported as a full disk or
a damaged index.
"""

import sqlite3
from pathlib import Path

import numpy as np

from index import copy_groups, quote_store
from index.disk_space import disk_full_error, is_disk_full
from index.errors import DamagedIndex
from index.store_schema import (
    SCHEMA,
    Transaction,
    add_missing_columns,
    count_terms_of_stored_passages,
    has_table,
    normalise_published,
)
from index.term_counts import TermCounts

# A new index stores sentence vectors as float16: 40% less disk than float32 for cosines
# that move by less than 1e-3. An index made before says nothing in `meta` and keeps float32.
_SENTENCE_VECTOR_TYPES = ("float32", "float16")


def open_store(path: Path) -> tuple[sqlite3.Connection, TermCounts, int, np.dtype]:
    """The connection (for use from several threads, under the store's lock), its word counts,
    the model's dimension (0 before it is known) and the type sentence vectors are stored as."""
    try:
        db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
        db.execute("PRAGMA foreign_keys = ON")
        db.execute("PRAGMA journal_mode = WAL")
        counted = has_table(db, "term_counts")
        db.executescript(SCHEMA)
        add_missing_columns(db)
        normalise_published(db)
        db.executescript(quote_store.SCHEMA)
        quote_store.refill_if_stale(db, Transaction)
        db.executescript(copy_groups.SCHEMA)
        with Transaction(db):
            copy_groups.label_by_earliest(db)
        terms = TermCounts(db)
        if not counted:
            count_terms_of_stored_passages(db, terms)
        dimension = int(_meta(db).get("model_dimension", "0"))
        return db, terms, dimension, _sentence_vector_type(db, path)
    except sqlite3.DatabaseError as error:
        if is_disk_full(error, path.parent):  # not damaged: nothing to move away
            raise disk_full_error(error, path.parent) from None
        raise DamagedIndex(
            f"{path} is damaged ({error}); move the index folder away and re-run "
            "`python bot.py index PATH...` to rebuild it"
        ) from None


def _sentence_vector_type(db: sqlite3.Connection, path: Path) -> np.dtype:
    name = _meta(db).get("sentence_vector_type")
    if name is None:
        stored = db.execute("SELECT 1 FROM passages LIMIT 1").fetchone()
        name = "float32" if stored else "float16"
        with Transaction(db):
            db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('sentence_vector_type', ?)", (name,))
    if name not in _SENTENCE_VECTOR_TYPES:
        raise DamagedIndex(
            f"{path} stores sentence vectors as {name!r}, which this version cannot read;"
            " re-index into a new --index folder")
    return np.dtype(name)


def _meta(db: sqlite3.Connection) -> dict[str, str]:
    return dict(db.execute("SELECT key, value FROM meta"))
