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
    dense_weight: float = 0.25
    sentence_weight: float = 0.45
    keyword_weight: float = 0.3
    # BM25 weight of a passage's own text, the paragraph it borrows as context, the title
    keyword_columns: tuple[float, float, float] = (1.0, 0.6, 0.2)
    # a paragraph that only says "he told reporters" keeps this share of its
    # previous paragraph's similarity, so a question naming the speaker finds it
    context_share: float = 0.9
    # no answer unless some passage has at least this cosine similarity to the question ...
    min_similarity: float = 0.15
    # ... and the answer model (a logistic regression over the _answer_features below:
    # intercept, then one coefficient per feature) gives at least min_answer_probability
    answer_model: tuple[float, ...] = (-15.462, 9.27, 8.519, 6.169, 1.755, 0.966)
    min_answer_probability: float = 0.354
    # ... or one of the top passages holds this share of the question's word weight (IDF)
    min_keyword_coverage: float = 0.99
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
        if not candidates:
            return Answer(question, (), article_id)
        ranked = self._rank(candidates)
        if not self._is_answerable(ranked, terms):
            return Answer(question, (), article_id)
        return Answer(question, self._best(ranked, k or self.settings.k), article_id)

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

    def _is_answerable(self, ranked: list[tuple[_Candidate, float]], terms: list[str]) -> bool:
        """No answer rather than junk: the answer model agrees, or one passage holds the key words."""
        s = self.settings
        features = self._answer_features(ranked, terms)
        if features[0] < s.min_similarity:
            return False
        return (
            self.answer_probability(features) >= s.min_answer_probability
            or features[2] >= s.min_keyword_coverage
        )

    def answer_probability(self, features: list[float]) -> float:
        """How likely the indexed articles answer the question, by the settings' logistic model."""
        intercept, *coefficients = self.settings.answer_model
        logit = intercept + float(np.dot(coefficients, features))
        return float(1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50))))

    def _answer_features(self, ranked: list[tuple[_Candidate, float]], terms: list[str]) -> list[float]:
        """Signals that the question is about the indexed articles at all.

        The best paragraph cosine and best sentence cosine; the best share of the
        question's word weight (IDF) that one of the top candidates holds; the share of
        that weight whose words occur anywhere in the index (a question about an article
        that is not indexed names things the index has never seen); and the fused score's
        lead of the best candidate over the runner-up.
        """
        candidates = [c for c, _ in ranked]
        top_dense = max(c.dense for c in candidates)
        top_sentence = max(c.sentence for c in candidates)
        coverage, known = 0.0, 1.0
        if terms:
            weights, counts = self._term_weights(terms)
            whole = sum(weights.values()) or 1.0
            known = sum(w for t, w in weights.items() if counts[t] > 0) / whole
            coverage = max(self._keyword_coverage(candidates[:10], terms, weights).values())
        gap = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 0.0
        return [max(top_dense, top_sentence), top_sentence, coverage, known, gap]

    def _term_weights(self, terms: list[str]) -> tuple[dict[str, float], dict[str, int]]:
        """Each term's IDF over the index's passages, and how many passages hold it."""
        store = self.library.store
        total = max(store.count_passages(), 1)
        counts = store.term_document_counts(terms)
        weights = {t: float(np.log((total + 1) / (n + 0.5))) for t, n in counts.items()}
        return weights, counts

    def _keyword_coverage(
        self, candidates: list[_Candidate], terms: list[str], weights: dict[str, float]
    ) -> dict[int, float]:
        """Share of the question's term weight (IDF) that each passage's text or context holds."""
        ids = [c.stored.passage_id for c in candidates]
        matches = self.library.store.term_matches(terms, ids)
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
