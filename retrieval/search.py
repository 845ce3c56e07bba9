"""Question in, cited passages out: dense and keyword candidates, fused, then filtered."""

from dataclasses import dataclass

import numpy as np

from index.library import Library
from index.store import StoredPassage
from retrieval.answer import Answer, FoundPassage
from retrieval.fusion import weighted_zscore_sum
from retrieval.question import clean_question, fts_match_expression, keyword_terms


@dataclass(frozen=True)
class SearchSettings:
    k: int = 3
    candidates: int = 50
    dense_weight: float = 0.4
    sentence_weight: float = 0.4
    keyword_weight: float = 0.2
    # BM25 weight of a passage's own text, the paragraph it borrows as context, the title
    keyword_columns: tuple[float, float, float] = (1.0, 0.6, 0.2)
    # a paragraph that only says "he told reporters" keeps this share of its
    # previous paragraph's similarity, so a question naming the speaker finds it
    context_share: float = 0.9
    # no answer unless some passage has this cosine similarity to the question ...
    min_similarity: float = 0.3
    # ... or holds this share of the question's keyword weight (by IDF) with a lower similarity
    min_keyword_coverage: float = 0.6
    min_similarity_with_keywords: float = 0.15
    passage_min_similarity: float = 0.2
    max_question_chars: int = 1000


@dataclass
class _Candidate:
    stored: StoredPassage
    dense: float
    sentence: float
    best_sentence: int
    keyword: float
    keyword_coverage: float = 0.0

    @property
    def similarity(self) -> float:
        return max(self.dense, self.sentence)


class Searcher:
    """Answers questions from one library with one set of settings."""

    def __init__(self, library: Library, settings: SearchSettings):
        self.library = library
        self.settings = settings

    def ask(self, question: str, k: int | None = None, article: str | None = None) -> Answer:
        question = clean_question(question, self.settings.max_question_chars)
        article_id = self.library.find_article(article).article_id if article else None
        query = self.library.embedder.encode([question])[0]
        terms = keyword_terms(question)
        candidates = self._candidates(query, terms, article_id)
        if not self._is_answerable(candidates, terms):
            return Answer(question, (), article_id)
        return Answer(question, self._best(self._rank(candidates), k or self.settings.k), article_id)

    def _candidates(self, query: np.ndarray, terms: list[str], article_id: str | None):
        settings, store = self.settings, self.library.store
        if article_id:
            dense_ids = store.passage_ids_of(article_id)
        else:
            dense_ids = [pid for pid, _ in self.library.vectors.search(query, settings.candidates)]
        keyword_scores = {}
        if terms:
            keyword_scores = dict(store.keyword_search(
                fts_match_expression(terms), settings.candidates, settings.keyword_columns,
                article_id,
            ))
        stored = store.passages(list(dict.fromkeys([*dense_ids, *keyword_scores])))
        candidates = {}
        for pid, passage in stored.items():
            sentence_scores = passage.sentence_vectors @ query
            best = int(np.argmax(sentence_scores))
            candidates[pid] = _Candidate(
                stored=passage,
                dense=float(passage.vector @ query),
                sentence=float(sentence_scores[best]),
                best_sentence=best,
                keyword=keyword_scores.get(pid, 0.0),
            )
        self._lend_context(list(candidates.values()))
        return list(candidates.values())

    def _lend_context(self, candidates: list[_Candidate]) -> None:
        """A passage that borrows its previous paragraph as context shares its similarity."""
        by_place = {
            (c.stored.passage.citation.article_id, c.stored.passage.citation.paragraph): c
            for c in candidates
        }
        share = self.settings.context_share
        for candidate in candidates:
            citation = candidate.stored.passage.citation
            previous = by_place.get((citation.article_id, citation.paragraph - 1))
            if candidate.stored.passage.context and previous:
                candidate.dense = max(candidate.dense, share * previous.dense)
                candidate.sentence = max(candidate.sentence, share * previous.sentence)

    def _is_answerable(self, candidates: list[_Candidate], terms: list[str]) -> bool:
        """No answer rather than junk: enough similarity, or a passage holding the key words."""
        if not candidates:
            return False
        s = self.settings
        if max(c.similarity for c in candidates) >= s.min_similarity:
            return True
        plausible = [c for c in candidates if c.similarity >= s.min_similarity_with_keywords]
        if not plausible or not terms:
            return False
        return max(self._keyword_coverage(plausible, terms).values()) >= s.min_keyword_coverage

    def _keyword_coverage(self, candidates: list[_Candidate], terms: list[str]) -> dict[int, float]:
        """Share of the question's term weight (IDF) that each passage's text or context holds."""
        store = self.library.store
        total = max(store.count_passages(), 1)
        weights = {
            term: float(np.log((total + 1) / (count + 0.5)))
            for term, count in store.term_document_counts(terms).items()
        }
        ids = [c.stored.passage_id for c in candidates]
        matches = store.term_matches(terms, ids)
        whole = sum(weights.values()) or 1.0
        return {
            pid: sum(weights[t] for t in terms if pid in matches[t]) / whole for pid in ids
        }

    def _rank(self, candidates: list[_Candidate]) -> list[tuple[_Candidate, float]]:
        s = self.settings
        fused = weighted_zscore_sum(
            {
                "dense": np.array([c.dense for c in candidates]),
                "sentence": np.array([c.sentence for c in candidates]),
                "keyword": np.array([c.keyword for c in candidates]),
            },
            {"dense": s.dense_weight, "sentence": s.sentence_weight, "keyword": s.keyword_weight},
        )
        order = np.argsort(-fused, kind="stable")
        return [(candidates[i], float(fused[i])) for i in order]

    def _best(self, ranked: list[tuple[_Candidate, float]], k: int) -> tuple[FoundPassage, ...]:
        """The top k relevant passages, one per paragraph."""
        found, seen_paragraphs = [], set()
        top_keyword = max(c.keyword for c, _ in ranked)
        for candidate, score in ranked:
            passage = candidate.stored.passage
            place = (passage.citation.article_id, passage.citation.paragraph)
            relevant = candidate.similarity >= self.settings.passage_min_similarity or (
                top_keyword > 0 and candidate.keyword >= 0.5 * top_keyword
            )
            if place in seen_paragraphs or not relevant:
                continue
            seen_paragraphs.add(place)
            found.append(FoundPassage(
                rank=len(found) + 1,
                score=round(score, 4),
                passage_id=candidate.stored.passage_id,
                citation=passage.citation,
                text=passage.text,
                highlight=passage.sentence_spans[candidate.best_sentence],
            ))
            if len(found) == k:
                break
        return tuple(found)
