"""Turning several per-passage signals into one ranking."""

from dataclasses import dataclass

import numpy as np

from retrieval.candidates import Candidates


def zscores(values: np.ndarray) -> np.ndarray:
    """Each value's distance from the mean of its row (the last axis) in standard deviations;
    0 for a row whose values are all equal."""
    spread = values.std(axis=-1, keepdims=True)
    flat = spread < 1e-9
    return np.where(flat, 0.0, (values - values.mean(axis=-1, keepdims=True)) / np.where(flat, 1.0, spread))


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


def rank(candidates: Candidates, weights: dict[str, float]) -> Ranking:
    """The candidates ordered by their weighted z-score sum (ties keep the candidates' order)."""
    fused = weighted_zscore_sum(candidates.signals, weights)
    return Ranking(candidates, np.argsort(-fused, kind="stable"), fused)
