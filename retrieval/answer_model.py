"""Whether the index answers the question at all: answer features, a logistic model, the cut."""

from typing import TYPE_CHECKING

import numpy as np

from retrieval.fusion import Ranking
from retrieval.words import Words

if TYPE_CHECKING:
    from retrieval.search import SearchSettings


def is_answerable(ranking: Ranking, words: Words, settings: "SearchSettings", in_article: bool) -> bool:
    """No answer rather than junk: the answer model agrees, or one passage holds the key words."""
    features = answer_features(ranking, words)
    if features[0] < settings.min_similarity:
        return False
    cut = settings.min_answer_probability_in_article if in_article else settings.min_answer_probability
    return (
        answer_probability(features, settings.answer_model) >= cut
        or features[2] >= settings.min_keyword_coverage
    )


def answer_probability(features: list[float], model: tuple[float, ...]) -> float:
    """How likely the indexed articles answer the question, by a logistic model
    (intercept, then one coefficient per feature)."""
    intercept, *coefficients = model
    logit = intercept + float(np.dot(coefficients, features))
    return float(1.0 / (1.0 + np.exp(-np.clip(logit, -50, 50))))


def answer_features(ranking: Ranking, words: Words) -> list[float]:
    """Signals that the question is about the indexed articles at all.

    The best paragraph cosine and best sentence cosine; the best share of the
    question's word weight (IDF) that one of the top candidates' text or context holds;
    the share of that weight whose words occur anywhere in the index (a question about
    an article that is not indexed names things the index has never seen); the fused
    score's lead of the best candidate over the runner-up (the best that is not a copy of
    it: index/copy_groups.py); and the best share of that
    word weight that a single sentence of the top candidates holds. The word shares
    leave out words the index has never seen that are one letter away from a word of
    the top candidates (Words.answer_weights): a typo must not decide on its own.
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
    best_group = candidates.copy_group(order[0])
    runner_up = next((i for i in order[1:] if candidates.copy_group(i) != best_group), None)
    gap = float(fused[order[0]] - fused[runner_up]) if runner_up is not None else 0.0
    return [max(top_dense, top_sentence), top_sentence, coverage, known, gap, sentence_keyword]
