"""The speaker an attribution's subject names, read on the masked paragraph's tokens: the
noun phrase ending right before a speech verb ("Harbour master Tomas Berg", "the
spokesman", "he"), the one right after an inverted verb ("said Dr. Jane Roe, a professor"),
a name before a description set off by commas or set off by them itself, two names joined by
"and", and a document's author ("a statement that read:")."""

from dataclasses import replace

from index.quote_mentions import Mentions
from index.quote_name_context import NOT_A_VERB, weekday
from index.quote_phrases import (
    adjective_as_noun,
    alone,
    author_after_document,
    ends_noun_phrase,
    inside_description,
    name_set_off_after,
)
from index.quote_speakers import Attribution, Resolver
from index.quote_words import (
    DETERMINERS,
    DOCUMENTS,
    MASK,
    ORGANISATION_NOUNS,
    ORGANISATION_PRONOUNS,
    PERSON_PRONOUNS,
    RELATIVE_PRONOUNS,
    RUN_CONNECTORS,
    SPOKESPEOPLE,
    is_name_word,
    opens_description,
    person_after_role,
    person_pronoun,
    possessive,
    subject_start,
    without_starter,
)
from index.speaker_names import TITLE_WORDS, name_key, strip_possessive


class SubjectReader:
    """Reads subjects into speakers through the article's resolver (in reading order)."""

    def __init__(self, mentions: Mentions, resolver: Resolver):
        self.mentions = mentions
        self.resolver = resolver

    def speaker_after(self, i: int, tokens, j: int, verb: str) -> Attribution | None:
        """The speaker right after an inverted verb or "according to"."""
        if j >= len(tokens):
            return None
        word = tokens[j][1]
        where = (i, tokens[j][0])
        if word.casefold() in PERSON_PRONOUNS:
            return self.resolver.pronoun(where, verb, word.casefold())
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
                if possessive(tokens[end][1]):
                    break
            if end + 2 < len(tokens) and tokens[end + 1][1] == "and" and is_name_word(tokens[end + 2][1]) \
                    and tokens[end][1].casefold() in TITLE_WORDS:  # "said former Gov. and Party Chair Berg"
                return self.speaker_after(i, tokens, end + 2, verb)
            person = person_after_role(tokens, end + 1)  # "said UBS retail analyst Michael Lasser"
            if person is not None:
                return self.speaker_after(i, tokens, person, verb)
            run = without_starter([w for _, w in tokens[k:end + 1]])  # not "said Tuesday"
            return self.resolver.named(self.mentions.read(run), verb, where) if run else None
        if word.casefold() not in DETERMINERS:
            return None
        author = author_after_document(tokens, j)
        if author is not None:  # "according to an analysis this week by Harbour Watch"
            speaker = self.speaker_after(i, tokens, author, verb)
            return self.resolver.as_organisation(speaker) if speaker is not None else None
        named = name_set_off_after(tokens, j)
        if named is not None:  # "said the port's long-serving director, Marta Ilves."
            return self.speaker_after(i, tokens, named, verb)
        if j + 1 < len(tokens) and ends_noun_phrase(tokens, j + 2) \
                and adjective_as_noun([tokens[j + 1][1]], [word, tokens[j + 1][1]], self.mentions):
            return self.resolver.role([tokens[j + 1][1].casefold()], where, verb)  # "said the Republican"
        if j + 1 < len(tokens) and is_name_word(tokens[j + 1][1]):
            speaker = self.speaker_after(i, tokens, j + 1, verb)  # "the Anti-Defamation League"
            if speaker is not None and speaker.form == "named":
                speaker = self.resolver.as_organisation(speaker)
            return speaker
        end = j + 1
        while end < len(tokens) and tokens[end][1][:1].islower() and end < j + 4:
            end += 1
        return self.resolver.role([w.casefold() for _, w in tokens[j + 1:end]], where, verb)

    def noun_phrase_ending(self, i: int, tokens, k: int, verb: str) -> Attribution | None:
        word = tokens[k][1]
        lowered = word.casefold()
        where = (i, tokens[k][0])
        pronoun = person_pronoun(word)
        if pronoun:
            return self.resolver.pronoun(where, verb, pronoun, self._addressee(i, tokens, k))
        if lowered in ORGANISATION_PRONOUNS:
            return self.resolver.organisation_pronoun(lowered, where, verb)
        if is_name_word(word) and possessive(word) and alone(tokens, k):  # "McDonald’s said"
            name = self.mentions.expanded(word.replace("’", "'"))
            return self.resolver.said(Attribution(name, "organisation", verb, where, True))
        if is_name_word(word) and not weekday(word):  # not "in Tartu, Estonia Monday, the …"
            start = k
            while start > 0 and not possessive(tokens[start - 1][1]) and (
                    is_name_word(tokens[start - 1][1]) or tokens[start - 1][1] in RUN_CONNECTORS):
                start -= 1
            if start >= 3 and tokens[start - 1][1] in ("in", "at") and tokens[start - 2][1][:1].isalpha():
                # "the National Weather Service (office) in Billings said": before the place
                return self.noun_phrase_ending(i, tokens, start - 2, verb)
            run = without_starter([w for _, w in tokens[start:k + 1]])
            before = tokens[start - 1][1] if start else ""
            if adjective_as_noun(run, [before, *(w for _, w in tokens[start:k + 1])], self.mentions):
                return self.resolver.role([run[0].casefold()], where, verb)  # "The Democrat said"
            speaker = self.resolver.named(self.mentions.read(run), verb, where) if run else None
            if speaker is not None and speaker.form == "named":
                other = self._name_joined_before(tokens, start)
                if other is not None:
                    speaker = replace(speaker, also=(other,))
            return speaker
        if word[:1].islower() and lowered not in DETERMINERS | RELATIVE_PRONOUNS:  # not "… that said"
            start = k  # "the spokesman", "the Republican leader", "Cal Fire officials"
            while start > 0 and start > k - 5 and tokens[start - 1][1][:1].isalpha() \
                    and tokens[start - 1][1].casefold() not in DETERMINERS:
                start -= 1
            words = [w for _, w in tokens[start:k + 1]]
            if start > 0 and tokens[start - 1][1].casefold() in DETERMINERS:
                opener = self._organisation_opening(i, tokens) if lowered in ORGANISATION_NOUNS else None
                if opener is not None:  # "TikTok has begun …, the company said"
                    return self.resolver.said(Attribution(opener, "organisation", verb, where, True))
                return self.resolver.role(words, where, verb)
            if (lowered in SPOKESPEOPLE or lowered in DOCUMENTS) and any(is_name_word(w) for w in words):
                first_name = next(n for n, w in enumerate(words) if is_name_word(w))
                return self.resolver.role(words[first_name:], where, verb)
            owner = words[:-1]  # "Marta Ilves's office said", as "Phil Ting's release" speaks as itself
            if lowered in SPEAKS_FOR_OWNER and owner and possessive(owner[-1]) \
                    and all(map(is_name_word, owner)):
                name = self.mentions.fullest(strip_possessive(" ".join(owner)))
                return self.resolver.said(Attribution(f"{name}'s {lowered}", "role", verb, where, True))
        return None

    def _organisation_opening(self, i: int, tokens) -> str | None:
        """The organisation the sentence opens with, as its subject ("TikTok has begun …"): one
        by its name's words, "the", or a single word not a person's name."""
        at = [m for m in self.mentions.all if m.where[0] == i and 0 <= m.where[1] - tokens[0][0] <= 1]
        for mention in sorted(at, key=lambda m: -m.where[1]):
            single = len(mention.name.split()) == 1 and name_key(mention.name) not in self.mentions.people
            if mention.organisation or single and mention.acts:
                return mention.name
        return None

    def appositive_subject(self, i: int, tokens, end: int, verb: str) -> Attribution | None:
        """The person named before a description set off by a comma ("Bill Franke, chair of
        the board, said"): the name right before the earliest comma that opens one."""
        found = None
        for c in range(end - 1, max(end - 30, 0), -1):
            word = tokens[c][1]
            if word in (".", "!", "?") or word.startswith(MASK):
                break
            name = c - 2 if tokens[c - 1][1] == "," else c - 1  # "Ilves, 35, the daughter of": no age token
            if word == "," and name >= 0 and is_name_word(tokens[name][1]) \
                    and opens_description(tokens, c + 1) and not inside_description(tokens, name):
                found = c
                break
        if found is None:
            return None
        role = [w.casefold() for _, w in tokens[found + 1:end] if w[:1].islower()]
        subject = self.noun_phrase_ending(i, tokens, name, verb)
        if subject and subject.form == "named" and role:
            self.mentions.note_roles(subject.name, role)
        return subject

    def _addressee(self, i: int, tokens, k: int) -> str | None:
        """Who the pronoun at tokens[k] told ("he told Berg"), whom it cannot stand for: the
        person mention the article collected there."""
        if k + 2 >= len(tokens) or tokens[k + 1][1] not in ("told", "tells"):
            return None
        where = (i, tokens[k + 2][0])
        return next((m.name for m in self.mentions.all if m.where == where and not m.organisation), None)

    def name_set_off(self, i: int, tokens, comma: int, verb: str) -> Attribution | None:
        """A person's name set off by commas right before the verb ("her husband, John
        Easterling, wrote")."""
        start = comma
        while start > 0 and (is_name_word(tokens[start - 1][1]) or tokens[start - 1][1] in RUN_CONNECTORS):
            start -= 1
        opening = start  # "the council's president, harbour ambassador Jake Tamm, said": role words first
        while opening > 0 and start - opening < 4 and tokens[opening - 1][1].isalpha() \
                and tokens[opening - 1][1] not in NOT_A_VERB:
            opening -= 1
        if not any(w[:1].islower() for _, w in tokens[opening:start]):
            opening = start
        if start == comma or opening < 2 or tokens[opening - 1][1] != "," \
                or not tokens[opening - 2][1][:1].islower():
            return None  # "police in Boise, Idaho, said": a place
        run = without_starter([w for _, w in tokens[start:comma]])
        phrase = self.mentions.read(run) if run else None
        if phrase is None or phrase.organisation or not phrase.name:
            return None
        return self.resolver.named(phrase, verb, (i, tokens[start][0]))

    def _name_joined_before(self, tokens, start: int) -> str | None:
        """The person named before "and" in front of the name at tokens[start] ("Krause and
        Borio wrote")."""
        if start < 2 or tokens[start - 1][1] != "and" or not is_name_word(tokens[start - 2][1]):
            return None
        first = start - 2
        while first > 0 and not possessive(tokens[first - 1][1]) and (
                is_name_word(tokens[first - 1][1]) or tokens[first - 1][1] in RUN_CONNECTORS):
            first -= 1
        if first > 0 and tokens[first - 1][1] not in (".", "!", "?", ",") \
                and not tokens[first - 1][1].startswith(MASK):
            return None  # "the meeting of Biden and Harris": not the subject
        run = without_starter([w for _, w in tokens[first:start - 1]])
        phrase = self.mentions.read(run) if run else None
        if phrase is None or phrase.organisation or not phrase.name \
                or self.mentions.is_organisation_acronym(phrase.name):
            return None
        return self.mentions.fullest(phrase.name)

    def sentence_subject(self, i: int, tokens, end: int, verb: str) -> Attribution | None:
        """The name or pronoun opening the sentence, for a verb joined by "and"."""
        start = end
        while start > 0 and tokens[start - 1][1] not in (".", "!", "?") \
                and not tokens[start - 1][1].startswith(MASK):
            start -= 1
        while start + 1 < end and tokens[start][1].casefold() in LEADING_CONJUNCTIONS:  # "And then Ilves …"
            start += 1
        start = subject_start(tokens, start, end)
        if tokens[start][1].casefold() == "it" and start + 1 < end \
                and tokens[start + 1][1].casefold() in ("is", "was"):  # "It was because of that vote"
            return None
        k = start  # "Ferry owner Jane Roe runs …": up to the end of the name
        while True:
            while k < end and (is_name_word(tokens[k][1]) or tokens[k][1] in RUN_CONNECTORS
                               or tokens[k][1].casefold() in TITLE_WORDS):
                k += 1
            named = person_after_role(tokens, k) if 0 < k - start <= 2 \
                and not tokens[k][1].endswith(("s", "ed")) \
                and not self.mentions.names_person([w for _, w in tokens[start:k]]) \
                else None  # "Harbour front-runner Marta Ilves"; not "Marta Ilves went after Berg"
            if named is None or named >= end:
                break
            k = named
        if k - 1 > start and tokens[start][1].casefold() == "the" and tokens[k - 1][1] in TITLE_WORDS:
            return self.noun_phrase_ending(i, tokens, k - 1, verb)  # "The Florida senator sought …"
        while k > start and not is_name_word(tokens[k - 1][1]):
            k -= 1
        if k > start or person_pronoun(tokens[start][1]):
            return self.noun_phrase_ending(i, tokens, max(k - 1, start), verb)
        return None

    def document_before(self, i: int, tokens, j: int, verb: str) -> Attribution | None:
        """The document read by "reads" or "states" ("the park's release reads", "a statement
        that read:") as who put it out."""
        k = j - 1
        if k >= 1 and tokens[k][1] == "that":
            k -= 1
        if k < 0 or tokens[k][1].casefold() not in DOCUMENTS:
            return None
        return self.noun_phrase_ending(i, tokens, k, verb)


# what speaks for the person whose it is ("Ilves's office said")
SPEAKS_FOR_OWNER = frozenset("office campaign".split())
# words before a sentence's subject without a comma ("And then Marta Ilves went on, saying …")
LEADING_CONJUNCTIONS = frozenset("and but so yet then".split())
