"""Tuning aid for both domains: every question's candidates with their signals, dumped once
(bench/_work/dump-*.pkl), so that rankings and the answer model can be tried offline.

    python bench/quality_dump.py            # (re)writes the dumps with config.toml's settings

One dump per (domain, where): squad in/all, quiz in/all (RealTime QA evidence passages),
articles all (whole news articles); and the answer features with half the articles
(weeks) indexed, and of the off-topic questions. Each question: its split (tune / report)
and per candidate: the SIGNALS and ARTICLE_SIGNALS, the place (article id, paragraph),
whether it is the gold place (whole articles: from a gold article) and, for whole
articles, whether its text holds the answer's words.
"""

import pickle
import sys
from pathlib import Path

import faiss
import numpy as np

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from bench import quality_articles as articles_bench  # noqa: E402
from bench import quality_news as news  # noqa: E402
from bench.quality_common import WORK, KnownQuestions, build, even_index, question_vectors  # noqa: E402
from bench.quality_squad import squad_articles  # noqa: E402
from index.embedder import MiniLMEmbedder  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.answer_model import answer_features  # noqa: E402
from retrieval.candidates import ARTICLE_SIGNALS  # noqa: E402
from retrieval.search import SIGNALS, Searcher  # noqa: E402
from settings import load_settings  # noqa: E402


def dump_path(name: str) -> Path:
    return WORK / f"dump-{name}.pkl"


def candidates_of(searcher: Searcher, text: str, article_id: str | None):
    words, candidates = searcher.gathered(text, article_id)
    ranking = searcher.ranked(candidates)
    features = answer_features(ranking, words)
    rows = np.column_stack([candidates.signals[name] for name in (*SIGNALS, *ARTICLE_SIGNALS)])
    places = [(p.citation.article_id, p.citation.paragraph) for p in candidates.stored]
    return rows, places, [p.text for p in candidates.stored], features


def dump_squad_like(library, questions, ids, where: str) -> list[dict]:
    """Questions written on a paragraph (SQuAD's, the quiz's): odd-numbered articles report."""
    searcher = Searcher(library, load_settings().search)
    out = []
    for question in questions:
        article_id = ids[question.article]
        asked_of = article_id if where == "in" else None
        rows, places, _, features = candidates_of(searcher, question.text, asked_of)
        gold = (article_id, question.paragraph)
        out.append({"split": "report" if question.article % 2 else "tune", "rows": rows,
                    "places": places, "gold": np.array([p == gold for p in places]),
                    "features": features, "article": article_id})
    return out


def dump_squad_like_set(dumps, name, articles, questions, embedder, index, remap=False) -> None:
    """dumps[name-in], [name-all] on the whole index, and [name-half] with half of it."""
    texts = list(dict.fromkeys(q.text for q in questions))
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))
    library = Library(WORK / index, cached)
    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    ids = {a.number: by_name[a.file_name] for a in articles}
    if remap:
        numbers = news.stored_paragraph_numbers(library, articles, ids)
        questions = news.on_stored_paragraphs(questions, numbers)
    for where in ("in", "all"):
        dumps[f"{name}-{where}"] = dump_squad_like(library, questions, ids, where)
    library.close()
    dumps[f"{name}-half"] = half_index_features(WORK, articles, questions, cached, index, f"{index}_even")


def half_index_features(work, articles, questions, embedder, source, target) -> list[dict]:
    """Answer features with only the even-numbered articles (weeks) indexed: `indexed` says
    whether the question's own article is; calibration = 0, 1 mod 4, report = 2, 3 mod 4.
    A question about an indexed article is also asked of its own article (`own`) and of the
    next indexed one (`other`), for the in-article cut."""
    from bench.quality import next_indexed

    library = even_index(work, articles, embedder, source=source, target=target)
    searcher = Searcher(library, load_settings().search)
    by_name = {Path(a.source).name: a.article_id for a in library.articles()}
    ids = {a.number: by_name[a.file_name] for a in articles if a.number % 2 == 0}
    indexed = sorted(ids)
    out = []
    for q in questions:
        rows, _, _, features = candidates_of(searcher, q.text, None)
        item = {"split": "report" if q.article % 4 >= 2 else "tune", "indexed": q.article % 2 == 0,
                "features": features, "rows": rows}
        if q.article % 2 == 0:
            item["own"] = candidates_of(searcher, q.text, ids[q.article])[3]
            item["other"] = candidates_of(searcher, q.text, ids[next_indexed(q.article, indexed)])[3]
        out.append(item)
    library.close()
    return out


def main() -> None:
    faiss.omp_set_num_threads(1)
    embedder = MiniLMEmbedder()
    dumps = {}

    articles, questions = squad_articles()
    build(WORK, articles, embedder)
    dump_squad_like_set(dumps, "squad", articles, questions, embedder, "index_all")
    weeks, quiz = news.quiz_weeks(WORK)
    dump_squad_like_set(dumps, "quiz", weeks, quiz, embedder, "index_news_quiz", remap=True)

    questions = articles_bench.article_questions(WORK)
    offtopic = articles_bench.offtopic_questions(WORK)
    texts = list(dict.fromkeys([q.text for q in questions] + offtopic))
    cached = KnownQuestions(embedder, texts, question_vectors(WORK, texts, embedder))
    library = articles_bench.build_articles(WORK, cached)
    urls = {a.article_id: a.url for a in library.articles()}
    searcher = Searcher(library, load_settings().search)
    masks = articles_bench.article_split_masks(questions)
    out = []
    for i, question in enumerate(questions):
        rows, places, passage_texts, features = candidates_of(searcher, question.text, None)
        out.append({
            "split": "report" if masks["report"][i] else "tune",
            "rows": rows, "places": places, "features": features,
            "gold": np.array([urls[a] in question.urls for a, _ in places]),
            "answer": None if question.answer is None else np.array(
                [question.answer in news.normalised(t) for t in passage_texts]),
        })
    dumps["articles-all"] = out
    dumps["offtopic-all"] = [
        {"split": "report" if i % 2 else "tune", "features": features, "rows": rows}
        for i, (rows, _, _, features) in enumerate(candidates_of(searcher, t, None) for t in offtopic)]
    library.close()

    for name, value in dumps.items():
        with open(dump_path(name), "wb") as handle:
            pickle.dump(value, handle)
        print(f"{name}: {len(value)} questions -> {dump_path(name)}", file=sys.stderr)


if __name__ == "__main__":
    main()
