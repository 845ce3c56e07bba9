"""Whether two paragraphs are copies of each other, word by word: the marks they are compared
by (word 3-grams, names and figures) and the rule (index/copy_groups.py keeps the groups)."""

import re
from dataclasses import dataclass

# share of the shorter paragraph's word 3-grams found in the other
COPY_MIN_OVERLAP = 0.7
# a paragraph with fewer 3-grams is a copy only of one with the same (bench/copies.py: a
# heading inside a longer paragraph chained 36 nominee lines into one group)
COPY_MIN_SHINGLES = 4
# share of the names and figures of the one with fewer found in the other
COPY_MIN_NAME_SHARE = 0.8

_WORD_RE = re.compile(r"\w+", re.UNICODE)
_SENTENCE_END_RE = re.compile(r"(?<=[.!?])[\"”’']?\s+")
_TOKEN_RE = re.compile(r"[\w'’-]+")


@dataclass(frozen=True)
class Marks:
    """What two paragraphs are compared by: their word 3-grams, and their names and figures
    (capitalised words inside a sentence, tokens with digits)."""

    shingles: frozenset[tuple[str, str, str]]
    names: frozenset[str]


def shingles(text: str) -> frozenset[tuple[str, str, str]]:
    words = _WORD_RE.findall(text.casefold())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def marks(text: str) -> Marks:
    names = set()
    for sentence in _SENTENCE_END_RE.split(text):
        tokens = _TOKEN_RE.findall(sentence)
        names.update(t.casefold() for t in tokens[1:] if t[0].isupper())
        names.update(t.replace(",", "") for t in tokens if any(c.isdigit() for c in t))
    return Marks(shingles(text), frozenset(names))


def are_copies(a: Marks, b: Marks) -> bool:
    """Most of the shorter one's 3-grams are in the other (all of them, and the same ones,
    when it has fewer than COPY_MIN_SHINGLES: a heading or a name is found inside many
    paragraphs that are not its copies), and so are most of its names and figures (one
    template filled in for two towns or two companies is two stories, not one)."""
    x, y = a.shingles, b.shingles
    if not x or not y:
        return False
    if min(len(x), len(y)) < COPY_MIN_SHINGLES:
        return x == y
    if len(x & y) < COPY_MIN_OVERLAP * min(len(x), len(y)):
        return False
    fewer = min(len(a.names), len(b.names))
    return not fewer or len(a.names & b.names) >= COPY_MIN_NAME_SHARE * fewer
