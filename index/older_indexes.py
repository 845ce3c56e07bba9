"""One-time fills for an index made by an older version, run when a Library opens it: each
article's title vector and centroid (index/article_vectors.py), and the copy groups and
stories (index/copy_groups.py). Each costs one lookup when there is nothing to fill.
"""

import logging
from typing import TYPE_CHECKING

import numpy as np

from index import copy_groups
from index.ingest_steps import find_copies
from index.passage_embedding import embed_titles

if TYPE_CHECKING:
    from index.library import Library

log = logging.getLogger(__name__)


def fill_article_vectors(library: "Library") -> None:
    """The title vectors and centroids of the articles stored without them."""
    library.store.fill_article_vectors(
        lambda titles: embed_titles(library.embedder, library.batch_size, titles))


def fill_copy_groups(library: "Library") -> None:
    """Copy groups and stories for an index made before they were kept, article by article
    in the order they were added, as if ingested again; nothing when they are kept."""
    store = library.store
    if not store.read(copy_groups.missing):
        return
    articles = store.articles()
    log.info("finding copies among %d stored articles once", len(articles))
    for article in articles:
        stored = store.passages_of_article(article.article_id)
        if not stored:
            continue
        vectors = np.stack([p.vector for p in stored])
        copies = find_copies(store, library.vectors, article.article_id, vectors, [p.text for p in stored])
        ids = [p.passage_id for p in stored]
        store.update(copy_groups.write, article.article_id, ids,
                     [p.citation.paragraph for p in stored], copies)
