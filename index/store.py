"""The SQLite side of the index: articles, passages with their vectors, and the FTS5 table.

SQLite is the source of truth; the FAISS file is a cache of the passage vectors that can
always be rebuilt from here, so one SQLite transaction is all an atomic write needs.

`Store` is the one way in: it holds the connection, the lock around every use of it, and
the generation that every write changes. The work is done by modules of their own:
opening the file (index/store_opening.py; the tables and what an older index gets on open
in index/store_schema.py), the records handed in and out (index/store_records.py), an
article written or deleted with all stored with it (index/article_writes.py), passage rows
(index/passage_rows.py), keyword search (index/keyword_search.py), what is kept in memory
between writes (index/store_memory.py), each article's title vector and centroid
(index/article_vectors.py), quotes (index/quote_store.py) and copies (index/copy_groups.py).
"""

import threading
from collections.abc import Callable, Iterator
from pathlib import Path

import numpy as np

from index import article_writes, copy_groups, keyword_search, passage_rows, quote_store
from index.article_vectors import ArticleVectors, centroid_of, fill_missing
from index.article_vectors import read as read_article_vectors
from index.articles import Article
from index.quote_store import Speaker, StoredQuote
from index.store_memory import KeptInMemory
from index.store_opening import open_store
from index.store_records import EmbeddedPassage, StoredArticle, StoredPassage
from index.store_schema import SCHEMA_VERSION, Transaction

__all__ = ["SCHEMA_VERSION", "ArticleVectors", "EmbeddedPassage", "Speaker", "Store", "StoredArticle",
           "StoredPassage", "StoredQuote"]


class Store:
    """One SQLite file. Every method is safe to call from several threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.RLock()
        self._db, self._terms, self.dimension, self._sentence_type = open_store(path)
        self._speakers: tuple[int, list[Speaker]] = (-1, [])
        self._dated: tuple[int, bool] = (-1, False)
        self._memory = KeptInMemory()

    def close(self) -> None:
        with self._lock:
            self._db.close()

    # -- metadata -------------------------------------------------------------------

    def meta(self) -> dict[str, str]:
        with self._lock:
            return dict(self._db.execute("SELECT key, value FROM meta"))

    def set_meta(self, **values: str) -> None:
        with self._lock, self._transaction():
            self._db.executemany(
                "INSERT OR REPLACE INTO meta (key, value) VALUES (?, ?)",
                [(k, str(v)) for k, v in values.items()],
            )
        self.dimension = int(self.meta().get("model_dimension", "0"))

    def generation(self) -> int:
        """A number that every write changes."""
        with self._lock:
            row = self._db.execute("SELECT value FROM meta WHERE key = 'generation'").fetchone()
        return int(row[0]) if row else 0

    # -- articles -------------------------------------------------------------------

    def articles(self) -> list[StoredArticle]:
        with self._lock:
            rows = self._db.execute(
                "SELECT id, title, source, url, published, paragraphs, added_at, author "
                "FROM articles ORDER BY added_at, title"
            ).fetchall()
        return [StoredArticle(*row) for row in rows]

    def article_state(self, identity: str) -> tuple[str, str] | None:
        """(article id, content hash) of the article stored under this identity, if any."""
        with self._lock:
            return self._db.execute(
                "SELECT id, content_hash FROM articles WHERE identity = ?", (identity,)
            ).fetchone()

    def article_with_content(self, content_hash: str) -> str | None:
        with self._lock:
            row = self._db.execute(
                "SELECT id FROM articles WHERE content_hash = ?", (content_hash,)
            ).fetchone()
        return row[0] if row else None

    def passage_ids_of(self, article_id: str) -> list[int]:
        with self._lock:
            return [
                r[0]
                for r in self._db.execute(
                    "SELECT id FROM passages WHERE article_id = ?", (article_id,)
                )
            ]

    def replace_article(
        self, article: Article, passages: list[EmbeddedPassage], title_vector: np.ndarray | None = None,
        copies: list[list[int]] | None = None,
    ) -> tuple[list[int], list[int]]:
        """Store an article in one transaction, replacing any earlier version of it, with its
        title's vector and its centroid (index/article_vectors.py). Without a title vector
        the article has no article vectors until a Library opens the index and fills them.
        `copies` gives each passage's copies among the stored passages (index/copy_groups.py).

        Returns the passage ids removed and the passage ids added.
        """
        centroid = centroid_of([p.vector for p in passages], self.dimension)
        with self._lock, self._transaction():
            removed, added = article_writes.replace(
                self._db, self._terms, article, passages, title_vector, centroid, copies, self._sentence_type)
            self._bump_generation()
        return removed, added

    def delete_article(self, article_id: str) -> list[int]:
        with self._lock, self._transaction():
            removed = article_writes.delete(self._db, self._terms, article_id)
            self._bump_generation()
        return removed

    def article_vectors(self, article_ids: list[str]) -> dict[str, ArticleVectors]:
        """The title vector and centroid of those of these articles that have them, in the
        order asked (one query for those not in memory). Like passages, they stay in memory,
        the least recently used leaving first, until a write from any process."""
        with self._lock:
            self._memory.forget_if_written(self.generation())
            return self._memory.article_vectors_of(article_ids, self._read_article_vectors)

    def fill_article_vectors(self, embed_titles: Callable[[list[str]], np.ndarray]) -> int:
        """Store the vectors of the articles that lack them (an index made before them);
        `embed_titles` is called only when some title lacks its vector. Returns how many
        articles lacked some."""
        return fill_missing(self._db, self._lock, self.dimension, embed_titles)

    # -- quotes ---------------------------------------------------------------------

    def speakers(self) -> list[Speaker]:
        """Everyone quoted in the indexed articles, most quoted first (index/quote_store.py);
        kept in memory until any process writes."""
        generation = self.generation()
        with self._lock:
            if self._speakers[0] != generation:
                self._speakers = (generation, quote_store.speakers(self._db))
            return self._speakers[1]

    def quotes_by(self, speaker: str) -> list[StoredQuote]:
        with self._lock:
            return quote_store.quotes_by(self._db, speaker)

    def quotes_at(self, places: list[tuple[str, int]]) -> list[StoredQuote]:
        with self._lock:
            return quote_store.quotes_at(self._db, places)

    # -- passages -------------------------------------------------------------------

    def vectors_by_hash(self, text_hashes: list[str]) -> dict[str, tuple[np.ndarray, np.ndarray]]:
        """Vectors already computed for passages with these hashes, to skip re-embedding."""
        with self._lock:
            found = passage_rows.blobs_by_hash(self._db, text_hashes)
        return {
            h: (passage_rows.vector(v), self._matrix(s).astype(np.float32)) for h, (v, s) in found.items()
        }

    def passages(self, passage_ids: list[int]) -> dict[int, StoredPassage]:
        """The passages with these ids that exist, in the order asked; recently read ones
        come from memory while no write (from any process) has changed the index since."""
        with self._lock:
            self._memory.forget_if_written(self.generation())
            return self._memory.passages_of(passage_ids, self._read_passages)

    def copy_groups(self, passage_ids: list[int]) -> dict[int, int]:
        """Each passage's copy group (index/copy_groups.py), kept in memory like passages."""
        with self._lock:
            self._memory.forget_if_written(self.generation())
            return self._memory.copy_groups_of(passage_ids, self._read_copy_groups)

    def copy_group_sizes(self, groups: list[int]) -> dict[int, int]:
        """How many passages hold each of these groups, of those read with copy_groups() since
        the last write (the others are left out)."""
        with self._lock:
            self._memory.forget_if_written(self.generation())
            return {g: self._memory.group_sizes[g] for g in groups if g in self._memory.group_sizes}

    def passages_of_article(
        self, article_id: str, first_paragraph: int = 1, last_paragraph: int = 1 << 30
    ) -> list[StoredPassage]:
        with self._lock:
            rows = passage_rows.rows_of_article(self._db, article_id, first_paragraph, last_paragraph)
        return [passage_rows.decode(row, self.dimension, self._sentence_type) for row in rows]

    def article_text(self, article_id: str) -> str:
        """The article's stored passages' text, in reading order, one space between."""
        with self._lock:
            rows = self._db.execute(
                "SELECT text FROM passages WHERE article_id = ? ORDER BY paragraph, piece", (article_id,))
            return " ".join(row[0] for row in rows)

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every passage, for rebuilding the FAISS file."""
        with self._lock:
            rows = passage_rows.id_and_vector_rows(self._db)
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = np.stack([passage_rows.vector(r[1]) for r in rows]) if rows else None
        return ids, vectors

    def has_dated_articles(self) -> bool:
        """Whether any article has a publication date (kept in memory until any write)."""
        generation = self.generation()
        with self._lock:
            if self._dated[0] != generation:
                found = self._db.execute(
                    "SELECT 1 FROM articles WHERE published IS NOT NULL LIMIT 1").fetchone()
                self._dated = (generation, found is not None)
            return self._dated[1]

    def passage_ids_published(
        self, first_day: str, last_day: str, article_id: str | None = None
    ) -> list[int]:
        """The passages of the articles published from first_day to last_day (YYYY-MM-DD, both
        included), of one article only when given."""
        restrict, extra = (" AND a.id = ?", [article_id]) if article_id else ("", [])
        with self._lock:
            return [row[0] for row in self._db.execute(
                "SELECT p.id FROM articles a JOIN passages p ON p.article_id = a.id"
                f" WHERE a.published BETWEEN ? AND ?{restrict}", [first_day, last_day, *extra])]

    def count_passages(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(*) FROM passages").fetchone()[0]

    def merge_keyword_index(self) -> None:
        """Merge FTS5's segments into one b-tree (its 'optimize'): a question's words are then
        looked up once instead of once per segment. BM25 search of bench/quality.py's 2,067
        SQuAD paragraphs took 28% less time with its 10 segments merged; results are the same."""
        with self._lock, self._transaction():
            keyword_search.merge_segments(self._db)

    def keyword_index_segments(self) -> int:
        with self._lock:
            return keyword_search.segments(self._db)

    def keyword_search(
        self, match: str, k: int, weights: tuple[float, float, float], article_id: str | None,
        days: tuple[str, str] | None = None,
    ) -> list[tuple[int, float]]:
        """(passage id, BM25 score, higher is better) for an FTS5 MATCH expression; of one
        article, or of the articles published on `days` (first, last), when given
        (index/keyword_search.py)."""
        sql, params = keyword_search.statement(match, k, weights, article_id, days)
        with self._lock:
            return self._db.execute(sql, params).fetchall()  # rowid an int, -bm25() a float

    def term_document_counts(self, terms: list[str]) -> dict[str, int]:
        """How many passages hold each term in their text or context (after FTS5's stemming),
        read from counts kept at every write (index/term_counts.py), not counted per call."""
        with self._lock:
            self._memory.forget_if_written(self.generation())
            return self._memory.counts_of(terms, self._terms.counts)

    def forget_kept_in_memory(self) -> None:
        """Drop the passages and word counts kept in memory; they are read again when needed."""
        with self._lock:
            self._memory.forget()

    # -- internals ------------------------------------------------------------------

    def _read_passages(self, passage_ids: list[int]) -> Iterator[StoredPassage]:
        return passage_rows.read(self._db, passage_ids, self.dimension, self._sentence_type)

    def _read_copy_groups(self, passage_ids: list[int]) -> tuple[dict[int, int], dict[int, int]]:
        return copy_groups.copy_groups_and_sizes(self._db, passage_ids)

    def _read_article_vectors(self, article_ids: list[str]) -> dict[str, ArticleVectors]:
        return read_article_vectors(self._db, article_ids)

    def read(self, query: Callable, *arguments):
        """`query(connection, *arguments)`, run under the store's lock: the tables kept by
        modules of their own (index/copy_groups.py) are read so."""
        with self._lock:
            return query(self._db, *arguments)

    def update(self, change: Callable, *arguments):
        """`change(connection, *arguments)` in one transaction, under the store's lock."""
        with self._lock, self._transaction():
            self._memory.forget()  # older_indexes.py writes copy groups so, in the same generation
            return change(self._db, *arguments)

    def _transaction(self):
        return Transaction(self._db)

    def _bump_generation(self) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _matrix(self, blob: bytes) -> np.ndarray:
        """A passage's sentence vectors, in the type they are stored as."""
        return passage_rows.matrix(blob, self.dimension, self._sentence_type)
