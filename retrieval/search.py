"""Question in, cited passages out: dense and keyword candidates, fused, then filtered."""

from dataclasses import dataclass

import numpy as np

from index.library import Library
from index.passages import word_stem
from index.store import StoredPassage
from retrieval.answer import Answer, FoundPassage
from retrieval.fusion import weighted_zscore_sum
from retrieval.question import clean_question, fts_match_expression, keyword_terms, phrases


@dataclass(frozen=True)
class SearchSettings:
    k: int = 3
    candidates: int = 50
    dense_weight: float = 0.25
    sentence_weight: float = 0.45
    keyword_weight: float = 0.3
    # the best single sentence's share of the question's word weight (IDF) ...
    sentence_keyword_weight: float = 0.1
    # ... and the most two-word phrases of the question that one sentence repeats
    phrase_weight: float = 0.1
    # BM25 weight of a passage's own text, the paragraph it borrows as context, the title
    keyword_columns: tuple[float, float, float] = (1.0, 0.6, 0.2)
    # a paragraph that only says "he told reporters" keeps this share of its
    # previous paragraph's similarity, so a question naming the speaker finds it
    context_share: float = 0.9
    # no answer unless some passage has at least this cosine similarity to the question ...
    min_similarity: float = 0.15
    # ... and the answer model (a logistic regression over the _answer_features below:
    # intercept, then one coefficient per feature) gives at least min_answer_probability
    answer_model: tuple[float, ...] = (-15.657, 9.475, 8.664, 4.015, 1.737, 1.013, 2.142)
    min_answer_probability: float = 0.225
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
    sentence_keyword: float = 0.0
    phrase: float = 0.0

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
        words = _Words.of(question, self.library.store, self.library.passage_count)
        candidates = self._candidates(query, words, article_id)
        if not candidates:
            return Answer(question, (), article_id)
        ranked = self._rank(candidates)
        if not self._is_answerable(ranked, words):
            return Answer(question, (), article_id)
        return Answer(question, self._best(ranked, k or self.settings.k), article_id)

    def _candidates(self, query: np.ndarray, words: "_Words", article_id: str | None):
        settings, store = self.settings, self.library.store
        if article_id:
            dense_ids = store.passage_ids_of(article_id)
        else:
            dense_ids = [pid for pid, _ in self.library.vectors.search(query, settings.candidates)]
        keyword_scores = {}
        if words.terms:
            keyword_scores = dict(store.keyword_search(
                fts_match_expression(words.terms), settings.candidates, settings.keyword_columns,
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
            candidates[pid].sentence_keyword, candidates[pid].phrase = words.best_sentence_match(
                passage.sentence_stems)
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

    def _is_answerable(self, ranked: list[tuple[_Candidate, float]], words: "_Words") -> bool:
        """No answer rather than junk: the answer model agrees, or one passage holds the key words."""
        s = self.settings
        features = self._answer_features(ranked, words)
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

    def _answer_features(self, ranked: list[tuple[_Candidate, float]], words: "_Words") -> list[float]:
        """Signals that the question is about the indexed articles at all.

        The best paragraph cosine and best sentence cosine; the best share of the
        question's word weight (IDF) that one of the top candidates holds; the share of
        that weight whose words occur anywhere in the index (a question about an article
        that is not indexed names things the index has never seen); the fused score's
        lead of the best candidate over the runner-up; and the best share of that word
        weight that a single sentence of the top candidates holds.
        """
        candidates = [c for c, _ in ranked]
        top_dense = max(c.dense for c in candidates)
        top_sentence = max(c.sentence for c in candidates)
        coverage, known = 0.0, 1.0
        if words.terms:
            whole = sum(words.weights.values()) or 1.0
            known = sum(w for t, w in words.weights.items() if words.counts[t] > 0) / whole
            coverage = max(
                self._keyword_coverage(candidates[:10], words.terms, words.weights).values())
        gap = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 0.0
        sentence_keyword = max(c.sentence_keyword for c in candidates[:10])
        return [max(top_dense, top_sentence), top_sentence, coverage, known, gap, sentence_keyword]

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
                "sentence_keyword": np.array([c.sentence_keyword for c in candidates]),
                "phrase": np.array([c.phrase for c in candidates]),
            },
            {
                "dense": s.dense_weight, "sentence": s.sentence_weight, "keyword": s.keyword_weight,
                "sentence_keyword": s.sentence_keyword_weight, "phrase": s.phrase_weight,
            },
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


@dataclass
class _Words:
    """The question's words as keyword search sees them, weighted by their IDF in the index."""

    terms: list[str]  # keyword_terms: lower case, stop words dropped, no repeats
    weights: dict[str, float]  # term -> IDF over the index's passages
    counts: dict[str, int]  # term -> passages holding it (text or context)
    stem_weights: dict[str, float]  # word_stem(term) -> its IDF
    phrases: frozenset[tuple[str, str]]  # the question's two-word phrases, as stems
    _padded: tuple | None = None  # " stem " with its share of the weight, and " a b " phrases

    @classmethod
    def of(cls, question: str, store, passage_count: int) -> "_Words":
        terms = keyword_terms(question)
        counts = store.term_document_counts(terms) if terms else {}
        total = max(passage_count, 1)
        weights = {t: float(np.log((total + 1) / (n + 0.5))) for t, n in counts.items()}
        stem_weights: dict[str, float] = {}
        for term, weight in weights.items():
            stem = word_stem(term)
            stem_weights[stem] = max(stem_weights.get(stem, 0.0), weight)
        return cls(terms, weights, counts, stem_weights, phrases(question))

    def best_sentence_match(self, sentences: tuple[str, ...]) -> tuple[float, float]:
        """The best share of the word weight one sentence holds, and the most phrases one repeats.

        `sentences` are each sentence's stems, space-separated (StoredPassage.sentence_stems),
        so a stem or a phrase is present when " stem " is a substring: no tokenising here.
        """
        if self._padded is None:
            whole = sum(self.stem_weights.values()) or 1.0
            self._padded = (
                [(f" {stem} ", weight / whole) for stem, weight in self.stem_weights.items()],
                [f" {a} {b} " for a, b in self.phrases],
            )
        stems, pairs = self._padded
        best_share = best_phrases = 0.0
        for sentence in sentences:
            padded = f" {sentence} "
            best_share = max(best_share, sum(w for stem, w in stems if stem in padded))
            best_phrases = max(best_phrases, sum(pair in padded for pair in pairs))
        return best_share, float(best_phrases)
