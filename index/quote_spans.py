"""Where an article's direct quotations are: character spans in its paragraphs.

Curly marks (“…”) pair by shape; straight ones (") alternate. A quotation whose closing
mark never comes runs to the end of its paragraph and goes on in the next paragraph when
that one opens with a mark (news style for a quote over several paragraphs). Titles and
scare quotes (“Squid Game”, a “limitless” friendship) are marked here and told apart
from quotations by index/quote_carry.py, which knows whether anyone is said to have said them.
"""

from dataclasses import dataclass

_OPENING = "“„"
_CLOSING = "”"
_STRAIGHT = '"'


@dataclass(frozen=True)
class QuoteSpan:
    """Quoted words in one paragraph; `start`/`end` exclude the marks."""

    paragraph: int  # 0-based among the article's paragraphs
    start: int
    end: int
    closed: bool  # False: the quotation runs on past the paragraph's end
    continues: bool  # True: it carries on a quotation left open in the paragraph before

    def text(self, paragraphs: tuple[str, ...] | list[str]) -> str:
        return paragraphs[self.paragraph][self.start:self.end]


def quote_spans(paragraphs: tuple[str, ...] | list[str]) -> list[QuoteSpan]:
    """Every quoted span of every paragraph, in reading order."""
    spans: list[QuoteSpan] = []
    left_open = False
    for number, paragraph in enumerate(paragraphs):
        found = _spans_in(paragraph)
        starts_with_mark = paragraph.lstrip()[:1] in _OPENING + _STRAIGHT
        for i, (start, end, closed) in enumerate(found):
            continues = left_open and i == 0 and starts_with_mark
            spans.append(QuoteSpan(number, start, end, closed, continues))
        left_open = bool(found) and not found[-1][2]
    return spans


def _spans_in(paragraph: str) -> list[tuple[int, int, bool]]:
    """(start, end, closed) of each quoted stretch of one paragraph."""
    spans = []
    opened_at: int | None = None
    for i, char in enumerate(paragraph):
        if opened_at is None:
            if char in _OPENING or (char == _STRAIGHT and _opens_here(paragraph, i)) or (
                    # a paragraph opening with ” or with ‘ that ” closes: mistyped marks
                    not paragraph[:i].strip() and (char in _CLOSING or char == "‘" and "”" in paragraph)):
                opened_at = i + 1
        elif char in _CLOSING or char == _STRAIGHT or _mistyped_closing(paragraph, i):
            if paragraph[opened_at:i].strip():
                spans.append((opened_at, i, True))
            opened_at = None
        elif char in _OPENING:  # a mark opened again: the first one never closed
            if paragraph[opened_at:i].strip():
                spans.append((opened_at, i, False))
            opened_at = i + 1
    if opened_at is not None and paragraph[opened_at:].strip():
        spans.append((opened_at, len(paragraph.rstrip()), False))
    return spans


def _mistyped_closing(text: str, i: int) -> bool:
    """An opening mark that closes the open quotation (“…, “said Name): after a comma or a
    sentence's end, before a word in lower case."""
    after = text[i + 1:].lstrip()
    return text[i] in _OPENING and text[:i].rstrip()[-1:] in (",", ".", "!", "?") and after[:1].islower()


def _opens_here(text: str, i: int) -> bool:
    """A straight mark opens a quote when it starts a word (not inches: 6'2" or 5")."""
    before = text[i - 1] if i else " "
    return not before.isalnum()
