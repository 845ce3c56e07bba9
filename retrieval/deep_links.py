"""Citations that open the source page at the passage's best sentence: a URL text fragment
(`#:~:text=…`, WICG Text Fragments), which browsers scroll to and highlight."""

import dataclasses
from urllib.parse import quote

from index.library import Library
from retrieval.answer import Answer, FoundPassage

# a sentence longer than this many words is matched by its first and last words
_WHOLE_UP_TO = 8
_EDGE_WORDS = 4
_PREFIX_WORDS = 3


def with_links(library: Library, answer: Answer) -> Answer:
    """The answer with each passage from a web page linked to its best sentence."""
    if not any(p.citation.url for p in answer.passages):
        return answer
    linked = []
    for found in answer.passages:
        if found.citation.url:
            article = library.store.article_text(found.citation.article_id)
            found = dataclasses.replace(found, link=fragment_link(found.citation.url, found, article))
        linked.append(found)
    return dataclasses.replace(answer, passages=tuple(linked))


def fragment_link(url: str, found: FoundPassage, article_text: str) -> str:
    """`url#:~:text=start,end` for the passage's best sentence, with a `prefix-,` of the words
    before it when its start occurs more than once in the article."""
    start, end = found.highlight
    words = found.text[start:end].split()
    if not words:
        return url
    if len(words) <= _WHOLE_UP_TO:
        directive = _encoded(" ".join(words))
        opening = " ".join(words)
    else:
        opening = " ".join(words[:_EDGE_WORDS])
        directive = f"{_encoded(opening)},{_encoded(' '.join(words[-_EDGE_WORDS:]))}"
    if " ".join(article_text.split()).count(opening) > 1:
        before = found.text[:start].split()[-_PREFIX_WORDS:]
        if before:
            directive = f"{_encoded(' '.join(before))}-,{directive}"
    page, _, fragment = url.partition("#")
    return f"{page}#{fragment}:~:text={directive}"


def _encoded(text: str) -> str:
    """Percent-encoded, "-", "," and "&" included: they are the directive's own syntax."""
    return quote(text, safe="").replace("-", "%2D")
