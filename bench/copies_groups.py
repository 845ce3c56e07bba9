"""Copy groups and stories against the known copies (bench/copies.py): pairwise precision and
recall, and the errors by kind, on all the articles and on each half of the originals."""

from collections import Counter, defaultdict
from dataclasses import dataclass, replace
from itertools import combinations

from bench.copies_corpus import Made
from index import copy_groups, copy_marks
from index.library import Library


@dataclass(frozen=True)
class Item:
    """A passage, or an article: what is predicted and what is true of it."""

    article: str
    predicted: object
    true: object
    family: int
    label: str = ""  # for reading errors
    change: str = ""


def pair_scores(items: list[Item]) -> dict[str, float]:
    """Pairwise precision and recall over pairs of items of different articles."""

    def cross_pairs(key) -> int:
        total = 0
        cells: dict[object, Counter] = defaultdict(Counter)
        for item in items:
            cells[key(item)][item.article] += 1
        for per_article in cells.values():
            n = sum(per_article.values())
            total += n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in per_article.values())
        return total

    predicted = cross_pairs(lambda i: i.predicted)
    true = cross_pairs(lambda i: i.true)
    both = cross_pairs(lambda i: (i.predicted, i.true))
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "predicted pairs": predicted,
        "true pairs": true,
        "false merges": predicted - both,
        "missed": true - both,
    }


def error_pairs(items: list[Item]) -> tuple[list[tuple[Item, Item]], list[tuple[Item, Item]]]:
    """(false merges, missed copies): the pairs of items of different articles."""

    def pairs(key):
        grouped = defaultdict(list)
        for item in items:
            grouped[key(item)].append(item)
        for members in grouped.values():
            if len(members) > 1:
                yield from ((a, b) for a, b in combinations(members, 2) if a.article != b.article)

    merged = [(a, b) for a, b in pairs(lambda i: i.predicted) if a.true != b.true]
    missed = [(a, b) for a, b in pairs(lambda i: i.true) if a.predicted != b.predicted]
    return merged, missed


def read_items(library: Library, made: list[Made], truth: dict) -> tuple[list[Item], list[Item]]:
    """(passages, articles) of the built index."""
    by_url = {m.record["url"]: m for m in made}
    articles = {a.article_id: by_url[a.url] for a in library.articles()}
    rows = library.store.read(
        lambda db: db.execute(
            "SELECT id, article_id, paragraph, piece, text FROM passages ORDER BY id"
        ).fetchall()
    )
    groups = library.store.read(copy_groups.copy_groups, [r[0] for r in rows])
    stories = library.store.read(copy_groups.stories_of, list(articles))
    passages = []
    for pid, article_id, paragraph, piece, text in rows:
        key, change = truth[article_id][paragraph]
        m = articles[article_id]
        passages.append(
            Item(
                article_id,
                groups[pid],
                (key, piece),
                m.family,
                f"{m.record['url'].split('/')[2]} ¶{paragraph}: {text}",
                change,
            )
        )
    story_items = [
        Item(
            a,
            stories[a],
            m.family,
            m.family,
            f"{m.record['url'].split('/')[2]}: {m.record['title']}",
            "original" if m.copy == 0 else "copy",
        )
        for a, m in articles.items()
    ]
    return passages, story_items


def source_sharing(made: list[Made], truth: dict) -> tuple[dict[str, str], set[int]]:
    """What the originals themselves share: each original paragraph's key -> a key standing for
    the paragraphs of other originals that are near-copies of it (containment >= 0.7, at least
    4 word 3-grams each: CNN reusing its own text in two articles), and the originals with no
    paragraph of their own (video pages whose kept text is only CNN's ad-feedback widget)."""
    owner = {article_id: m for m in made for article_id in [m.article_id]}
    by_family: dict[int, set[str]] = defaultdict(set)
    for article_id, numbers in truth.items():
        if owner[article_id].copy == 0:
            by_family[owner[article_id].family].update(k for k, _ in numbers.values())
    keys = sorted({k for ks in by_family.values() for k in ks})
    marks = {k: frozenset(zip(*(k.split()[i:] for i in range(3)), strict=False)) for k in keys}
    owners: dict[str, set[int]] = defaultdict(set)
    for family, ks in by_family.items():
        for k in ks:
            owners[k].add(family)
    posting: dict[tuple, list[str]] = defaultdict(list)
    for k in keys:
        for mark in marks[k]:
            posting[mark].append(k)
    parent = {k: k for k in keys}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for k in keys:
        if len(marks[k]) < 4:
            continue
        shared = Counter(other for mark in marks[k] for other in posting[mark] if other != k)
        for other, n in shared.items():
            small = min(len(marks[k]), len(marks[other]))
            if len(marks[other]) >= 4 and n >= 0.7 * small and owners[k] != owners[other]:
                parent[max(root(k), root(other))] = min(root(k), root(other))
    without_own = {f for f, ks in by_family.items() if all(owners[k] - {f} for k in ks)}
    return {k: root(k) for k in keys}, without_own


HALVES = {"report (odd)": 1, "tune (even)": 0, "all": None}


def halves(items: list[Item]) -> dict[str, list[Item]]:
    return {
        name: [i for i in items if parity is None or i.family % 2 == parity]
        for name, parity in HALVES.items()
    }


def group_figures(library: Library, made: list[Made], truth: dict, sharing=None) -> dict:
    passages, stories = read_items(library, made, truth)
    source, without_own = sharing or source_sharing(made, truth)
    lenient = [replace(p, true=(source.get(p.true[0], p.true[0]), p.true[1])) for p in passages]
    with_text = [s for s in stories if s.family not in without_own]
    figures = {}
    for (half, p), le, st, wt in zip(
        halves(passages).items(),
        halves(lenient).values(),
        halves(stories).values(),
        halves(with_text).values(),
        strict=True,
    ):
        figures[half] = {
            "paragraph groups": pair_scores(p),
            "paragraph groups, the originals' own near-copies as one": pair_scores(le),
            "stories": pair_scores(st),
            f"stories, {len(without_own)} pages with no text of their own left out": pair_scores(wt),
        }
    merged, missed = error_pairs(passages)
    story_merged, story_missed = error_pairs(stories)

    def merge_kind(a, b):
        if a.family == b.family:
            return "same story, another paragraph"
        if source.get(a.true[0], a.true[0]) == source.get(b.true[0], b.true[0]):
            return "distinct originals, text they share"
        return "distinct originals"

    kinds = Counter(merge_kind(a, b) for a, b in merged)
    true_by_change, missed_by_change = Counter(), Counter(change_of(a, b) for a, b in missed)
    for members in _true_groups(passages).values():
        for a, b in combinations(members, 2):
            if a.article != b.article:
                true_by_change[change_of(a, b)] += 1
    return {
        "figures": figures,
        "merged": merged,
        "missed": missed,
        "story merged": story_merged,
        "story missed": story_missed,
        "merge kinds": kinds,
        "true by change": true_by_change,
        "missed by change": missed_by_change,
        "merge kind": merge_kind,
        "without own": without_own,
    }


def change_of(a: Item, b: Item) -> str:
    """What was done to the copy, for a pair of passages that are truly copies."""
    if min(len(copy_marks.shingles(i.label.split(": ", 1)[1])) for i in (a, b)) == 0:
        return "under 3 words"
    return next((c for c in (a.change, b.change) if c not in ("original", "verbatim")), "verbatim")


def _true_groups(items: list[Item]) -> dict:
    grouped = defaultdict(list)
    for item in items:
        grouped[item.true].append(item)
    return grouped
