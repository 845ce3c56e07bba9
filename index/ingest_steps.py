"""The steps of an ingest around its embedding, run by Library.ingest_articles in its
writing turn: which articles need storing, each with its passages (`plan`), and each
embedded batch written, one article per transaction, with its passages' copies among the
stored passages of other articles (`write_batch`, `copies_of`: index/copy_groups.py).

The embedding step between them is index/passage_embedding.py; what each ingest did is
counted in an `IngestReport`.
"""

from collections.abc import Callable
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

import numpy as np

from index import copy_groups
from index.articles import Article
from index.embedder import Embedder
from index.passages import passages_of
from index.store import EmbeddedPassage, Store
from index.vectors import VectorIndex

if TYPE_CHECKING:
    from index.library import Library


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


def plan(store: Store, embedder: Embedder, articles: list[Article], report: IngestReport,
         split: Callable | None = None):
    """The articles that need storing, each with its passages (`split(article)` when given,
    as index/ray_ingest.py splits them beforehand); the rest go to the report."""
    pending, seen = [], {}
    for article in articles:
        if article.content_hash in seen:
            report.duplicates.append(article.source)
            continue
        seen[article.content_hash] = article
        state = store.article_state(article.identity)
        if state and state[1] == article.content_hash:
            report.unchanged.append(article.article_id)
            continue
        twin = store.article_with_content(article.content_hash)
        if twin and not state:
            report.duplicates.append(article.source)
            continue
        (report.replaced if state else report.added).append(article.article_id)
        passages = (split(article) if split else
                    passages_of(article, embedder.count_tokens, embedder.max_tokens))
        pending.append((article, passages))
    return pending


def write_batch(library: "Library", batch, vectors: dict, titles: np.ndarray, report: IngestReport,
                bar) -> None:
    """Store each article of the batch in its own transaction; `vectors` (by text hash, as
    index/passage_embedding.py gives them) holds at least every passage not stored yet,
    computed here or in Ray. Copies are found through `library._copies` (bench/copies.py
    times it there, or turns it off)."""
    store = library.store
    passages = [p for _, ps in batch for p in ps]
    known = store.vectors_by_hash([p.text_hash for p in passages])
    fresh = [p for p in passages if p.text_hash not in known]
    known.update({p.text_hash: vectors[p.text_hash] for p in fresh})
    report.passages_embedded += len(fresh)
    report.passages_reused += len(passages) - len(fresh)
    for (article, article_passages), title in zip(batch, titles, strict=True):
        embedded = [EmbeddedPassage(p, *known[p.text_hash]) for p in article_passages]
        copies = library._copies(article.article_id, embedded)
        removed, added = store.replace_article(article, embedded, title, copies)
        library.vectors.remove(removed)
        library.vectors.add(np.array(added), np.stack([e.vector for e in embedded]))
        if bar:
            bar.update(len(article_passages))


def copies_of(library: "Library", article_id: str, embedded: list[EmbeddedPassage]) -> list[list[int]]:
    """Each passage's copies among the stored passages of other articles (index/copy_groups.py)."""
    if not embedded:
        return []
    vectors = np.stack([e.vector for e in embedded])
    return find_copies(library.store, library.vectors, article_id, vectors,
                       [e.passage.text for e in embedded])


def find_copies(store: Store, index: VectorIndex, article_id: str, vectors: np.ndarray,
                texts: list[str]) -> list[list[int]]:
    """The copies, among other articles' stored passages, of the passages with these vectors
    and texts: their nearest neighbours in `index`, checked by index/copy_groups.py."""
    neighbours = index.search_many(vectors, copy_groups.COPY_NEIGHBOURS)
    return store.read(copy_groups.copies_among, article_id, texts, neighbours)
