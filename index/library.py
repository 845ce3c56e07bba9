"""An index directory: open or create it, ingest articles into it, forget them.

Layout of the directory:
    store.sqlite          articles, passages, vectors, FTS5 table (the source of truth)
    vectors-<gen>.faiss   the passage vectors as a FAISS index, for generation <gen>; its
                          kind (exact, or IVF with float16 codes past 20,000 vectors) follows
                          the size and is named in the store's meta `vector_index`

`Library` is the one way in: it opens the folder, checks the model, holds the write lock
and the order of an ingest's steps. The work is done by modules of their own: the FAISS
file kept in step with the store (index/vector_file.py), the steps of an ingest (which
articles to store, each batch written with its copies: index/ingest_steps.py) and its
embedding step (index/passage_embedding.py), and the one-time fills for an index made by
an older version (index/older_indexes.py).
"""

import contextlib
import threading
from collections.abc import Callable, Iterable, Iterator
from pathlib import Path

from index import ingest_steps, older_indexes, passage_embedding
from index.articles import Article, find_article_files, read_articles
from index.disk_space import disk_full_named
from index.embedder import Embedder
from index.errors import IndexingError, ModelMismatch, UnknownArticle
from index.ingest_steps import IngestReport
from index.passages import Passage
from index.side_files import index_folder, writer_turn
from index.store import SCHEMA_VERSION, ArticleVectors, EmbeddedPassage, Store, StoredArticle, StoredPassage
from index.vector_file import VectorFile
from index.vectors import VectorIndex

__all__ = ["EMBED_BATCH_PASSAGES", "MERGE_ALWAYS_UP_TO", "STORE_FILE", "IngestReport", "Library",
           "embedding_batches"]

STORE_FILE = "store.sqlite"
EMBED_BATCH_PASSAGES = 128
# After an ingest the keyword index is merged into one piece (1.3 s at 100,000 passages) up to
# this size, or when the ingest added a twentieth of the index; beyond, FTS5's own
# merging keeps the number of pieces logarithmic.
MERGE_ALWAYS_UP_TO = 200_000


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
        older_indexes.fill_article_vectors(self)  # an index made before them
        self._closed = False
        self._vector_file = VectorFile(directory, self.store, embedder.dimension, self._write_lock)
        older_indexes.fill_copy_groups(self)  # an index made before them

    @property
    def vectors(self) -> VectorIndex:
        """The FAISS index, as another process may have saved it since
        (index/vector_file.py: VectorFile.catch_up)."""
        if not self._closed:
            self._vector_file.catch_up()
        return self._vector_file.vectors

    @vectors.setter
    def vectors(self, vectors: VectorIndex) -> None:
        self._vector_file.vectors = vectors

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
                pending = ingest_steps.plan(self.store, self.embedder, articles, report, split)
                bar = progress(total=sum(len(p) for _, p in pending)) if progress else None
                batches = embedding_batches(pending)
                embedded = (embed_batches(batches) if embed_batches
                            else ((batch, *passage_embedding.embed_batch(
                                self.store, self.embedder, self.batch_size, batch)) for batch in batches))
                for batch, vectors, titles in embedded:
                    ingest_steps.write_batch(self, batch, vectors, titles, report, bar)
                if bar:
                    bar.close()
                stored = report.passages_embedded + report.passages_reused
                if stored and (self.passage_count <= MERGE_ALWAYS_UP_TO or stored * 20 >= self.passage_count):
                    self.store.merge_keyword_index()
            finally:
                self._vector_file.save()
        return report

    def forget(self, reference: str) -> StoredArticle:
        article = self.find_article(reference)
        with self.writing():
            removed = self.store.delete_article(article.article_id)
            self.vectors.remove(removed)
            self._vector_file.save()
        return article

    @contextlib.contextmanager
    def writing(self) -> Iterator[None]:
        """Hold the index for writing: this process's threads and other processes take turns
        (index/side_files.py: writer_turn), the vectors in memory are the store's latest
        (index/vector_file.py: VectorFile.match_the_store), and a full disk is one line that
        loses nothing (index/disk_space.py)."""
        with self._write_lock, writer_turn(self.directory), disk_full_named(self.directory):
            self._vector_file.match_the_store()
            yield

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

    def _copies(self, article_id: str, embedded: list[EmbeddedPassage]) -> list[list[int]]:
        """Each passage's copies among the stored passages of other articles; bench/copies.py
        patches this method to time it or turn it off."""
        return ingest_steps.copies_of(self, article_id, embedded)


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
