"""Each article's title vector and centroid: written with its passages, read for ranking.

Ranking gives every candidate passage two article-level signals, the question's cosine with
the article's title and with its centroid:

- the title vector is the title embedded by the passages' model (a unit vector);
- the centroid is the plain mean of the article's passage vectors, not normalised, so that
  the question's dot product with it is the mean of the question's cosines with the passages.

Both are float32 blobs in the article's row of `articles`, written in the transaction that
writes its passages. An index made before them gets them when a Library opens it
(`fill_missing`): the centroids from the stored passage vectors, the titles embedded in
batches, one transaction per batch.
"""

import logging
import sqlite3
import threading
from collections.abc import Callable
from dataclasses import dataclass

import numpy as np

from index.store_schema import WITHOUT_VECTORS, Transaction, chunks

log = logging.getLogger(__name__)

# Articles per transaction, and titles per encode call, when filling an older index.
FILL_CHUNK = 512


@dataclass(frozen=True)
class ArticleVectors:
    title: np.ndarray  # float32 (d,): the title's unit vector
    centroid: np.ndarray  # float32 (d,): the mean of the article's passage vectors, not normalised


def centroid_of(vectors: list[np.ndarray], dimension: int) -> np.ndarray:
    """The mean of passage vectors as stored (float32), summed in float64 in the order given."""
    if not len(vectors):
        return np.zeros(dimension, dtype=np.float32)
    matrix = np.stack([np.asarray(v, dtype=np.float32) for v in vectors])
    return matrix.mean(axis=0, dtype=np.float64).astype(np.float32)


def as_blob(vector: np.ndarray) -> bytes:
    return np.asarray(vector, dtype=np.float32).tobytes()


def read(db: sqlite3.Connection, article_ids: list[str]) -> dict[str, ArticleVectors]:
    """The vectors of those of these articles that have both (one query per 500 ids)."""
    found = {}
    for chunk in chunks(article_ids, 500):
        marks = ",".join("?" * len(chunk))
        for article_id, title, centroid in db.execute(
            f"SELECT id, title_vector, centroid FROM articles WHERE id IN ({marks})"
            " AND title_vector IS NOT NULL AND centroid IS NOT NULL",
            chunk,
        ):
            found[article_id] = ArticleVectors(
                np.frombuffer(title, dtype=np.float32), np.frombuffer(centroid, dtype=np.float32)
            )
    return found


def fill_missing(
    db: sqlite3.Connection, lock: threading.RLock, dimension: int,
    embed_titles: Callable[[list[str]], np.ndarray],
) -> int:
    """Store the title vector and centroid of every article that lacks one; returns how many
    articles lacked one. Finding none costs one lookup in a partial index that holds
    exactly those articles (index/store_schema.py).

    Titles are embedded outside the transactions, so that readers and writers wait for none
    of the model's work; an article replaced in between keeps the vectors written with it.
    Nothing here changes the store's generation: no vector that anyone read changes.
    """
    with lock:
        missing = [row[0] for row in db.execute(f"SELECT id FROM articles WHERE {WITHOUT_VECTORS}")]
    if not missing:
        return 0
    log.info("storing the title vectors and centroids of %d articles once (index made before them)",
             len(missing))
    for chunk in chunks(missing, FILL_CHUNK):
        marks = ",".join("?" * len(chunk))
        with lock:
            untitled = db.execute(
                f"SELECT id, title FROM articles WHERE id IN ({marks}) AND title_vector IS NULL", chunk
            ).fetchall()
        titles = embed_titles([title for _, title in untitled]) if untitled else []
        with lock, Transaction(db):
            db.executemany(
                "UPDATE articles SET centroid = ? WHERE id = ? AND centroid IS NULL",
                _centroids(db, chunk, dimension),
            )
            db.executemany(
                "UPDATE articles SET title_vector = ? WHERE id = ? AND title = ? AND title_vector IS NULL",
                [(as_blob(vector), article_id, title)
                 for (article_id, title), vector in zip(untitled, titles, strict=True)],
            )
    return len(missing)


def _centroids(db: sqlite3.Connection, article_ids: list[str], dimension: int) -> list[tuple[bytes, str]]:
    """(centroid, id) of those of these articles without one, from their stored passage vectors
    in the order they were written, as `Store.replace_article` computes it."""
    marks = ",".join("?" * len(article_ids))
    vectors: dict[str, list[np.ndarray]] = {
        row[0]: [] for row in db.execute(
            f"SELECT id FROM articles WHERE id IN ({marks}) AND centroid IS NULL", article_ids)
    }
    if vectors:
        marks = ",".join("?" * len(vectors))
        for article_id, vector in db.execute(
            f"SELECT article_id, vector FROM passages WHERE article_id IN ({marks})"
            " ORDER BY article_id, id",
            list(vectors),
        ):
            vectors[article_id].append(np.frombuffer(vector, dtype=np.float32))
    return [(as_blob(centroid_of(rows, dimension)), article_id) for article_id, rows in vectors.items()]
