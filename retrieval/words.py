"""The question's words as keyword search sees them: IDF weights, best-sentence shares, phrases."""

from dataclasses import dataclass

import numpy as np

from index.passages import stem_key, word_stem
from index.store import StoredPassage
from retrieval.question import keyword_terms, phrases
from retrieval.typos import likely_typos


@dataclass(frozen=True)
class Words:
    """The question's words as keyword search sees them, weighted by their IDF in the index."""

    terms: list[str]  # keyword_terms: lower case, stop words dropped, no repeats
    counts: dict[str, int]  # term -> passages holding it
    stem_weights: dict[str, float]  # word_stem(term) -> its IDF over the index's passages
    stem_counts: dict[str, int]  # word_stem(term) -> passages holding it
    phrases: frozenset[tuple[str, str]]  # the question's two-word phrases, as stems

    @classmethod
    def of(cls, question: str, store, passage_count: int) -> "Words":
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
        typos = likely_typos(self.stem_counts, passages)
        if not typos:
            return self.stem_weights
        return {stem: weight for stem, weight in self.stem_weights.items() if stem not in typos}
