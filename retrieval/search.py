"""Question in, cited passages out: gather candidates, rank them, refuse or keep the best k."""

from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass

from index.library import Library
from retrieval import answer_model
from retrieval.answer import Answer, FoundPassage
from retrieval.candidates import Candidates, gather
from retrieval.fusion import Ranking, rank
from retrieval.question import clean_question
from retrieval.words import Words


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
    # ... and the answer model (a logistic regression over answer_model.answer_features:
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
        in_article = article_id is not None
        if not answer_model.is_answerable(ranking, words, self.settings, in_article):
            return Answer(question, (), article_id)
        return Answer(question, self._best(ranking, k or self.settings.k), article_id)

    def _gather(self, question: str, article_id: str | None) -> tuple[Words, Candidates | None]:
        """The question's words, and the dense and keyword candidates with their signals."""
        return gather(self.library, self.settings, self._keyword_thread, question, article_id)

    def _rank(self, candidates: Candidates) -> Ranking:
        return rank(candidates, {name: getattr(self.settings, f"{name}_weight") for name in SIGNALS})

    def _answer_features(self, ranking: Ranking, words: Words) -> list[float]:
        """What the answer model decides on (bench/quality_tune.py fits it to these)."""
        return answer_model.answer_features(ranking, words)

    def answer_probability(self, features: list[float]) -> float:
        """How likely the indexed articles answer the question, by the settings' logistic model."""
        return answer_model.answer_probability(features, self.settings.answer_model)

    def _best(self, ranking: Ranking, k: int) -> tuple[FoundPassage, ...]:
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
