"""What a question may be, and the words of it worth looking up."""

import re

from index.errors import IndexingError
from index.passages import word_stem


class BadQuestion(IndexingError):
    """A question the bot cannot search for; the message says why."""


# Common English words that carry no topic; dropped from keyword queries only.
STOP_WORDS = frozenset("""
a about above after again against all am an and any are as at be because been before being
below between both but by can could did do does doing down during each few for from further
had has have having he her here hers herself him himself his how i if in into is it its itself
just me more most my myself no nor not now of off on once only or other our ours ourselves out
over own same she should so some such than that the their theirs them themselves then there
these they this those through to too under until up very was we were what when where which
while who whom why will with would you your yours yourself yourselves tell told say says said
happen happened think know get got one also s t don
yesterday today tonight tomorrow recently lately
""".split())

_WORD_RE = re.compile(r"\w+", re.UNICODE)


def clean_question(question: str, max_chars: int) -> str:
    """The question with its whitespace folded; BadQuestion if empty or too long."""
    # a lone surrogate (bytes that were not UTF-8 on a command line) cannot be encoded
    text = " ".join(re.sub(r"[\ud800-\udfff]", "\ufffd", question or "").split())
    if not text:
        raise BadQuestion("the question is empty: ask something about the indexed articles")
    if len(text) > max_chars:
        raise BadQuestion(
            f"the question is {len(text):,} characters; keep it under {max_chars:,}"
        )
    return text


def keyword_terms(question: str) -> list[str]:
    """Lower-case words of the question minus stop words, in order, without repeats."""
    terms = []
    for word in _WORD_RE.findall(question.casefold()):
        if word in STOP_WORDS or (len(word) < 2 and not word.isdigit()):
            continue
        if word not in terms:
            terms.append(word)
    return terms


def phrases(question: str) -> frozenset[tuple[str, str]]:
    """The question's two-word phrases, as word stems, leaving out pairs of two stop words."""
    words = _WORD_RE.findall(question.casefold())
    return frozenset(
        (word_stem(a), word_stem(b)) for a, b in zip(words, words[1:], strict=False)
        if not (a in STOP_WORDS and b in STOP_WORDS)
    )


def fts_match_expression(terms: list[str]) -> str:
    """An FTS5 query that ranks passages holding any of the terms (a plain query ANDs them)."""
    return " OR ".join('"' + term.replace('"', '""') + '"' for term in terms)
