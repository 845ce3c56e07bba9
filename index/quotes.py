"""Who said what: an article's direct quotations, each attributed to its speaker, by rules.

The steps, each in its own module: where the quotations are (quote_spans), who the article
names outside them (quote_mentions), the attribution each quotation's sentence makes
(quote_attribution), what its subject stands for, a pronoun, a role or an organisation's
common noun (quote_speakers), and the speaker of a quotation whose sentence names nobody
(quote_carry).
"""

import hashlib
from dataclasses import dataclass
from pathlib import Path

from index.quote_attribution import SentenceReader
from index.quote_carry import carried_over, is_quotation
from index.quote_genders import genders
from index.quote_mentions import Mentions
from index.quote_spans import QuoteSpan, quote_spans
from index.quote_speakers import Attribution, Resolver
from index.quote_tokens import is_headline
from index.quote_words import MASK
from index.speaker_names import aliases_of

# Changes with the rules' source: an index whose quotes older rules found gets them found again.
_HERE = Path(__file__).parent
_RULE_FILES = [path for path in sorted(_HERE.glob("quote*.py")) if path.name != "quote_store.py"] + [
    _HERE / "speaker_names.py", _HERE / "place_names.py", _HERE / "given_names.py"]
RULES_VERSION = hashlib.sha256(b"".join(path.read_bytes() for path in _RULE_FILES)).hexdigest()[:16]


@dataclass(frozen=True)
class Quote:
    """A quotation and who said it."""

    paragraph: int  # 1-based among the article's paragraphs, as in citations
    start: int  # character span of the quoted words in the paragraph (marks excluded)
    end: int
    speaker: str  # the fullest name the article gives, or an organisation's
    verb: str  # the speech verb ("said"), or "" when carried on from another quotation
    form: str  # named, pronoun, role, organisation or continuation

    @property
    def aliases(self) -> tuple[str, ...]:
        return aliases_of(self.speaker) if self.form != "organisation" else (self.speaker,)


def find_quotes(paragraphs: tuple[str, ...] | list[str]) -> list[Quote]:
    """Every attributed quotation of an article, in reading order."""
    paragraphs = list(paragraphs)
    spans = quote_spans(paragraphs)
    by_paragraph: dict[int, list[QuoteSpan]] = {}
    for span in spans:
        by_paragraph.setdefault(span.paragraph, []).append(span)
    masked = [_masked(text, by_paragraph.get(i, [])) for i, text in enumerate(paragraphs)]
    mentions = Mentions(paragraphs)
    for i, text in enumerate(masked):
        if not is_headline(paragraphs[i]):  # "Understated Ilves Raises Profile" names no "Understated Ilves"
            mentions.collect(i, text)
    reader = SentenceReader(paragraphs, mentions, Resolver(mentions, genders(masked, mentions)))
    own: dict[QuoteSpan, Attribution | None] = {}
    for i, text in enumerate(masked):
        own.update(reader.attribute_paragraph(i, text, by_paragraph.get(i, [])))
    speakers = carried_over(paragraphs, spans, by_paragraph, own, mentions)
    return [
        Quote(span.paragraph + 1, span.start, span.end, name, speaker.verb, speaker.form)
        for span in spans
        if (speaker := speakers[span]) is not None and is_quotation(paragraphs, span, own[span])
        for name in (speaker.name, *speaker.also)
    ]


def _masked(paragraph: str, spans: list[QuoteSpan]) -> str:
    """The paragraph with each quotation (marks included) replaced by mask characters."""
    text = list(paragraph)
    for span in spans:
        first = max(span.start - 1, 0)
        last = min(span.end + 1, len(text)) if span.closed else len(text)
        text[first:last] = MASK * (last - first)
    return "".join(text)
