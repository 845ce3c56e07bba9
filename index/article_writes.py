"""An article written, or deleted, with everything stored with it, inside the caller's
transaction: its row in `articles` (with its title vector and centroid: index/article_vectors.py),
its passages (index/passage_rows.py), its quotes (index/quote_store.py), its copy groups
(index/copy_groups.py) and its passages' word counts (index/term_counts.py).

index/store.py holds the lock and the transaction around each call and then changes the
store's generation.
"""

import sqlite3
from datetime import UTC, datetime

import numpy as np

from index import copy_groups, passage_rows, quote_store
from index.article_vectors import as_blob
from index.articles import Article
from index.store_records import EmbeddedPassage
from index.term_counts import TermCounts, passage_words


def replace(
    db: sqlite3.Connection, terms: TermCounts, article: Article, passages: list[EmbeddedPassage],
    title_vector: np.ndarray | None, centroid: np.ndarray, copies: list[list[int]] | None,
    sentence_type: np.dtype,
) -> tuple[list[int], list[int]]:
    """Write the article in place of any earlier version of it (same identity or id); returns
    the passage ids removed and the passage ids added."""
    old = db.execute(
        "SELECT id FROM articles WHERE identity = ? OR id = ?",
        (article.identity, article.article_id),
    ).fetchall()
    removed = []
    for (old_id,) in old:
        removed += delete(db, terms, old_id)
    db.execute(
        "INSERT INTO articles (id, title, source, url, published, author, identity, content_hash,"
        " paragraphs, added_at, title_vector, centroid) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)",
        (
            article.article_id, article.title, article.source, article.url,
            article.published, article.author, article.identity, article.content_hash,
            len(article.paragraphs), datetime.now(UTC).isoformat(timespec="seconds"),
            None if title_vector is None else as_blob(title_vector), as_blob(centroid),
        ),
    )
    added = [passage_rows.insert(db, p, sentence_type) for p in passages]
    quote_store.write(db, article.article_id, article.paragraphs)
    paragraphs = [p.passage.citation.paragraph for p in passages]
    copies = copies or [[] for _ in passages]
    copy_groups.write(db, article.article_id, added, paragraphs, copies)
    terms.add([passage_words(p.passage.text, p.passage.context) for p in passages])
    return removed, added


def delete(db: sqlite3.Connection, terms: TermCounts, article_id: str) -> list[int]:
    """Delete the article and all stored with it; returns its passage ids."""
    groups, stories = copy_groups.groups_and_story_of(db, article_id)
    rows = db.execute(
        "SELECT id, text, context FROM passages WHERE article_id = ?", (article_id,)).fetchall()
    ids = [r[0] for r in rows]
    terms.add([passage_words(text, context) for _, text, context in rows], sign=-1)
    passage_rows.delete_of_article(db, article_id, ids)
    db.execute("DELETE FROM articles WHERE id = ?", (article_id,))
    copy_groups.regroup(db, groups, stories)
    return ids
