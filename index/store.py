"""The SQLite side of the index: articles, passages with their vectors, and the FTS5 table.

SQLite is the source of truth; the FAISS file is a cache of the passage vectors that can
always be rebuilt from here, so one SQLite transaction is all an atomic write needs.

The tables and what an older index gets on open are in index/store_schema.py; each
article's title vector and centroid in index/article_vectors.py.
"""

import json
import sqlite3
import threading
from collections import OrderedDict
from collections.abc import Callable
from dataclasses import dataclass, field
from datetime import UTC, datetime
from functools import cached_property
from pathlib import Path

import numpy as np

from index import copy_groups, quote_store
from index.article_vectors import ArticleVectors, as_blob, centroid_of, fill_missing
from index.article_vectors import read as read_article_vectors
from index.articles import Article
from index.disk_space import disk_full_error, is_disk_full
from index.errors import DamagedIndex
from index.passages import Citation, Passage, word_stems
from index.quote_store import Speaker, StoredQuote
from index.store_schema import (
    SCHEMA,
    SCHEMA_VERSION,
    Transaction,
    add_missing_columns,
    count_terms_of_stored_passages,
    has_table,
    normalise_published,
)
from index.store_schema import chunks as _chunks
from index.store_schema import sentence_stems as _sentence_stems
from index.store_schema import stem_keys as _stem_keys
from index.term_counts import TermCounts, passage_words

__all__ = ["SCHEMA_VERSION", "ArticleVectors", "EmbeddedPassage", "Speaker", "Store", "StoredArticle",
           "StoredPassage", "StoredQuote"]

# A new index stores sentence vectors as float16: 40% less disk than float32 for cosines
# that move by less than 1e-3. An index made before says nothing in `meta` and keeps float32.
_SENTENCE_VECTOR_TYPES = ("float32", "float16")

# Passages read for ranking stay decoded in memory, the least recently used leaving first:
# about 22 KiB each with their float32 vectors and stems (measured with tracemalloc), so
# 110 MiB at most. Questions in one channel keep meeting the same passages. So do the
# counts of the words they use.
_CACHED_PASSAGES = 5_000
_CACHED_WORD_COUNTS = 50_000
# Each question reads the title vectors and centroids of its candidates' articles (20 to 60):
# about 3.5 KiB an article at 384 dimensions (measured with tracemalloc), so 70 MiB at most.
_CACHED_ARTICLES = 20_000


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    title: str
    source: str
    url: str | None
    published: str | None
    paragraphs: int
    added_at: str
    author: str | None = None


@dataclass(frozen=True)
class StoredPassage:
    """A passage as read back for ranking: its citation, text and vectors.

    Ranking reads dozens of candidates per question and shows a few, so the Passage (and
    its sentence spans), the sentence stems and the word sets are decoded on first use.
    """

    passage_id: int
    citation: Citation
    piece: int
    text: str
    context: str
    # float32 unit vectors: the passage's, then one per sentence (one matrix, so that
    # ranking multiplies all candidates' vectors at once without converting any)
    vectors: np.ndarray = field(repr=False)
    spans_json: str = field(repr=False)
    stems_json: str | None = field(repr=False)  # None: an index older than the column
    stem_keys_blob: bytes | None = field(repr=False, default=None)  # None: made from the stems

    @property
    def vector(self) -> np.ndarray:
        return self.vectors[0]

    @property
    def sentence_vectors(self) -> np.ndarray:
        return self.vectors[1:]

    @cached_property
    def passage(self) -> Passage:
        spans = tuple(tuple(span) for span in json.loads(self.spans_json))
        return Passage(self.citation, self.piece, self.text, self.context, spans)

    @cached_property
    def sentence_stems(self) -> tuple[str, ...]:
        """Each sentence's word stems (index.passages.word_stems), space-separated."""
        if self.stems_json is None:
            return self.passage.sentence_stems
        return tuple(json.loads(self.stems_json))

    @property
    def sentence_words(self) -> tuple[frozenset[str], ...]:
        """Each sentence's set of word stems (made on each use: only the top few need them)."""
        return tuple(frozenset(stems.split()) for stems in self.sentence_stems)

    @cached_property
    def stem_keys(self) -> np.ndarray:
        """Its sentences' stems in order as numbers (index.passages.stem_key), each sentence
        followed by a 0, so that word matching compares the numbers of all candidates at
        once. Stored at ingest: reading them costs nothing like hashing every stem."""
        if self.stem_keys_blob is not None:
            return np.frombuffer(self.stem_keys_blob, dtype=np.int64)
        return _stem_keys(self.sentence_stems)

    @cached_property
    def stems(self) -> frozenset[str]:
        """The word stems of all its sentences."""
        return frozenset(" ".join(self.sentence_stems).split())

    @cached_property
    def words(self) -> frozenset[str]:
        """The word stems of every sentence and of the context the passage borrows."""
        return self.stems.union(word_stems(self.context)) if self.context else self.stems


@dataclass(frozen=True)
class EmbeddedPassage:
    """A passage with the vectors to store for it."""

    passage: Passage
    vector: np.ndarray
    sentence_vectors: np.ndarray


class Store:
    """One SQLite file. Every method is safe to call from several threads."""

    def __init__(self, path: Path):
        self.path = path
        self._lock = threading.RLock()
        try:
            self._db = sqlite3.connect(path, check_same_thread=False, isolation_level=None)
            self._db.execute("PRAGMA foreign_keys = ON")
            self._db.execute("PRAGMA journal_mode = WAL")
            counted = has_table(self._db, "term_counts")
            self._db.executescript(SCHEMA)
            add_missing_columns(self._db)
            normalise_published(self._db)
            self._db.executescript(quote_store.SCHEMA)
            quote_store.refill_if_stale(self._db, Transaction)
            self._db.executescript(copy_groups.SCHEMA)
            with Transaction(self._db):
                copy_groups.label_by_earliest(self._db)
            self._speakers: tuple[int, list[Speaker]] = (-1, [])
            self._dated: tuple[int, bool] = (-1, False)
            self._terms = TermCounts(self._db)
            self._cache: OrderedDict[int, StoredPassage] = OrderedDict()
            self._cached_articles: OrderedDict[str, ArticleVectors] = OrderedDict()
            self._cached_counts: dict[str, int] = {}
            self._cached_generation = -1
            if not counted:
                count_terms_of_stored_passages(self._db, self._terms)
            self.dimension = int(self.meta().get("model_dimension", "0"))
            self._sentence_type = self._sentence_vector_type()
        except sqlite3.DatabaseError as error:
            if is_disk_full(error, path.parent):  # not damaged: nothing to move away
                raise disk_full_error(error, path.parent) from None
            raise DamagedIndex(
                f"{path} is damaged ({error}); move the index folder away and re-run "
                "`python bot.py index PATH...` to rebuild it"
            ) from None

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
            old = self._db.execute(
                "SELECT id FROM articles WHERE identity = ? OR id = ?",
                (article.identity, article.article_id),
            ).fetchall()
            removed = []
            for (old_id,) in old:
                removed += self._delete_article(old_id)
            self._db.execute(
                "INSERT INTO articles (id, title, source, url, published, author, identity, content_hash,"
                " paragraphs, added_at, title_vector, centroid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
                (
                    article.article_id, article.title, article.source, article.url,
                    article.published, article.author, article.identity, article.content_hash,
                    len(article.paragraphs), datetime.now(UTC).isoformat(timespec="seconds"),
                    None if title_vector is None else as_blob(title_vector), as_blob(centroid),
                ),
            )
            added = [self._insert_passage(p) for p in passages]
            quote_store.write(self._db, article.article_id, article.paragraphs)
            paragraphs = [p.passage.citation.paragraph for p in passages]
            copies = copies or [[] for _ in passages]
            copy_groups.write(self._db, article.article_id, added, paragraphs, copies)
            self._terms.add([passage_words(p.passage.text, p.passage.context) for p in passages])
            self._bump_generation()
        return removed, added

    def delete_article(self, article_id: str) -> list[int]:
        with self._lock, self._transaction():
            removed = self._delete_article(article_id)
            self._bump_generation()
        return removed

    def article_vectors(self, article_ids: list[str]) -> dict[str, ArticleVectors]:
        """The title vector and centroid of those of these articles that have them, in the
        order asked (one query for those not in memory). Like passages, they stay in memory,
        the least recently used leaving first, until a write from any process."""
        with self._lock:
            self._forget_if_written()
            cached = self._cached_articles
            missing = [a for a in dict.fromkeys(article_ids) if a not in cached]
            if missing:
                cached.update(read_article_vectors(self._db, missing))
            found = {}
            for article_id in article_ids:
                if article_id in cached:
                    cached.move_to_end(article_id)
                    found[article_id] = cached[article_id]
            while len(cached) > _CACHED_ARTICLES:
                cached.popitem(last=False)
        return found

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
        found = {}
        with self._lock:
            for chunk in _chunks(list(set(text_hashes)), 500):
                marks = ",".join("?" * len(chunk))
                for text_hash, vector, sentences in self._db.execute(
                    f"SELECT text_hash, vector, sentence_vectors FROM passages "
                    f"WHERE text_hash IN ({marks})",
                    chunk,
                ):
                    found[text_hash] = (vector, sentences)
        return {h: (self._vector(v), self._matrix(s).astype(np.float32)) for h, (v, s) in found.items()}

    def passages(self, passage_ids: list[int]) -> dict[int, StoredPassage]:
        """The passages with these ids that exist, in the order asked; recently read ones
        come from memory while no write (from any process) has changed the index since."""
        with self._lock:
            self._forget_if_written()
            missing = [pid for pid in passage_ids if pid not in self._cache]
            for chunk in _chunks(missing, 500):
                marks = ",".join("?" * len(chunk))
                rows = self._db.execute(
                    f"SELECT {_PASSAGE_COLUMNS} FROM passages p JOIN articles a "
                    f"ON a.id = p.article_id WHERE p.id IN ({marks})",
                    chunk,
                ).fetchall()
                for row in rows:
                    self._cache[row[0]] = self._stored_passage(row)
            found = {}
            for pid in passage_ids:
                if pid in self._cache:
                    self._cache.move_to_end(pid)
                    found[pid] = self._cache[pid]
            while len(self._cache) > _CACHED_PASSAGES:
                self._cache.popitem(last=False)
        return found

    def passages_of_article(
        self, article_id: str, first_paragraph: int = 1, last_paragraph: int = 1 << 30
    ) -> list[StoredPassage]:
        with self._lock:
            rows = self._db.execute(
                f"SELECT {_PASSAGE_COLUMNS} FROM passages p JOIN articles a ON a.id = p.article_id"
                " WHERE p.article_id = ? AND p.paragraph BETWEEN ? AND ?"
                " ORDER BY p.paragraph, p.piece",
                (article_id, first_paragraph, last_paragraph),
            ).fetchall()
        return [self._stored_passage(row) for row in rows]

    def article_text(self, article_id: str) -> str:
        """The article's stored passages' text, in reading order, one space between."""
        with self._lock:
            rows = self._db.execute(
                "SELECT text FROM passages WHERE article_id = ? ORDER BY paragraph, piece", (article_id,))
            return " ".join(row[0] for row in rows)

    def all_vectors(self) -> tuple[np.ndarray, np.ndarray]:
        """(ids, vectors) of every passage, for rebuilding the FAISS file."""
        with self._lock:
            rows = self._db.execute("SELECT id, vector FROM passages ORDER BY id").fetchall()
        ids = np.array([r[0] for r in rows], dtype=np.int64)
        vectors = np.stack([self._vector(r[1]) for r in rows]) if rows else None
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
            self._db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")

    def keyword_index_segments(self) -> int:
        with self._lock:
            return self._db.execute("SELECT count(DISTINCT segid) FROM passages_fts_idx").fetchone()[0]

    def keyword_search(
        self, match: str, k: int, weights: tuple[float, float, float], article_id: str | None,
        days: tuple[str, str] | None = None,
    ) -> list[tuple[int, float]]:
        """(passage id, BM25 score, higher is better) for an FTS5 MATCH expression; of one
        article, or of the articles published on `days` (first, last), when given."""
        if days:
            restrict = (" AND rowid IN (SELECT p.id FROM articles a JOIN passages p ON p.article_id = a.id"
                        " WHERE a.published BETWEEN ? AND ?" + (" AND a.id = ?)" if article_id else ")"))
            extra = [*days] + ([article_id] if article_id else [])
        elif article_id:
            restrict, extra = " AND rowid IN (SELECT id FROM passages WHERE article_id = ?)", [article_id]
        else:
            restrict, extra = "", []
        params = [*weights, match, *extra, k]
        with self._lock:
            rows = self._db.execute(
                "SELECT rowid, -bm25(passages_fts, ?, ?, ?) AS score FROM passages_fts "
                f"WHERE passages_fts MATCH ?{restrict} ORDER BY score DESC LIMIT ?",
                params,
            ).fetchall()
        return [(int(r[0]), float(r[1])) for r in rows]

    def term_document_counts(self, terms: list[str]) -> dict[str, int]:
        """How many passages hold each term in their text or context (after FTS5's stemming),
        read from counts kept at every write (index/term_counts.py), not counted per call."""
        with self._lock:
            self._forget_if_written()
            if len(self._cached_counts) > _CACHED_WORD_COUNTS:
                self._cached_counts.clear()
            self._cached_counts.update(self._terms.counts([t for t in terms if t not in self._cached_counts]))
            return {term: self._cached_counts[term] for term in terms}

    def forget_kept_in_memory(self) -> None:
        """Drop the passages and word counts kept in memory; they are read again when needed."""
        with self._lock:
            self._cached_generation = -1

    # -- internals ------------------------------------------------------------------

    def _forget_if_written(self) -> None:
        """Drop what is kept in memory once any write, from any process, changed the index."""
        generation = self.generation()
        if generation != self._cached_generation:
            self._cache.clear()
            self._cached_articles.clear()
            self._cached_counts.clear()
            self._cached_generation = generation

    def _sentence_vector_type(self) -> np.dtype:
        name = self.meta().get("sentence_vector_type")
        if name is None:
            stored = self._db.execute("SELECT 1 FROM passages LIMIT 1").fetchone()
            name = "float32" if stored else "float16"
            self.set_meta(sentence_vector_type=name)
        if name not in _SENTENCE_VECTOR_TYPES:
            raise DamagedIndex(
                f"{self.path} stores sentence vectors as {name!r}, which this version cannot read;"
                " re-index into a new --index folder")
        return np.dtype(name)

    def read(self, query: Callable, *arguments):
        """`query(connection, *arguments)`, run under the store's lock: the tables kept by
        modules of their own (index/copy_groups.py) are read so."""
        with self._lock:
            return query(self._db, *arguments)

    def update(self, change: Callable, *arguments):
        """`change(connection, *arguments)` in one transaction, under the store's lock."""
        with self._lock, self._transaction():
            return change(self._db, *arguments)

    def _transaction(self):
        return Transaction(self._db)

    def _delete_article(self, article_id: str) -> list[int]:
        groups, stories = copy_groups.groups_and_story_of(self._db, article_id)
        rows = self._db.execute(
            "SELECT id, text, context FROM passages WHERE article_id = ?", (article_id,)).fetchall()
        ids = [r[0] for r in rows]
        self._terms.add([passage_words(text, context) for _, text, context in rows], sign=-1)
        for chunk in _chunks(ids, 500):
            marks = ",".join("?" * len(chunk))
            self._db.execute(f"DELETE FROM passages_fts WHERE rowid IN ({marks})", chunk)
        self._db.execute("DELETE FROM passages WHERE article_id = ?", (article_id,))
        self._db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
        copy_groups.regroup(self._db, groups, stories)
        return ids

    def _insert_passage(self, embedded: EmbeddedPassage) -> int:
        p = embedded.passage
        stems = _sentence_stems(p.sentences)
        cursor = self._db.execute(
            "INSERT INTO passages (article_id, paragraph, piece, text, context, text_hash,"
            " sentence_spans, vector, sentence_vectors, sentence_stems, stem_keys)"
            " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
            (
                p.citation.article_id, p.citation.paragraph, p.piece, p.text, p.context,
                p.text_hash, json.dumps(p.sentence_spans),
                np.asarray(embedded.vector, dtype=np.float32).tobytes(),
                np.asarray(embedded.sentence_vectors, dtype=self._sentence_type).tobytes(),
                json.dumps(stems),
                _stem_keys(stems).tobytes(),
            ),
        )
        passage_id = cursor.lastrowid
        self._db.execute(
            "INSERT INTO passages_fts (rowid, text, context, title) VALUES (?, ?, ?, ?)",
            (passage_id, p.text, p.context, p.citation.title),
        )
        return passage_id

    def _bump_generation(self) -> None:
        self._db.execute(
            "INSERT INTO meta (key, value) VALUES ('generation', '1') ON CONFLICT (key) "
            "DO UPDATE SET value = CAST(value AS INTEGER) + 1"
        )

    def _stored_passage(self, row) -> StoredPassage:
        (pid, article_id, paragraph, piece, text, context, spans, vector, sentences, stems,
         stem_keys, title, source, url, published) = row
        citation = Citation(article_id, title, source, url, published, paragraph)
        sentence_vectors = self._matrix(sentences)
        vectors = np.empty((1 + len(sentence_vectors), self.dimension), dtype=np.float32)
        vectors[0], vectors[1:] = self._vector(vector), sentence_vectors
        return StoredPassage(pid, citation, piece, text, context, vectors, spans, stems, stem_keys)

    def _vector(self, blob: bytes) -> np.ndarray:
        return np.frombuffer(blob, dtype=np.float32)

    def _matrix(self, blob: bytes) -> np.ndarray:
        """A passage's sentence vectors, in the type they are stored as."""
        return np.frombuffer(blob, dtype=self._sentence_type).reshape(-1, self.dimension)


_PASSAGE_COLUMNS = (
    "p.id, p.article_id, p.paragraph, p.piece, p.text, p.context, p.sentence_spans, p.vector,"
    " p.sentence_vectors, p.sentence_stems, p.stem_keys, a.title, a.source, a.url, a.published"
)
