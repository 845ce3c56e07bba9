"""An index directory: open or create it, ingest articles into it, forget them.

Layout of the directory:
    store.sqlite          articles, passages, vectors, FTS5 table (the source of truth)
    vectors-<gen>.faiss   the passage vectors as a FAISS index, for generation <gen>; its
                          kind (exact, or IVF with 8-bit codes past 20,000 vectors) follows
                          the size and is named in the store's meta `vector_index`
"""

import contextlib
import logging
import sqlite3
import threading
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np

from index import copy_groups
from index.articles import Article, find_article_files, read_articles
from index.disk_space import disk_full_error, disk_full_named, is_disk_full
from index.embedder import Embedder
from index.errors import IndexingError, ModelMismatch, UnknownArticle
from index.passages import Passage, passages_of
from index.side_files import index_folder, writer_turn
from index.store import SCHEMA_VERSION, ArticleVectors, EmbeddedPassage, Store, StoredArticle, StoredPassage
from index.vectors import VectorIndex

log = logging.getLogger(__name__)

STORE_FILE = "store.sqlite"
EMBED_BATCH_PASSAGES = 128
# After an ingest the keyword index is merged into one piece (1.3 s at 100,000 passages) up to
# this size, or when the ingest added a twentieth of the index; beyond, FTS5's own
# merging keeps the number of pieces logarithmic.
MERGE_ALWAYS_UP_TO = 200_000


@dataclass
class IngestReport:
    added: list[str] = field(default_factory=list)
    replaced: list[str] = field(default_factory=list)
    unchanged: list[str] = field(default_factory=list)
    duplicates: list[str] = field(default_factory=list)
    passages_embedded: int = 0
    passages_reused: int = 0
    errors: list[str] = field(default_factory=list)

    def summary(self) -> str:
        parts = [
            f"{len(self.added)} added", f"{len(self.replaced)} replaced",
            f"{len(self.unchanged)} unchanged",
        ]
        if self.duplicates:
            parts.append(f"{len(self.duplicates)} duplicate")
        return (
            f"articles: {', '.join(parts)}; passages: {self.passages_embedded} embedded, "
            f"{self.passages_reused} reused"
            + (f"; {len(self.errors)} file(s) skipped" if self.errors else "")
        )


class Library:
    """The articles of one index directory, searchable by vector and by keyword."""

    def __init__(self, directory: Path, embedder: Embedder, batch_size: int = 32):
        self.directory = directory
        self.embedder = embedder
        self.batch_size = batch_size
        self._write_lock = threading.Lock()
        index_folder(directory)
        self.store = Store(directory / STORE_FILE)
        self._check_model()
        self.store.fill_article_vectors(self._embed_titles)  # an index made before them
        self._closed = False
        self._vectors_generation = self.store.generation()
        self._vectors = self._load_vectors()
        if self.store.read(copy_groups.missing):
            self._group_copies_of_older_index()

    @property
    def vectors(self) -> VectorIndex:
        """The FAISS index, as another process may have saved it since (_catch_up_vectors)."""
        self._catch_up_vectors()
        return self._vectors

    def _catch_up_vectors(self) -> None:
        """After another process wrote to the index (a `bot.py index` or a cron `feeds poll`
        beside a running bot), load the file it saved, so new articles are found without a
        restart. While that process is still writing, its file does not exist yet and the
        index stays as it was; during this process's own writes nothing is loaded."""
        if self._closed:
            return
        generation = self.store.generation()
        if generation != self._vectors_generation and not self._write_lock.locked():
            path = self._vector_file(generation)
            if path.exists():
                try:
                    self._vectors = VectorIndex.load(path, self.embedder.dimension)
                    self._vectors_generation = generation
                except (RuntimeError, ValueError, OSError) as error:  # replaced while being read
                    log.info("%s could not be read yet (%s); keeping the vectors in memory", path, error)

    @vectors.setter
    def vectors(self, vectors: VectorIndex) -> None:
        self._vectors = vectors

    @property
    def passage_count(self) -> int:
        """Passages indexed; the vector index holds exactly one vector per passage."""
        return len(self.vectors)

    @property
    def is_empty(self) -> bool:
        return self.store.count_passages() == 0

    def close(self) -> None:
        self._closed = True
        self.store.close()

    # -- writing --------------------------------------------------------------------

    def ingest(self, paths: Iterable[Path], progress: Callable | None = None) -> IngestReport:
        """Read every file under `paths` and store what is new or changed.

        Each article is committed on its own, so an interruption keeps every article
        committed before it and leaves the index loadable.
        """
        report = IngestReport()
        articles: list[Article] = []
        for path in find_article_files(list(paths)):
            try:
                articles += read_articles(path)
            except IndexingError as error:
                report.errors.append(str(error))
        self.ingest_articles(articles, report, progress)
        return report

    def ingest_articles(
        self, articles: list[Article], report: IngestReport | None = None,
        progress: Callable | None = None, split: Callable | None = None,
        embed_batches: Callable | None = None,
    ) -> IngestReport:
        """Store what is new or changed among `articles`. `split` gives an article's passages
        (else they are cut here); `embed_batches` turns the batches of (article, passages) into
        (batch, vectors by text hash, title vectors), in order (else each batch is embedded
        here as it comes: index/ray_ingest.py embeds them in Ray)."""
        report = report or IngestReport()
        with self.writing():
            try:
                pending = self._plan(articles, report, split)
                bar = progress(total=sum(len(p) for _, p in pending)) if progress else None
                batches = embedding_batches(pending)
                embedded = (embed_batches(batches) if embed_batches
                            else ((batch, *self._embed_batch(batch)) for batch in batches))
                for batch, vectors, titles in embedded:
                    self._write_batch(batch, vectors, titles, report, bar)
                if bar:
                    bar.close()
                stored = report.passages_embedded + report.passages_reused
                if stored and (self.passage_count <= MERGE_ALWAYS_UP_TO or stored * 20 >= self.passage_count):
                    self.store.merge_keyword_index()
            finally:
                self._save_vectors()
        return report

    def forget(self, reference: str) -> StoredArticle:
        article = self.find_article(reference)
        with self.writing():
            removed = self.store.delete_article(article.article_id)
            self.vectors.remove(removed)
            self._save_vectors()
        return article

    # -- reading --------------------------------------------------------------------

    def articles(self) -> list[StoredArticle]:
        return self.store.articles()

    def find_article(self, reference: str) -> StoredArticle:
        """An article by id, exact title (any case), or source file name."""
        wanted = reference.strip()
        articles = self.store.articles()
        for matches in (
            lambda a: a.article_id == wanted,
            lambda a: a.title.casefold() == wanted.casefold(),
            lambda a: Path(a.source).name == wanted or a.source == wanted or a.url == wanted,
        ):
            found = [a for a in articles if matches(a)]
            if len(found) == 1:
                return found[0]
            if len(found) > 1:
                ids = ", ".join(a.article_id for a in found)
                raise UnknownArticle(f"'{reference}' matches several articles ({ids}); use an id")
        raise UnknownArticle(
            f"no indexed article matches '{reference}'; `python bot.py sources` lists them"
        )

    def article_vectors(self, article_ids: list[str]) -> dict[str, ArticleVectors]:
        """Each of these articles' title vector and centroid (index/article_vectors.py); an
        article no longer indexed is left out."""
        return self.store.article_vectors(article_ids)

    def neighbours(self, passage_id: int, radius: int) -> list[StoredPassage]:
        """The passage's paragraph and up to `radius` paragraphs either side, in order."""
        found = self.store.passages([passage_id]).get(passage_id)
        if found is None:
            raise UnknownArticle("that passage is no longer indexed; ask again")
        citation = found.passage.citation
        return self.store.passages_of_article(
            citation.article_id, citation.paragraph - radius, citation.paragraph + radius
        )

    # -- internals ------------------------------------------------------------------

    def _check_model(self) -> None:
        meta = self.store.meta()
        mine = {
            "model_name": self.embedder.name,
            "model_dimension": str(self.embedder.dimension),
            "model_fingerprint": self.embedder.fingerprint,
        }
        if "model_name" not in meta:
            self.store.set_meta(schema_version=SCHEMA_VERSION, generation="0", **mine)
            return
        if any(meta.get(k) != v for k, v in mine.items()):
            raise ModelMismatch(
                f"the index in {self.directory} was built with {meta['model_name']} "
                f"({meta['model_dimension']}-d, fingerprint {meta['model_fingerprint']}); this run "
                f"uses {self.embedder.name} ({self.embedder.dimension}-d, fingerprint "
                f"{self.embedder.fingerprint}): index into a new --index folder"
            )

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index for writing: this process's threads and other processes take turns
        (index/side_files.py: writer_turn), the vectors in memory are the store's latest, and
        a full disk is one line that loses nothing (index/disk_space.py)."""
        with self._write_lock, writer_turn(self.directory), disk_full_named(self.directory):
            self._match_the_store()
            yield

    def _match_the_store(self) -> None:
        """Before writing: add to the vectors of the store's latest generation, as the process
        that wrote it saved them; when it saved none (killed, or its disk full), rebuild them
        from SQLite: adding to those in memory would save, under the store's generation, a file
        without its passages."""
        generation = self.store.generation()
        if generation == self._vectors_generation:
            return
        path = self._vector_file(generation)
        try:
            self._vectors = VectorIndex.load(path, self.embedder.dimension)
        except (RuntimeError, ValueError, OSError):
            log.warning("%s is missing; rebuilding it from %s", path.name, STORE_FILE)
            self._vectors = self._rebuild_vectors()
        self._vectors_generation = generation

    def _vector_file(self, generation: int) -> Path:
        return self.directory / f"vectors-{generation}.faiss"

    def _load_vectors(self) -> VectorIndex:
        path = self._vector_file(self.store.generation())
        if path.exists():
            try:
                return VectorIndex.load(path, self.embedder.dimension)
            except (RuntimeError, ValueError) as error:
                log.warning("%s is damaged (%s); rebuilding it from %s", path, error, STORE_FILE)
        elif not self.is_empty:
            log.warning("%s is missing; rebuilding it from %s", path.name, STORE_FILE)
        return self._rebuild_vectors()

    def _rebuild_vectors(self) -> VectorIndex:
        """The FAISS index rebuilt from the store, of the kind that suits its size."""
        ids, matrix = self.store.all_vectors()
        vectors = VectorIndex.build(self.embedder.dimension, ids, matrix)
        if len(ids):
            try:
                self._write_vectors(vectors, replace=True)
            except (OSError, RuntimeError, sqlite3.Error) as error:
                if not is_disk_full(error, self.directory):
                    raise
                log.warning("%s; the vectors are kept in memory and saved at the next write",
                            disk_full_error(error, self.directory))
        return vectors

    def _save_vectors(self) -> None:
        if not self._vectors.suits_its_size():
            log.info("%d vectors: rebuilding the vector index", len(self._vectors))
            self._vectors = self._rebuild_vectors()
        self._write_vectors(self._vectors)
        self._vectors_generation = self.store.generation()

    def _write_vectors(self, vectors: VectorIndex, replace: bool = False) -> None:
        path = self._vector_file(self.store.generation())
        if replace or not path.exists():
            vectors.save(path)
        if self.store.meta().get("vector_index") != vectors.describe():
            self.store.set_meta(vector_index=vectors.describe())
        for stale in self.directory.glob("vectors-*.faiss*"):
            if stale != path:
                stale.unlink(missing_ok=True)

    def _plan(self, articles: list[Article], report: IngestReport, split: Callable | None = None):
        """The articles that need storing, each with its passages (`split(article)` when given,
        as index/ray_ingest.py splits them beforehand); the rest go to the report."""
        pending, seen = [], {}
        for article in articles:
            if article.content_hash in seen:
                report.duplicates.append(article.source)
                continue
            seen[article.content_hash] = article
            state = self.store.article_state(article.identity)
            if state and state[1] == article.content_hash:
                report.unchanged.append(article.article_id)
                continue
            twin = self.store.article_with_content(article.content_hash)
            if twin and not state:
                report.duplicates.append(article.source)
                continue
            (report.replaced if state else report.added).append(article.article_id)
            passages = (split(article) if split else
                        passages_of(article, self.embedder.count_tokens, self.embedder.max_tokens))
            pending.append((article, passages))
        return pending

    def _embed_batch(self, batch):
        """The vectors of the batch's passages not stored yet (by text hash) and of its titles."""
        passages = [p for _, ps in batch for p in ps]
        known = self.store.vectors_by_hash([p.text_hash for p in passages])
        return self._embed([p for p in passages if p.text_hash not in known],
                           [article.title for article, _ in batch])

    def _write_batch(self, batch, vectors: dict, titles: np.ndarray, report: IngestReport, bar) -> None:
        """Store each article of the batch in its own transaction; `vectors` (by text hash, as
        _embed gives them) holds at least every passage not stored yet, computed here or in Ray."""
        passages = [p for _, ps in batch for p in ps]
        known = self.store.vectors_by_hash([p.text_hash for p in passages])
        fresh = [p for p in passages if p.text_hash not in known]
        known.update({p.text_hash: vectors[p.text_hash] for p in fresh})
        report.passages_embedded += len(fresh)
        report.passages_reused += len(passages) - len(fresh)
        for (article, article_passages), title in zip(batch, titles, strict=True):
            embedded = [EmbeddedPassage(p, *known[p.text_hash]) for p in article_passages]
            copies = self._copies(article.article_id, embedded)
            removed, added = self.store.replace_article(article, embedded, title, copies)
            self.vectors.remove(removed)
            self.vectors.add(np.array(added), np.stack([e.vector for e in embedded]))
            if bar:
                bar.update(len(article_passages))

    def _copies(self, article_id: str, embedded: list[EmbeddedPassage]) -> list[list[int]]:
        """Each passage's copies among the stored passages of other articles (index/copy_groups.py)."""
        if not embedded:
            return []
        vectors = np.stack([e.vector for e in embedded])
        neighbours = self.vectors.search_many(vectors, copy_groups.COPY_NEIGHBOURS)
        texts = [e.passage.text for e in embedded]
        return self.store.read(copy_groups.copies_among, article_id, texts, neighbours)

    def _group_copies_of_older_index(self) -> None:
        """Copy groups and stories for an index made before they were kept, article by article
        in the order they were added, as if ingested again."""
        articles = self.store.articles()
        log.info("finding copies among %d stored articles once", len(articles))
        for article in articles:
            stored = self.store.passages_of_article(article.article_id)
            if not stored:
                continue
            vectors = np.stack([p.vector for p in stored])
            neighbours = self.vectors.search_many(vectors, copy_groups.COPY_NEIGHBOURS)
            copies = self.store.read(copy_groups.copies_among, article.article_id,
                                     [p.text for p in stored], neighbours)
            ids = [p.passage_id for p in stored]
            self.store.update(copy_groups.write, article.article_id, ids,
                              [p.citation.paragraph for p in stored], copies)

    def _embed(
        self, passages: list[Passage], titles: list[str]
    ) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray]:
        """Paragraph vectors and sentence vectors (one-sentence passages share the first), and
        the titles' vectors, from one call of the model."""
        texts = [p.text for p in passages]
        sentences, ranges = [], []
        for passage in passages:
            start = len(sentences)
            if len(passage.sentence_spans) > 1:
                sentences += passage.sentences
            ranges.append((start, len(sentences)))
        matrix = self.embedder.encode(texts + sentences + titles, batch_size=self.batch_size)
        paragraph_vectors = matrix[: len(texts)]
        sentence_vectors = matrix[len(texts):len(texts) + len(sentences)]
        title_vectors = matrix[len(texts) + len(sentences):]
        result = {}
        for index, (passage, (start, end)) in enumerate(zip(passages, ranges, strict=True)):
            own = sentence_vectors[start:end] if end > start else paragraph_vectors[index:index + 1]
            result[passage.text_hash] = (paragraph_vectors[index], own)
        return result, title_vectors

    def _embed_titles(self, titles: list[str]) -> np.ndarray:
        return self.embedder.encode(titles, batch_size=self.batch_size)


def embedding_batches(pending: list[tuple[Article, list[Passage]]]) -> list[list]:
    """The articles to store, cut into batches of at least EMBED_BATCH_PASSAGES passages (the
    last one fewer): each batch is embedded in one call of the model."""
    batches, batch = [], []
    for article, passages in pending:
        batch.append((article, passages))
        if sum(len(p) for _, p in batch) >= EMBED_BATCH_PASSAGES:
            batches.append(batch)
            batch = []
    return batches + ([batch] if batch else [])
