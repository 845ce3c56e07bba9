"""Articles cut into passages: one per body paragraph, each stamped with its citation."""

import functools
import hashlib
import re
from collections.abc import Callable
from dataclasses import dataclass

from index.articles import Article
from index.sentences import sentence_spans

# A paragraph that names its speaker only as "he told reporters" or opens with a pronoun
# borrows the previous paragraph as context, so a question naming the speaker still finds it.
_PRONOUN_SPEAKER_RE = re.compile(
    r"\b(he|she|they)\s+(said|says|told|tells|added|adds|continued|noted|wrote|argued|insisted"
    r"|explained|warned|stressed|asked|replied)\b"
    r"|\b(said|says|told|added|continued|wrote|asked)\s+(he|she|they)\b"
    r"|^[\"“‘']?(he|she|they|his|her|their)\b",
    re.IGNORECASE,
)


_WORD_RE = re.compile(r"\w+", re.UNICODE)
# Endings stripped by `word_stem`, first match wins; the stem keeps at least 3 letters.
_SUFFIXES = (("ies", "y"), ("sses", "ss"), ("ing", ""), ("ed", ""), ("es", ""), ("s", ""), ("ly", ""))


@functools.lru_cache(maxsize=100_000)  # common words come back all the time: 3x faster stems
def word_stem(word: str) -> str:
    """A crude stem of a lower-case word, so "launched", "launches" and "launch" meet."""
    for suffix, replacement in _SUFFIXES:
        if word.endswith(suffix) and len(word) - len(suffix) >= 3:
            return word[: len(word) - len(suffix)] + replacement
    return word


@functools.lru_cache(maxsize=100_000)
def stem_key(stem: str) -> int:
    """A word stem as a number, the same in every process (8 bytes of BLAKE2b) and odd, so
    that 0 can end a sentence among a passage's stem numbers."""
    digest = hashlib.blake2b(stem.encode("utf-8"), digest_size=8).digest()
    return int.from_bytes(digest, "little", signed=True) | 1


def word_stems(text: str) -> list[str]:
    """The stems of every word of `text`, in order (stop words kept: phrases need them)."""
    return list(map(word_stem, _WORD_RE.findall(text.casefold())))


@dataclass(frozen=True)
class Citation:
    """Where a passage comes from: enough for a reader to check it."""

    article_id: str
    title: str
    source: str
    url: str | None
    published: str | None
    paragraph: int  # 1-based among the article's kept body paragraphs

    @property
    def label(self) -> str:
        return f"{self.title}, ¶{self.paragraph}"


@dataclass(frozen=True)
class Passage:
    """The unit that is embedded and searched: a paragraph, or a piece of a long one."""

    citation: Citation
    piece: int
    text: str
    context: str
    sentence_spans: tuple[tuple[int, int], ...]

    @property
    def text_hash(self) -> str:
        return hashlib.sha256(f"{self.context}\x1f{self.text}".encode()).hexdigest()

    @property
    def sentences(self) -> list[str]:
        return [self.text[a:b] for a, b in self.sentence_spans]

    @property
    def sentence_stems(self) -> tuple[str, ...]:
        """Each sentence's word stems, in order, space-separated: stored at ingest for
        keyword matching (a stem or a two-word phrase is then a substring test)."""
        return tuple(" ".join(word_stems(sentence)) for sentence in self.sentences)


def passages_of(article: Article, count_tokens: Callable[[str], int], max_tokens: int) -> list[Passage]:
    """One passage per paragraph; a paragraph over `max_tokens` is split at sentence ends."""
    passages = []
    previous = ""
    for number, paragraph in enumerate(article.paragraphs, start=1):
        citation = Citation(
            article_id=article.article_id,
            title=article.title,
            source=article.source,
            url=article.url,
            published=article.published,
            paragraph=number,
        )
        context = previous if _PRONOUN_SPEAKER_RE.search(paragraph) else ""
        for piece, text in enumerate(_pieces(paragraph, count_tokens, max_tokens)):
            passages.append(Passage(citation, piece, text, context, tuple(sentence_spans(text))))
        previous = paragraph
    return passages


def _pieces(paragraph: str, count_tokens: Callable[[str], int], max_tokens: int) -> list[str]:
    if count_tokens(paragraph) <= max_tokens:
        return [paragraph]
    pieces, current = [], ""
    for sentence in _sentences_within(paragraph, count_tokens, max_tokens):
        candidate = f"{current} {sentence}".strip()
        if current and count_tokens(candidate) > max_tokens:
            pieces.append(current)
            candidate = sentence
        current = candidate
    if current:
        pieces.append(current)
    return pieces


def _sentences_within(paragraph: str, count_tokens, max_tokens) -> list[str]:
    """Sentences, with any single sentence over the limit cut between words."""
    out = []
    for a, b in sentence_spans(paragraph):
        sentence = paragraph[a:b]
        if count_tokens(sentence) <= max_tokens:
            out.append(sentence)
            continue
        words, current = sentence.split(), []
        for word in words:
            if current and count_tokens(" ".join([*current, word])) > max_tokens:
                out.append(" ".join(current))
                current = []
            current.append(word)
        if current:
            out.append(" ".join(current))
    return out
