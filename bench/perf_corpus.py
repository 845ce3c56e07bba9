"""Corpora for bench/perf.py: real SQuAD paragraphs, and larger ones made of edited copies.

The 1k corpus is embedded for real (that is the ingest measurement). The 10k and 100k
corpora are that corpus again and again: copy r of an article is titled "TITLE (ed. r)" and
each of its paragraphs ends in "(ed. r)", so every text is new to the index (nothing is
deduplicated) while the words stay real. Their vectors are the real vectors of the
original text plus a little seeded noise (`CopiedVectors`): encoding 100,000 paragraphs
and their sentences for real would take hours on two shared cores, and the query path,
which is what these corpora are for, encodes only the question.
"""

import gzip
import json
import re
import zlib
from dataclasses import dataclass
from pathlib import Path

import numpy as np

SQUAD = Path("/work/shared/data/dev-v1.1.json.gz")
_EDITION = re.compile(r"\s*\(ed\. \d+\)$")


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


def write_copies(articles: list[SquadArticle], folder: Path, copies: int) -> int:
    """`copies` edited copies of the articles as .jsonl files; returns the paragraph count."""
    folder.mkdir(parents=True, exist_ok=True)
    for copy in range(copies):
        with (folder / f"copy-{copy:04}.jsonl").open("w", encoding="utf-8") as out:
            for article in articles:
                text = "\n\n".join(f"{p} (ed. {copy})" for p in article.paragraphs)
                out.write(json.dumps({"title": f"{article.title} (ed. {copy})", "text": text}) + "\n")
    return copies * sum(len(a.paragraphs) for a in articles)


class CopiedVectors:
    """An embedder for edited copies: the real vector of the original text, plus seeded noise.

    `known` maps an original text (paragraph or sentence) to its real vector; a text with no
    original gets a seeded random unit vector.
    """

    def __init__(self, real, known: dict[str, np.ndarray], noise: float = 0.05):
        self.name, self.dimension, self.fingerprint = real.name, real.dimension, real.fingerprint
        self.max_tokens = real.max_tokens
        self.count_tokens = real.count_tokens
        self.known = known
        self.noise = noise

    def encode(self, texts, batch_size=32, progress=False):
        rows = np.empty((len(texts), self.dimension), dtype=np.float32)
        for row, text in enumerate(texts):
            rng = np.random.default_rng(zlib.crc32(text.encode()))
            base = self.known.get(_EDITION.sub("", text))
            if base is None:
                base = rng.standard_normal(self.dimension).astype(np.float32)
                base /= np.linalg.norm(base)
            vector = base + self.noise * rng.standard_normal(self.dimension) / np.sqrt(self.dimension)
            rows[row] = vector / np.linalg.norm(vector)
        return rows


def known_vectors(store) -> dict[str, np.ndarray]:
    """Every passage and sentence text of a built index, with its stored vector."""
    known = {}
    rows = store._db.execute("SELECT text, sentence_spans, vector, sentence_vectors FROM passages")
    for text, spans, vector, sentences in rows:
        known[text] = np.frombuffer(vector, dtype=np.float32)
        matrix = np.frombuffer(sentences, dtype=np.float32).reshape(-1, store.dimension)
        spans = json.loads(spans)
        if len(spans) > 1:
            for (start, end), row in zip(spans, matrix, strict=True):
                known[text[start:end]] = row
    return known
