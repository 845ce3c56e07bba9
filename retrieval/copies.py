"""The same paragraph from several outlets (wire copy): shown once, with where else it ran.

The copy groups are found at ingest (index/copy_groups.py); a reply shows the earliest
published of a group's passages among its candidates and names the group's other articles.
"""

from dataclasses import dataclass
from urllib.parse import urlsplit

from index import copy_groups
from index.library import Library
from index.passages import Citation


@dataclass(frozen=True)
class Copy:
    """Another article that ran the paragraph."""

    title: str
    outlet: str  # the URL's host, or the file name
    url: str | None
    published: str | None

    @classmethod
    def of(cls, citation: Citation) -> "Copy":
        outlet = urlsplit(citation.url).hostname or citation.url if citation.url else citation.source
        return cls(citation.title, outlet.split("/")[-1], citation.url, citation.published)


def groups_of(library: Library, passage_ids: list[int]) -> dict[int, int]:
    """Each passage's copy group."""
    return library.store.copy_groups(passage_ids)


def other_outlets(library: Library, shown: list[tuple[int, Citation]]) -> list[tuple[Copy, ...]]:
    """For each shown (copy group, citation), the other articles that ran the paragraph, the
    earliest published first."""
    sizes = library.store.copy_group_sizes([group for group, _ in shown])
    if all(sizes.get(group, 2) == 1 for group, _ in shown):  # each shown passage alone in its group
        return [()] * len(shown)
    members = library.store.read(copy_groups.members, [group for group, _ in shown])
    others = {pid for group, _ in shown for pid in members[group]}
    stored = library.store.passages(sorted(others)) if others else {}
    found = []
    for group, citation in shown:
        citations = [stored[pid].citation for pid in members[group] if pid in stored]
        unique = {c.article_id: c for c in citations if c.article_id != citation.article_id}
        ordered = sorted(unique.values(), key=lambda c: (c.published or "9999", c.title))
        found.append(tuple(Copy.of(c) for c in ordered))
    return found
