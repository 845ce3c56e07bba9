"""Who said what: an article's direct quotations, each attributed to its speaker, by rules.

News writes attribution in a handful of shapes, all handled here on the paragraph with its
quotations masked out (so "said" inside a quote is not an attribution):

    “…,” Name said.          “…,” said Name, a professor at …      Name said: “…”
    Name said it was “…”     according to Name, “…”                 Name told reporters “…”
    “…,” he added.           “…,” the spokesman said.               the White House said “…”

A pronoun resolves to the person last mentioned ("added" and "continued" to the last
speaker), a role ("the spokesman", "the president") to the last person named with it, an
organisation's common noun ("the ministry") to the last organisation naming it. A quotation
with no attribution in its sentence takes that of another quotation in its paragraph, or
carries on the quotation of the paragraph before (a quote over several paragraphs). Short
quoted titles and scare quotes that nobody is said to have said are not quotations.
"""

import hashlib
import re
from dataclasses import dataclass, field
from pathlib import Path

from index.quote_spans import QuoteSpan, quote_spans
from index.quote_words import (
    BETWEEN,
    CONTINUING_VERBS,
    DETERMINERS,
    INVERTING_VERBS,
    MASK,
    PERSON_PRONOUNS,
    PERSON_ROLE_PREFIXES,
    PREPOSITIONS,
    ROLE_TAKES_ORGANISATION,
    RUN_CONNECTORS,
    SENTENCE_END_RE,
    SHORT_ATTRIBUTION_WORDS,
    SPEAKS_FOR_LAST_ORGANISATION,
    SPEECH_VERBS,
    SPOKESPEOPLE,
    TITLE_SMALL_WORDS,
    abbreviation_before,
    acronym,
    is_name_word,
    opens_description,
    possessive,
    spelled_out,
    tokenize,
    without_starter,
)
from index.speaker_names import (
    TITLE_WORDS,
    NamePhrase,
    aliases_of,
    is_capitalised,
    name_key,
    read_run,
    strip_possessive,
)

# Changes with the rules' source: an index whose quotes older rules found gets them found again.
_RULE_FILES = ("quotes.py", "quote_words.py", "quote_spans.py", "speaker_names.py")
RULES_VERSION = hashlib.sha256(
    b"".join((Path(__file__).parent / name).read_bytes() for name in _RULE_FILES)).hexdigest()[:16]

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
    return _Attributor(list(paragraphs)).run()


@dataclass
class _Speaker:
    name: str
    form: str
    verb: str
    where: tuple[int, int] = (-1, -1)  # (paragraph, character) of its attribution


@dataclass
class _Mention:
    """A person or organisation named outside quotations, in reading order."""

    where: tuple[int, int]  # (paragraph, character)
    name: str
    organisation: bool
    titles: tuple[str, ...] = ()
    object_of_preposition: bool = False
    subject: bool = False  # it opens its sentence, or speaks
    speaks: bool = False  # a speech verb follows it ("Vilsack said that …")


@dataclass
class _Attributor:
    paragraphs: list[str]
    mentions: list[_Mention] = field(default_factory=list)
    people: dict[str, str] = field(default_factory=dict)  # name word -> fullest name
    last_speaker: _Speaker | None = None
    spoken: set[str] = field(default_factory=set)  # name keys of the speakers so far
    acronyms: dict[str, str | None] = field(default_factory=dict)

    def run(self) -> list[Quote]:
        spans = quote_spans(self.paragraphs)
        by_paragraph: dict[int, list[QuoteSpan]] = {}
        for span in spans:
            by_paragraph.setdefault(span.paragraph, []).append(span)
        masked = [self._masked(i, by_paragraph.get(i, [])) for i in range(len(self.paragraphs))]
        for i, text in enumerate(masked):
            self._collect_mentions(i, text)
        own: dict[QuoteSpan, _Speaker | None] = {}
        for i, text in enumerate(masked):
            own.update(self._attribute_paragraph(i, text, by_paragraph.get(i, [])))
        speakers = self._carried_over(spans, by_paragraph, own)
        return [
            Quote(span.paragraph + 1, span.start, span.end, speaker.name, speaker.verb, speaker.form)
            for span in spans
            if (speaker := speakers[span]) is not None and self._is_quotation(span, own[span])
        ]

    def _carried_over(self, spans: list[QuoteSpan], by_paragraph: dict, own: dict) -> dict:
        """Speakers for the quotations whose own sentence names nobody: the one speaker of
        their paragraph, the speaker of the quotation they carry on (before or after), or of
        the paragraph before when the whole paragraph is a quotation."""
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
                    speakers[span] = _Speaker(named[-1].name, "continuation", "")
        for i in sorted(by_paragraph):
            before = by_paragraph.get(i - 1)
            previous = speakers[before[-1]] if before else self._introduced(i - 1)
            for span in by_paragraph[i]:
                if speakers[span] is None and previous is not None and self._whole_paragraph_quote(i, span):
                    speakers[span] = _Speaker(previous.name, "continuation", "")
        return speakers

    def _introduced(self, i: int) -> _Speaker | None:
        """The person a paragraph without quotations makes the subject of its last sentence
        ("Avalanche head coach Jared Bednar recounted the final moments."): the quotation
        that follows on its own is theirs."""
        if i < 0:
            return None
        text = self.paragraphs[i]
        tokens = tokenize(text)
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
        return _Speaker(self._fullest(phrase.name), "continuation", "")

    # -- reading the paragraph ------------------------------------------------------

    def _masked(self, i: int, spans: list[QuoteSpan]) -> str:
        """The paragraph with each quotation (marks included) replaced by mask characters."""
        text = list(self.paragraphs[i])
        for span in spans:
            first = max(span.start - 1, 0)
            last = min(span.end + 1, len(text)) if span.closed else len(text)
            text[first:last] = MASK * (last - first)
        return "".join(text)

    def _collect_mentions(self, i: int, text: str) -> None:
        """Every capitalised run outside quotations, as a person or organisation mention."""
        tokens = tokenize(text)
        j = 0
        while j < len(tokens):
            start, word = tokens[j]
            if not is_name_word(word):
                j += 1
                continue
            run = [word]
            k = j + 1
            while not possessive(word) and k < len(tokens) and (is_name_word(tokens[k][1]) or (
                    tokens[k][1] in ("of", "von", "der", "de", "bin", "al", "van", "la", "le")
                    and k + 1 < len(tokens) and is_name_word(tokens[k + 1][1]))):
                run.append(tokens[k][1])
                if tokens[k][1].endswith(("'s", "’s")):
                    k += 1
                    break
                k += 1
            run = without_starter(run)
            phrase = read_run(run) if run else None
            before = tokens[j - 1][1].casefold() if j else ""
            if phrase is None:
                pass
            elif phrase.organisation or before == "the" or self._is_organisation_acronym(phrase.name):
                objected = before in SPEECH_VERBS  # "told CNN"
                self.mentions.append(_Mention((i, start), self._expanded(phrase.name), True, (), objected))
            elif phrase.name:
                titles = phrase.titles + self._role_words_before(tokens, j)
                name = self._fullest(phrase.name)
                if len(name.split()) >= 2:
                    for word in name.split():
                        self.people.setdefault(name_key(word), name)
                    self.people[name_key(name)] = name
                speaks = k < len(tokens) and tokens[k][1].casefold() in SPEECH_VERBS
                subject = j == 0 or tokens[j - 1][1] in (".", "!", "?") or speaks
                objected = before in PREPOSITIONS or before in SPEECH_VERBS  # "told Biden", "said X"
                self.mentions.append(_Mention((i, start), name, False, titles, objected, subject, speaks))
            j = k

    def _role_words_before(self, tokens, j: int) -> tuple[str, ...]:
        """Lower-case words right before a name, which "the spokesman" may later stand for
        ("spokesman" in "spokesman Zhao Lijian", "master" in "harbour master Tomas Berg")."""
        words = []
        for _, word in reversed(tokens[max(0, j - 4):j]):
            lowered = word.casefold()
            if word == "." and words == []:  # "Sen. Mitch McConnell"
                continue
            if not word[:1].isalpha() or lowered in DETERMINERS or lowered in PREPOSITIONS \
                    or lowered in SPEECH_VERBS:
                break
            words.append(lowered)
        return tuple(words)

    def _expanded(self, name: str) -> str:
        """An acronym ("CDC") as the article spells it out ("Centers for Disease Control")."""
        return (self._expansion_of(name) or name) if acronym(name) else name

    def _expansion_of(self, letters: str) -> str | None:
        if letters not in self.acronyms:
            self.acronyms[letters] = spelled_out(letters, self.paragraphs)
        return self.acronyms[letters]

    def _is_organisation_acronym(self, name: str) -> bool:
        """An acronym the article spells out somewhere ("BA" of "BA.5" is not one)."""
        return acronym(name) and self._expansion_of(name) is not None

    def _fullest(self, name: str) -> str:
        """The fullest name the article has given so far for a name or a word of it."""
        return self.people.get(name_key(name), name)

    # -- attribution ------------------------------------------------------------------

    def _attribute_paragraph(self, i: int, text: str, spans: list[QuoteSpan]) -> dict:
        """Each quotation of the paragraph with the speaker its own sentence names, or None."""
        found: dict[QuoteSpan, _Speaker | None] = {span: None for span in spans}
        sentences = self._sentences(i, text)
        for n, (first, last) in enumerate(sentences):
            inside = [s for s in spans if first <= max(s.start - 1, 0) < last]
            if not inside:
                continue
            speaker = self._speaker_in(i, text, first, last)
            if speaker is None and n + 1 < len(sentences):
                # “I was trying not to look at the clock.” Makar said after the game.
                after_first, after_last = sentences[n + 1]
                if MASK not in text[after_first:after_last] and \
                        len(text[after_first:after_last].split()) <= SHORT_ATTRIBUTION_WORDS:
                    speaker = self._speaker_in(i, text, after_first, after_last)
            for span in inside:
                found[span] = speaker
        return found

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

    def _speaker_in(self, i: int, text: str, first: int, last: int) -> _Speaker | None:
        sentence = text[first:last]
        tokens = tokenize(sentence, first)
        words = [w.casefold() for _, w in tokens]
        for j, word in enumerate(words):
            if word == "according" and j + 1 < len(words) and words[j + 1] == "to":
                speaker = self._speaker_after(i, tokens, j + 2, "according to")
                if speaker:
                    return speaker
        for j, word in enumerate(words):
            if word not in SPEECH_VERBS:
                continue
            after_quote = j >= 1 and (tokens[j - 1][1].startswith(MASK) or (
                j >= 2 and tokens[j - 1][1] == "," and tokens[j - 2][1].startswith(MASK)))
            if after_quote and word in INVERTING_VERBS:
                speaker = self._speaker_after(i, tokens, j + 1, word)
                if speaker:
                    return speaker
            speaker = self._speaker_before(i, tokens, j, word)
            if speaker:
                return speaker
        return None

    def _speaker_before(self, i: int, tokens, j: int, verb: str) -> _Speaker | None:
        """The subject right before the verb at tokens[j]."""
        k = j - 1
        while k >= 0 and tokens[k][1].casefold() in BETWEEN or k >= 0 and tokens[k][1].endswith("ly") \
                and tokens[k][1][:1].islower():
            k -= 1
        if k < 0:
            return None
        if tokens[k][1] == ",":  # an appositive: "Powell, the Fed chair, said"
            person = self._appositive_subject(i, tokens, k, verb)
            if person is not None:
                return person
            comma = next((m for m in range(k - 1, max(k - 30, -1), -1) if tokens[m][1] == ","), None)
            return self._speaker_before(i, tokens, comma, verb) if comma else None
        if tokens[k][1].casefold() == "and":  # "McDonald owns a hotel and told CNN"
            return self._sentence_subject(i, tokens, k, verb)
        speaker = self._noun_phrase_ending(i, tokens, k, verb)
        if speaker is None or speaker.form in ("organisation", "role"):
            # "Dr. John Brooks, chief medical officer for the CDC's Division of … said"
            person = self._appositive_subject(i, tokens, k, verb)
            if person is not None and person.form == "named":
                return person
        return speaker

    def _sentence_subject(self, i: int, tokens, end: int, verb: str) -> _Speaker | None:
        """The name or pronoun opening the sentence, for a verb joined by "and"."""
        start = end
        while start > 0 and tokens[start - 1][1] not in (".", "!", "?") \
                and not tokens[start - 1][1].startswith(MASK):
            start -= 1
        k = start  # "Ferry owner Jane Roe runs …": up to the end of the name
        while k < end and (is_name_word(tokens[k][1]) or tokens[k][1] in RUN_CONNECTORS
                           or tokens[k][1].casefold() in TITLE_WORDS):
            k += 1
        while k > start and not is_name_word(tokens[k - 1][1]):
            k -= 1
        if k > start or tokens[start][1].casefold() in PERSON_PRONOUNS:
            return self._noun_phrase_ending(i, tokens, max(k - 1, start), verb)
        return None

    def _appositive_subject(self, i: int, tokens, end: int, verb: str) -> _Speaker | None:
        """The person named before a description set off by a comma ("Bill Franke, chair of
        the board, said"): the name right before the earliest comma that opens one."""
        found = None
        for c in range(end - 1, max(end - 30, 0), -1):
            word = tokens[c][1]
            if word in (".", "!", "?") or word.startswith(MASK):
                break
            if word == "," and is_name_word(tokens[c - 1][1]) and opens_description(tokens, c + 1):
                found = c
                break
        if found is None:
            return None
        role = [w.casefold() for _, w in tokens[found + 1:end] if w[:1].islower()]
        subject = self._noun_phrase_ending(i, tokens, found - 1, verb)
        if subject and subject.form == "named" and role:
            self._note_roles(subject.name, role)
        return subject

    def _noun_phrase_ending(self, i: int, tokens, k: int, verb: str) -> _Speaker | None:
        word = tokens[k][1]
        lowered = word.casefold()
        where = (i, tokens[k][0])
        if lowered in PERSON_PRONOUNS:
            return self._pronoun(where, verb)
        if is_name_word(word):
            start = k
            while start > 0 and not possessive(tokens[start - 1][1]) and (
                    is_name_word(tokens[start - 1][1]) or tokens[start - 1][1] in RUN_CONNECTORS):
                start -= 1
            if start >= 3 and tokens[start - 1][1] in ("in", "at") and tokens[start - 2][1][:1].isalpha():
                # "the National Weather Service (office) in Billings said": before the place
                return self._noun_phrase_ending(i, tokens, start - 2, verb)
            run = without_starter([w for _, w in tokens[start:k + 1]])
            return self._named(read_run(run), verb, where) if run else None
        if word[:1].islower() and lowered not in DETERMINERS:
            start = k  # "the spokesman", "the Republican leader", "Cal Fire officials"
            while start > 0 and start > k - 5 and tokens[start - 1][1][:1].isalpha() \
                    and tokens[start - 1][1].casefold() not in DETERMINERS:
                start -= 1
            words = [w for _, w in tokens[start:k + 1]]
            if start > 0 and tokens[start - 1][1].casefold() in DETERMINERS:
                return self._role(words, where, verb)
            if lowered in SPOKESPEOPLE and any(is_name_word(w) for w in words):
                first_name = next(n for n, w in enumerate(words) if is_name_word(w))
                return self._role(words[first_name:], where, verb)
        return None

    def _speaker_after(self, i: int, tokens, j: int, verb: str) -> _Speaker | None:
        """The speaker right after an inverted verb or "according to"."""
        if j >= len(tokens):
            return None
        word = tokens[j][1]
        where = (i, tokens[j][0])
        if word.casefold() in PERSON_PRONOUNS:
            return self._pronoun(where, verb)
        k = j
        while k < len(tokens) and k < j + 3 and tokens[k][1][:1].islower() \
                and tokens[k][1] not in DETERMINERS:
            k += 1  # role words before the name: "said spokesman Zhao Lijian"
        if k < len(tokens) and is_name_word(tokens[k][1]):
            end = k
            while end + 1 < len(tokens) and (is_name_word(tokens[end + 1][1]) or (
                    tokens[end + 1][1] in ("of", "von", "der", "de") and end + 2 < len(tokens)
                    and is_name_word(tokens[end + 2][1]))):
                end += 1
                if tokens[end][1].endswith(("'s", "’s")):
                    break
            return self._named(read_run([w for _, w in tokens[k:end + 1]]), verb, where)
        if word.casefold() in DETERMINERS and j + 1 < len(tokens) and is_name_word(tokens[j + 1][1]):
            phrase = self._speaker_after(i, tokens, j + 1, verb)  # "the Anti-Defamation League"
            if phrase is not None and phrase.form == "named":
                phrase.form = "organisation"
            return phrase
        if word.casefold() in DETERMINERS:
            end = j + 1
            while end < len(tokens) and tokens[end][1][:1].islower() and end < j + 4:
                end += 1
            return self._role([w.casefold() for _, w in tokens[j + 1:end]], where, verb)
        return None

    def _named(self, phrase: NamePhrase, verb: str, where: tuple[int, int]) -> _Speaker | None:
        if phrase.organisation or self._is_organisation_acronym(phrase.name):
            name = re.sub(r"^the\s+", "", phrase.name, flags=re.IGNORECASE)
            return self._said(_Speaker(self._expanded(name), "organisation", verb), where)
        if not phrase.name:
            return None
        name = self._fullest(strip_possessive(phrase.name))
        if phrase.titles:
            self._note_roles(name, list(phrase.titles))
        return self._said(_Speaker(name, "named", verb), where)

    def _pronoun(self, where: tuple[int, int], verb: str) -> _Speaker | None:
        """He or she: someone named earlier in the paragraph; else who spoke last (quoted, or
        "Name said" without a quote) in this paragraph or the one before, unless another person
        opened a sentence since ("added" keeps the last speaker regardless); else the last
        person mentioned, one opening a sentence first."""
        earlier = [m for m in self.mentions if m.where < where and self._is_person(m)
                   and not m.object_of_preposition]
        here = [m for m in earlier if m.where[0] == where[0]]
        if here and verb not in CONTINUING_VERBS:  # "Robert Shackelford said. “…,” he said."
            return self._said(_Speaker(self._fullest(here[-1].name), "pronoun", verb), where)
        events = [(m.where, self._fullest(m.name)) for m in earlier if m.speaks]
        if self.last_speaker and self.last_speaker.form != "organisation":
            events.append((self.last_speaker.where, self.last_speaker.name))
        if events:
            at, name = max(events)
            others_since = any(m.subject and at < m.where
                               and name_key(self._fullest(m.name)) != name_key(name) for m in earlier)
            if verb in CONTINUING_VERBS or (at[0] >= where[0] - 1 and not others_since):
                return self._said(_Speaker(name, "pronoun", verb), where)
        for likely in (lambda m: m.subject, lambda m: True):
            for mention in reversed(earlier):
                if likely(mention):
                    return self._said(_Speaker(self._fullest(mention.name), "pronoun", verb), where)
        return None

    def _is_person(self, mention: _Mention) -> bool:
        """A name of two words or more, a word of one, or one said to speak ("Vilsack said"):
        "China" or "Tuesday" is not."""
        key = name_key(mention.name)
        return not mention.organisation and (
            len(mention.name.split()) >= 2 or key in self.people or key in self.spoken or mention.speaks)

    def _role(self, words: list[str], where: tuple[int, int], verb: str) -> _Speaker | None:
        """"the spokesman" -> the last person named with that role; "the ministry" -> the last
        organisation naming it; "Cal Fire officials", "a State Department spokesperson" -> the
        organisation they speak for; "a representative", "the statement" -> the organisation
        last named, in this paragraph or the one before."""
        if not words:
            return None
        capitalised = [w for w in words if is_name_word(w)]
        words = [w.casefold() for w in words]
        head = words[-1]
        earlier = [m for m in reversed(self.mentions) if m.where < where]
        if capitalised and head in SPOKESPEOPLE and \
                not all(w.casefold() in PERSON_ROLE_PREFIXES for w in capitalised):
            phrase = read_run([strip_possessive(w) for w in capitalised])
            name = re.sub(r"^the\s+", "", phrase.run, flags=re.IGNORECASE)
            fuller = next((m.name for m in earlier if m.organisation
                           and name_key(name) in name_key(m.name)), name)
            return self._said(_Speaker(self._fullest(fuller), "organisation", verb), where)
        for mention in earlier:
            if mention.organisation and head in ROLE_TAKES_ORGANISATION and head in mention.name.casefold():
                return self._said(_Speaker(mention.name, "role", verb), where)
            if not mention.organisation and head in mention.titles:
                return self._said(_Speaker(self._fullest(mention.name), "role", verb), where)
        for word in words[:-1]:  # "a department official": the organisation
            if word in ROLE_TAKES_ORGANISATION:
                for mention in earlier:
                    if mention.organisation and word in mention.name.casefold():
                        return self._said(_Speaker(mention.name, "role", verb), where)
        if head in SPEAKS_FOR_LAST_ORGANISATION:
            for mention in earlier:
                if mention.organisation and not mention.object_of_preposition \
                        and mention.where[0] >= where[0] - 1:
                    return self._said(_Speaker(mention.name, "role", verb), where)
        return None

    def _note_roles(self, name: str, roles: list[str]) -> None:
        for mention in reversed(self.mentions):
            if not mention.organisation and name_key(self._fullest(mention.name)) == name_key(name):
                mention.titles = tuple(dict.fromkeys([*mention.titles, *roles]))
                return

    def _said(self, speaker: _Speaker, where: tuple[int, int]) -> _Speaker:
        speaker.where = where
        self.last_speaker = speaker
        self.spoken.add(name_key(speaker.name))
        return speaker

    # -- what counts as a quotation -------------------------------------------------

    def _whole_paragraph_quote(self, i: int, span: QuoteSpan) -> bool:
        """A paragraph that is nothing but one quotation (the speaker's words go on)."""
        paragraph = self.paragraphs[i]
        return span.start <= 1 + len(paragraph) - len(paragraph.lstrip()) and (
            not span.closed or not paragraph[span.end + 1:].strip(" .")
        ) and len(span.text(self.paragraphs).split()) >= 4

    def _is_quotation(self, span: QuoteSpan, own: _Speaker | None) -> bool:
        """Not a title ("Squid Game") nor a scare quote: a title-case phrase or a word or two
        counts only when its own sentence names who said it."""
        words = span.text(self.paragraphs).split()
        if own is None and len(words) < 4:
            return False
        title_case = all(is_capitalised(w) or w.casefold() in TITLE_SMALL_WORDS for w in words)
        return not (title_case and len(words) <= 5 and span.text(self.paragraphs).rstrip()[-1:] not in ".!?,")
