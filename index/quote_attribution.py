"""The attribution a quotation's sentence makes, read on the paragraph with its quotations
masked out:

    “…,” Name said.          “…,” said Name, a professor at …      Name said: “…”
    Name said it was “…”     according to Name, “…”                 Name told reporters “…”
    “…,” he added.           “…,” the spokesman said.               the White House said “…”
"""

import re

from index.place_names import is_place
from index.quote_mentions import Mentions
from index.quote_spans import QuoteSpan
from index.quote_speakers import Attribution, Resolver
from index.quote_subjects import SubjectReader
from index.quote_tokens import DASHES, tokenize
from index.quote_words import (
    BETWEEN,
    DAY_NAMES,
    DOCUMENT_VERBS,
    DOCUMENTS,
    INVERTING_VERBS,
    ISSUING_VERBS,
    MASK,
    PREPOSITIONS,
    SENTENCE_END_RE,
    SHORT_ATTRIBUTION_WORDS,
    SPEECH_VERBS,
    abbreviation_before,
    is_name_word,
    person_after_role,
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
                found.update(dict.fromkeys(inside, speaker or self._after(i, text, sentences, n)))
        return found

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
                    and not _reported_speech_before(words, j):
                speaker = self.subjects.speaker_after(i, tokens, j + 2, "according to")
                if speaker:
                    return speaker
        masks = [j for j, (_, w) in enumerate(tokens) if w.startswith(MASK)]
        for j in masks:  # "Harbour pollster Marta Ilves: “…”"
            if j >= 2 and tokens[j - 1][1] == ":" and is_name_word(tokens[j - 2][1]) \
                    and tokens[j - 1][0] + 1 >= tokens[j][0] - 1 and _opens_sentence(tokens, j - 2):
                speaker = self.subjects.noun_phrase_ending(i, tokens, j - 2, ":")
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
            if word not in SPEECH_VERBS and not _put_it(words, j) and not _went_on(words, j) \
                    or tokens[j][1][:1].isupper() and j > 0:  # "the United States"
                continue
            word = "went on" if _went_on(words, j) else word
            after_quote = j >= 1 and (tokens[j - 1][1].startswith(MASK) or (
                j >= 2 and tokens[j - 1][1] == "," and tokens[j - 2][1].startswith(MASK))
                or tokens[j - 1][1] == "," and _name_ends_sentence(tokens, j + 1))  # "…, warned Name."
            before_quote = j >= 1 and tokens[j - 1][1] == "," and _name_before_quote(tokens, j + 1)
            if (after_quote or before_quote) and word in INVERTING_VERBS:
                speaker = self.subjects.speaker_after(i, tokens, j + 1, word)
                if speaker:
                    return speaker
            if _passive(words, j):  # "was described by Ilves as “…”"; "the quay was referred to as"
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
            if j == 0:  # "Saying that it was “a floating bus,” Ilves left the board": the subject after
                after = _name_after_opening_clause(tokens)
                speaker = self.subjects.speaker_after(i, tokens, after, words[j]) if after else None
                if speaker:
                    return speaker
                continue
            # "X released a statement saying"; "X has written to Parliament claiming": not Parliament
            direct = not _object_of_preposition(tokens, j - 1)
            speaker = direct and self._speaker_before(i, tokens, j, words[j])
            if not speaker and (words[j - 1] not in DOCUMENTS  # "signatories of an open letter arguing"
                                or _issued_by_subject(words, j - 1)):  # "she issued a statement calling"
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
                          and tokens[k][1][:1].islower() or _time_before(tokens, k)):
            k -= 2 if _time_before(tokens, k) else 1
        if k < 0:
            return None
        if tokens[k][1] == ",":  # an appositive: "Powell, the Fed chair, said"
            interrupted = _interruption_start(tokens, k)  # "Ilves, who lives in Tartu, Estonia, said"
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
            speaker = self._speaker_before(i, tokens, comma, verb) if comma else None
            return None if speaker and is_place(speaker.name) else speaker  # "in Salem, New Hampshire, …"
        if tokens[k][1] in DASHES:
            return self._speaker_before_dashes(i, tokens, k, verb)
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


# words before "to" and a speech verb that leave the subject its speaker ("went on to say")
LEADING_TO_SAY = frozenset("went goes go gone on continued continues wanted wants was is quick".split())
# words opening a clause set off between a subject and its verb
INTERRUPTION_OPENERS = frozenset("who whose during in at while also after before when like of".split())


def _interruption_start(tokens, k: int) -> int | None:
    """The comma that sets off a clause between a name and its verb, the clause ending at the
    comma tokens[k] ("Marta Ilves, who lives outside the capital, Tallinn, said"; "Ilves,
    during a meeting in Tartu, Estonia, said"; "Ilves, 22, of Tartu, Estonia, said"), else None."""
    found = None
    for c in range(k - 1, 0, -1):
        if tokens[c][1].startswith(MASK) or tokens[c][1] in (".", "!", "?"):
            break
        before = c - 2 if tokens[c - 1][1] == "," else c - 1  # "Ilves, 22, of Tartu": the age is no token
        if tokens[c][1] == "," and c + 1 < k and before >= 0 and is_name_word(tokens[before][1]) \
                and tokens[c + 1][1] in INTERRUPTION_OPENERS:
            found = before + 1
    return found


_NOT_ROLE_BEFORE_NAME = PREPOSITIONS | SPEECH_VERBS


def _opens_sentence(tokens, k: int) -> bool:
    """The name ending at tokens[k], with any role words before it, opens its sentence
    or follows a dash ("Harbour pollster Marta Ilves: “…”", "Polls agree - Marta Ilves: “…”";
    not "told Tamm:", "said of journalist Ilves:")."""
    while k >= 0 and (is_name_word(tokens[k][1]) or tokens[k][1][:1].islower()
                      and tokens[k][1].casefold() not in _NOT_ROLE_BEFORE_NAME
                      and not tokens[k][1].endswith(("ing", "ed"))):
        k -= 1
    return k < 0 or tokens[k][1] in (".", "!", "?", *DASHES) or tokens[k][1].startswith(MASK)


def _issued_by_subject(words: list[str], document: int) -> bool:
    """The document at words[document] is put out by the sentence's subject ("Ilves issued a
    brief statement calling"), not named after someone else's ("a letter of Ilves's arguing")."""
    k = document - 1
    while k >= 0 and k > document - 4 and words[k] not in ISSUING_VERBS and words[k].isalpha() \
            and words[k].islower():
        k -= 1
    return k >= 0 and words[k] in ISSUING_VERBS


def _put_it(words: list[str], j: int) -> bool:
    """"as Marta Ilves puts it, “…”": "put" saying something only with "it" after it."""
    return words[j] in ("put", "puts") and j + 1 < len(words) and words[j + 1] == "it"


def _went_on(words: list[str], j: int) -> bool:
    """"“…,” Ilves went on." or "She went on: “…”": "went on" saying something only with
    nothing after it but the quotation (not "went on the offensive")."""
    return words[j] in ("went", "goes") and words[j + 1:j + 2] == ["on"] \
        and (j + 2 == len(words) or words[j + 2] in (",", ":", ".", ";") or words[j + 2].startswith(MASK))


def _name_after_opening_clause(tokens) -> int | None:
    """Where the name starts that follows the sentence's opening clause, set off by a comma
    or ended by a quotation, when the clause holds the quotation; else None."""
    quoted = False
    for n in range(1, len(tokens) - 1):
        quoted = quoted or tokens[n][1].startswith(MASK)
        if (tokens[n][1] == "," or tokens[n][1].startswith(MASK)) and is_name_word(tokens[n + 1][1]):
            return n + 1 if quoted else None
    return None


def _object_of_preposition(tokens, k: int) -> bool:
    """The name ending at tokens[k] follows a preposition ("written to Parliament"; not "with",
    which opens a clause of its own: "with Tomas Berg hailing it as “…”")."""
    while k >= 0 and is_name_word(tokens[k][1]):
        k -= 1
    return k >= 0 and tokens[k][1].casefold() in PREPOSITIONS and tokens[k][1].casefold() != "with"


def _name_ends_sentence(tokens, k: int) -> bool:
    """A run of capitalised words at tokens[k] ends the sentence or its clause ("…, warned
    Harbour Board Chair Marta Ilves.", "…, said Harbour News, which …", "…, said Tartu
    University professor Marta Ilves.")."""
    end = _name_end(tokens, k)
    return end - k >= 2 and (end == len(tokens) or tokens[end][1] in (".", "!", "?", ",", ";"))


def _name_before_quote(tokens, k: int) -> bool:
    """A name at tokens[k] right before a comma or colon and a quotation ("Because …,
    explained Marta Ilves, “…”")."""
    end = _name_end(tokens, k)
    return end > k and end + 1 < len(tokens) and tokens[end][1] in (",", ":") \
        and tokens[end + 1][1].startswith(MASK)


def _name_end(tokens, k: int) -> int:
    """Where the run of capitalised words at tokens[k] ends, with a person after its role
    ("Tartu University professor Marta Ilves")."""
    end = k
    while end < len(tokens) and is_name_word(tokens[end][1]):
        end += 1
    person = person_after_role(tokens, end) if end > k else None
    return _name_end(tokens, person) if person is not None else end


TIME_WORDS = DAY_NAMES | frozenset("week weekend month year night".split())


def _time_before(tokens, k: int) -> bool:
    """"on Wednesday", "last Friday" at tokens[k - 1:k + 1], between a subject and its verb
    ("Putin on Wednesday said")."""
    return k >= 1 and tokens[k][1].casefold() in TIME_WORDS and tokens[k - 1][1].casefold() in (
        "on", "last", "this", "in")


PASSIVE_AUXILIARIES = frozenset("was were is are been being be".split())


def _passive(words: list[str], j: int) -> bool:
    """The verb at words[j] is a passive past participle ("was described", "were widely
    criticised", "the route, described by Harbour News as"): its subject is what was spoken of,
    not who spoke."""
    if not words[j].endswith(("ed", "en", "lt")):
        return False
    k = j - 1
    while k >= 0 and words[k].endswith("ly"):
        k -= 1
    return k >= 0 and words[k] in PASSIVE_AUXILIARIES or j + 1 < len(words) and words[j + 1] == "by"


def _reported_speech_before(words: list[str], j: int) -> bool:
    """"“…,” the caller said, according to White": the quotation has its speaker's said-clause
    before "according to", and White reports who spoke (not "Families said …, according to
    Castro, noting “…”": there Castro is the speaker)."""
    k = j - 1
    verb = False
    while k >= 0:
        if words[k].startswith(MASK):  # also "Ilves said, “…,” according to the court papers"
            before = k - 2 if k >= 2 and words[k - 1] in (",", ":") else k - 1
            return verb or before >= 0 and words[before] in SPEECH_VERBS
        verb = verb or words[k] in SPEECH_VERBS
        k -= 1
    return False
