"""A check of an index folder: do its tables, its keyword index and its vector file agree?

The durability tests (tests/test_durability.py, bench/soak_storage.py) run it after every kill -9
and every full disk.
It needs no model and changes nothing (bot.py does not expose it yet). What it checks:

- SQLite's own `integrity_check` and `foreign_key_check`, and FTS5's `integrity-check`;
- every article is whole: its passages number its paragraphs 1..N without a gap, each piece
  of a long paragraph in order; each passage's vectors have the index's dimension and unit
  length, one sentence vector per sentence (or the passage's own for a one-sentence one);
  the article's centroid is the mean of its passage vectors and its title vector a unit vector;
- the keyword index holds exactly one row per passage, with its text, context and title,
  and the word counts (`term_counts`) are those of the stored passages;
- the quotations stored are those the rules find in the stored paragraphs (a quote of a
  paragraph that is not stored, or a missing one, is a half-written article);
- publication dates are ISO days;
- the vector file of the store's generation, when it exists, holds exactly the passages'
  ids with their vectors (a missing file is rebuilt from SQLite when the index is opened,
  by design, and is only noted);
- with `expected` articles (what the source files hold), every stored article is one of
  them, title, paragraphs, date and author alike.
"""

import json
import sqlite3
from collections import Counter, defaultdict
from collections.abc import Iterable
from dataclasses import dataclass, field
from datetime import date
from pathlib import Path

import numpy as np

from index.articles import Article
from index.term_counts import SCHEMA as TERM_COUNTS_SCHEMA
from index.term_counts import TermCounts, passage_words

STORE_FILE = "store.sqlite"
_UNIT = 1e-3  # how far from 1 a stored unit vector's norm may be (float32 rounding is ~1e-7)


@dataclass
class IntegrityReport:
    articles: int = 0
    passages: int = 0
    quotes: int = 0
    generation: int = 0
    vector_file: str = ""  # "" when the generation's file does not exist
    problems: list[str] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.problems

    def summary(self) -> str:
        state = "ok" if self.ok else f"{len(self.problems)} problem(s)"
        file = self.vector_file or "no vector file yet (rebuilt from SQLite when opened)"
        return (f"{state}: {self.articles} articles, {self.passages} passages, {self.quotes} quotes, "
                f"generation {self.generation}, {file}")


def check_index(directory: Path, expected: Iterable[Article] | None = None,
                max_problems: int = 50) -> IntegrityReport:
    """Check the index folder; problems and notes are one line each."""
    report = IntegrityReport()
    path = directory / STORE_FILE
    if not path.exists():
        report.notes.append(f"{path} does not exist: an empty index")
        return report
    db = sqlite3.connect(path, isolation_level=None)
    try:
        _Checker(db, directory, report, max_problems).run(
            None if expected is None else {a.identity: a for a in expected})
    except sqlite3.DatabaseError as error:
        report.problems.append(f"{path} cannot be read: {error}")
    finally:
        db.close()
    return report


class _Checker:
    def __init__(self, db: sqlite3.Connection, directory: Path, report: IntegrityReport, max_problems: int):
        self.db, self.directory, self.report, self.max_problems = db, directory, report, max_problems

    def problem(self, text: str) -> None:
        if len(self.report.problems) < self.max_problems:
            self.report.problems.append(text)

    def run(self, expected: dict[str, Article] | None) -> None:
        db = self.db
        verdict = [row[0] for row in db.execute("PRAGMA integrity_check")]
        if verdict != ["ok"]:
            self.problem(f"SQLite integrity_check: {'; '.join(verdict[:5])}")
        for row in db.execute("PRAGMA foreign_key_check").fetchall()[:5]:
            self.problem(f"foreign key broken: {row}")
        try:
            db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('integrity-check')")
        except sqlite3.DatabaseError as error:
            self.problem(f"FTS5 integrity-check: {error}")
        meta = dict(db.execute("SELECT key, value FROM meta"))
        self.report.generation = int(meta.get("generation", "0"))
        dimension = int(meta.get("model_dimension", "0"))
        if not dimension:
            if db.execute("SELECT 1 FROM articles LIMIT 1").fetchone():
                self.problem("meta has no model_dimension but articles are stored")
            return
        sentence_type = np.dtype(meta.get("sentence_vector_type", "float32"))
        vectors = self.articles_and_passages(dimension, sentence_type, expected)
        self.keyword_rows()
        self.term_counts()
        self.quotes()
        self.vector_file(vectors, dimension)

    def articles_and_passages(self, dimension: int, sentence_type: np.dtype,
                              expected: dict[str, Article] | None) -> dict[int, np.ndarray]:
        db = self.db
        articles = db.execute(
            "SELECT id, identity, title, published, author, paragraphs, content_hash, title_vector, centroid"
            " FROM articles").fetchall()
        self.report.articles = len(articles)
        rows = db.execute(
            "SELECT id, article_id, paragraph, piece, text, context, sentence_spans, vector,"
            " sentence_vectors, sentence_stems FROM passages ORDER BY article_id, paragraph, piece, id"
        ).fetchall()
        self.report.passages = len(rows)
        by_article: dict[str, list] = defaultdict(list)
        for row in rows:
            by_article[row[1]].append(row)
        vectors: dict[int, np.ndarray] = {}
        for (article_id, identity, title, published, author, paragraphs, content_hash,
             title_vector, centroid) in articles:
            where = f"article {article_id} ({title[:40]!r})"
            own = by_article.pop(article_id, [])
            numbers = [(r[2], r[3]) for r in own]
            pieces: dict[int, list[int]] = defaultdict(list)
            for paragraph, piece in numbers:
                pieces[paragraph].append(piece)
            if sorted(pieces) != list(range(1, paragraphs + 1)):
                self.problem(f"{where}: passages cover paragraphs {sorted(pieces)[:8]}..., "
                             f"expected 1..{paragraphs}")
            if any(sorted(p) != list(range(len(p))) for p in pieces.values()):
                self.problem(f"{where}: a paragraph's pieces are not numbered 0..n")
            passage_vectors = []
            for pid, _, _, _, text, _, spans, vector, sentences, stems in own:
                vec = self.unit_vector(vector, dimension, f"{where} passage {pid}")
                if vec is None:
                    continue
                vectors[pid] = vec
                passage_vectors.append(vec)
                spans = json.loads(spans)
                if any(not 0 <= a < b <= len(text) for a, b in spans):
                    self.problem(f"{where} passage {pid}: sentence spans outside its text")
                wanted = len(spans) if len(spans) > 1 else 1
                width = dimension * sentence_type.itemsize
                if len(sentences) != wanted * width:
                    self.problem(f"{where} passage {pid}: {len(sentences)} bytes of sentence vectors,"
                                 f" expected {wanted} x {width}")
                if stems is not None and len(json.loads(stems)) != len(spans):
                    self.problem(f"{where} passage {pid}: sentence stems do not match its sentences")
            if title_vector is None or centroid is None:
                self.problem(f"{where}: no title vector or centroid")
            else:
                self.unit_vector(title_vector, dimension, f"{where} title vector")
                mean = (np.stack(passage_vectors).mean(axis=0, dtype=np.float64) if passage_vectors
                        else np.zeros(dimension))
                stored = np.frombuffer(centroid, dtype=np.float32)
                if stored.shape != (dimension,) or not np.allclose(stored, mean, atol=1e-5):
                    self.problem(f"{where}: its centroid is not the mean of its passage vectors")
            if published is not None:
                try:
                    date.fromisoformat(published)
                except ValueError:
                    self.problem(f"{where}: published {published!r} is not an ISO day")
            if expected is not None:
                self.against_source(where, expected.get(identity), own, title, published, author,
                                    content_hash)
        for article_id, orphans in by_article.items():
            self.problem(f"{len(orphans)} passages of article {article_id}, which is not stored")
        return vectors

    def against_source(self, where, source: Article | None, own, title, published, author, content_hash):
        if source is None:
            self.problem(f"{where}: not an article of the source files")
            return
        texts: dict[int, list[str]] = defaultdict(list)
        for row in own:
            texts[row[2]].append(row[4])
        stored = tuple(" ".join(texts[n]) for n in sorted(texts))
        wanted = tuple(" ".join(p.split()) for p in source.paragraphs)
        if stored != wanted and tuple(" ".join(p.split()) for p in stored) != wanted:
            self.problem(f"{where}: its stored paragraphs differ from the source's")
        if (title, published, author, content_hash) != (
                source.title, source.published, source.author, source.content_hash):
            self.problem(f"{where}: title, date, author or content hash differ from the source's "
                         f"({published!r} vs {source.published!r})")

    def unit_vector(self, blob: bytes, dimension: int, what: str) -> np.ndarray | None:
        if blob is None or len(blob) != 4 * dimension:
            size = 0 if blob is None else len(blob)
            self.problem(f"{what}: vector of {size} bytes, expected {4 * dimension}")
            return None
        vector = np.frombuffer(blob, dtype=np.float32)
        if not np.isfinite(vector).all() or abs(float(np.linalg.norm(vector)) - 1) > _UNIT:
            self.problem(f"{what}: not a unit vector")
        return vector

    def keyword_rows(self) -> None:
        missing = self.db.execute(
            "SELECT count(*) FROM passages p WHERE NOT EXISTS"
            " (SELECT 1 FROM passages_fts f WHERE f.rowid = p.id)").fetchone()[0]
        extra = self.db.execute(
            "SELECT count(*) FROM passages_fts f WHERE NOT EXISTS"
            " (SELECT 1 FROM passages p WHERE p.id = f.rowid)").fetchone()[0]
        differ = self.db.execute(
            "SELECT count(*) FROM passages p JOIN articles a ON a.id = p.article_id"
            " JOIN passages_fts f ON f.rowid = p.id"
            " WHERE f.text IS NOT p.text OR f.context IS NOT p.context OR f.title IS NOT a.title"
        ).fetchone()[0]
        if missing or extra or differ:
            self.problem(f"keyword index: {missing} passages without a row, {extra} rows without a "
                         f"passage, {differ} rows whose text differs")

    def term_counts(self) -> None:
        scratch = sqlite3.connect(":memory:", isolation_level=None)
        try:
            scratch.executescript(TERM_COUNTS_SCHEMA)
            counts = TermCounts(scratch)
            batch = []
            for text, context in self.db.execute("SELECT text, context FROM passages"):
                batch.append(passage_words(text, context))
                if len(batch) == 2000:
                    counts.add(batch)
                    batch = []
            counts.add(batch)
            wanted = dict(scratch.execute("SELECT token, passages FROM term_counts WHERE passages > 0"))
        finally:
            scratch.close()
        stored = dict(self.db.execute("SELECT token, passages FROM term_counts WHERE passages != 0"))
        if stored != wanted:
            wrong = sorted(t for t in set(stored) | set(wanted) if stored.get(t) != wanted.get(t))
            examples = ", ".join(f"{t}: {stored.get(t, 0)} stored, {wanted.get(t, 0)} true"
                                 for t in wrong[:3])
            self.problem(f"word counts: {len(wrong)} tokens counted wrong, e.g. {examples}")

    def quotes(self) -> None:
        from index.quotes import find_quotes

        stored = Counter(self.db.execute(
            "SELECT article_id, paragraph, start_char, end_char, speaker FROM quotes"))
        self.report.quotes = sum(stored.values())
        paragraphs: dict[str, dict[int, list[str]]] = defaultdict(lambda: defaultdict(list))
        for article_id, paragraph, text in self.db.execute(
                "SELECT article_id, paragraph, text FROM passages ORDER BY article_id, paragraph, piece"):
            paragraphs[article_id][paragraph].append(text)
        found: Counter = Counter()
        for article_id, texts in paragraphs.items():
            last = max(texts, default=0)
            ordered = [" ".join(texts.get(n, [])) for n in range(1, last + 1)]
            found.update((article_id, q.paragraph, q.start, q.end, q.speaker) for q in find_quotes(ordered))
        if stored != found:
            articles = sorted({key[0] for key in (stored - found) + (found - stored)})
            self.problem(f"quotes: {sum((stored - found).values())} stored that the paragraphs do not hold, "
                         f"{sum((found - stored).values())} missing, in articles {', '.join(articles[:5])}")

    def vector_file(self, vectors: dict[int, np.ndarray], dimension: int) -> None:
        import faiss

        path = self.directory / f"vectors-{self.report.generation}.faiss"
        others = sorted(p.name for p in self.directory.glob("vectors-*.faiss*") if p != path)
        if others:
            self.report.notes.append(f"other vector files, removed at the next write: {', '.join(others)}")
        if not path.exists():
            if vectors:
                self.report.notes.append(f"{path.name} does not exist; it is rebuilt from SQLite on open")
            return
        self.report.vector_file = path.name
        try:
            index = faiss.read_index(str(path))
        except RuntimeError as error:
            self.problem(f"{path.name} cannot be read: {str(error).splitlines()[0]}")
            return
        if index.d != dimension or index.ntotal != len(vectors):
            self.problem(f"{path.name} holds {index.ntotal} {index.d}-d vectors; the store has "
                         f"{len(vectors)} passages of {dimension}-d")
            return
        if isinstance(index, faiss.IndexIDMap2):
            ids = faiss.vector_to_array(index.id_map)
            if set(ids.tolist()) != set(vectors):
                self.problem(f"{path.name}: its ids are not the stored passages' ids")
                return
            if len(ids):
                matrix = index.index.reconstruct_n(0, index.ntotal)
                stored = np.stack([vectors[int(i)] for i in ids])
                if not np.allclose(matrix, stored, atol=1e-6):
                    self.problem(f"{path.name}: some vectors differ from the stored passages'")
        elif isinstance(index, faiss.IndexIVF):
            ids = []
            invlists = index.invlists
            for cell in range(index.nlist):
                size = invlists.list_size(cell)
                if size:
                    ids += faiss.rev_swig_ptr(invlists.get_ids(cell), size).tolist()
            if set(ids) != set(vectors) or len(ids) != len(vectors):
                self.problem(f"{path.name}: its ids are not the stored passages' ids")
