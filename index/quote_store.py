"""The quotes table: each article's attributed quotations (index/quotes.py), written in the
article's own transaction and read by speaker or by paragraph.

An index made before the table, or with quotes found by older rules (meta `quote_rules`),
gets them found again from its stored paragraphs when opened.
"""

import json
import logging
import sqlite3
from dataclasses import dataclass

from index.quotes import RULES_VERSION, Quote, find_quotes
from index.speaker_names import aliases_of, name_key, surname_key
from index.store_schema import chunks

log = logging.getLogger(__name__)

SCHEMA = """
CREATE TABLE IF NOT EXISTS quotes (
    article_id TEXT NOT NULL REFERENCES articles (id) ON DELETE CASCADE,
    paragraph INTEGER NOT NULL,
    start_char INTEGER NOT NULL,
    end_char INTEGER NOT NULL,
    speaker TEXT NOT NULL,
    speaker_key TEXT NOT NULL,
    aliases TEXT NOT NULL,
    verb TEXT NOT NULL,
    form TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS quotes_by_speaker ON quotes (speaker_key);
CREATE INDEX IF NOT EXISTS quotes_by_place ON quotes (article_id, paragraph);
"""


@dataclass(frozen=True)
class Speaker:
    """Someone quoted in the indexed articles, under the fullest name an article gives."""

    name: str
    aliases: tuple[str, ...]
    quotes: int  # paragraphs holding their quotations
    organisation: bool


@dataclass(frozen=True)
class StoredQuote:
    """One quotation as stored: where it is and who said it."""

    article_id: str
    paragraph: int
    start: int
    end: int
    speaker: str
    verb: str
    form: str  # how the article names the speaker there (index/quotes.py)
    published: str | None


def write(db: sqlite3.Connection, article_id: str, paragraphs: tuple[str, ...] | list[str]) -> None:
    """Store an article's quotations (inside the caller's transaction)."""
    db.executemany(
        "INSERT INTO quotes (article_id, paragraph, start_char, end_char, speaker, speaker_key,"
        " aliases, verb, form)"
        " VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)",
        [_row(article_id, q) for q in find_quotes(paragraphs)],
    )


def _row(article_id: str, quote: Quote) -> tuple:
    return (article_id, quote.paragraph, quote.start, quote.end, quote.speaker,
            name_key(quote.speaker), json.dumps(quote.aliases), quote.verb, quote.form)


def refill_if_stale(db: sqlite3.Connection, transaction) -> None:
    """Find every stored article's quotations again when the index's quotes were found by
    other rules, or before quotes were stored at all."""
    row = db.execute("SELECT value FROM meta WHERE key = 'quote_rules'").fetchone()
    if row and row[0] == RULES_VERSION:
        return
    with transaction(db):
        articles = [r[0] for r in db.execute("SELECT id FROM articles")]
        if articles:
            log.info("finding the quotations of %d stored articles once (rules %s)",
                     len(articles), RULES_VERSION)
        db.execute("DELETE FROM quotes")
        for article_id in articles:
            write(db, article_id, _stored_paragraphs(db, article_id))
        db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('quote_rules', ?)", (RULES_VERSION,))


def _stored_paragraphs(db: sqlite3.Connection, article_id: str) -> list[str]:
    """The article's paragraphs from its passages (a long paragraph's pieces joined)."""
    paragraphs: dict[int, list[str]] = {}
    for paragraph, text in db.execute(
        "SELECT paragraph, text FROM passages WHERE article_id = ? ORDER BY paragraph, piece", (article_id,)
    ):
        paragraphs.setdefault(paragraph, []).append(text)
    last = max(paragraphs, default=0)
    return [" ".join(paragraphs.get(n, [])) for n in range(1, last + 1)]


def speakers(db: sqlite3.Connection) -> list[Speaker]:
    """Everyone quoted, most quoted first; one entry per folded name, a surname alone
    (`_full_names`) folded into the one full name it stands for."""
    rows = db.execute(
        "SELECT speaker_key, speaker, form, count(DISTINCT article_id || ':' || paragraph) FROM quotes"
        " GROUP BY speaker_key, speaker, form"
    ).fetchall()
    by_key: dict[str, list] = {}
    for key, name, form, count in rows:
        entry = by_key.setdefault(key, [name, 0, True])
        entry[1] += count
        entry[2] = entry[2] and form == "organisation"
        if len(name) > len(entry[0]):
            entry[0] = name
    for surname, full in _full_names(db).items():
        if surname in by_key and full in by_key and not by_key[surname][2]:
            by_key[full][1] += by_key.pop(surname)[1]
    found = [Speaker(name, aliases_of(name), count, organisation)
             for name, count, organisation in by_key.values()]
    return sorted(found, key=lambda s: (-s.quotes, s.name))


def quotes_by(db: sqlite3.Connection, speaker: str) -> list[StoredQuote]:
    """Every quotation of one speaker (by folded name), newest article first; a full name's
    also those an article gave its surname alone, when the surname stands for them
    (`_full_names`)."""
    key = name_key(speaker)
    surname = surname_key(key)
    if _full_names(db, surname).get(surname) != key:
        return _read(db, "q.speaker_key = ?", (key,))
    return _read(db, "q.speaker_key IN (?, ?)", (key, surname))


def _full_names(db: sqlite3.Connection, surname: str | None = None) -> dict[str, str]:
    """Surname key -> the full-name key of the person a surname alone stands for ("biden" ->
    "joe biden": a short news story may say only "Biden said"): the one quoted under a full
    name with that surname, or the one holding SURNAME_SHARE of those quotes ("Jill Biden"
    once beside "Joe Biden" five times); two people quoted alike ("johnson") are left out.
    Of one surname when given, else of all."""
    rows = db.execute(
        "SELECT speaker_key, count(*) FROM quotes WHERE form != 'organisation' AND speaker_key LIKE ?"
        " GROUP BY speaker_key",
        (f"% {surname}%" if surname else "% %",),
    ).fetchall()
    full_names: dict[str, dict[str, int]] = {}
    for key, count in rows:
        if " " in key and (surname is None or surname_key(key) == surname):
            full_names.setdefault(surname_key(key), {})[key] = count
    found = {}
    for last, counts in full_names.items():
        best = max(counts, key=counts.get)
        if counts[best] >= SURNAME_SHARE * sum(counts.values()):
            found[last] = best
    return found


SURNAME_SHARE = 0.75


def quotes_at(db: sqlite3.Connection, places: list[tuple[str, int]]) -> list[StoredQuote]:
    """The quotations in these (article id, paragraph) places, place after place (one query)."""
    found: dict[tuple[str, int], list[StoredQuote]] = {place: [] for place in places}
    for chunk in chunks(list(found), 200):
        where = " OR ".join(["(q.article_id = ? AND q.paragraph = ?)"] * len(chunk))
        for quote in _read(db, where, tuple(value for place in chunk for value in place)):
            found[(quote.article_id, quote.paragraph)].append(quote)
    return [quote for quotes in found.values() for quote in quotes]


def _read(db: sqlite3.Connection, where: str, params: tuple) -> list[StoredQuote]:
    rows = db.execute(
        "SELECT q.article_id, q.paragraph, q.start_char, q.end_char, q.speaker, q.verb, q.form, a.published"
        f" FROM quotes q JOIN articles a ON a.id = q.article_id WHERE {where}"
        " ORDER BY coalesce(a.published, '') DESC, a.added_at DESC, q.paragraph, q.start_char",
        params,
    ).fetchall()
    return [StoredQuote(*row) for row in rows]
