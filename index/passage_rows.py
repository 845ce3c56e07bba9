"""The passages table's rows: a passage written with its vectors and its keyword (FTS5) row,
and rows read back and decoded into StoredPassages (index/store_records.py).

A passage's vector is a float32 blob; its sentence vectors are one blob in the index's
sentence vector type (float32, or float16 for an index made since: index/store_opening.py),
read back into one float32 matrix with the passage's vector. Every function takes the
connection; the caller holds the store's lock (and, to write, its transaction).
"""

import json
import sqlite3
from collections.abc import Iterator

import numpy as np

from index.passages import Citation
from index.store_records import EmbeddedPassage, StoredPassage
from index.store_schema import chunks, sentence_stems, stem_keys

_COLUMNS = (
    "p.id, p.article_id, p.paragraph, p.piece, p.text, p.context, p.sentence_spans, p.vector,"
    " p.sentence_vectors, p.sentence_stems, p.stem_keys, a.title, a.source, a.url, a.published"
)


def insert(db: sqlite3.Connection, embedded: EmbeddedPassage, sentence_type: np.dtype) -> int:
    """Write one passage and its FTS5 row; returns its id."""
    p = embedded.passage
    stems = sentence_stems(p.sentences)
    cursor = db.execute(
        "INSERT INTO passages (article_id, paragraph, piece, text, context, text_hash,"
        " sentence_spans, vector, sentence_vectors, sentence_stems, stem_keys)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            p.citation.article_id, p.citation.paragraph, p.piece, p.text, p.context,
            p.text_hash, json.dumps(p.sentence_spans),
            np.asarray(embedded.vector, dtype=np.float32).tobytes(),
            np.asarray(embedded.sentence_vectors, dtype=sentence_type).tobytes(),
            json.dumps(stems),
            stem_keys(stems).tobytes(),
        ),
    )
    passage_id = cursor.lastrowid
    db.execute(
        "INSERT INTO passages_fts (rowid, text, context, title) VALUES (?, ?, ?, ?)",
        (passage_id, p.text, p.context, p.citation.title),
    )
    return passage_id


def delete_of_article(db: sqlite3.Connection, article_id: str, passage_ids: list[int]) -> None:
    """Delete an article's passages (`passage_ids`, all of them) and their FTS5 rows."""
    for chunk in chunks(passage_ids, 500):
        marks = ",".join("?" * len(chunk))
        db.execute(f"DELETE FROM passages_fts WHERE rowid IN ({marks})", chunk)
    db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))


def read(
    db: sqlite3.Connection, passage_ids: list[int], dimension: int, sentence_type: np.dtype
) -> Iterator[StoredPassage]:
    """The passages with these ids that exist, decoded (one query per 500 ids)."""
    for chunk in chunks(passage_ids, 500):
        marks = ",".join("?" * len(chunk))
        rows = db.execute(
            f"SELECT {_COLUMNS} FROM passages p JOIN articles a "
            f"ON a.id = p.article_id WHERE p.id IN ({marks})",
            chunk,
        ).fetchall()
        for row in rows:
            yield decode(row, dimension, sentence_type)


def rows_of_article(
    db: sqlite3.Connection, article_id: str, first_paragraph: int, last_paragraph: int
) -> list[tuple]:
    """The rows (for `decode`) of an article's passages in these paragraphs, in reading order."""
    return db.execute(
        f"SELECT {_COLUMNS} FROM passages p JOIN articles a ON a.id = p.article_id"
        " WHERE p.article_id = ? AND p.paragraph BETWEEN ? AND ?"
        " ORDER BY p.paragraph, p.piece",
        (article_id, first_paragraph, last_paragraph),
    ).fetchall()


def decode(row: tuple, dimension: int, sentence_type: np.dtype) -> StoredPassage:
    (pid, article_id, paragraph, piece, text, context, spans, vector_blob, sentences, stems,
     stem_keys_blob, title, source, url, published) = row
    citation = Citation(article_id, title, source, url, published, paragraph)
    sentence_vectors = matrix(sentences, dimension, sentence_type)
    vectors = np.empty((1 + len(sentence_vectors), dimension), dtype=np.float32)
    vectors[0], vectors[1:] = vector(vector_blob), sentence_vectors
    return StoredPassage(pid, citation, piece, text, context, vectors, spans, stems, stem_keys_blob)


def blobs_by_hash(db: sqlite3.Connection, text_hashes: list[str]) -> dict[str, tuple[bytes, bytes]]:
    """(vector, sentence vectors) as stored of a passage with each of these text hashes."""
    found = {}
    for chunk in chunks(list(set(text_hashes)), 500):
        marks = ",".join("?" * len(chunk))
        for text_hash, vector_blob, sentences in db.execute(
            f"SELECT text_hash, vector, sentence_vectors FROM passages "
            f"WHERE text_hash IN ({marks})",
            chunk,
        ):
            found[text_hash] = (vector_blob, sentences)
    return found


def id_and_vector_rows(db: sqlite3.Connection) -> list[tuple[int, bytes]]:
    """(id, vector blob) of every passage, by id."""
    return db.execute("SELECT id, vector FROM passages ORDER BY id").fetchall()


def vector(blob: bytes) -> np.ndarray:
    return np.frombuffer(blob, dtype=np.float32)


def matrix(blob: bytes, dimension: int, sentence_type: np.dtype) -> np.ndarray:
    """A passage's sentence vectors, in the type they are stored as."""
    return np.frombuffer(blob, dtype=sentence_type).reshape(-1, dimension)
