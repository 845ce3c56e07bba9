"""Quotations whose own sentence names nobody: they take the one speaker of their paragraph,
carry on a quotation over several paragraphs, or follow the paragraph that introduced their
speaker. And what counts as a quotation at all (not a title nor a scare quote)."""

from index.quote_mentions import Mentions
from index.quote_spans import QuoteSpan
from index.quote_speakers import Attribution
from index.quote_words import (
    TITLE_SMALL_WORDS,
    is_name_word,
    possessive,
    tokenize,
    without_starter,
)
from index.speaker_names import TITLE_WORDS, is_capitalised, read_run


def carried_over(paragraphs: list[str], spans: list[QuoteSpan], by_paragraph: dict[int, list[QuoteSpan]],
                 own: dict[QuoteSpan, Attribution | None],
                 mentions: Mentions) -> dict[QuoteSpan, Attribution | None]:
    """Speakers for the quotations whose own sentence names nobody: the one speaker of
    their paragraph, the speaker of the quotation they carry on (before or after), or of
    the paragraph before when the whole paragraph is a quotation (its last quotation's, or
    the person it introduces)."""
    speakers = dict(own)
    for paragraph_spans in by_paragraph.values():
        named = [own[s] for s in paragraph_spans if own[s] is not None]
        if len({s.name for s in named}) == 1:
            for span in paragraph_spans:
                speakers[span] = speakers[span] or named[0]
    chains: list[list[QuoteSpan]] = []
    for span in spans:
        if span.continues and chains:
            chains[-1].append(span)
        else:
            chains.append([span])
    for chain in chains:
        named = [speakers[s] for s in chain if speakers[s] is not None]
        for span in chain:
            if speakers[span] is None and named:
                speakers[span] = _continuing(named[-1])
    for i in sorted(by_paragraph):
        before = by_paragraph.get(i - 1)
        previous = speakers[before[-1]] if before else introduced(paragraphs, mentions, i - 1)
        for span in by_paragraph[i]:
            if speakers[span] is None and previous is not None and whole_paragraph_quote(paragraphs, span):
                speakers[span] = _continuing(previous)
    return speakers


def introduced(paragraphs: list[str], mentions: Mentions, i: int) -> Attribution | None:
    """The person a paragraph without quotations makes the subject of its last sentence
    ("Avalanche head coach Jared Bednar recounted the final moments."): the quotation
    that follows on its own is theirs."""
    if i < 0:
        return None
    tokens = tokenize(paragraphs[i])
    ends = [n for n, (_, w) in enumerate(tokens[:-1]) if w in (".", "!", "?")]
    start = ends[-1] + 1 if ends else 0
    k = start
    while k < len(tokens) and (is_name_word(tokens[k][1]) or tokens[k][1].casefold() in TITLE_WORDS):
        k += 1
    if k == start or k >= len(tokens) or not tokens[k][1][:1].islower():
        return None
    run = without_starter([w for _, w in tokens[start:k] if is_name_word(w)])
    phrase = read_run(run) if run else None
    if phrase is None or phrase.organisation or len(phrase.name.split()) < 2:
        return None
    return Attribution(mentions.fullest(phrase.name), "continuation", "")


def _continuing(speaker: Attribution) -> Attribution:
    return Attribution(speaker.name, "continuation", "", organisation=speaker.organisation, also=speaker.also)


def whole_paragraph_quote(paragraphs: list[str], span: QuoteSpan) -> bool:
    """A paragraph that is nothing but one quotation (the speaker's words go on)."""
    paragraph = paragraphs[span.paragraph]
    return span.start <= 1 + len(paragraph) - len(paragraph.lstrip()) and (
        not span.closed or not paragraph[span.end + 1:].strip(" .")
    ) and len(span.text(paragraphs).split()) >= 4


def is_quotation(paragraphs: list[str], span: QuoteSpan, own: Attribution | None) -> bool:
    """Not a title ("Squid Game", CNN's “New Day.”, on “Face the Nation”) nor a scare quote: a
    title-case phrase or a word or two counts only when its own sentence has someone say it."""
    text = span.text(paragraphs)
    words = text.split()
    title_case = all(is_capitalised(w) or w.casefold() in TITLE_SMALL_WORDS for w in words)
    if own is None and len(words) < 4:
        return False
    before = paragraphs[span.paragraph][:max(span.start - 1, 0)].split()[-1:]
    after_title_place = bool(before) and (possessive(before[0]) or before[0] in ("on", "in"))
    return not (title_case and len(words) <= 5 and (
        text.rstrip()[-1:] not in ".!?," or after_title_place))
