"""Tuning aid for the fusion weights: the product's candidate signals for every SQuAD
question, dumped once, then ranked offline for many weight settings (tuning split only).

    python bench/quality_tune.py [--split even|odd|all]   # fusion weights
    python bench/quality_tune.py --abstention             # the answer model and its cut

The signals, in the order of the weights printed: paragraph cosine, best-sentence cosine,
BM25, the best sentence's share of the question's word weight, and the most two-word
phrases of the question one sentence repeats.
"""

import argparse
import itertools
import sys
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_common import WORK, KnownQuestions, even_index, question_vectors  # noqa: E402
from bench.quality_squad import squad_articles  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.fusion import zscores  # noqa: E402
from retrieval.search import SIGNALS, Searcher  # noqa: E402
from settings import load_settings  # noqa: E402

# the grid searched (weights are normalised to sum to 1: a z-score sum is scale-free)
GRID = {
    "dense": (0.15, 0.2, 0.25, 0.3),
    "sentence": (0.35, 0.4, 0.45, 0.5),
    "keyword": (0.2, 0.25, 0.3, 0.35),
    "sentence_keyword": (0.0, 0.1, 0.2, 0.3),
    "phrase": (0.0, 0.05, 0.1, 0.15),
}
# The answer cut: the lowest probability that still refuses this share of the calibration
# questions about unindexed articles (the target is 85%; every answerable question refused
# costs recall, so the cut goes no higher than the target needs)
REFUSED_SHARE = 0.85
# A question asked about one article: the lowest cut that refuses this share of the
# calibration questions asked about another indexed article than their own
IN_ARTICLE_REFUSED_SHARE = 0.90


def signals(searcher, questions, ids, where):
    """Per question: (matrix of candidate signals, index of the gold candidate or -1)."""
    out = []
    for question in questions:
        article_id = ids[question.article]
        _, candidates = searcher._gather(question.text, article_id if where == "in" else None)
        rows = np.column_stack([candidates.signals[name] for name in SIGNALS])
        places = [(p.citation.article_id, p.citation.paragraph) for p in candidates.stored]
        gold = [i for i, p in enumerate(places) if p == (article_id, question.paragraph)]
        out.append((rows, np.array(places, dtype=object), gold))
    return out


def evaluate(dumped, weights):
    """R@1, R@5 of a weighted z-score sum (one paragraph per place)."""
    r1 = r5 = 0
    for rows, places, gold in dumped:
        if not gold:
            continue
        z = np.column_stack([zscores(rows[:, j]) for j in range(rows.shape[1])])
        fused = z @ np.asarray(weights)
        best_gold = fused[gold].max()
        better = {tuple(p) for p, s in zip(places, fused, strict=True) if s > best_gold}
        rank = len(better) + 1
        r1 += rank == 1
        r5 += rank <= 5
    return r1 / len(dumped), r5 / len(dumped)


def answer_features(searcher, text: str, article_id: str | None) -> list[float]:
    words, candidates = searcher._gather(text, article_id)
    return searcher._answer_features(searcher._rank(candidates), words)


def calibrate(articles, questions, embedder, settings):
    """Fit the answer model on the calibration split of the abstention setting.

    Only the even-numbered articles are indexed; questions about articles 0 mod 4 should be
    answered, questions about articles 1 mod 4 (not indexed) refused. Prints the
    coefficients for config.toml (rounded to 3 places, as used) and the lowest probability
    cut that refuses REFUSED_SHARE of the unindexed ones.

    Then the cut for a question asked about one article: the questions about articles
    0 mod 4 asked about their own article should be answered, and asked about the next
    indexed article, refused. Prints the trade-off for a range of cuts.
    """
    from sklearn.linear_model import LogisticRegression

    from bench.quality import next_indexed

    calibration = [q for q in questions if q.article % 4 < 2]
    texts = list(dict.fromkeys(q.text for q in questions))
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))
    library = even_index(WORK, articles, cached)
    searcher = Searcher(library, settings)
    rows = [answer_features(searcher, q.text, None) for q in calibration]
    labels = [q.article % 2 == 0 for q in calibration]
    x, y = np.array(rows), np.array(labels)
    model = LogisticRegression(C=100.0, max_iter=5000).fit(x, y)
    coefficients = [round(float(c), 3) for c in [model.intercept_[0], *model.coef_[0]]]

    def probability(features):
        return 1 / (1 + np.exp(-(coefficients[0] + features @ np.array(coefficients[1:]))))

    def answered(features, cut):
        return ((probability(features) >= cut) | (features[:, 2] >= settings.min_keyword_coverage)) & (
            features[:, 0] >= settings.min_similarity)

    cut = next(c for c in np.arange(0, 1, 0.005) if 1 - answered(x, c)[~y].mean() >= REFUSED_SHARE)
    print("answer_model =", coefficients)
    print(f"min_answer_probability = {cut:.3f}: answers {answered(x, cut)[y].mean():.3f},"
          f" refuses {1 - answered(x, cut)[~y].mean():.3f} (calibration split)")

    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    indexed = sorted(a.number for a in articles if a.number % 2 == 0)
    ids = {a.number: by_name[a.file_name] for a in articles if a.number % 2 == 0}
    asked = [q for q in calibration if q.article % 4 == 0]
    own = np.array([answer_features(searcher, q.text, ids[q.article]) for q in asked])
    other = np.array([
        answer_features(searcher, q.text, ids[next_indexed(q.article, indexed)])
        for q in asked
    ])
    print("asked about one article: cut, share of questions about it answered, share about"
          " another article refused")
    for in_article_cut in (0.005, 0.01, 0.02, 0.03, 0.05, 0.075, 0.1, 0.15, round(cut, 3)):
        print(f"  {in_article_cut:.3f}: answers {answered(own, in_article_cut).mean():.3f},"
              f" refuses {1 - answered(other, in_article_cut).mean():.3f}")
    in_article = next(c for c in np.arange(0, 1, 0.0025)
                      if 1 - answered(other, c).mean() >= IN_ARTICLE_REFUSED_SHARE)
    print(f"min_answer_probability_in_article = {in_article:.4f}: answers"
          f" {answered(own, in_article).mean():.3f}, refuses {1 - answered(other, in_article).mean():.3f}")
    library.close()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--split", default="even")
    parser.add_argument("--where", default="in,all")
    parser.add_argument("--abstention", action="store_true", help="fit the answer model instead")
    args = parser.parse_args()
    faiss.omp_set_num_threads(1)
    articles, questions = squad_articles()
    if args.abstention:
        return calibrate(articles, questions, MiniLMEmbedder(), load_settings().search)
    keep = {"even": 0, "odd": 1}.get(args.split)
    questions = [q for q in questions if keep is None or q.article % 2 == keep]
    embedder = MiniLMEmbedder()
    texts = list(dict.fromkeys(q.text for q in questions))
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))
    library = Library(WORK / "index_all", cached)
    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    ids = {a.number: by_name[a.file_name] for a in articles}
    searcher = Searcher(library, load_settings().search)
    for where in args.where.split(","):
        dumped = signals(searcher, questions, ids, where)
        print(where, "gold among candidates:", np.mean([bool(g) for _, _, g in dumped]))
        grid = list(itertools.product(*GRID.values()))
        results = sorted(((sum(evaluate(dumped, w)), evaluate(dumped, w), w) for w in grid),
                         reverse=True)
        for _, (r1, r5), w in results[:8]:
            print(f"  {where} " + " ".join(f"{n} {v:.2f}" for n, v in zip(SIGNALS, w, strict=True))
                  + f": R@1 {r1:.3f} R@5 {r5:.3f}")
        for w in [(0.25, 0.45, 0.3, 0, 0), (0.4, 0.4, 0.2, 0, 0), (1, 0, 0, 0, 0), (0, 0, 1, 0, 0)]:
            r1, r5 = evaluate(dumped, w)
            print(f"  {where} {w}: R@1 {r1:.3f} R@5 {r5:.3f}")


if __name__ == "__main__":
    main()
