"""What the store keeps in memory between reads: the passages and article vectors it decoded,
and the word counts and copy groups it read, all of it until any write, from any process,
changes the index.

Every write changes the store's generation (a number in `meta`, index/store.py); each read
passes the generation it finds, and a new one drops everything kept.
"""

from collections import OrderedDict
from collections.abc import Callable, Iterable

from index.article_vectors import ArticleVectors
from index.store_records import StoredPassage

# Passages read for ranking stay decoded in memory, the least recently used leaving first:
# about 22 KiB each with their float32 vectors and stems (measured with tracemalloc), so
# 110 MiB at most. Questions in one channel keep meeting the same passages. So do the
# counts of the words they use.
CACHED_PASSAGES = 5_000
CACHED_WORD_COUNTS = 50_000
# Each question reads the title vectors and centroids of its candidates' articles (20 to 60):
# about 3.5 KiB an article at 384 dimensions (measured with tracemalloc), so 70 MiB at most.
CACHED_ARTICLES = 20_000
# Each question reads the copy groups of about 100 passages (index/copy_groups.py): two
# numbers a passage, so 10 MiB at most.
CACHED_COPY_GROUPS = 100_000


class KeptInMemory:
    """The caller holds the store's lock around every call."""

    def __init__(self):
        self.passages: OrderedDict[int, StoredPassage] = OrderedDict()
        self.articles: OrderedDict[str, ArticleVectors] = OrderedDict()
        self.counts: dict[str, int] = {}
        self.copy_groups: dict[int, int] = {}
        self.group_sizes: dict[int, int] = {}
        self.generation = -1

    def forget_if_written(self, generation: int) -> None:
        """Drop everything kept once the index's generation is not the one it was read at."""
        if generation != self.generation:
            self.passages.clear()
            self.articles.clear()
            self.counts.clear()
            self.copy_groups.clear()
            self.group_sizes.clear()
            self.generation = generation

    def forget(self) -> None:
        """Drop everything kept at the next read."""
        self.generation = -1

    def passages_of(
        self, passage_ids: list[int], read: Callable[[list[int]], Iterable[StoredPassage]]
    ) -> dict[int, StoredPassage]:
        """The passages with these ids that exist, in the order asked; `read` reads those
        not kept."""
        kept = self.passages
        missing = [pid for pid in passage_ids if pid not in kept]
        if missing:
            for passage in read(missing):
                kept[passage.passage_id] = passage
        return _recently_used(kept, passage_ids, CACHED_PASSAGES)

    def article_vectors_of(
        self, article_ids: list[str], read: Callable[[list[str]], dict[str, ArticleVectors]]
    ) -> dict[str, ArticleVectors]:
        """The vectors of those of these articles that have them, in the order asked; `read`
        reads those not kept."""
        kept = self.articles
        missing = [a for a in dict.fromkeys(article_ids) if a not in kept]
        if missing:
            kept.update(read(missing))
        return _recently_used(kept, article_ids, CACHED_ARTICLES)

    def counts_of(self, terms: list[str], count: Callable[[list[str]], dict[str, int]]) -> dict[str, int]:
        """Each term's count; `count` counts those not kept."""
        kept = self.counts
        if len(kept) > CACHED_WORD_COUNTS:
            kept.clear()
        kept.update(count([t for t in terms if t not in kept]))
        return {term: kept[term] for term in terms}

    def copy_groups_of(
        self, passage_ids: list[int], read: Callable[[list[int]], tuple[dict[int, int], dict[int, int]]]
    ) -> dict[int, int]:
        """Each passage's copy group; `read` reads those not kept, and the sizes of their groups."""
        kept = self.copy_groups
        if len(kept) > CACHED_COPY_GROUPS:
            kept.clear()
            self.group_sizes.clear()
        missing = [pid for pid in passage_ids if pid not in kept]
        if missing:
            groups, sizes = read(missing)
            kept.update(groups)
            self.group_sizes.update(sizes)
        return {pid: kept[pid] for pid in passage_ids}


def _recently_used(kept: OrderedDict, keys: list, limit: int) -> dict:
    """Those of the keys kept, in order, now the most recently used; then the least recently
    used leave until no more than `limit` are kept."""
    found = {}
    for key in keys:
        if key in kept:
            kept.move_to_end(key)
            found[key] = kept[key]
    while len(kept) > limit:
        kept.popitem(last=False)
    return found
