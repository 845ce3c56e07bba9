"""Corpora for bench/perf.py: real SQuAD paragraphs, and larger ones made of edited copies.

The 1k corpus is embedded for real (that is the ingest measurement). The 10k, 100k and 1M
corpora are that corpus again and again: copy r of an article is titled "TITLE (ed. r)" and
each of its passages ends in "(ed. r)", so every text is new to the index (nothing is
deduplicated) while the words stay real. Their vectors are the real vectors of the
original text plus a little seeded noise: encoding a million paragraphs and their
sentences for real would take weeks on two shared cores, and the query path, which is
what these corpora are for, encodes only the question. `write_copies_to_store` writes the
copies straight into a Store, skipping the files, the parser and the encoder: 100,000
passages in 80 s, a million in about half an hour.
"""

import gzip
import json
import re
from dataclasses import dataclass, replace
from pathlib import Path

import numpy as np

from index.articles import Article
from index.passages import Passage
from index.store import EmbeddedPassage, Store

SQUAD = Path("/work/shared/data/dev-v1.1.json.gz")


@dataclass(frozen=True)
class SquadArticle:
    number: int
    title: str
    paragraphs: list[str]
    questions: list[tuple[str, int]]  # (question, 1-based paragraph number)

    @property
    def file_name(self) -> str:
        return f"{self.number:02}_{re.sub(r'[^A-Za-z0-9]+', '_', self.title)}.txt"


def squad_articles(paragraphs: int) -> list[SquadArticle]:
    """The first SQuAD v1.1 dev articles holding at least `paragraphs` paragraphs."""
    with gzip.open(SQUAD, "rt", encoding="utf-8") as handle:
        data = json.load(handle)["data"]
    articles, total = [], 0
    for number, article in enumerate(data):
        if total >= paragraphs:
            break
        texts = [" ".join(p["context"].split()) for p in article["paragraphs"]]
        questions = [
            (q["question"].strip(), index + 1)
            for index, p in enumerate(article["paragraphs"]) for q in p["qas"]
        ]
        articles.append(SquadArticle(number, article["title"].replace("_", " "), texts, questions))
        total += len(texts)
    return articles


def write_articles(articles: list[SquadArticle], folder: Path) -> list[Path]:
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles:
        path = folder / article.file_name
        path.write_text(article.title + "\n\n" + "\n\n".join(article.paragraphs) + "\n", encoding="utf-8")
        paths.append(path)
    return paths


def write_copies_to_store(base: Store, target: Store, copies: int, noise: float = 0.05) -> int:
    """`copies` edited copies of every article of `base` written into `target` through
    `Store.replace_article`, with no parsing and no encoder; returns the passages written.

    Copy r of a passage is its text and context with " (ed. r)" appended (the last
    sentence grows to hold it); its vectors, and its article's title vector, are the
    original's plus seeded noise of norm about `noise`, normalised again.
    """
    originals = [(a, base.passages_of_article(a.article_id)) for a in base.articles()]
    titles = base.article_vectors([a.article_id for a, _ in originals])
    written = 0
    for copy in range(copies):
        rng = np.random.default_rng(copy)
        edition = f" (ed. {copy})"
        for article, stored in originals:
            title, source = article.title + edition, f"copy-{copy:04}/{Path(article.source).name}"
            url = f"{article.url}#ed{copy}" if article.url else None
            copied = Article(title, tuple(s.passage.text + edition for s in stored), source, url,
                             article.published)
            passages = []
            for original in stored:
                p = original.passage
                citation = replace(p.citation, article_id=copied.article_id, title=title,
                                   source=source, url=url)
                (*spans, (start, _)) = p.sentence_spans
                passage = Passage(citation, p.piece, p.text + edition,
                                  p.context + edition if p.context else "",
                                  (*spans, (start, len(p.text) + len(edition))))
                passages.append(EmbeddedPassage(passage, _nudged(original.vector, rng, noise),
                                                _nudged(original.sentence_vectors, rng, noise)))
            title_vector = titles.get(article.article_id)
            target.replace_article(copied, passages, None if title_vector is None
                                   else _nudged(title_vector.title[None], rng, noise)[0])
            written += len(passages)
    return written


def _nudged(vectors: np.ndarray, rng: np.random.Generator, noise: float) -> np.ndarray:
    moved = vectors + noise * rng.standard_normal(vectors.shape) / np.sqrt(vectors.shape[-1])
    return (moved / np.linalg.norm(moved, axis=-1, keepdims=True)).astype(np.float32)


def known_vectors(store) -> dict[str, np.ndarray]:
    """Every passage and sentence text of a built index, with its stored vector."""
    known = {}
    rows = store._db.execute("SELECT text, sentence_spans, vector, sentence_vectors FROM passages")
    for text, spans, vector, sentences in rows:
        known[text] = np.frombuffer(vector, dtype=np.float32)
        matrix = store._matrix(sentences)
        spans = json.loads(spans)
        if len(spans) > 1:
            for (start, end), row in zip(spans, matrix, strict=True):
                known[text[start:end]] = row
    return known
