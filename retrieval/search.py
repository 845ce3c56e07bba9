"""Question in, cited passages out: dense and keyword candidates, fused, then filtered."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

import numpy as np

from index.library import Library
from index.passages import stem_key, word_stem
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


SIGNALS = ("dense", "sentence", "keyword", "sentence_keyword", "phrase")


@dataclass
class _Candidates:
    """A question's candidate passages and each signal's value for each of them.

    dense: the passage's cosine with the question; sentence: its best sentence's;
    keyword: BM25; sentence_keyword: the best share of the question's word weight (IDF)
    that one sentence holds; phrase: the most two-word phrases of the question that one
    sentence repeats.
    """

    stored: list[StoredPassage]
    signals: dict[str, np.ndarray]  # SIGNALS -> one value per passage
    cosines: np.ndarray  # the question's cosine with each row of every passage's vectors, in turn
    starts: np.ndarray  # where each passage's rows begin in cosines: its own, then its sentences'

    @property
    def similarity(self) -> np.ndarray:
        return np.maximum(self.signals["dense"], self.signals["sentence"])

    def best_sentence(self, i: int) -> int:
        first = self.starts[i] + 1
        return int(np.argmax(self.cosines[first:first + len(self.stored[i].sentence_vectors)]))


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
        ranking = self._rank(candidates)
        if not self._is_answerable(ranking, words, in_article=article_id is not None):
            return Answer(question, (), article_id)
        return Answer(question, self._best(ranking, k or self.settings.k), article_id)

    def _gather(self, question: str, article_id: str | None) -> tuple["_Words", _Candidates | None]:
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
            return words, None
        shares, phrase_counts = words.best_sentence_matches(stored)
        # one product for all candidates' vectors: each passage's own row, then its sentences'
        matrices = [p.vectors for p in stored]
        cosines = np.concatenate(matrices) @ query
        sizes = [len(m) for m in matrices]
        starts = np.cumsum(sizes) - sizes
        sentence_cosines = cosines.copy()
        sentence_cosines[starts] = -np.inf  # every passage has one sentence at least
        candidates = _Candidates(stored, {
            "dense": cosines[starts].astype(np.float64),
            "sentence": np.maximum.reduceat(sentence_cosines, starts).astype(np.float64),
            "keyword": np.array([keyword_scores.get(p.passage_id, 0.0) for p in stored]),
            "sentence_keyword": shares,
            "phrase": phrase_counts,
        }, cosines, starts)
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

    def _lend_context(self, candidates: _Candidates) -> None:
        """A passage that borrows its previous paragraph as context shares its similarity
        (that of the paragraph's last piece among the candidates, the text it borrows)."""
        stored = candidates.stored
        borrowers = [i for i, passage in enumerate(stored) if passage.context]
        if not borrowers:
            return
        by_place = {
            (stored[i].citation.article_id, stored[i].citation.paragraph): i
            for i in sorted(range(len(stored)), key=lambda i: stored[i].piece)
        }
        share = self.settings.context_share
        dense, sentence = candidates.signals["dense"], candidates.signals["sentence"]
        for i in borrowers:
            citation = stored[i].citation
            previous = by_place.get((citation.article_id, citation.paragraph - 1))
            if previous is not None:
                dense[i] = max(dense[i], share * dense[previous])
                sentence[i] = max(sentence[i], share * sentence[previous])

    def _is_answerable(
        self, ranking: "_Ranking", words: "_Words", in_article: bool
    ) -> bool:
        """No answer rather than junk: the answer model agrees, or one passage holds the key words."""
        s = self.settings
        features = self._answer_features(ranking, words)
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

    def _answer_features(self, ranking: "_Ranking", words: "_Words") -> list[float]:
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
        candidates, order, fused = ranking.candidates, ranking.order, ranking.fused
        top_dense = float(candidates.signals["dense"].max())
        top_sentence = float(candidates.signals["sentence"].max())
        top = [candidates.stored[i] for i in order[:10]]
        weights = words.answer_weights(top)
        whole = sum(weights.values())

        def share(stems) -> float:
            return sum(w for stem, w in weights.items() if stem in stems) / whole if whole else 0.0

        known = share({s for s, n in words.stem_counts.items() if n > 0}) if weights else 1.0
        coverage = max(share(p.words) for p in top)
        if len(weights) == len(words.stem_weights):  # the same shares as the sentence_keyword signal
            sentence_keyword = float(candidates.signals["sentence_keyword"][order[:10]].max())
        else:
            sentence_keyword = max(share(sentence) for p in top for sentence in p.sentence_words)
        gap = float(fused[order[0]] - fused[order[1]]) if len(order) > 1 else 0.0
        return [max(top_dense, top_sentence), top_sentence, coverage, known, gap, sentence_keyword]

    def _rank(self, candidates: _Candidates) -> "_Ranking":
        weights = {name: getattr(self.settings, f"{name}_weight") for name in SIGNALS}
        fused = weighted_zscore_sum(candidates.signals, weights)
        return _Ranking(candidates, np.argsort(-fused, kind="stable"), fused)

    def _best(self, ranking: "_Ranking", k: int) -> tuple[FoundPassage, ...]:
        """The top k relevant passages, one per paragraph."""
        candidates = ranking.candidates
        keyword, similarity = candidates.signals["keyword"], candidates.similarity
        top_keyword = keyword.max()
        found, seen_paragraphs = [], set()
        for i in ranking.order:
            passage = candidates.stored[i].passage
            place = (passage.citation.article_id, passage.citation.paragraph)
            relevant = similarity[i] >= self.settings.passage_min_similarity or (
                top_keyword > 0 and keyword[i] >= 0.5 * top_keyword
            )
            if place in seen_paragraphs or not relevant:
                continue
            seen_paragraphs.add(place)
            found.append(FoundPassage(
                rank=len(found) + 1,
                score=round(float(ranking.fused[i]), 4),
                passage_id=candidates.stored[i].passage_id,
                citation=passage.citation,
                text=passage.text,
                highlight=passage.sentence_spans[candidates.best_sentence(i)],
            ))
            if len(found) == k:
                break
        return tuple(found)


@dataclass
class _Ranking:
    candidates: _Candidates
    order: np.ndarray  # indices of the candidates, best first
    fused: np.ndarray  # each candidate's fused score


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

        All passages at once: their stems as numbers, each sentence ended by a 0
        (StoredPassage.stem_keys), in one array; each word or phrase counts once per sentence.
        A phrase is looked for next to the places of its word that is a question word.
        """
        arrays = [p.stem_keys for p in passages]
        stem_keys = np.concatenate(arrays)
        ends = stem_keys == 0
        sentence_of = np.cumsum(ends) - ends  # the 0 that ends a sentence is counted in it
        lengths = [len(keys) for keys in arrays]
        first_sentences = sentence_of[np.cumsum(lengths) - lengths]

        def best_sentence_sums(places: list[np.ndarray], weights: list[float]) -> np.ndarray:
            """places[i]: where item i is; weights[i]: what it adds to its sentences."""
            if not places:
                return np.zeros(len(passages))
            held = np.zeros((sentence_of[-1] + 1, len(places)), dtype=bool)
            for item, where in enumerate(places):
                held[sentence_of[where], item] = True  # each item once per sentence
            # added up one item after another, in the order of the items
            per_sentence = (held * np.array(weights)).cumsum(axis=1)[:, -1]
            return np.maximum.reduceat(per_sentence, first_sentences)

        places = {key: np.flatnonzero(stem_keys == key) for key in map(stem_key, self.stem_weights)}
        whole = sum(self.stem_weights.values()) or 1.0
        shares = best_sentence_sums(list(places.values()), list(self.stem_weights.values())) / whole
        phrase_places = [self._phrase_places(stem_keys, places, a, b) for a, b in self.phrases]
        return shares, best_sentence_sums(phrase_places, [1.0] * len(phrase_places))

    @staticmethod
    def _phrase_places(stem_keys: np.ndarray, places: dict[int, np.ndarray], a: str, b: str):
        """Where stem `a` is followed by stem `b` (a 0 between sentences keeps them apart)."""
        first, second = stem_key(a), stem_key(b)
        if second in places:
            after = places[second]
            after = after[after > 0]
            return after[stem_keys[after - 1] == first] - 1
        if first in places:
            before = places[first]
            before = before[before < len(stem_keys) - 1]
            return before[stem_keys[before + 1] == second]
        return np.flatnonzero((stem_keys[:-1] == first) & (stem_keys[1:] == second))

    def answer_weights(self, passages: list[StoredPassage]) -> dict[str, float]:
        """The stem weights without words the index has never seen that look like typos of
        a word of these passages (one letter added, dropped, changed or two swapped)."""
        unseen = [s for s, n in self.stem_counts.items() if not n and len(s) >= 4]
        if not unseen:
            return self.stem_weights
        present = frozenset().union(*(p.words for p in passages))
        typos = {stem for stem in unseen if _one_edit_from(stem, present)}
        return {stem: weight for stem, weight in self.stem_weights.items() if stem not in typos}


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
