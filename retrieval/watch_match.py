"""Standing questions (/watch): does a newly indexed passage answer one?

A watch is asked of the whole index as any question is (retrieval/search.py). Its best
passage alerts when it is one of the new passages, the answer model gives at least
`watch_min_probability`, and its fused score leads every passage the index held before by
at least `watch_min_score_lead` (bench/watches.py calibrates both).

Why the fused score: running stories recur every week, so an old passage about the story
is often nearly as close to the question as the new one. The fused score (dense, sentence
and keyword signals as z-scores over the question's candidates, plus its article's title
and centroid cosines: retrieval/fusion.py) separates a new answer from the old story
better than the passages' cosine does: on the news development split, each chosen for
strict precision 0.8 on the tuning watches, it alerts about half as many watches again by
their own answer as a lead in cosine (bench/RESULTS.md, "Watches").
"""

import math
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from retrieval import answer_model, quote_search
from retrieval.answer import Answer, FoundPassage
from retrieval.question import clean_question

if TYPE_CHECKING:
    from retrieval.search import Searcher, SearchSettings


@dataclass(frozen=True)
class WatchMatch:
    """A standing question's best passage, the answer model's probability, and how far that
    passage leads the best passage that is not new: in fused score (what the rule reads) and
    in cosine similarity to the question (shown for comparison by bench/watches.py). Both
    leads are infinite when every candidate is new."""

    passage: FoundPassage
    probability: float
    score_lead: float
    similarity_lead: float


def alerts(match: WatchMatch, settings: "SearchSettings") -> bool:
    """The alert rule, for a match whose passage is new."""
    return (match.probability >= settings.watch_min_probability
            and match.score_lead >= settings.watch_min_score_lead)


def watch_match(searcher: "Searcher", query: str, new_passage_ids: set[int],
                as_of: date | None = None) -> WatchMatch | None:
    """The passage that answers a standing question when it is one of the new passages and
    the rule (`alerts`) holds; None otherwise."""
    match = watch_candidate(searcher, query, as_of, new_passage_ids)
    if match is None or match.passage.passage_id not in new_passage_ids:
        return None
    return match if alerts(match, searcher.settings) else None


def watch_candidate(searcher: "Searcher", query: str, as_of: date | None = None,
                    new_passage_ids: set[int] = frozenset()) -> WatchMatch | None:
    """The best passage for a standing question (the first passage `ask` would show, the
    recency prior read on `as_of`), how likely the index answers it, and its leads over the
    best candidate not among `new_passage_ids`; None when the question is not about the
    index at all."""
    settings = searcher.settings
    question = clean_question(query, settings.max_question_chars)
    words, candidates = searcher.gathered(question)
    if not candidates:
        return None
    ranking = searcher.ranked(candidates)
    features = answer_model.answer_features(ranking, words)
    if features[0] < settings.min_similarity:
        return None
    probability = answer_model.answer_probability(features, settings.answer_model)
    best = searcher.shown(ranking, 1, as_of or date.today())
    if not best:
        return None
    [passage] = quote_search.with_speakers(searcher.library, Answer(question, best)).passages
    ids = [stored.passage_id for stored in candidates.stored]
    own = ids.index(passage.passage_id) if passage.passage_id in ids else None  # always, as _best shows
    old = np.array([pid not in new_passage_ids for pid in ids])
    return WatchMatch(passage, probability, _lead(ranking.fused, own, old),
                      _lead(candidates.similarity, own, old))


def _lead(values: np.ndarray, own: int | None, old: np.ndarray) -> float:
    """values[own] less the highest value of an old candidate (infinite when none is old;
    minus infinity for a passage that is not a candidate)."""
    if own is None:
        return -math.inf
    return float(values[own] - values[old].max()) if old.any() else math.inf
