"""Who an attribution's subject is: a name as the article's fullest form of it, a pronoun as
the person it stands for, a role ("the spokesman") as the person last named with it, an
organisation's common noun ("the ministry") as the organisation."""

import re
from dataclasses import dataclass, replace

from index.quote_mentions import Mention, Mentions
from index.quote_words import (
    AGENT_ENDINGS,
    CONTINUING_VERBS,
    DOCUMENT_VERBS,
    DOCUMENTS,
    ORGANISATION_NOUNS,
    PARTY_FORMS,
    PERSON_ROLE_PREFIXES,
    REPORTING_VERBS,
    ROLE_TAKES_ORGANISATION,
    SPEAKS_FOR_LAST_ORGANISATION,
    SPOKESPEOPLE,
    is_name_word,
    possessive,
)
from index.speaker_names import (
    ORGANISATION_WORDS,
    PREFIX_WORDS,
    TITLE_WORDS,
    NamePhrase,
    name_key,
    strip_possessive,
)


@dataclass(frozen=True)
class Attribution:
    """Who said a quotation, and how the article names them there."""

    name: str
    form: str  # named, pronoun, role, organisation or continuation
    verb: str
    where: tuple[int, int] = (-1, -1)  # (paragraph, character) of its attribution
    organisation: bool = False  # an organisation, however the article names it there
    also: tuple[str, ...] = ()  # others said to say it with them ("Krause and Borio wrote")


class Resolver:
    """Resolves subjects to speakers in reading order, remembering who spoke last."""

    def __init__(self, mentions: Mentions, genders: dict[str, str] | None = None):
        self.mentions = mentions
        self.genders = genders or {}  # name key -> "he" or "she", as the article shows (quote_genders)
        self.last_speaker: Attribution | None = None
        self.spoken: set[str] = set()  # name keys of the speakers so far
        self.last_organisation: Attribution | None = None
        self.pronouns: dict[str, str] = {}  # name key -> "he" or "she", as the article resolved it

    def said(self, speaker: Attribution) -> Attribution:
        """Record the speaker as the last one (pronouns after it may stand for them)."""
        self.last_speaker = speaker
        if speaker.organisation:
            self.last_organisation = speaker
        else:
            self.spoken.add(name_key(speaker.name))
        return speaker

    def named(self, phrase: NamePhrase, verb: str, where: tuple[int, int]) -> Attribution | None:
        mentions = self.mentions
        if phrase.organisation or verb in REPORTING_VERBS or mentions.is_organisation_acronym(phrase.name):
            name = re.sub(r"^the\s+", "", phrase.name, flags=re.IGNORECASE)
            return self.said(Attribution(mentions.expanded(name), "organisation", verb, where, True))
        if not phrase.name:
            return None
        name = mentions.fullest(strip_possessive(phrase.name))
        if phrase.titles:
            mentions.note_roles(name, list(phrase.titles))
        return self.said(Attribution(name, "named", verb, where))

    def pronoun(self, where: tuple[int, int], verb: str, pronoun: str,
                addressee: str | None = None) -> Attribution | None:
        """He or she: someone named earlier in the paragraph; else who spoke last (quoted, or
        "Name said" without a quote) in this paragraph or the one before, unless another person
        opened a sentence since ("added" keeps the last speaker regardless); else the one
        person the paragraph before names (`_surely_person`), whatever their place in it ("For
        veteran astronaut Wakata, this trip is his fifth. / “…,” he recalled"); else the last
        person mentioned, one opening a sentence first. Never a person the article already
        called by the other pronoun, nor the `addressee` ("he told Berg")."""
        fullest = self.mentions.fullest
        told = name_key(addressee) if addressee else None

        def fits(name: str) -> bool:
            key = name_key(name)
            return self.genders.get(key, self.pronouns.get(key, pronoun)) == pronoun and key != told

        def found(name: str) -> Attribution:
            self.pronouns[name_key(name)] = pronoun
            return self.said(Attribution(name, "pronoun", verb, where))

        earlier = [m for m in self.mentions.before(where) if self.mentions.is_person(m, self.spoken)
                   and not m.object_of_preposition and fits(fullest(m.name))]
        here = [m for m in earlier if m.where[0] == where[0]]
        if here and verb not in CONTINUING_VERBS:  # "Robert Shackelford said. “…,” he said."
            subjects = [m for m in here if m.subject]  # not "in West Harbour" after "Marta Ilves, who …"
            return found(fullest((subjects or here)[-1].name))
        events = [(m.where, fullest(m.name)) for m in earlier if m.speaks]
        if self.last_speaker and not self.last_speaker.organisation and fits(self.last_speaker.name):
            events.append((self.last_speaker.where, self.last_speaker.name))
        if events:
            at, name = max(events)
            others_since = any(m.subject and at < m.where
                               and name_key(fullest(m.name)) != name_key(name) for m in earlier)
            if verb in CONTINUING_VERBS or (at[0] >= where[0] - 1 and not others_since):
                return found(name)
        before = {fullest(m.name) for m in self.mentions.before(where) if m.where[0] == where[0] - 1
                  and self._surely_person(m) and fits(fullest(m.name))
                  and (not m.object_of_preposition  # not "by Rep. Jones"
                       or name_key(fullest(m.name)) in self.spoken)}
        if len(before) == 1:  # the one person the paragraph before is about
            return found(before.pop())
        for likely in (lambda m: m.subject, lambda m: True):
            for mention in reversed(earlier):
                if likely(mention):
                    return found(fullest(mention.name))
        # the one fitting person the paragraph before addressed or named after a preposition
        # ("Marta Ilves asked Tomas Berg how high … / “…,” he said")
        addressed = {fullest(m.name) for m in self.mentions.before(where) if m.where[0] == where[0] - 1
                     and m.object_of_preposition and self.mentions.is_person(m, self.spoken)
                     and fits(fullest(m.name))}
        if len(addressed) == 1:
            return found(addressed.pop())
        # no one known as a person: a one-word name opening a sentence of the paragraph
        # ("Berg plays for the Rovers … “…,” he said")
        openers = [m for m in self.mentions.before(where) if m.where[0] == where[0] and m.opens
                   and not m.organisation and fits(fullest(m.name))]
        return found(fullest(openers[-1].name)) if openers else None

    def _surely_person(self, mention: Mention) -> bool:
        """Known as a person: given a role ("veteran astronaut Koichi Wakata") or words
        ("Hurricane Mills" or "Roscosmos Soyuz" is neither)."""
        if not self.mentions.is_person(mention, self.spoken):
            return False
        name = self.mentions.fullest(mention.name)
        roles = [t for t in mention.titles if t not in PREFIX_WORDS]
        if roles and roles[0] in ORGANISATION_WORDS:  # "state fire management agency Cal Fire"
            return False
        return mention.speaks or name_key(name) in self.spoken or any(
            t in TITLE_WORDS or t.endswith(AGENT_ENDINGS) and not t.endswith("ment") for t in roles)

    def organisation_pronoun(self, pronoun: str, where: tuple[int, int], verb: str) -> Attribution | None:
        """"It" or "they" said: the organisation in view (`_organisation_in_view`)."""
        found = self._organisation_in_view(where, plural=pronoun == "they")
        return self.said(Attribution(found, "pronoun", verb, where, True)) if found else None

    def _organisation_in_view(self, where: tuple[int, int], plural: bool = False) -> str | None:
        """The organisation that spoke last, in this paragraph or the one before; else the one
        named there with people speaking for it ("Bank of America analysts believe … “…,” they
        wrote"), or, in the singular, opening a sentence or seeming to act ("Frontier expressed
        regret … “…,” it said"). A single word not known as a person's name may be an
        organisation's."""
        last = self.last_organisation
        if last is not None and last.where[0] >= where[0] - 1:
            return last.name
        recent = [m for m in reversed(self.mentions.before(where)) if m.where[0] >= where[0] - 1
                  and not m.object_of_preposition and (m.organisation or len(
                      m.name.split()) == 1 and name_key(m.name) not in self.mentions.people)]
        likely = [lambda m: m.group] if plural else [lambda m: m.opens, lambda m: m.acts]
        for test in likely:
            found = next((m for m in recent if test(m)), None)
            if found is not None:
                return found.name
        return None

    def role(self, words: list[str], where: tuple[int, int], verb: str) -> Attribution | None:
        """"the spokesman" -> the last person named with that role; "the ministry" -> the last
        organisation naming it; "Cal Fire officials", "a State Department spokesperson" -> the
        organisation they speak for; "a representative", "the statement" -> the organisation
        last named, in this paragraph or the one before; "the park's release", "the report" ->
        who put the document out."""
        if not words:
            return None
        capitalised = [w for w in words if is_name_word(w)]
        owner = next((w for w in reversed(words[:-1]) if possessive(w)), None)
        words = [w.casefold() for w in words]
        head = words[-1]
        earlier: list[Mention] = list(reversed(self.mentions.before(where)))
        author = (self._owner(owner, capitalised, earlier, where) if owner else None) or (
            self._issuer(head, earlier, where) if head in DOCUMENTS else None)
        if author is not None:
            return self.said(replace(author, verb=verb, where=where))
        if owner and head in DOCUMENTS or verb in DOCUMENT_VERBS and head not in DOCUMENTS:
            return None
        if head in PARTY_FORMS and len(words) == 1:
            return self._party_member(head, earlier, where, verb)
        return (self._organisation_spoken(words, where, verb)
                or self._spokespeople(capitalised, head, earlier, where, verb)
                or self._holder(words, earlier, where, verb)
                or self._organisation_by_noun(words, earlier, where, verb))

    def _spokespeople(self, capitalised: list[str], head: str, earlier: list[Mention],
                      where: tuple[int, int], verb: str) -> Attribution | None:
        """"Cal Fire officials", "an FDA spokesperson": the organisation named in front."""
        if not capitalised or head not in SPOKESPEOPLE or \
                all(w.casefold() in PERSON_ROLE_PREFIXES for w in capitalised):
            return None
        phrase = self.mentions.read([strip_possessive(w) for w in capitalised])
        name = self.mentions.expanded(re.sub(r"^the\s+", "", phrase.run, flags=re.IGNORECASE))
        fuller = next((m.name for m in earlier
                       if m.organisation and name_key(name) in name_key(m.name)), name)
        return self.said(Attribution(self.mentions.fullest(fuller), "organisation", verb, where, True))

    def _holder(self, words: list[str], earlier: list[Mention], where: tuple[int, int],
                verb: str) -> Attribution | None:
        """The last person named with the role, or organisation whose name has its noun ("the
        ministry")."""
        head = words[-1]
        for mention in earlier:
            if mention.organisation and head in ROLE_TAKES_ORGANISATION and head in mention.name.casefold():
                return self.said(Attribution(mention.name, "role", verb, where, True))
            if not mention.organisation and (head in mention.titles or head in mention.described[-1:]):
                return self.said(Attribution(self.mentions.fullest(mention.name), "role", verb, where))
        return None

    def _organisation_spoken(self, words: list[str], where: tuple[int, int], verb: str) -> Attribution | None:
        """"“…,” the CDC said. … “…,” the agency said": the organisation that spoke last, in this
        paragraph or the one before, unless its name makes it another kind ("the airline" is
        not the Centers for Disease Control's)."""
        head, last = words[-1], self.last_organisation
        if len(words) > 1 or head not in ORGANISATION_NOUNS or last is None or last.where[0] < where[0] - 1:
            return None
        if _kinds(last.name) - {head}:
            return None
        return self.said(replace(last, form="role", verb=verb, where=where))

    def _party_member(self, head: str, earlier: list[Mention], where: tuple[int, int],
                      verb: str) -> Attribution | None:
        """"The Democrat": the last person named in this paragraph or the one before whom the
        article puts in that party ("Democratic Lt. Gov. John Fetterman")."""
        fullest = self.mentions.fullest
        members = {name_key(fullest(m.name)) for m in self.mentions.all
                   if not m.organisation and PARTY_FORMS[head] & set(m.titles)}
        for mention in earlier:
            if mention.where[0] < where[0] - 1:
                break
            if not mention.organisation and name_key(fullest(mention.name)) in members:
                return self.said(Attribution(fullest(mention.name), "role", verb, where))
        return None

    def _organisation_by_noun(self, words: list[str], earlier: list[Mention], where: tuple[int, int],
                              verb: str) -> Attribution | None:
        """"a department official": the organisation the noun names; "a representative": the
        organisation last named."""
        head = words[-1]
        for word in words[:-1]:
            if word in ROLE_TAKES_ORGANISATION:
                for mention in earlier:
                    if mention.organisation and word in mention.name.casefold():
                        return self.said(Attribution(mention.name, "role", verb, where, True))
        if head in SPEAKS_FOR_LAST_ORGANISATION:
            for mention in earlier:
                if mention.organisation and not mention.object_of_preposition \
                        and mention.where[0] >= where[0] - 1:
                    return self.said(Attribution(mention.name, "role", verb, where, True))
        return None

    def _owner(self, owner: str, capitalised: list[str], earlier: list[Mention],
               where: tuple[int, int]) -> Attribution | None:
        """Whose a possessive role or document is: the organisation a common noun names
        ("the park's" -> Yellowstone National Park), or the person or organisation named."""
        base = strip_possessive(owner)
        for mention in earlier:
            if mention.organisation and base.casefold() in mention.name.casefold().split():
                form = "role" if base[:1].islower() else "organisation"
                return Attribution(mention.name, form, "", organisation=True)
        if capitalised and base[:1].isupper():
            return self.named(self.mentions.read([strip_possessive(w) for w in capitalised]), "", where)
        return None

    def _issuer(self, document: str, earlier: list[Mention], where: tuple[int, int]) -> Attribution | None:
        """Who put a document out: the last mention, in this paragraph or the two before, said
        to have put out one ("a report from the UN Environment Programme … The report
        suggested"). The paragraph does not name them: a role. A person's document speaks as
        itself ("Phil Ting's release"): its words are their office's, not their own."""
        for mention in earlier:
            if mention.where[0] < where[0] - 2:
                break
            if document in mention.issued:
                name = self.mentions.fullest(mention.name)
                if not mention.organisation and self._surely_person(mention):
                    name = f"{name}'s {document}"
                return Attribution(name, "role", "", organisation=True)
        return None

    def as_organisation(self, speaker: Attribution) -> Attribution:
        """A name read after "the" ("said the Anti-Defamation League") is an organisation's."""
        return self.said(replace(speaker, form="organisation", organisation=True))


def _kinds(name: str) -> set[str]:
    """The kinds of organisation a name says it is ("United Airlines": an airline)."""
    return {w.rstrip("s") for w in name.casefold().split()} & ORGANISATION_NOUNS
