"""Copies, found at ingest: the same paragraph run by several outlets (a copy group per
passage) and the same article run by several (a story per article).

Two paragraphs of different articles are copies when their vectors are close and most of the
shorter one's word 3-grams occur in the other: a changed headline, a reworded sentence or an
added line leaves most of them in place, while two reports of one event in their own words
share few. Two articles are one story when most of the shorter one's paragraphs are copies of
the other's paragraphs. A group is named by the id of its earliest published passage (the
copy a reply shows; undated after dated, then the first stored), a story by its first
article's id; a new article joins the groups and the story of what it copies (merging them
when it bridges two), and forgetting an article splits what it alone held together.

Written in the article's own transaction (index/article_writes.py), so a copy group never
names a passage that is not stored.
"""

import sqlite3
from collections.abc import Iterable

import numpy as np

from index.copy_marks import are_copies, marks

# of a new paragraph's COPY_NEIGHBOURS nearest stored vectors, those at least this close are
# compared word by word: a copy whose first words were changed can fall to 0.7 (MiniLM leans
# on a paragraph's start), two unrelated paragraphs are not worth comparing
COPY_MIN_COSINE = 0.6
COPY_NEIGHBOURS = 10
# share of the shorter article's paragraphs that must be copies of the other's paragraphs
STORY_MIN_SHARE = 0.5

SCHEMA = """
CREATE TABLE IF NOT EXISTS copy_groups (
    passage_id INTEGER PRIMARY KEY REFERENCES passages (id) ON DELETE CASCADE,
    copy_group INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS copy_groups_by_group ON copy_groups (copy_group);
CREATE TABLE IF NOT EXISTS stories (
    article_id TEXT PRIMARY KEY REFERENCES articles (id) ON DELETE CASCADE,
    story TEXT NOT NULL
);
CREATE INDEX IF NOT EXISTS stories_by_story ON stories (story);
"""

def copies_among(db: sqlite3.Connection, article_id: str, texts: list[str],
                 neighbours: list[list[tuple[int, float]]]) -> list[list[int]]:
    """For each new paragraph (its text, and its nearest stored vectors as (passage id,
    cosine)), the stored passages of other articles that are copies of it."""
    close = {pid for found in neighbours for pid, cosine in found if cosine >= COPY_MIN_COSINE}
    if not close:
        return [[] for _ in texts]
    stored = _texts(db, close)
    found_copies = []
    for text, found in zip(texts, neighbours, strict=True):
        own = marks(text)
        found_copies.append([
            pid for pid, cosine in found
            if cosine >= COPY_MIN_COSINE and pid in stored and stored[pid][0] != article_id
            and are_copies(own, marks(stored[pid][1]))
        ])
    return found_copies


def write(db: sqlite3.Connection, article_id: str, passage_ids: list[int], paragraphs: list[int],
          copies: list[list[int]]) -> None:
    """Put a new article's passages in copy groups and the article in a story (inside the
    caller's transaction). `paragraphs` gives each passage's paragraph number, `copies` each
    passage's copies among the stored passages (copies_among)."""
    for passage_id, found in zip(passage_ids, copies, strict=True):
        groups = _groups_of(db, found)
        label = _earliest(db, [*groups, passage_id]) if groups else passage_id
        _join(db, "copy_groups", "copy_group", "passage_id", passage_id, label, groups)
    copied_paragraphs: dict[str, set[int]] = {}
    owners = _articles_of(db, {pid for found in copies for pid in found})
    for paragraph, found in zip(paragraphs, copies, strict=True):
        for pid in found:
            copied_paragraphs.setdefault(owners[pid], set()).add(paragraph)
    own_count = len(set(paragraphs))
    counts = _paragraph_counts(db, copied_paragraphs)
    joined = [other for other, shared in copied_paragraphs.items()
              if len(shared) >= STORY_MIN_SHARE * min(own_count, counts[other])]
    stories = _stories_of(db, joined)
    _join(db, "stories", "story", "article_id", article_id, min(stories, default=article_id), stories)


def regroup(db: sqlite3.Connection, groups: Iterable[int], stories: Iterable[str]) -> None:
    """After passages were deleted: split the copy groups and stories they belonged to into
    what still holds together (inside the caller's transaction)."""
    for group in set(groups):
        rows = db.execute(
            "SELECT p.id, p.article_id, p.text, p.vector FROM copy_groups g"
            " JOIN passages p ON p.id = g.passage_id JOIN articles a ON a.id = p.article_id"
            f" WHERE g.copy_group = ? ORDER BY {_EARLIEST}", (group,)).fetchall()
        found = [marks(text) for _, _, text, _ in rows]
        vectors = [np.frombuffer(blob, dtype=np.float32) for *_, blob in rows]
        linked = [(a, b) for a in range(len(rows)) for b in range(a)
                  if rows[a][1] != rows[b][1] and float(vectors[a] @ vectors[b]) >= COPY_MIN_COSINE
                  and are_copies(found[a], found[b])]
        for members in _components(len(rows), linked):
            label = rows[members[0]][0]
            db.executemany("UPDATE copy_groups SET copy_group = ? WHERE passage_id = ?",
                           [(label, rows[m][0]) for m in members])
    for story in set(stories):
        articles = [r[0] for r in db.execute(
            "SELECT article_id FROM stories WHERE story = ? ORDER BY article_id", (story,))]
        linked = [(a, b) for a in range(len(articles)) for b in range(a)
                  if _one_story(db, articles[a], articles[b])]
        for members in _components(len(articles), linked):
            label = articles[members[0]]
            db.executemany("UPDATE stories SET story = ? WHERE article_id = ?",
                           [(label, articles[m]) for m in members])


def groups_and_story_of(db: sqlite3.Connection, article_id: str) -> tuple[set[int], set[str]]:
    """The copy groups of an article's passages and its story, read before it is deleted."""
    groups = {r[0] for r in db.execute(
        "SELECT g.copy_group FROM copy_groups g JOIN passages p ON p.id = g.passage_id"
        " WHERE p.article_id = ?", (article_id,))}
    stories = {r[0] for r in db.execute("SELECT story FROM stories WHERE article_id = ?", (article_id,))}
    return groups, stories


def copy_groups(db: sqlite3.Connection, passage_ids: list[int]) -> dict[int, int]:
    """Each passage's copy group (a passage found before groups were kept is its own)."""
    return _labels(db, "SELECT passage_id, copy_group FROM copy_groups WHERE passage_id IN ({})", passage_ids)


def copy_groups_and_sizes(db: sqlite3.Connection, passage_ids: list[int]) -> tuple[dict, dict]:
    """copy_groups, and how many passages each of those groups holds (not known of the own
    group of a passage found before groups were kept)."""
    groups, sizes = {pid: pid for pid in passage_ids}, {}
    for chunk in _chunks(passage_ids, 500):
        marks = ",".join("?" * len(chunk))
        for pid, group, size in db.execute(
                "SELECT passage_id, copy_group, (SELECT count(*) FROM copy_groups h WHERE"
                f" h.copy_group = g.copy_group) FROM copy_groups g WHERE passage_id IN ({marks})", chunk):
            groups[pid], sizes[group] = group, size
    return groups, sizes


def members(db: sqlite3.Connection, groups: list[int]) -> dict[int, list[int]]:
    """The passages of each copy group, first stored first."""
    found: dict[int, list[int]] = {group: [] for group in groups}
    for chunk in _chunks(list(found), 500):
        marks = ",".join("?" * len(chunk))
        for pid, group in db.execute(
                f"SELECT passage_id, copy_group FROM copy_groups WHERE copy_group IN ({marks})"
                " ORDER BY passage_id", chunk):
            found[group].append(pid)
    return found


def stories_of(db: sqlite3.Connection, article_ids: list[str]) -> dict[str, str]:
    """Each article's story (an article stored before stories were kept is its own)."""
    return _labels(db, "SELECT article_id, story FROM stories WHERE article_id IN ({})", article_ids)


def label_by_earliest(db: sqlite3.Connection) -> None:
    """Name every copy group by its earliest published passage, once, in an index whose groups
    were named by their first stored passage (inside the caller's transaction)."""
    if db.execute("SELECT 1 FROM meta WHERE key = 'copy_group_labels' AND value = 'earliest'").fetchone():
        return
    db.execute(
        "UPDATE copy_groups SET copy_group = (SELECT first FROM ("
        "  SELECT g.passage_id, first_value(g.passage_id) OVER ("
        f"    PARTITION BY g.copy_group ORDER BY {_EARLIEST.replace('p.id', 'g.passage_id')}) AS first"
        "  FROM copy_groups g JOIN passages p ON p.id = g.passage_id"
        "  JOIN articles a ON a.id = p.article_id) ranked"
        " WHERE ranked.passage_id = copy_groups.passage_id)")
    db.execute("INSERT OR REPLACE INTO meta (key, value) VALUES ('copy_group_labels', 'earliest')")


def missing(db: sqlite3.Connection) -> bool:
    """Whether some stored passage has no copy group (an index made before they were kept)."""
    return db.execute(
        "SELECT 1 FROM passages p LEFT JOIN copy_groups g ON g.passage_id = p.id"
        " WHERE g.passage_id IS NULL LIMIT 1").fetchone() is not None


# -- internals ------------------------------------------------------------------------


def _join(db, table: str, column: str, key: str, member, label, merged: set) -> None:
    """Store `member` under `label`, and rename the other `merged` labels to it."""
    others = [m for m in merged if m != label]
    for chunk in _chunks(others, 500):
        marks = ",".join("?" * len(chunk))
        db.execute(f"UPDATE {table} SET {column} = ? WHERE {column} IN ({marks})", [label, *chunk])
    db.execute(f"INSERT OR REPLACE INTO {table} ({key}, {column}) VALUES (?, ?)", (member, label))


# passages p of articles a, their earliest published first (undated last), then first stored
_EARLIEST = "coalesce(a.published, '9999'), p.id"


def _earliest(db, passage_ids: list[int]) -> int:
    marks = ",".join("?" * len(passage_ids))
    return db.execute(
        f"SELECT p.id FROM passages p JOIN articles a ON a.id = p.article_id WHERE p.id IN ({marks})"
        f" ORDER BY {_EARLIEST} LIMIT 1", passage_ids).fetchone()[0]


def _labels(db, query: str, keys: list) -> dict:
    """Each key's label by `query` (its IN list left as {}), the key itself when it has none."""
    found = {key: key for key in keys}
    for chunk in _chunks(list(found), 500):
        found.update(db.execute(query.format(",".join("?" * len(chunk))), chunk))
    return found


def _groups_of(db, passage_ids: list[int]) -> set[int]:
    return set(copy_groups(db, passage_ids).values()) if passage_ids else set()


def _stories_of(db, article_ids: list[str]) -> set[str]:
    return set(stories_of(db, article_ids).values()) if article_ids else set()


def _texts(db, passage_ids: set[int]) -> dict[int, tuple[str, str]]:
    found = {}
    for chunk in _chunks(sorted(passage_ids), 500):
        marks = ",".join("?" * len(chunk))
        for pid, article_id, text in db.execute(
                f"SELECT id, article_id, text FROM passages WHERE id IN ({marks})", chunk):
            found[pid] = (article_id, text)
    return found


def _articles_of(db, passage_ids: set[int]) -> dict[int, str]:
    return {pid: article_id for pid, (article_id, _) in _texts(db, passage_ids).items()}


def _paragraph_counts(db, article_ids: Iterable[str]) -> dict[str, int]:
    return {a: db.execute("SELECT count(DISTINCT paragraph) FROM passages WHERE article_id = ?",
                          (a,)).fetchone()[0] for a in article_ids}


def _one_story(db, a: str, b: str) -> bool:
    """Whether most of the shorter article's paragraphs have a copy in the other."""
    rows = db.execute(
        "SELECT p.article_id, p.paragraph, g.copy_group FROM passages p JOIN copy_groups g"
        " ON g.passage_id = p.id WHERE p.article_id IN (?, ?)", (a, b)).fetchall()
    groups = {a: set(), b: set()}
    for article_id, _, group in rows:
        groups[article_id].add(group)
    shared = groups[a] & groups[b]
    paragraphs = {a: set(), b: set()}
    copied = {a: set(), b: set()}
    for article_id, paragraph, group in rows:
        paragraphs[article_id].add(paragraph)
        if group in shared:
            copied[article_id].add(paragraph)
    shorter = min((a, b), key=lambda x: len(paragraphs[x]))
    return bool(copied[shorter]) and len(copied[shorter]) >= STORY_MIN_SHARE * len(paragraphs[shorter])


def _components(count: int, links: list[tuple[int, int]]) -> list[list[int]]:
    """The connected parts of `count` members under `links`, each in member order."""
    parent = list(range(count))

    def root(x: int) -> int:
        while parent[x] != x:
            parent[x] = parent[parent[x]]
            x = parent[x]
        return x

    for a, b in links:
        parent[max(root(a), root(b))] = min(root(a), root(b))
    parts: dict[int, list[int]] = {}
    for member in range(count):
        parts.setdefault(root(member), []).append(member)
    return list(parts.values())


def _chunks(items: list, size: int):
    for start in range(0, len(items), size):
        yield items[start:start + size]
