"""Quotations whose own sentence names nobody: they take the one speaker of their paragraph,
carry on a quotation over several paragraphs, follow the sentence that reported what their
speaker said, or the paragraph that introduced their speaker. And what counts as a quotation
at all (not a title, a name given, nor a scare quote)."""

from index.quote_mentions import Mentions
from index.quote_spans import QuoteSpan
from index.quote_speakers import Attribution
from index.quote_tokens import tokenize
from index.quote_words import (
    NAMING_VERBS,
    SPEECH_VERBS,
    TITLE_SMALL_WORDS,
    is_name_word,
    person_after_role,
    possessive,
    without_starter,
)
from index.speaker_names import TITLE_WORDS, is_capitalised, name_key


def carried_over(paragraphs: list[str], spans: list[QuoteSpan], by_paragraph: dict[int, list[QuoteSpan]],
                 own: dict[QuoteSpan, Attribution | None],
                 mentions: Mentions) -> dict[QuoteSpan, Attribution | None]:
    """Speakers for the quotations whose own sentence names nobody: the one speaker of
    their paragraph, the speaker of the quotation they carry on (before or after), the one
    of the sentence before (`reported_before`), or of the paragraph before when the whole
    paragraph is a quotation (its last quotation's, or the person it introduces)."""
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
    for span in spans:
        if speakers[span] is None:
            speakers[span] = reported_before(paragraphs, span, mentions)
    spoken = {name_key(a.name) for a in speakers.values() if a is not None and not a.organisation}
    for i in sorted(by_paragraph):
        before = by_paragraph.get(i - 1)
        previous = speakers[before[-1]] if before else introduced(paragraphs, mentions, i - 1, spoken)
        for span in by_paragraph[i]:
            if speakers[span] is None and previous is not None and whole_paragraph_quote(paragraphs, span):
                speakers[span] = _continuing(previous)
    return speakers


def reported_before(paragraphs: list[str], span: QuoteSpan, mentions: Mentions) -> Attribution | None:
    """The speaker of the sentence before, in the same paragraph, which reports what they
    said ("…, said Jane Roe, a scientist, during a news conference. And the planet is “…”"):
    the quotation's own sentence has no speech verb and names nobody else."""
    i, text = span.paragraph, paragraphs[span.paragraph]
    people = [m for m in mentions.all if m.where[0] == i and m.where[1] < span.start
              and mentions.is_person(m, set())]
    speaking = {m.name for m in people if m.speaks}
    if len(speaking) != 1:
        return None
    speaker = next(m for m in reversed(people) if m.speaks)
    between = tokenize(text[speaker.where[1]:span.start], speaker.where[1])
    ends = [at for at, w in between if w in (".", "!", "?")]
    rest = tokenize(text[span.end:], span.end)
    after = rest[:next((n for n, (_, w) in enumerate(rest) if w in (".", "!", "?")), len(rest))]
    if len(ends) != 1 or any(m.where[1] > ends[0] for m in people) or any(
            w.casefold() in SPEECH_VERBS for at, w in [*between, *after] if at > ends[0]):
        return None
    return Attribution(mentions.fullest(speaker.name), "continuation", "")


def introduced(paragraphs: list[str], mentions: Mentions, i: int, spoken: set[str]) -> Attribution | None:
    """The person a paragraph without quotations makes the subject of its last sentence
    ("Avalanche head coach Jared Bednar recounted the final moments."), or when that sentence
    opens with he or she, the one person near (`spoken`: name keys of the article's speakers,
    so a one-word name counts): the quotation that follows on its own is theirs."""
    if i < 0:
        return None
    tokens = tokenize(paragraphs[i])
    ends = [n for n, (_, w) in enumerate(tokens[:-1]) if w in (".", "!", "?")]
    start = ends[-1] + 1 if ends else 0
    if tokens and start < len(tokens) and tokens[start][1].casefold() in ("he", "she"):
        return _the_one_person_near(mentions, i, spoken)  # "He doesn't know how he got there …"
    k = start
    while k < len(tokens) and (is_name_word(tokens[k][1]) or tokens[k][1].casefold() in TITLE_WORDS):
        k += 1
    if k == start or k >= len(tokens) or not tokens[k][1][:1].islower():
        return None
    person = person_after_role(tokens, k)  # "Avalanche head coach Jared Bednar recounted"
    if person is not None:
        start = k = person
        while k < len(tokens) and is_name_word(tokens[k][1]):
            k += 1
        if k >= len(tokens) or not tokens[k][1][:1].islower():
            return None
    run = without_starter([w for _, w in tokens[start:k] if is_name_word(w)])
    phrase = mentions.read(run) if run else None
    if phrase is None or phrase.organisation or len(phrase.name.split()) < 2:
        return None
    return Attribution(mentions.fullest(phrase.name), "continuation", "")


def _the_one_person_near(mentions: Mentions, i: int, spoken: set[str]) -> Attribution | None:
    """The one person paragraph i and the one before name (a one-word name counts when the
    article quotes it), if only one."""
    people = {mentions.fullest(m.name) for m in mentions.all
              if m.where[0] in (i - 1, i) and mentions.is_person(m, spoken)}
    return Attribution(people.pop(), "continuation", "") if len(people) == 1 else None


def _continuing(speaker: Attribution) -> Attribution:
    return Attribution(speaker.name, "continuation", "", organisation=speaker.organisation, also=speaker.also)


def whole_paragraph_quote(paragraphs: list[str], span: QuoteSpan) -> bool:
    """A paragraph that is nothing but one quotation (the speaker's words go on)."""
    paragraph = paragraphs[span.paragraph]
    return span.start <= 1 + len(paragraph) - len(paragraph.lstrip()) and (
        not span.closed or not paragraph[span.end + 1:].strip(" .")
    ) and len(span.text(paragraphs).split()) >= 4


def is_quotation(paragraphs: list[str], span: QuoteSpan, own: Attribution | None) -> bool:
    """Not a title ("Squid Game", CNN's “New Day.”, on “Face the Nation”, “60 Minutes”, from
    “Sea City” to “Home Again,”), a name given (whom she called “Doo.”) nor a scare quote: a
    title-case phrase or a word or two counts only when its own sentence has someone say it."""
    text = span.text(paragraphs)
    words = text.split()
    title_case = all(is_capitalised(w) or w[:1].isdigit() or w.casefold() in TITLE_SMALL_WORDS
                     for w in words)  # "Squid Game", “60 Minutes”
    if own is None and len(words) < 4:
        return False
    before = paragraphs[span.paragraph][:max(span.start - 1, 0)].split()[-1:]
    after_title_place = bool(before) and (possessive(before[0]) or before[0] in ("on", "in", "from", "to"))
    named = bool(before) and before[0].casefold() in NAMING_VERBS and len(words) <= 3  # called her “Doo.”
    return not (title_case and len(words) <= 5 and (
        text.rstrip()[-1:] not in ".!?," or after_title_place or named))
