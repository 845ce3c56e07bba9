"""The FAISS file of an index folder, kept in step with the store.

The file is a cache of the store's passage vectors named after the store's generation,
`vectors-<gen>.faiss`; its kind (exact, or IVF with float16 codes past 20,000 vectors)
follows the size and is named in the store's meta `vector_index`. `VectorFile` holds the
vectors in memory and the generation they match: loaded on open (rebuilt from SQLite when
the file is missing or damaged), caught up with the file another process saved, matched to
the store's latest before this process writes, and saved under the new generation after.

index/library.py holds the write lock that `catch_up` respects and decides when each runs.
"""

import logging
import sqlite3
import threading
from pathlib import Path

from index.disk_space import disk_full_error, is_disk_full
from index.store import Store
from index.vectors import VectorIndex

log = logging.getLogger(__name__)


class VectorFile:
    """The passage vectors in memory and the store generation they belong to."""

    def __init__(self, directory: Path, store: Store, dimension: int, write_lock: threading.Lock):
        self.directory = directory
        self.store = store
        self.dimension = dimension
        self._write_lock = write_lock
        self.generation = store.generation()
        self.vectors = self._load()

    def path(self, generation: int) -> Path:
        return self.directory / f"vectors-{generation}.faiss"

    def catch_up(self) -> None:
        """After another process wrote to the index (a `bot.py index` or a cron `feeds poll`
        beside a running bot), load the file it saved, so new articles are found without a
        restart. While that process is still writing, its file does not exist yet and the
        index stays as it was; during this process's own writes nothing is loaded."""
        generation = self.store.generation()
        if generation != self.generation and not self._write_lock.locked():
            path = self.path(generation)
            if path.exists():
                try:
                    self.vectors = VectorIndex.load(path, self.dimension)
                    self.generation = generation
                except (RuntimeError, ValueError, OSError) as error:  # replaced while being read
                    log.info("%s could not be read yet (%s); keeping the vectors in memory", path, error)

    def match_the_store(self) -> None:
        """Before writing: add to the vectors of the store's latest generation, as the process
        that wrote it saved them; when it saved none (killed, or its disk full), rebuild them
        from SQLite: adding to those in memory would save, under the store's generation, a file
        without its passages."""
        generation = self.store.generation()
        if generation == self.generation:
            return
        path = self.path(generation)
        try:
            self.vectors = VectorIndex.load(path, self.dimension)
        except (RuntimeError, ValueError, OSError):
            log.warning("%s is missing; rebuilding it from %s", path.name, self.store.path.name)
            self.vectors = self.rebuild()
        self.generation = generation

    def save(self) -> None:
        """After writing: the vectors saved under the store's new generation, rebuilt first
        when their kind no longer suits their number."""
        if not self.vectors.suits_its_size():
            log.info("%d vectors: rebuilding the vector index", len(self.vectors))
            self.vectors = self.rebuild()
        self._write(self.vectors)
        self.generation = self.store.generation()

    def rebuild(self) -> VectorIndex:
        """The FAISS index rebuilt from the store, of the kind that suits its size."""
        ids, matrix = self.store.all_vectors()
        vectors = VectorIndex.build(self.dimension, ids, matrix)
        if len(ids):
            try:
                self._write(vectors, replace=True)
            except (OSError, RuntimeError, sqlite3.Error) as error:
                if not is_disk_full(error, self.directory):
                    raise
                log.warning("%s; the vectors are kept in memory and saved at the next write",
                            disk_full_error(error, self.directory))
        return vectors

    def _load(self) -> VectorIndex:
        path = self.path(self.store.generation())
        if path.exists():
            try:
                return VectorIndex.load(path, self.dimension)
            except (RuntimeError, ValueError) as error:
                log.warning("%s is damaged (%s); rebuilding it from %s", path, error, self.store.path.name)
        elif self.store.count_passages() != 0:
            log.warning("%s is missing; rebuilding it from %s", path.name, self.store.path.name)
        return self.rebuild()

    def _write(self, vectors: VectorIndex, replace: bool = False) -> None:
        path = self.path(self.store.generation())
        if replace or not path.exists():
            vectors.save(path)
        if self.store.meta().get("vector_index") != vectors.describe():
            self.store.set_meta(vector_index=vectors.describe())
        for stale in self.directory.glob("vectors-*.faiss*"):
            if stale != path:
                stale.unlink(missing_ok=True)
