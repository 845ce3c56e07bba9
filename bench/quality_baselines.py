"""The baselines the product is measured against, computed in the benchmark's own process.

- plain dense: cosine between the question and the paragraph vector the product stored
  (a paragraph the product cut into pieces scores its best piece);
- plain BM25: Okapi BM25 (k1 1.5, b 0.75) over lower-case word tokens minus NLTK's
  English stop words, implemented here, independent of the product's FTS5 table; in the
  in-article setting the BM25 index (and so its IDF) is the article's own paragraphs;
- RRF: reciprocal-rank fusion (k = 60) of the two rankings.

Every ranking is over paragraphs, keyed (article id, paragraph number).
"""

import math
import re
from collections import Counter, defaultdict
from dataclasses import dataclass

import numpy as np

from index.store import Store

_TOKEN_RE = re.compile(r"\w+")
# NLTK's English stop-word list (nltk.corpus.stopwords.words("english"), 179 words).
STOP_WORDS = frozenset("""
i me my myself we our ours ourselves you you're you've you'll you'd your yours yourself
yourselves he him his himself she she's her hers herself it it's its itself they them their
theirs themselves what which who whom this that that'll these those am is are was were be
been being have has had having do does did doing a an the and but if or because as until
while of at by for with about against between into through during before after above below
to from up down in out on off over under again further then once here there when where why
how all any both each few more most other some such no nor not only own same so than too
very s t can will just don don't should should've now d ll m o re ve y ain aren aren't
couldn couldn't didn didn't doesn doesn't hadn hadn't hasn hasn't haven haven't isn isn't ma
mightn mightn't mustn mustn't needn needn't shan shan't shouldn shouldn't wasn wasn't weren
weren't won won't wouldn wouldn't
""".split())
Place = tuple[str, int]


def bm25_tokens(text: str) -> list[str]:
    return [t for t in _TOKEN_RE.findall(text.lower()) if t not in STOP_WORDS]


@dataclass
class Paragraphs:
    """Every indexed paragraph: its place, text, and the rows of its pieces' vectors."""

    places: list[Place]
    texts: list[str]
    vectors: np.ndarray  # one row per stored passage (piece)
    piece_paragraph: np.ndarray  # for each vector row, the index into `places`

    @classmethod
    def from_store(cls, store: Store) -> "Paragraphs":
        ids, _ = store.all_vectors()
        stored = store.passages([int(i) for i in ids])
        pieces = sorted(stored.values(), key=lambda s: (
            s.passage.citation.article_id, s.passage.citation.paragraph, s.passage.piece))
        places, texts, rows, owner = [], [], [], []
        for piece in pieces:
            place = (piece.passage.citation.article_id, piece.passage.citation.paragraph)
            if not places or places[-1] != place:
                places.append(place)
                texts.append(piece.passage.text)
            else:
                texts[-1] += " " + piece.passage.text
            rows.append(piece.vector)
            owner.append(len(places) - 1)
        return cls(places, texts, np.stack(rows), np.array(owner))

    def articles(self) -> dict[str, np.ndarray]:
        """Article id -> indices of its paragraphs."""
        groups = defaultdict(list)
        for index, (article_id, _) in enumerate(self.places):
            groups[article_id].append(index)
        return {a: np.array(v) for a, v in groups.items()}


def dense_scores(paragraphs: Paragraphs, queries: np.ndarray) -> np.ndarray:
    """(questions, paragraphs) cosine of each paragraph's best piece."""
    piece_scores = queries @ paragraphs.vectors.T
    scores = np.full((len(queries), len(paragraphs.places)), -np.inf, dtype=np.float32)
    np.maximum.at(scores.T, paragraphs.piece_paragraph, piece_scores.T)
    return scores


class BM25:
    """Okapi BM25 over paragraphs, with IDF log(1 + (N - n + 0.5) / (n + 0.5))."""

    def __init__(self, texts: list[str], k1: float = 1.5, b: float = 0.75):
        self.k1, self.b = k1, b
        self.docs = [Counter(bm25_tokens(t)) for t in texts]
        self.lengths = np.array([sum(d.values()) for d in self.docs], dtype=np.float64)
        self.average = self.lengths.mean()
        self.postings: dict[str, list[tuple[int, int]]] = defaultdict(list)
        for index, doc in enumerate(self.docs):
            for term, count in doc.items():
                self.postings[term].append((index, count))
        n = len(texts)
        self.idf = {t: math.log(1 + (n - len(p) + 0.5) / (len(p) + 0.5)) for t, p in self.postings.items()}

    def scores(self, question: str) -> np.ndarray:
        scores = np.zeros(len(self.docs))
        norm = self.k1 * (1 - self.b + self.b * self.lengths / self.average)
        for term in set(bm25_tokens(question)):
            for index, count in self.postings.get(term, ()):
                scores[index] += self.idf[term] * count * (self.k1 + 1) / (count + norm[index])
        return scores


def ranking(scores: np.ndarray, among: np.ndarray | None = None) -> np.ndarray:
    """Paragraph indices best first (only those in `among`, when given); ties keep order."""
    if among is None:
        return np.argsort(-scores, kind="stable")
    return among[np.argsort(-scores[among], kind="stable")]


def rrf(rankings: list[np.ndarray], k: int = 60, depth: int = 1000) -> np.ndarray:
    """Reciprocal-rank fusion of rankings (each cut at `depth`)."""
    fused: dict[int, float] = defaultdict(float)
    for order in rankings:
        for rank, index in enumerate(order[:depth], start=1):
            fused[int(index)] += 1.0 / (k + rank)
    return np.array(sorted(fused, key=lambda i: -fused[i]))
