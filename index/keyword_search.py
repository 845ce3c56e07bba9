"""Keyword search: BM25 over the passages' FTS5 table (`passages_fts`: text, context, title),
and the upkeep of that table's segments. The caller holds the store's lock."""

import sqlite3


def statement(
    match: str, k: int, weights: tuple[float, float, float], article_id: str | None,
    days: tuple[str, str] | None,
) -> tuple[str, list]:
    """The SQL and its parameters for the k best (passage id, BM25 score, higher is better)
    of an FTS5 MATCH expression; of one article, or of the articles published on `days`
    (first, last), when given. Weights are the columns' (text, context, title)."""
    if days:
        restrict = (" AND rowid IN (SELECT p.id FROM articles a JOIN passages p ON p.article_id = a.id"
                    " WHERE a.published BETWEEN ? AND ?" + (" AND a.id = ?)" if article_id else ")"))
        extra = [*days] + ([article_id] if article_id else [])
    elif article_id:
        restrict, extra = " AND rowid IN (SELECT id FROM passages WHERE article_id = ?)", [article_id]
    else:
        restrict, extra = "", []
    params = [*weights, match, *extra, k]
    return (
        "SELECT rowid, -bm25(passages_fts, ?, ?, ?) AS score FROM passages_fts "
        f"WHERE passages_fts MATCH ?{restrict} ORDER BY score DESC LIMIT ?",
        params,
    )


def merge_segments(db: sqlite3.Connection) -> None:
    """Merge FTS5's segments into one b-tree (its 'optimize'); call it in a transaction."""
    db.execute("INSERT INTO passages_fts (passages_fts) VALUES ('optimize')")


def segments(db: sqlite3.Connection) -> int:
    return db.execute("SELECT count(DISTINCT segid) FROM passages_fts_idx").fetchone()[0]
