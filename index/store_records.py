"""What the store takes in and hands out: an article's row, a passage with the vectors to
store for it, and a passage as read back for ranking (index/store.py)."""

import json
from dataclasses import dataclass, field
from functools import cached_property

import numpy as np

from index.passages import Citation, Passage, word_stems
from index.store_schema import stem_keys as _stem_keys


@dataclass(frozen=True)
class StoredArticle:
    article_id: str
    title: str
    source: str
    url: str | None
    published: str | None
    paragraphs: int
    added_at: str
    author: str | None = None


@dataclass(frozen=True)
class StoredPassage:
    """A passage as read back for ranking: its citation, text and vectors.

    Ranking reads dozens of candidates per question and shows a few, so the Passage (and
    its sentence spans), the sentence stems and the word sets are decoded on first use.
    """

    passage_id: int
    citation: Citation
    piece: int
    text: str
    context: str
    # float32 unit vectors: the passage's, then one per sentence (one matrix, so that
    # ranking multiplies all candidates' vectors at once without converting any)
    vectors: np.ndarray = field(repr=False)
    spans_json: str = field(repr=False)
    stems_json: str | None = field(repr=False)  # None: an index older than the column
    stem_keys_blob: bytes | None = field(repr=False, default=None)  # None: made from the stems

    @cached_property
    def place(self) -> tuple[str, int]:
        """(article id, paragraph): kept with the passage, whose attributes ranking reads
        anyway, so that reading it touches no other object."""
        return self.citation.article_id, self.citation.paragraph

    @property
    def vector(self) -> np.ndarray:
        return self.vectors[0]

    @property
    def sentence_vectors(self) -> np.ndarray:
        return self.vectors[1:]

    @cached_property
    def passage(self) -> Passage:
        spans = tuple(tuple(span) for span in json.loads(self.spans_json))
        return Passage(self.citation, self.piece, self.text, self.context, spans)

    @cached_property
    def sentence_stems(self) -> tuple[str, ...]:
        """Each sentence's word stems (index.passages.word_stems), space-separated."""
        if self.stems_json is None:
            return self.passage.sentence_stems
        return tuple(json.loads(self.stems_json))

    @property
    def sentence_words(self) -> tuple[frozenset[str], ...]:
        """Each sentence's set of word stems (made on each use: only the top few need them)."""
        return tuple(frozenset(stems.split()) for stems in self.sentence_stems)

    @cached_property
    def stem_keys(self) -> np.ndarray:
        """Its sentences' stems in order as numbers (index.passages.stem_key), each sentence
        followed by a 0, so that word matching compares the numbers of all candidates at
        once. Stored at ingest: reading them costs nothing like hashing every stem."""
        if self.stem_keys_blob is not None:
            return np.frombuffer(self.stem_keys_blob, dtype=np.int64)
        return _stem_keys(self.sentence_stems)

    @cached_property
    def stems(self) -> frozenset[str]:
        """The word stems of all its sentences."""
        return frozenset(" ".join(self.sentence_stems).split())

    @cached_property
    def words(self) -> frozenset[str]:
        """The word stems of every sentence and of the context the passage borrows."""
        return self.stems.union(word_stems(self.context)) if self.context else self.stems


@dataclass(frozen=True)
class EmbeddedPassage:
    """A passage with the vectors to store for it."""

    passage: Passage
    vector: np.ndarray
    sentence_vectors: np.ndarray
