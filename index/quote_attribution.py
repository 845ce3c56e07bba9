"""The attribution a quotation's sentence makes, read on the paragraph with its quotations
masked out:

    “…,” Name said.          “…,” said Name, a professor at …      Name said: “…”
    Name said it was “…”     according to Name, “…”                 Name told reporters “…”
    “…,” he added.           “…,” the spokesman said.               the White House said “…”
"""

import re

from index.place_names import is_place
from index.quote_clauses import (
    LEADING_TO_SAY,
    clause_ends_after,
    interruption_start,
    issuing_verb,
    name_after_opening_clause,
    name_before_quote,
    name_ends_sentence,
    object_of_preposition,
    opens_sentence,
    passive,
    phrasal_saying,
    puts_it,
    reported_speech_before,
    time_before,
)
from index.quote_mentions import Mentions
from index.quote_spans import QuoteSpan
from index.quote_speakers import Attribution, Resolver
from index.quote_subjects import SubjectReader
from index.quote_tokens import DASHES, tokenize
from index.quote_words import (
    BETWEEN,
    DOCUMENT_VERBS,
    DOCUMENTS,
    INVERTING_VERBS,
    MASK,
    SENTENCE_END_RE,
    SHORT_ATTRIBUTION_WORDS,
    SPEECH_VERBS,
    abbreviation_before,
    after_opening_clause,
    is_name_word,
)


class SentenceReader:
    """Finds the speaker each quotation's sentence names, paragraph by paragraph in reading
    order (a pronoun resolves against what came before)."""

    def __init__(self, paragraphs: list[str], mentions: Mentions, resolver: Resolver):
        self.paragraphs = paragraphs
        self.subjects = SubjectReader(mentions, resolver)

    def attribute_paragraph(self, i: int, text: str, spans: list[QuoteSpan]) -> dict:
        """Each quotation of the paragraph with the speaker its own sentence names, or a short
        sentence after it, or None."""
        found: dict[QuoteSpan, Attribution | None] = {span: None for span in spans}
        sentences = self._sentences(i, text)
        for n, (first, last) in enumerate(sentences):
            inside = [s for s in spans if first <= max(s.start - 1, 0) < last]
            if inside:
                speaker = self._speaker_in(i, text, first, last)
                found.update(dict.fromkeys(inside, speaker or self._after(i, text, sentences, n)
                                           or self._before(i, text, sentences, n)))
        return found

    def _before(self, i: int, text: str, sentences: list[tuple[int, int]], n: int) -> Attribution | None:
        """The attribution of the sentence before, without quotations, when the n-th is a
        quotation alone (Meanwhile the harbour stays open, he said. “We will not give up.”)."""
        if n == 0 or MASK in text[slice(*sentences[n - 1])]:
            return None
        if any(not w.startswith(MASK) and w[:1].isalnum() for _, w in tokenize(text[slice(*sentences[n])])):
            return None
        return self._speaker_in(i, text, *sentences[n - 1])

    def _after(self, i: int, text: str, sentences: list[tuple[int, int]], n: int) -> Attribution | None:
        """The attribution of a short sentence without quotations after the n-th (“I was trying
        not to look at the clock.” Makar said after the game.)."""
        opening = text[slice(*sentences[n])].lstrip()
        if n + 1 < len(sentences) and opening.startswith(MASK):  # not "X was accused of “…”. X announced …"
            after = text[slice(*sentences[n + 1])]
            if MASK not in after and len(after.split()) <= SHORT_ATTRIBUTION_WORDS:
                return self._speaker_in(i, text, *sentences[n + 1])
        return None

    def _sentences(self, i: int, text: str) -> list[tuple[int, int]]:
        """Sentence spans of the masked paragraph; a quotation ending in . ! or ? ends one."""
        original = self.paragraphs[i]
        ends = {m.end() for m in SENTENCE_END_RE.finditer(text)
                if not abbreviation_before(text, m.start())}
        for m in re.finditer(MASK + "+", text):
            inner = original[m.start():m.end()].rstrip("”\"").rstrip()
            after = text[m.end():m.end() + 2].lstrip()
            if inner.endswith((".", "!", "?")) and (after[:1].isupper() or after[:1] == MASK):
                ends.add(m.end())
        cuts = sorted(ends)
        return [(a, b) for a, b in zip([0, *cuts], [*cuts, len(text)], strict=True) if a < b]

    def _speaker_in(self, i: int, text: str, first: int, last: int) -> Attribution | None:
        sentence = text[first:last]
        tokens = tokenize(sentence, first)
        words = [w.casefold() for _, w in tokens]
        for j, word in enumerate(words):
            if word == "according" and j + 1 < len(words) and words[j + 1] == "to" \
                    and not reported_speech_before(words, j):
                speaker = self.subjects.speaker_after(i, tokens, j + 2, "according to")
                if speaker:
                    return speaker
        masks = [j for j, (_, w) in enumerate(tokens) if w.startswith(MASK)]
        for j in masks:  # "Harbour pollster Marta Ilves: “…”"
            if j >= 2 and tokens[j - 1][1] == ":" and is_name_word(tokens[j - 2][1]) \
                    and tokens[j - 1][0] + 1 >= tokens[j][0] - 1 and opens_sentence(tokens, j - 2):
                speaker = self.subjects.noun_phrase_ending(i, tokens, j - 2, ":")
                if speaker is not None and speaker.form == "named":
                    return speaker
        if masks[:1] == [0] and len(tokens) > 2 and tokens[1][1] in DASHES and len(tokens) <= 14 \
                and not any(w in SPEECH_VERBS or w.startswith(MASK) for w in words[2:]):
            speaker = self.subjects.speaker_after(i, tokens, 2, "said")  # "“…” - club secretary Jane Roe."
            if speaker is not None and speaker.form == "named":
                return speaker
        # the verb nearest the quotation first: "After Pelosi confirmed that she was, DePape said, “…”"
        nearest = sorted(range(len(words)), key=lambda j: min((abs(j - m) for m in masks), default=0))
        participles = []  # "her aide said on Monday, calling it “…”": the finite verb first
        for j in nearest:
            word = words[j]
            if word in DOCUMENT_VERBS and tokens[j][1].islower():
                speaker = self.subjects.document_before(i, tokens, j, word)
                if speaker:
                    return speaker
            phrasal = phrasal_saying(words, j)
            word = phrasal or word
            if word not in SPEECH_VERBS and not phrasal and not puts_it(words, j) \
                    or tokens[j][1][:1].isupper() and j > 0:  # "the United States"
                continue
            after_quote = j >= 1 and (tokens[j - 1][1].startswith(MASK) or (
                j >= 2 and tokens[j - 1][1] == "," and tokens[j - 2][1].startswith(MASK))
                or tokens[j - 1][1] == "," and name_ends_sentence(tokens, j + 1))  # "…, warned Name."
            before_quote = j >= 1 and tokens[j - 1][1] == "," and name_before_quote(tokens, j + 1)
            if (after_quote or before_quote) and word in INVERTING_VERBS:
                speaker = self.subjects.speaker_after(i, tokens, j + 1, word)
                if speaker:
                    return speaker
            if passive(words, j):  # "was described by Ilves as “…”"; "the quay was referred to as"
                by = next((n for n in range(j + 1, min(j + 4, len(words))) if words[n] == "by"), None)
                speaker = self.subjects.speaker_after(i, tokens, by + 1, word) if by else None
                if speaker:
                    return speaker
                continue
            if word.endswith("ing"):
                participles.append(j)
                continue
            speaker = self._speaker_before(i, tokens, j, word)
            if speaker:
                return speaker
        for j in participles:
            if any(clause_ends_after(words, j, m) for m in masks if m > j):
                continue
            if j == 0:  # "Saying that it was “a floating bus,” Ilves left the board": the subject after
                after = name_after_opening_clause(tokens)
                speaker = self.subjects.speaker_after(i, tokens, after, words[j]) if after else None
                if speaker:
                    return speaker
                continue
            # "X released a statement saying": X, who put it out; "X has written to Parliament
            # claiming": not Parliament
            issuing = issuing_verb(words, j - 1) if words[j - 1] in DOCUMENTS else None
            if issuing is not None:
                speaker = self._speaker_before(i, tokens, issuing, words[j])
            elif not object_of_preposition(tokens, j - 1):
                speaker = self._speaker_before(i, tokens, j, words[j])
            else:
                speaker = None
            # not "signers of an open letter arguing"
            if not speaker and (words[j - 1] not in DOCUMENTS or issuing is not None):
                speaker = self.subjects.sentence_subject(i, tokens, j, words[j])
            if speaker:
                return speaker
        return None

    def _speaker_before(self, i: int, tokens, j: int, verb: str) -> Attribution | None:
        """The subject right before the verb at tokens[j]."""
        k = j - 1
        if k >= 1 and tokens[k][1] == "to":  # "Ilves went on to say", "Ilves wanted to say"
            start = k
            while start > 0 and tokens[start - 1][1].casefold() in LEADING_TO_SAY:
                start -= 1
            k = start - 1 if start < k else k
        while k >= 0 and (tokens[k][1].casefold() in BETWEEN or tokens[k][1].endswith("ly")
                          and tokens[k][1][:1].islower() or time_before(tokens, k)):
            k -= 2 if time_before(tokens, k) else 1
        if k < 0:
            return None
        if tokens[k][1] == ",":  # an appositive: "Powell, the Fed chair, said"
            interrupted = interruption_start(tokens, k)  # "Ilves, who lives in Tartu, Estonia, said"
            person = self._speaker_before(i, tokens, interrupted, verb) if interrupted else None
            if person is not None:
                return person
            person = self.subjects.appositive_subject(i, tokens, k, verb)
            if person is not None:
                return person
            person = self.subjects.name_set_off(i, tokens, k, verb)
            if person is not None:
                return person
            comma = next((m for m in range(k - 1, max(k - 30, -1), -1) if tokens[m][1] == ","), None)
            if comma is not None and verb.endswith("ing") and is_name_word(tokens[comma + 1][1]) \
                    and after_opening_clause(tokens, comma + 1):  # "Like Berg, Ilves …, arguing"
                return self.subjects.sentence_subject(i, tokens, k, verb)
            speaker = self._speaker_before(i, tokens, comma, verb) if comma else None
            return None if speaker and is_place(speaker.name) else speaker  # "in Salem, New Hampshire, …"
        if tokens[k][1] in DASHES:
            return self._speaker_before_dashes(i, tokens, k, verb)
        if tokens[k][1] == "who" and k >= 2 and tokens[k - 1][1] == "," and is_name_word(tokens[k - 2][1]):
            # "by Ilves, who called it “…”", not "Berg, who asked the question, was a “…”"
            words = [w.casefold() for _, w in tokens]
            quotation = next((m for m in range(j, len(words)) if words[m].startswith(MASK)), None)
            if quotation is None or clause_ends_after(words, j, quotation):
                return None
            speaker = self.subjects.noun_phrase_ending(i, tokens, k - 2, verb)
            return speaker if speaker is not None and speaker.form == "named" else None
        if tokens[k][1].casefold() == "and":  # "McDonald owns a hotel and told CNN"
            return self.subjects.sentence_subject(i, tokens, k, verb)
        speaker = self.subjects.noun_phrase_ending(i, tokens, k, verb)
        if speaker is None or speaker.form in ("organisation", "role"):
            # "Dr. John Brooks, chief medical officer for the CDC's Division of … said"
            person = self.subjects.appositive_subject(i, tokens, k, verb)
            if person is not None and person.form == "named":
                return person
        return speaker

    def _speaker_before_dashes(self, i: int, tokens, k: int, verb: str) -> Attribution | None:
        """The subject before words set off by dashes, the second dash at tokens[k]: "Marta
        Ilves — the mayor since 2019 — said", or a name opening them: "A former mayor -- Marta
        Ilves, who lost in 2019 -- said"."""
        opening = next((m for m in range(k - 1, -1, -1) if tokens[m][1] in (*DASHES, ".", "!", "?")
                        or tokens[m][1].startswith(MASK)), None)
        if opening is None or tokens[opening][1] not in DASHES:
            return None
        speaker = self._speaker_before(i, tokens, opening, verb)
        if speaker is not None and speaker.form == "named":
            return speaker
        end = opening + 1
        while end < k and is_name_word(tokens[end][1]):
            end += 1
        named = self.subjects.noun_phrase_ending(i, tokens, end - 1, verb) if end > opening + 1 else None
        return named if named is not None and named.form == "named" else speaker
