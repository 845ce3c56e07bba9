"""The people and organisations an article names outside its quotations, in reading order:
what pronouns, roles ("the spokesman") and an organisation's common nouns ("the ministry")
resolve to (index/quote_speakers.py)."""

import dataclasses
from dataclasses import dataclass

from index.place_names import is_people, is_place
from index.quote_name_context import (
    NOT_A_VERB,
    described_before_verb,
    documents_issued,
    role_words_after,
    role_words_before,
    set_off_before_verb,
    title_surnames,
    weekday,
)
from index.quote_tokens import tokenize
from index.quote_words import (
    INVERTING_VERBS,
    MASK,
    ORGANISATION_NOUNS,
    PREPOSITIONS,
    REPORTING_VERBS,
    SPEAKING_GROUPS,
    SPEECH_VERBS,
    acronym,
    after_opening_clause,
    is_name_word,
    person_after_agent,
    possessive,
    spelled_out,
    without_starter,
)
from index.speaker_names import (
    NamePhrase,
    name_key,
    read_run,
    strip_possessive,
)

_NAME_CONNECTORS = ("of", "von", "der", "de", "bin", "al", "van", "la", "le", "&")
# a name right after one of these is a thing of someone's, not a person ("her Seattle Storm")
_POSSESSIVE_DETERMINERS = frozenset("his her their its our my your".split())
_AUXILIARIES = frozenset("will would can could may might must should does did".split())


@dataclass(frozen=True)
class Mention:
    """A person or organisation named outside quotations."""

    where: tuple[int, int]  # (paragraph, character)
    name: str
    organisation: bool
    titles: tuple[str, ...] = ()
    object_of_preposition: bool = False
    speaks: bool = False  # a speech verb follows it ("Vilsack said that …"), or comes before it
    issued: tuple[str, ...] = ()  # documents it put out ("a report from X", "X released a statement")
    opens: bool = False  # it opens its sentence
    acts: bool = False  # a verb seems to follow it ("Frontier expressed regret")
    group: bool = False  # people speaking for it follow ("Bank of America analysts")
    # the role a description set off after a person's name gives ("Keir Starmer, the leader
    # of the opposition, …" -> "leader"), which "the opposition leader" may later stand for
    described: tuple[str, ...] = ()

    @property
    def subject(self) -> bool:
        return self.opens or self.speaks


class Mentions:
    """Every mention of an article, the fullest name given for each person, and its acronyms
    spelled out."""

    def __init__(self, paragraphs: list[str]):
        self.paragraphs = paragraphs
        self.all: list[Mention] = []
        self.people: dict[str, str] = {}  # name word -> fullest name
        self._acronyms: dict[str, str | None] = {}
        self.surnames = title_surnames(paragraphs)

    def read(self, run: list[str]) -> NamePhrase:
        """The run as a name and its titles (index/speaker_names.py), with this article's
        surnames that are title words; a place whole ("New Hampshire", not "Hampshire"), and
        a country's people as no name."""
        phrase = read_run(run, self.surnames)
        if self.is_place(run):
            return NamePhrase(" ".join(strip_possessive(w) for w in run), (), False, phrase.run)
        if is_people(" ".join(run)) and not self.names_person(run):
            return NamePhrase("", (), False, phrase.run)
        return phrase

    def is_place(self, run: list[str]) -> bool:
        """A country, capital or province, unless the article named a person so ("Michael
        Jordan" before "Jordan")."""
        return is_place(" ".join(run)) and not self.names_person(run)

    def names_person(self, words: list[str]) -> bool:
        """The words are a person's name the article gives ("Marta Ilves", "Ilves's")."""
        return name_key(" ".join(strip_possessive(w) for w in words)) in self.people

    def before(self, where: tuple[int, int]) -> list[Mention]:
        return [m for m in self.all if m.where < where]

    def collect(self, i: int, text: str) -> None:
        """Every capitalised run of a masked paragraph, as a person or organisation mention."""
        tokens = tokenize(text)
        j = 0
        subject_at = None
        while j < len(tokens):
            start, word = tokens[j]
            if not is_name_word(word) or weekday(word):  # "Thursday's memo"
                j += 1
                continue
            run = [word]
            k = j + 1
            while not possessive(word) and k < len(tokens) and not weekday(tokens[k][1]) and (
                    is_name_word(tokens[k][1]) or tokens[k][1] in _NAME_CONNECTORS
                    and k + 1 < len(tokens) and is_name_word(tokens[k + 1][1])):
                run.append(tokens[k][1])
                if possessive(tokens[k][1]):
                    k += 1
                    break
                k += 1
            run = without_starter(run)
            phrase = self.read(run) if run and not self.is_place(run) else None  # a place is no one
            if phrase is not None and (phrase.name or phrase.organisation):
                mention = self._mention(i, tokens, j, k, phrase)
                # "Berg consultant Jake Tamm picked up …": Tamm opens the sentence, not Berg
                if j == subject_at:
                    mention = dataclasses.replace(mention, opens=True)
                elif mention.opens and not mention.organisation:
                    subject_at = person_after_agent(tokens, k)
                    mention = dataclasses.replace(mention, opens=subject_at is None)
                if word.casefold() in _POSSESSIVE_DETERMINERS and not mention.organisation:
                    # "Her Tartu award was the first": a thing of hers, opening the sentence
                    mention = dataclasses.replace(mention, object_of_preposition=True, opens=False,
                                                  speaks=False, acts=False)
                self.all.append(mention)
            if run:  # "the Russian defence ministry", "the New Hampshire attorney general's office"
                self._organisation_named_by_noun(i, tokens, j, k, run)
            j = k

    def _organisation_named_by_noun(self, i: int, tokens, j: int, k: int, run: list[str]) -> None:
        """"Lelands auction house", "the NWSL players association", "the Biden administration":
        the name and a common noun after it name an organisation, which "the association" may
        stand for later (a mention beside the name's own)."""
        end = k
        while end < len(tokens) and end < k + 3 and tokens[end][1][:1].islower() \
                and tokens[end][1].casefold() not in NOT_A_VERB:
            end += 1
            if tokens[end - 1][1].casefold() in ORGANISATION_NOUNS:
                name = " ".join([*run, *(w for _, w in tokens[k:end])])
                self.all.append(Mention((i, tokens[j][0] + 1), name, True, opens=j == 0 or tokens[j - 1][1]
                                        in (".", "!", "?"), issued=documents_issued(tokens, j, end)))
                return

    def _mention(self, i: int, tokens, j: int, k: int, phrase: NamePhrase) -> Mention:
        """The mention of the name at tokens[j:k]."""
        before = tokens[j - 1][1].casefold() if j else ""
        after = tokens[k][1] if k < len(tokens) else ""
        opens = j == 0 or tokens[j - 1][1] in (".", "!", "?") or after_opening_clause(tokens, j)
        group = after.casefold() in SPEAKING_GROUPS  # "Bank of America analysts believe"
        acts = after[:1].islower() and (after.endswith(("ed", "s")) or after.casefold() in _AUXILIARIES) \
            and after.casefold() not in NOT_A_VERB \
            and before not in PREPOSITIONS and not possessive(tokens[k - 1][1])
        reports = after.casefold() in REPORTING_VERBS or before in REPORTING_VERBS
        according = before == "to" and j >= 2 and tokens[j - 2][1].casefold() == "according"
        if phrase.organisation or before == "the" or reports or self.is_organisation_acronym(phrase.name):
            # "told CNN", "a statement to CNN" (not "according to CNN")
            objected = before in SPEECH_VERBS or before == "to" and not according
            return Mention((i, tokens[j][0]), self.expanded(phrase.name), True,
                           object_of_preposition=objected, issued=documents_issued(tokens, j, k),
                           opens=opens, acts=acts, group=group)
        name = self.fullest(phrase.name)
        inverted = before in INVERTING_VERBS and j >= 2 and (
            tokens[j - 2][1] == "," or tokens[j - 2][1].startswith(MASK)) or (  # "…, said Cailin Birch"
            according and " " in name)  # "according to Marta Ilves", not "according to AFP"
        objected = not inverted and (before in PREPOSITIONS or before in SPEECH_VERBS  # "told Biden"
                                     or before in _POSSESSIVE_DETERMINERS)  # "her Seattle Storm"
        titles = phrase.titles + role_words_before(tokens, j)
        if len(name.split()) >= 2:
            for part in name.split():
                self.people.setdefault(name_key(part), name)
            self.people[name_key(name)] = name
        # not "results in Tomas Berg claiming the nomination"
        participle_object = after.endswith("ing") and (before in PREPOSITIONS or before == "in")
        speaks = inverted or after.casefold() in SPEECH_VERBS and not participle_object \
            or set_off_before_verb(tokens, j, k) or described_before_verb(tokens, k) \
            or _speech_verb_after_adverbs(tokens, k)
        return Mention((i, tokens[j][0]), name, False, titles, objected, speaks,
                       documents_issued(tokens, j, k), opens=opens, acts=acts and not objected, group=group,
                       described=role_words_after(tokens, k))

    def fullest(self, name: str) -> str:
        """The fullest name the article has given so far for a name or a word of it, for its
        last words ("Grey Riveria" of "Paulette Grey Riveria"), or for the name before a place
        ("Ilves of Tartu")."""
        key = name_key(name)
        if key in self.people or " " not in key:
            return self.people.get(key, name)
        head = key.split(" of ")[0]
        if head != key and head in self.people:  # "Ryan of Wisconsin" after "Paul Ryan"
            return self.people[head]
        fuller = self.people.get(key.split()[-1])
        if fuller is not None and name_key(fuller).endswith(" " + key):
            return fuller
        return name

    def expanded(self, name: str) -> str:
        """An acronym ("CDC") as the article spells it out ("Centers for Disease Control")."""
        return (self._expansion_of(name) or name) if acronym(name) else name

    def is_organisation_acronym(self, name: str) -> bool:
        """An acronym the article spells out somewhere ("BA" of "BA.5" is not one)."""
        return acronym(name) and self._expansion_of(name) is not None

    def _expansion_of(self, letters: str) -> str | None:
        if letters not in self._acronyms:
            self._acronyms[letters] = spelled_out(letters, self.paragraphs)
        return self._acronyms[letters]

    def is_person(self, mention: Mention, spoken: set[str]) -> bool:
        """A name of two words or more, a word of one, or one said to speak ("Vilsack said"):
        "China" or "Tuesday" is not."""
        key = name_key(mention.name)
        return not mention.organisation and (
            len(mention.name.split()) >= 2 or key in self.people or key in spoken or mention.speaks)

    def note_roles(self, name: str, roles: list[str]) -> None:
        """The person's last mention gets these role words ("the Fed chair" said of Powell)."""
        for n in range(len(self.all) - 1, -1, -1):
            mention = self.all[n]
            if not mention.organisation and name_key(self.fullest(mention.name)) == name_key(name):
                titles = tuple(dict.fromkeys((*mention.titles, *roles)))
                self.all[n] = dataclasses.replace(mention, titles=titles)
                return


# between a name and its speech verb ("Berg earlier Thursday said", "Berg openly admitted")
_ADVERBS_BEFORE_VERB = frozenset("also earlier later again previously recently once".split())


def _speech_verb_after_adverbs(tokens, k: int) -> bool:
    """A speech verb follows the name ending before tokens[k] past one to three adverbs."""
    verb = k
    while verb < min(k + 3, len(tokens) - 1) and (
            tokens[verb][1].casefold() in _ADVERBS_BEFORE_VERB or weekday(tokens[verb][1])
            or tokens[verb][1][:1].islower() and tokens[verb][1].endswith("ly")):
        verb += 1
    return verb > k and tokens[verb][1] in SPEECH_VERBS and not tokens[verb][1].endswith("ing")
