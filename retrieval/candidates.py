"""Candidate passages for a question, from dense and keyword search, with each signal's value."""

from concurrent.futures import Executor
from dataclasses import dataclass
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from index.library import Library
from index.store import StoredPassage
from retrieval.copy_pool import COPIES_DEPTH, distinct_copies
from retrieval.question import fts_match_expression
from retrieval.words import Words

if TYPE_CHECKING:
    from retrieval.search import SearchSettings


# fused as z-scores over the candidates
SIGNALS = ("dense", "sentence", "keyword", "sentence_keyword", "phrase")
# fused as they are: the cosine with the candidate's article title, and with its article's
# centroid (the mean of its passages' vectors, so the mean of their cosines)
ARTICLE_SIGNALS = ("title", "article")


@dataclass(frozen=True)
class Candidates:
    """A question's candidate passages and each signal's value for each of them.

    dense: the passage's cosine with the question; sentence: its best sentence's;
    keyword: BM25; sentence_keyword: the best share of the question's word weight (IDF)
    that one sentence holds; phrase: the most two-word phrases of the question that one
    sentence repeats; title and article: ARTICLE_SIGNALS.
    """

    stored: list[StoredPassage]
    signals: dict[str, np.ndarray]  # SIGNALS and ARTICLE_SIGNALS -> one value per passage
    cosines: np.ndarray  # the question's cosine with each row of every passage's vectors, in turn
    starts: np.ndarray  # where each passage's rows begin in cosines: its own, then its sentences'
    # each passage's copy group (index/copy_groups.py); its own id when not given
    copy_groups: np.ndarray | None = None

    def copy_group(self, i: int) -> int:
        return int(self.copy_groups[i]) if self.copy_groups is not None else self.stored[i].passage_id

    def copy_group_list(self) -> list[int]:
        """copy_group(i) of every candidate, in order."""
        if self.copy_groups is None:
            return [p.passage_id for p in self.stored]
        return self.copy_groups.tolist()

    @property
    def similarity(self) -> np.ndarray:
        return np.maximum(self.signals["dense"], self.signals["sentence"])

    def best_sentence(self, i: int) -> int:
        first = self.starts[i] + 1
        return int(np.argmax(self.cosines[first:first + len(self.stored[i].sentence_vectors)]))


def gather(
    library: Library, settings: "SearchSettings", keyword_thread: Executor,
    question: str, article_id: str | None, days: tuple[str, str] | None = None,
) -> tuple[Words, Candidates | None]:
    """The question's words, and the dense and keyword candidates with their signals: from the
    articles published on `days` (first, last, YYYY-MM-DD) alone when given, chosen inside
    both searches, not filtered out of their results."""
    keyword_side = keyword_thread.submit(_keyword_candidates, library, settings, question, article_id, days)
    query = library.embedder.encode([question])[0]
    if article_id and not days:  # every passage of the article
        dense = [(pid, 0.0) for pid in library.store.passage_ids_of(article_id)]
    else:
        among = library.store.passage_ids_published(*days, article_id) if days else None
        dense = library.vectors.search(query, COPIES_DEPTH * settings.candidates, among)
    words, keyword = keyword_side.result()
    whole_article = article_id is not None and not days
    pool = distinct_copies(library, dense, keyword, settings.candidates,
                           restricted=article_id is not None or days is not None,
                           dense_count=len(dense) if whole_article else settings.candidates)
    stored = list(library.store.passages(pool.ids).values())
    if not stored:
        return words, None
    keyword_scores, groups = pool.keyword_scores, pool.groups
    shares, phrase_counts = words.best_sentence_matches(stored)
    # one product for all candidates' vectors: each passage's own row, then its sentences'
    matrices = [p.vectors for p in stored]
    cosines = np.concatenate(matrices) @ query
    sizes = [len(m) for m in matrices]
    starts = np.cumsum(sizes) - sizes
    sentence_cosines = cosines.copy()
    sentence_cosines[starts] = -np.inf  # every passage has one sentence at least
    signals = {
        "dense": cosines[starts].astype(np.float64),
        "sentence": np.maximum.reduceat(sentence_cosines, starts).astype(np.float64),
        "keyword": np.array([keyword_scores.get(p.passage_id, 0.0) for p in stored]),
        "sentence_keyword": shares,
        "phrase": phrase_counts,
    } | _article_signals(library, stored, query)
    _lend_context(stored, signals, settings.context_share)
    in_groups = np.array([groups[p.passage_id] for p in stored])
    return words, Candidates(stored, signals, cosines, starts, in_groups)


def recency(candidates: Candidates, as_of: date, half_life_days: float) -> np.ndarray:
    """Per candidate, 0.5 ** (days from its article's publication to as_of / half-life): 1 for
    an article of that day or later, 0 for an undated one."""
    today = as_of.toordinal()
    published: dict[str | None, float] = {}
    values = np.zeros(len(candidates.stored))
    for i, stored in enumerate(candidates.stored):
        day = stored.citation.published
        if day not in published:
            published[day] = _recency(day, today, half_life_days)
        values[i] = published[day]
    return values


def _recency(day: str | None, today: int, half_life_days: float) -> float:
    if not day:
        return 0.0
    try:
        age = today - date.fromisoformat(day).toordinal()
    except ValueError:
        return 0.0
    return float(0.5 ** (max(age, 0) / half_life_days))


def _article_signals(library: Library, stored: list[StoredPassage], query: np.ndarray) -> dict:
    """Each candidate's cosine with its article's title and with its article's centroid."""
    in_articles = [p.place[0] for p in stored]
    articles = list(dict.fromkeys(in_articles))
    vectors = library.article_vectors(articles)
    place = {article: i for i, article in enumerate(articles)}
    # an article forgotten by another process since its passages were read: no evidence
    none = np.zeros_like(query)
    titles = np.array([vectors[a].title if a in vectors else none for a in articles]) @ query
    centroids = np.array([vectors[a].centroid if a in vectors else none for a in articles]) @ query
    rows = [place[article] for article in in_articles]
    return {"title": titles[rows].astype(np.float64), "article": centroids[rows].astype(np.float64)}


def _keyword_candidates(
    library: Library, settings: "SearchSettings", question: str, article_id: str | None,
    days: tuple[str, str] | None = None,
) -> tuple[Words, list[tuple[int, float]]]:
    """The question's words, and the passages that match them best with their BM25 scores,
    best first, COPIES_DEPTH times as many as the candidates asked for (retrieval/copy_pool.py)."""
    store = library.store
    words = Words.of(question, store, library.passage_count)
    if not words.terms:
        return words, []
    return words, store.keyword_search(fts_match_expression(words.rarest(settings.keyword_postings_budget)),
                                       COPIES_DEPTH * settings.candidates, settings.keyword_columns,
                                       article_id, days)


def _lend_context(stored: list[StoredPassage], signals: dict[str, np.ndarray], share: float) -> None:
    """A passage that borrows its previous paragraph as context keeps at least `share` of that
    paragraph's similarity (that of its last piece among the candidates, the text borrowed)."""
    borrowers = [i for i, passage in enumerate(stored) if passage.context]
    if not borrowers:
        return
    by_place = {stored[i].place: i for i in sorted(range(len(stored)), key=lambda i: stored[i].piece)}
    dense, sentence = signals["dense"], signals["sentence"]
    for i in borrowers:
        article, paragraph = stored[i].place
        previous = by_place.get((article, paragraph - 1))
        if previous is not None:
            dense[i] = max(dense[i], share * dense[previous])
            sentence[i] = max(sentence[i], share * sentence[previous])
