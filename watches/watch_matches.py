"""After an ingest: which watches the new articles answer, and with which passage.

Each distinct question is encoded and searched once (`Searcher.watch_match`), so call
`match_watches` from a worker thread, never on an event loop.
"""

import logging
from collections.abc import Iterable
from dataclasses import dataclass
from datetime import date

from index.errors import IndexingError
from retrieval.search import Searcher, WatchMatch
from watches.watch_store import Watch, WatchStore

log = logging.getLogger(__name__)


@dataclass(frozen=True)
class MatchedWatch:
    """A watch and the newly indexed passage that answers it."""

    watch: Watch
    match: WatchMatch


def match_watches(searcher: Searcher, store: WatchStore, article_ids: Iterable[str],
                  as_of: date | None = None) -> list[MatchedWatch]:
    """The watches whose best answer is now a passage of these (added or replaced) articles,
    each with that passage, leaving out a passage already shown for the watch."""
    watches = store.watches()
    new_passage_ids = {passage_id for article_id in dict.fromkeys(article_ids)
                       for passage_id in searcher.library.store.passage_ids_of(article_id)}
    if not watches or not new_passage_ids:
        return []
    by_query: dict[str, WatchMatch | None] = {}
    matched = []
    for watch in watches:
        if watch.query not in by_query:
            try:
                by_query[watch.query] = searcher.watch_match(watch.query, new_passage_ids, as_of)
            except IndexingError as error:  # e.g. longer than retrieval.max_question_chars
                log.warning("watch %d cannot be searched: %s", watch.watch_id, error)
                by_query[watch.query] = None
        match = by_query[watch.query]
        if match is not None and not store.has_alerted(watch.watch_id, match.passage):
            matched.append(MatchedWatch(watch, match))
    return matched
