"""The answer model ("not found") fitted on both domains at once, offline, from the dumps of
bench/quality_dump.py, and what any model over its features can reach (run by
bench/quality_fit.py: `abstention` and `abstention-limits`).

Only the tune split of each group is fitted on; the report split is printed beside it.
"""

import numpy as np

from settings import load_settings

# The answer cut: the lowest probability that still refuses these shares of the tune
# split's questions that have no answer in the index (the floors; every answerable
# question refused costs recall, so the cut goes no higher than the floors need) ...
REFUSED_SHARES = {"squad unindexed": 0.85, "off-topic": 0.80}
# ... and for a question asked about one article the user chose: the highest cut that still
# answers this share of the tune questions asked of their own article, in each domain (the
# user named the article, so its best passages are shown unless the question clearly is not
# about it; 99% keeps refusals under a point of in-article R@1)
IN_ARTICLE_ANSWERED_SHARE = 0.99
GRID = np.arange(0, 1, 0.0025)


def answer_groups(load) -> dict[str, tuple[list[dict], bool]]:
    """Each group of dumped questions, and whether its questions are answerable.

    Answerable: SQuAD questions about indexed articles (half the articles indexed), quiz
    questions about indexed weeks (half the weeks indexed), the whole-article questions.
    Not answerable: SQuAD questions about unindexed articles, the off-topic news questions.
    Quiz questions about unindexed weeks are left out of every fit (running stories make
    many of them answerable from other weeks) but reported.
    """
    squad, quiz = load("squad-half"), load("quiz-half")
    return {
        "squad indexed": ([i for i in squad if i["indexed"]], True),
        "squad unindexed": ([i for i in squad if not i["indexed"]], False),
        "quiz indexed": ([i for i in quiz if i["indexed"]], True),
        "quiz unindexed": ([i for i in quiz if not i["indexed"]], False),
        "articles": (load("articles-all"), True),
        "off-topic": (load("offtopic-all"), False),
    }


class AnswerModelFit:
    """A model fitted on the tune split of `fitted` groups (each group weighing alike), and
    the product's rule around it: refuse under the similarity floor, answer when one
    passage holds the question's key words or the probability reaches the cut."""

    def __init__(self, groups, fitted, group_weights=None, model=None):
        from sklearn.linear_model import LogisticRegression

        self.groups, self.settings = groups, load_settings().search
        x, y, weight = [], [], []
        for name in fitted:
            items, answerable = groups[name]
            tune = [i["features"] for i in items if i["split"] == "tune"]
            x += tune
            y += [answerable] * len(tune)
            weight += [(group_weights or {}).get(name, 1.0) / len(tune)] * len(tune)
        weight = np.array(weight) * len(weight) / len(fitted)
        self.model = (model or LogisticRegression(C=100.0, max_iter=5000)).fit(
            np.array(x), np.array(y), sample_weight=weight)

    def coefficients(self) -> list[float]:
        return [round(float(c), 3) for c in [self.model.intercept_[0], *self.model.coef_[0]]]

    def answered(self, features, cut: float) -> np.ndarray:
        f = np.array(features)
        if hasattr(self.model, "coef_"):  # the coefficients as config.toml holds them
            c = self.coefficients()
            p = 1 / (1 + np.exp(-(c[0] + f @ np.array(c[1:]))))
        else:
            p = self.model.predict_proba(f)[:, 1]
        by_words = f[:, 2] >= self.settings.min_keyword_coverage
        return ((p >= cut) | by_words) & (f[:, 0] >= self.settings.min_similarity)

    def share(self, name: str, split: str | None, cut: float) -> float:
        """The group's share handled right: answered if answerable, else refused."""
        items, answerable = self.groups[name]
        flags = self.answered([i["features"] for i in items if split in (None, i["split"])], cut)
        return float(flags.mean() if answerable else 1 - flags.mean())

    def lowest_cut(self, floors: dict[str, float]) -> float:
        return next(c for c in GRID if all(self.share(n, "tune", c) >= f for n, f in floors.items()))

    def line(self, cut: float) -> str:
        return "  ".join(f"{name} {'answered' if answerable else 'refused'}"
                         f" {self.share(name, 'tune', cut):.3f}/{self.share(name, 'report', cut):.3f}"
                         for name, (_, answerable) in self.groups.items())


def fit_abstention(load, group_weights: dict[str, float] | None = None) -> None:
    """The answer model, its cut and its in-article cut, as config.toml takes them."""
    groups = answer_groups(load)
    fit = AnswerModelFit(groups, [g for g in groups if g != "quiz unindexed"], group_weights)
    cut = fit.lowest_cut(REFUSED_SHARES)
    print("answer_model =", fit.coefficients())
    print(f"min_answer_probability = {cut:.4f}")
    for name, (_, answerable) in groups.items():
        print(f"  {name}: {'answered' if answerable else 'refused'} tune {fit.share(name, 'tune', cut):.3f},"
              f" report {fit.share(name, 'report', cut):.3f}")
    asked = {domain: {which: [i[which] for i in groups[f"{domain} indexed"][0] if i["split"] == "tune"]
                      for which in ("own", "other")} for domain in ("squad", "quiz")}
    in_article = max(c for c in GRID if all(fit.answered(a["own"], c).mean() >= IN_ARTICLE_ANSWERED_SHARE
                                            for a in asked.values()))
    print(f"min_answer_probability_in_article = {in_article:.4f}")
    print("  in-article cut: answered asked of their own article / refused asked of another (tune)")
    for c in sorted({0.001, 0.005, 0.01, 0.02, 0.05, 0.1, round(in_article, 4)}):
        print(f"    {c:.4f}: " + "; ".join(
            f"{domain} {fit.answered(a['own'], c).mean():.3f} / {1 - fit.answered(a['other'], c).mean():.3f}"
            for domain, a in asked.items()))


def abstention_limits(load) -> None:
    """What the answer features allow: the news questions answered at each refusal floor.

    First news alone (no SQuAD question in the fit or the floors; a model that knew it was
    asked about news could do no better), logistic and gradient-boosted; then the shipped
    joint fit with lower floors, the trade-off a choice of floors makes."""
    from sklearn.ensemble import HistGradientBoostingClassifier

    groups = answer_groups(load)
    news = {g: v for g, v in groups.items() if not g.startswith("squad")}
    boosted = HistGradientBoostingClassifier(max_depth=2, min_samples_leaf=100, max_iter=100,
                                             learning_rate=0.05)
    print("news alone, refusing 80% of off-topic (tune/report):")
    for label, model in (("logistic", None), ("boosted trees", boosted)):
        fit = AnswerModelFit(news, ["quiz indexed", "articles", "off-topic"], model=model)
        print(f"  {label}: {fit.line(fit.lowest_cut({'off-topic': 0.80}))}")
    fit = AnswerModelFit(groups, [g for g in groups if g != "quiz unindexed"])
    print("both domains, one model, lower floors (tune/report):")
    for floors in ({"squad unindexed": 0.85, "off-topic": 0.80}, {"squad unindexed": 0.80, "off-topic": 0.80},
                   {"off-topic": 0.70}, {"off-topic": 0.60}, {"off-topic": 0.50}):
        label = ", ".join(f"{name} {share:.0%}" for name, share in floors.items())
        print(f"  refusing {label}: {fit.line(fit.lowest_cut(floors))}")
