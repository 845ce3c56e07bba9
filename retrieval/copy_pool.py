"""Copies kept from crowding a question's candidates: each copy group counted once.

Ten outlets running one wire story would otherwise fill the 50 dense and 50 keyword
candidates with a few paragraphs, shift every signal's z-scores, and leave out the
paragraphs a reply needs. Both searches look COPIES_DEPTH times deeper than the candidates
asked for (their cost hardly depends on depth); the results past the first are read only
when copies are among the first. A group takes part as the passage it is named by, its
earliest published copy (index/copy_groups.py): the one a reply shows.
"""

from dataclasses import dataclass

from index.library import Library

COPIES_DEPTH = 4

Found = list[tuple[int, float]]  # (passage id, score), best first


@dataclass(frozen=True)
class Pool:
    """The candidates of both searches, one passage per copy group, each under the best
    keyword score of its group's copies found."""

    ids: list[int]  # keyword candidates first, then dense ones
    keyword_scores: dict[int, float]
    groups: dict[int, int]  # passage id -> copy group, for every id


def distinct_copies(library: Library, dense: Found, keyword: Found, count: int, restricted: bool,
                    dense_count: int) -> Pool:
    """The first `count` copy groups of the keyword results and `dense_count` of the dense
    ones (searched COPIES_DEPTH times as deep), each group as the passage it is named by, or,
    in a search `restricted` to one article or to some days, as the first of its copies found
    (the named one may lie outside)."""
    keyword_head, dense_head = keyword[:count], dense[:dense_count]
    head = {pid for pid, _ in [*keyword_head, *dense_head]}
    groups = library.store.copy_groups(list(head))
    if len(set(groups.values())) == len(groups):  # no two copies of one paragraph among them
        keyword, dense = keyword_head, dense_head
    else:
        keyword = _first_groups(library, keyword, groups, count)
        dense = _first_groups(library, dense, groups, dense_count)
    shown: dict[int, int] = {}  # copy group -> the passage that takes part for it
    for pid, _ in [*keyword, *dense]:
        shown.setdefault(groups[pid], pid if restricted else groups[pid])
    # results come best first: a group's first copy found has its best keyword score
    return Pool(list(shown.values()), {shown[groups[pid]]: score for pid, score in reversed(keyword)},
                {pid: group for group, pid in shown.items()})


def _first_groups(library: Library, found: Found, groups: dict[int, int], count: int) -> Found:
    """The first result of each of the first `count` copy groups found, reading the groups of
    `count` more results at a time into `groups`."""
    kept: Found = []
    seen: set[int] = set()
    for start in range(0, len(found), count):
        chunk = found[start:start + count]
        groups |= library.store.copy_groups([pid for pid, _ in chunk if pid not in groups])
        for pid, score in chunk:
            if groups[pid] not in seen:
                seen.add(groups[pid])
                kept.append((pid, score))
                if len(kept) == count:
                    return kept
    return kept
