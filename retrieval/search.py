"""Question in, cited passages out: dense and keyword candidates, fused, then filtered."""

from concurrent.futures import ThreadPoolExecutor
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
    answer_model: tuple[float, ...] = (-16.562, 22.155, -3.887, 3.422, 2.96, 1.036, 2.182)
    min_answer_probability: float = 0.23
    # ... or this, for a question asked about one article: the asker says the answer is there
    min_answer_probability_in_article: float = 0.015
    # ... or one of the top passages holds this share of the question's word weight (IDF)
    min_keyword_coverage: float = 0.99
    # keyword candidates come from the question's rarest words, taken while the passages
    # holding them add up to at most this many: BM25 scores every passage it matches
    keyword_postings_budget: int = 5000
    passage_min_similarity: float = 0.2
    max_question_chars: int = 1000


@dataclass
class _Candidate:
    stored: StoredPassage
    dense: float
    sentence: float
    sentence_scores: np.ndarray  # the question's cosine with each of the passage's sentences
    keyword: float
    sentence_keyword: float = 0.0
    phrase: float = 0.0

    @property
    def similarity(self) -> float:
        return max(self.dense, self.sentence)

    @property
    def best_sentence(self) -> int:
        return int(np.argmax(self.sentence_scores))


class Searcher:
    """Answers questions from one library with one set of settings."""

    def __init__(self, library: Library, settings: SearchSettings):
        self.library = library
        self.settings = settings
        # SQLite and ONNX Runtime both let go of the GIL, so the keyword search runs on a
        # thread of its own while the question is encoded
        self._keyword_thread = ThreadPoolExecutor(1, thread_name_prefix="keyword-search")

    def ask(self, question: str, k: int | None = None, article: str | None = None) -> Answer:
        question = clean_question(question, self.settings.max_question_chars)
        article_id = self.library.find_article(article).article_id if article else None
        words, candidates = self._gather(question, article_id)
        if not candidates:
            return Answer(question, (), article_id)
        ranked = self._rank(candidates)
        if not self._is_answerable(ranked, words, in_article=article_id is not None):
            return Answer(question, (), article_id)
        return Answer(question, self._best(ranked, k or self.settings.k), article_id)

    def _gather(self, question: str, article_id: str | None) -> tuple["_Words", list[_Candidate]]:
        """The question's words, and the dense and keyword candidates with their signals."""
        keyword_side = self._keyword_thread.submit(self._keyword_side, question, article_id)
        query = self.library.embedder.encode([question])[0]
        if article_id:
            ids = self.library.store.passage_ids_of(article_id)
        else:
            ids = [pid for pid, _ in self.library.vectors.search(query, self.settings.candidates)]
        words, keyword_scores = keyword_side.result()
        ids = list(dict.fromkeys([*keyword_scores, *ids]))
        stored = list(self.library.store.passages(ids).values())
        if not stored:
            return words, []
        shares, phrase_counts = words.best_sentence_matches(stored)
        # one product for all candidates' vectors, then each passage's slice of sentences
        dense = np.stack([p.vector for p in stored]) @ query
        sentences = np.concatenate([p.stored_sentence_vectors for p in stored])
        sentence_scores = sentences.astype(np.float32, copy=False) @ query
        lengths = [len(p.stored_sentence_vectors) for p in stored]
        ends = np.cumsum(lengths)
        starts = ends - lengths
        best = np.maximum.reduceat(sentence_scores, starts)
        candidates = [
            _Candidate(
                stored=passage,
                dense=float(dense[i]),
                sentence=float(best[i]),
                sentence_scores=sentence_scores[starts[i]:ends[i]],
                keyword=keyword_scores.get(passage.passage_id, 0.0),
                sentence_keyword=float(shares[i]),
                phrase=float(phrase_counts[i]),
            )
            for i, passage in enumerate(stored)
        ]
        self._lend_context(candidates)
        return words, candidates

    def _keyword_side(self, question: str, article_id: str | None) -> tuple["_Words", dict[int, float]]:
        """The question's words, and BM25 scores of the passages that match them best."""
        settings, store = self.settings, self.library.store
        words = _Words.of(question, store, self.library.passage_count)
        if not words.terms:
            return words, {}
        return words, dict(store.keyword_search(
            fts_match_expression(words.rarest(settings.keyword_postings_budget)),
            settings.candidates, settings.keyword_columns, article_id,
        ))

    def _lend_context(self, candidates: list[_Candidate]) -> None:
        """A passage that borrows its previous paragraph as context shares its similarity
        (that of the paragraph's last piece among the candidates, the text it borrows)."""
        by_place = {
            (c.stored.citation.article_id, c.stored.citation.paragraph): c
            for c in sorted(candidates, key=lambda c: c.stored.piece)
        }
        share = self.settings.context_share
        for candidate in candidates:
            citation = candidate.stored.citation
            previous = by_place.get((citation.article_id, citation.paragraph - 1))
            if candidate.stored.context and previous:
                candidate.dense = max(candidate.dense, share * previous.dense)
                candidate.sentence = max(candidate.sentence, share * previous.sentence)

    def _is_answerable(
        self, ranked: list[tuple[_Candidate, float]], words: "_Words", in_article: bool
    ) -> bool:
        """No answer rather than junk: the answer model agrees, or one passage holds the key words."""
        s = self.settings
        features = self._answer_features(ranked, words)
        if features[0] < s.min_similarity:
            return False
        cut = s.min_answer_probability_in_article if in_article else s.min_answer_probability
        return (
            self.answer_probability(features) >= cut
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
        question's word weight (IDF) that one of the top candidates' text or context holds;
        the share of that weight whose words occur anywhere in the index (a question about
        an article that is not indexed names things the index has never seen); the fused
        score's lead of the best candidate over the runner-up; and the best share of that
        word weight that a single sentence of the top candidates holds. The word shares
        leave out words the index has never seen that are one letter away from a word of
        the top candidates (_Words.answer_weights): a typo must not decide on its own.
        """
        candidates = [c for c, _ in ranked]
        top_dense = max(c.dense for c in candidates)
        top_sentence = max(c.sentence for c in candidates)
        top = [c.stored for c in candidates[:10]]
        weights = words.answer_weights(frozenset().union(*(p.words for p in top)))
        whole = sum(weights.values())

        def share(stems: frozenset[str]) -> float:
            return sum(w for stem, w in weights.items() if stem in stems) / whole if whole else 0.0

        known = share({s for s, n in words.stem_counts.items() if n > 0}) if weights else 1.0
        coverage = max(share(p.words) for p in top)
        sentence_keyword = max(share(sentence) for p in top for sentence in p.sentence_words)
        gap = ranked[0][1] - ranked[1][1] if len(ranked) > 1 else 0.0
        return [max(top_dense, top_sentence), top_sentence, coverage, known, gap, sentence_keyword]

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
    counts: dict[str, int]  # term -> passages holding it
    stem_weights: dict[str, float]  # word_stem(term) -> its IDF over the index's passages
    stem_counts: dict[str, int]  # word_stem(term) -> passages holding it
    phrases: frozenset[tuple[str, str]]  # the question's two-word phrases, as stems

    @classmethod
    def of(cls, question: str, store, passage_count: int) -> "_Words":
        terms = keyword_terms(question)
        counts = store.term_document_counts(terms) if terms else {}
        total = max(passage_count, 1)
        stem_weights: dict[str, float] = {}
        stem_counts: dict[str, int] = {}
        for term, count in counts.items():
            stem = word_stem(term)
            weight = float(np.log((total + 1) / (count + 0.5)))
            stem_weights[stem] = max(stem_weights.get(stem, 0.0), weight)
            stem_counts[stem] = max(stem_counts.get(stem, 0), count)
        return cls(terms, counts, stem_weights, stem_counts, phrases(question))

    def rarest(self, postings_budget: int) -> list[str]:
        """The rarest terms, in question order, whose passages add up to the budget (one at least)."""
        chosen, postings = set(), 0
        for term in sorted(self.terms, key=lambda t: self.counts.get(t, 0)):
            postings += self.counts.get(term, 0)
            if chosen and postings > postings_budget:
                break
            chosen.add(term)
        return [t for t in self.terms if t in chosen]

    def best_sentence_matches(self, passages: list[StoredPassage]) -> tuple[np.ndarray, np.ndarray]:
        """For each passage: the best share of the word weight that one of its sentences
        holds, and the most two-word phrases of the question that one sentence repeats.

        Words are looked up in the passage's set of stems first; only where more than one
        word (or phrase) is there are its sentences searched one by one, for " stem " or
        " a b " (StoredPassage.padded_stems has that padding).
        """
        whole = sum(self.stem_weights.values()) or 1.0
        words = [(stem, f" {stem} ", weight / whole) for stem, weight in self.stem_weights.items()]
        phrases = [(a, b, f" {a} {b} ") for a, b in self.phrases]
        shares, phrase_counts = np.zeros(len(passages)), np.zeros(len(passages))
        for i, passage in enumerate(passages):
            stems, sentences = passage.stems, passage.sentence_stems
            found = [(padded, weight) for stem, padded, weight in words if stem in stems]
            if len(found) == 1 or len(sentences) == 1:
                shares[i] = sum(weight for _, weight in found)
            elif found:
                shares[i] = max(
                    sum(weight for padded, weight in found if padded in f" {sentence} ")
                    for sentence in sentences
                )
            pairs = [padded for a, b, padded in phrases if a in stems and b in stems]
            if found := [padded for padded in pairs if padded in passage.padded_stems]:
                phrase_counts[i] = 1 if len(found) == 1 else max(
                    sum(padded in f" {sentence} " for padded in found) for sentence in sentences
                )
        return shares, phrase_counts

    def answer_weights(self, present: set[str]) -> dict[str, float]:
        """The stem weights without words the index has never seen that look like typos of
        a present word (one letter added, dropped, changed or two swapped)."""
        return {
            stem: weight for stem, weight in self.stem_weights.items()
            if self.stem_counts[stem] or len(stem) < 4 or not _one_edit_from(stem, present)
        }


def _one_edit_from(word: str, vocabulary: set[str]) -> bool:
    """Whether some word of the vocabulary is one edit (Damerau) away from `word`."""
    for other in vocabulary:
        # one edit leaves the first or the second letter in place
        if abs(len(other) - len(word)) > 1 or (other[0] != word[0] and other[1:2] != word[1:2]):
            continue
        if len(other) == len(word):
            differ = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
            if len(differ) == 1 or (
                len(differ) == 2 and differ[1] == differ[0] + 1
                and word[differ[0]] == other[differ[1]] and word[differ[1]] == other[differ[0]]
            ):
                return True
            continue
        shorter, longer = sorted((word, other), key=len)
        if any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer))):
            return True
    return False
