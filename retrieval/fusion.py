"""Turning several per-passage signals into one ranking."""

from dataclasses import dataclass

import numpy as np

from retrieval.candidates import SIGNALS, Candidates


def zscores(values: np.ndarray) -> np.ndarray:
    """Each value's distance from the mean of its row (the last axis) in standard deviations;
    0 for a row whose values are all equal."""
    centered = values - values.mean(axis=-1, keepdims=True)
    spread = np.sqrt((centered * centered).mean(axis=-1, keepdims=True))  # values.std(), in its steps
    flat = spread < 1e-9
    if not flat.any():
        return centered / spread
    return np.where(flat, 0.0, centered / np.where(flat, 1.0, spread))


def weighted_zscore_sum(signals: dict[str, np.ndarray], weights: dict[str, float]) -> np.ndarray:
    """Sum of each signal's per-question z-scores times its weight."""
    matrix = np.array([np.asarray(values, dtype=np.float64) for values in signals.values()])
    return np.array([weights.get(name, 0.0) for name in signals]) @ zscores(matrix)


def reciprocal_rank_fusion(rankings: list[list[int]], k: int = 60) -> list[int]:
    """Ids ordered by the sum of 1 / (k + rank) over the rankings they appear in."""
    scores: dict[int, float] = {}
    for ranking in rankings:
        for rank, item in enumerate(ranking, start=1):
            scores[item] = scores.get(item, 0.0) + 1.0 / (k + rank)
    return sorted(scores, key=lambda item: -scores[item])


@dataclass(frozen=True)
class Ranking:
    candidates: Candidates
    order: np.ndarray  # indices of the candidates, best first
    fused: np.ndarray  # each candidate's fused score


def rank(
    candidates: Candidates, paraphrase: dict[str, float], word_match: dict[str, float],
    raw: dict[str, float],
) -> Ranking:
    """The candidates ordered by a weighted z-score sum of the SIGNALS plus the raw article
    signals times their weights (ties keep the candidates' order).

    How far the question's own words help decides the z-score weights: its overlap, the
    best share of its word weight that one candidate sentence holds, mixes the paraphrase
    weights (overlap 0) and the word-match weights (overlap 1). The article signals are
    cosines added as they are: a signal that hardly varies among the candidates (every
    candidate's article alike) must not be blown up to unit spread as a z-score would be.
    """
    overlap = min(max(float(candidates.signals["sentence_keyword"].max()), 0.0), 1.0)
    weights = {name: (1 - overlap) * paraphrase.get(name, 0.0) + overlap * word_match.get(name, 0.0)
               for name in SIGNALS}
    fused = weighted_zscore_sum({name: candidates.signals[name] for name in SIGNALS}, weights)
    for name, weight in raw.items():
        fused = fused + weight * candidates.signals[name]
    return Ranking(candidates, np.argsort(-fused, kind="stable"), fused)
