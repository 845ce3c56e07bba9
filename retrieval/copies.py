"""The same paragraph from several outlets (wire copy): shown once, with where else it ran.

Two paragraphs of different articles are copies when most of the shorter one's word
3-grams occur in the other: a changed headline, a reworded sentence or an added line
leaves most of them in place, while two reports of one event in their own words share few.
"""

import re
from dataclasses import dataclass
from urllib.parse import urlsplit

from index.passages import Citation

# share of the shorter paragraph's word 3-grams found in the other
COPY_MIN_OVERLAP = 0.7
# only paragraphs whose vectors are this close are compared word by word (copies are far
# closer): the comparison stays off the path of every other candidate
COPY_MIN_COSINE = 0.85
_WORD_RE = re.compile(r"\w+", re.UNICODE)


@dataclass(frozen=True)
class Copy:
    """Another article that ran the paragraph."""

    title: str
    outlet: str  # the URL's host, or the file name
    url: str | None
    published: str | None

    @classmethod
    def of(cls, citation: Citation) -> "Copy":
        outlet = urlsplit(citation.url).hostname or citation.url if citation.url else citation.source
        return cls(citation.title, outlet.split("/")[-1], citation.url, citation.published)


def shingles(text: str) -> frozenset[tuple[str, str, str]]:
    words = _WORD_RE.findall(text.casefold())
    return frozenset(zip(words, words[1:], words[2:], strict=False))


def are_copies(a: frozenset, b: frozenset) -> bool:
    if not a or not b:
        return False
    return len(a & b) >= COPY_MIN_OVERLAP * min(len(a), len(b))
