"""The ingest's embedding step: a batch's passages and titles turned into vectors in one
call of the model.

A passage gets its paragraph vector and its sentence vectors (a one-sentence passage shares
the paragraph's); a passage whose text is stored already (same text hash) is not embedded
again. index/ray_ingest.py's actors compute the same vectors with `embed`.
"""

import numpy as np

from index.embedder import Embedder
from index.passages import Passage
from index.store import Store


def embed(
    embedder: Embedder, batch_size: int, passages: list[Passage], titles: list[str]
) -> tuple[dict[str, tuple[np.ndarray, np.ndarray]], np.ndarray]:
    """Paragraph vectors and sentence vectors (one-sentence passages share the first), by
    text hash, and the titles' vectors, from one call of the model."""
    texts = [p.text for p in passages]
    sentences, ranges = [], []
    for passage in passages:
        start = len(sentences)
        if len(passage.sentence_spans) > 1:
            sentences += passage.sentences
        ranges.append((start, len(sentences)))
    matrix = embedder.encode(texts + sentences + titles, batch_size=batch_size)
    paragraph_vectors = matrix[: len(texts)]
    sentence_vectors = matrix[len(texts):len(texts) + len(sentences)]
    title_vectors = matrix[len(texts) + len(sentences):]
    result = {}
    for index, (passage, (start, end)) in enumerate(zip(passages, ranges, strict=True)):
        own = sentence_vectors[start:end] if end > start else paragraph_vectors[index:index + 1]
        result[passage.text_hash] = (paragraph_vectors[index], own)
    return result, title_vectors


def embed_batch(store: Store, embedder: Embedder, batch_size: int, batch: list):
    """The vectors of the batch's passages not stored yet (by text hash) and of its titles;
    `batch` holds (article, passages) pairs."""
    passages = [p for _, ps in batch for p in ps]
    known = store.vectors_by_hash([p.text_hash for p in passages])
    return embed(embedder, batch_size, [p for p in passages if p.text_hash not in known],
                 [article.title for article, _ in batch])


def embed_titles(embedder: Embedder, batch_size: int, titles: list[str]) -> np.ndarray:
    return embedder.encode(titles, batch_size=batch_size)
