"""Fitting the ranking and the answer model on both domains at once, offline, from the
dumps of bench/quality_dump.py (run that first; rerun it after changing the ranking).

    python bench/quality_fit.py rank         # fusion weights: fitted, with tune/report figures
    python bench/quality_fit.py abstention   # the answer model, its cut and in-article cut
    python bench/quality_fit.py abstention-limits   # news answered at each refusal floor

Only the tune split of each domain is fitted on (SQuAD's even-numbered articles, the
even-numbered news weeks, every other off-topic line); the report split is printed beside it.

The ranking fitted is the product's (retrieval.fusion.rank): the z-scored SIGNALS with
weights mixed by the question's overlap, plus the raw ARTICLE_SIGNALS.
"""

import itertools
import pickle
import sys
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench.quality_abstention import abstention_limits, fit_abstention  # noqa: E402
from bench.quality_dump import dump_path  # noqa: E402
from retrieval.candidates import ARTICLE_SIGNALS, SIGNALS  # noqa: E402
from retrieval.fusion import zscores  # noqa: E402
from settings import load_settings  # noqa: E402

RAW = len(SIGNALS) + len(ARTICLE_SIGNALS)


def load(name: str):
    with open(dump_path(name), "rb") as handle:
        return pickle.load(handle)


def prepared(name: str):
    """A dump's questions, each with its candidates' SIGNALS z-scored (`z`)."""
    items = load(name)
    for item in items:
        item["z"] = zscores(item["rows"][:, : len(SIGNALS)].T).T
    return items


def first_places(places, fused, depth):
    """Indices of the best candidate of each of the first `depth` distinct places."""
    order, seen, out = np.argsort(-fused, kind="stable"), set(), []
    for i in order:
        if places[i] in seen:
            continue
        seen.add(places[i])
        out.append(i)
        if len(out) == depth:
            break
    return out


def figures(items, score, split=None):
    """R@1, R@5 (squad/quiz) or article first, answer in top 3 (articles), over a split."""
    first = five = answer = answers = n = 0
    for item in items:
        if split and item["split"] != split:
            continue
        n += 1
        top = first_places(item["places"], score(item), 5)
        gold = item["gold"]
        first += bool(gold[top[0]])
        five += bool(gold[top].any())
        if item.get("answer") is not None:
            answers += 1
            answer += bool(item["answer"][top[:3]].any())
    return {"first": first / n, "five": five / n, "answer3": answer / answers if answers else float("nan")}


def linear(weights):
    w = np.asarray(weights, dtype=float)[: len(SIGNALS)]
    return lambda item: item["z"] @ w


def main():
    command = sys.argv[1] if len(sys.argv) > 1 else "rank"
    if command == "abstention":
        # extra arguments: GROUP=WEIGHT, to weigh a group of questions more in the fit
        pairs = [arg.split("=") for arg in sys.argv[2:]]
        return fit_abstention(load, {name.replace("_", " "): float(value) for name, value in pairs})
    if command == "abstention-limits":
        return abstention_limits(load)
    domains = {name: prepared(name) for name in
               ("squad-all", "squad-in", "quiz-all", "quiz-in", "articles-all")}
    # SQuAD's paraphrased questions weigh as domains of their own: they are SQuAD's nearest
    # stand-in for news questions, and the weights that follow the question must not drop them
    paraphrased = paraphrased_squad()
    for where in ("all", "in"):
        domains[f"squad-{where}-paraphrased"] = [
            item for item, low in zip(domains[f"squad-{where}"], paraphrased, strict=True) if low]
    report_line("round before", domains, linear(SHIPPED))
    report_line("dense", domains, linear((1, 0, 0, 0, 0)))
    s = load_settings().search
    configured = np.r_[s.paraphrase_weights, s.word_match_weights, s.title_weight, s.article_weight]
    report_line("config.toml", domains, lambda item: design(item, True) @ configured)
    for adaptive in (False, True):
        w = fit_listwise(domains, adaptive)
        print("adaptive" if adaptive else "plain", " ".join(f"{v:.3f}" for v in w))
        report_line("fit-adaptive" if adaptive else "fit-plain", domains,
                    lambda item, w=w, a=adaptive: design(item, a) @ w)
    # the article weights again on a grid: the fit's objective (the gold passage's
    # probability) is not the whole-article figures', and those rest on few questions
    for title, article in itertools.product((0, 1.5, 3, 5), repeat=2):
        grid = np.r_[w[: 2 * len(SIGNALS)], title, article]
        report_line(f"title {title} article {article}", domains, lambda item, g=grid: design(item, True) @ g)


def paraphrased_squad() -> list[bool]:
    """Per SQuAD question (in the dumps' order): whether it shares under half its words with
    its paragraph (bench/quality.py's paraphrased subset)."""
    from bench.quality import PARAPHRASED
    from bench.quality_baselines import bm25_tokens
    from bench.quality_squad import squad_articles

    articles, questions = squad_articles()
    flags = []
    for question in questions:
        words = set(bm25_tokens(question.text))
        paragraph = set(bm25_tokens(articles[question.article].paragraphs[question.paragraph - 1]))
        flags.append(len(words & paragraph) / max(len(words), 1) < PARAPHRASED)
    return flags


def overlap(item) -> float:
    """How much the question's words help: the best share of its word weight one sentence holds."""
    return float(item["rows"][:, 3].max())


def design(item, adaptive: bool) -> np.ndarray:
    """The five signals z-scored (times the question's overlap too, when adaptive), then the
    article and title cosines raw: a signal that hardly varies must not be blown up."""
    z = item["z"]
    raw = item["rows"][:, len(SIGNALS): RAW]
    o = overlap(item)
    return np.column_stack([z * (1 - o), z * o, raw] if adaptive else [z, raw])


def targets(item) -> np.ndarray:
    if item.get("answer") is not None and item["answer"].any():
        return item["answer"] & item["gold"] if (item["answer"] & item["gold"]).any() else item["answer"]
    return item["gold"]


def fit_listwise(domains: dict, adaptive: bool, l2: float = 1e-3) -> np.ndarray:
    """Weights maximising the mean (over domains) log-softmax probability of the gold candidates."""
    from scipy.optimize import minimize

    batches = []
    for name, items in domains.items():
        usable = [(design(i, adaptive), targets(i))
                  for i in items if i["split"] == "tune" and targets(i).any()]
        batches.append((name, usable))
    dim = batches[0][1][0][0].shape[1]

    def loss(w):
        total, grad = 0.0, np.zeros(dim)
        for _, usable in batches:
            part, part_grad = 0.0, np.zeros(dim)
            for x, gold in usable:
                s = x @ w
                s -= s.max()
                p = np.exp(s)
                p /= p.sum()
                pg = p[gold].sum()
                part -= np.log(pg + 1e-12)
                part_grad -= (x[gold].T @ p[gold]) / (pg + 1e-12) - x.T @ p
            total += part / len(usable)
            grad += part_grad / len(usable)
        return total / len(batches) + l2 * w @ w, grad / len(batches) + 2 * l2 * w

    start = np.zeros(dim)
    start[: len(SIGNALS)] = SHIPPED
    if adaptive:
        start[len(SIGNALS): 2 * len(SIGNALS)] = SHIPPED
    return minimize(loss, start, jac=True, method="L-BFGS-B", bounds=[(0, None)] * dim).x


SHIPPED = (0.25, 0.45, 0.3, 0.1, 0.1)  # the SQuAD-only weights of the round before

def report_line(label, domains, score):
    line = [label]
    for name, items in domains.items():
        for split in ("tune", "report"):
            f = figures(items, score, split)
            line.append(f"{name[:6]} {split[:3]} {f['first']:.3f}/{f['five']:.3f}"
                        + (f"/{f['answer3']:.3f}" if name.startswith("articles") else ""))
    print("  ".join(line), flush=True)


if __name__ == "__main__":
    main()
