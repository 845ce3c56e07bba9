"""The people and organisations an article names outside its quotations, in reading order:
what pronouns, roles ("the spokesman") and an organisation's common nouns ("the ministry")
resolve to (index/quote_speakers.py)."""

import dataclasses
from dataclasses import dataclass

from index.place_names import is_people, is_place
from index.quote_tokens import tokenize
from index.quote_words import (
    COMMON_STARTERS,
    DETERMINERS,
    DOCUMENTS,
    INVERTING_VERBS,
    ISSUING_VERBS,
    MASK,
    ORGANISATION_NOUNS,
    PREPOSITIONS,
    REPORTING_VERBS,
    SPEAKING_GROUPS,
    SPEECH_VERBS,
    WEEKDAYS,
    acronym,
    after_opening_clause,
    is_name_word,
    opens_description,
    possessive,
    spelled_out,
    without_starter,
)
from index.speaker_names import (
    ORGANISATION_WORDS,
    PREFIX_WORDS,
    TITLE_WORDS,
    NamePhrase,
    name_key,
    read_run,
    strip_possessive,
)

_NAME_CONNECTORS = ("of", "von", "der", "de", "bin", "al", "van", "la", "le", "&")
# lower-case words after a name that are not its verb
# a name right after one of these is a thing of someone's, not a person ("her Seattle Storm")
_POSSESSIVE_DETERMINERS = frozenset("his her their its our my your".split())
_AUXILIARIES = frozenset("will would can could may might must should does did".split())
_NOT_A_VERB = PREPOSITIONS | DETERMINERS | frozenset("and or in as".split())
_RELATIVE_PRONOUNS = frozenset("who whom whose which that".split())
# capitalised words before a title word that make it a title, not a surname ("Texas Governor"
# is a place's; "Aaron Judge" a person's)
NOT_GIVEN_NAMES = TITLE_WORDS | PREFIX_WORDS | ORGANISATION_WORDS | COMMON_STARTERS


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
        if is_people(" ".join(run)) and not self._person_named(run):
            return NamePhrase("", (), False, phrase.run)
        return phrase

    def is_place(self, run: list[str]) -> bool:
        """A country, capital or province, unless the article named a person so ("Michael
        Jordan" before "Jordan")."""
        return is_place(" ".join(run)) and not self._person_named(run)

    def _person_named(self, run: list[str]) -> bool:
        return name_key(" ".join(strip_possessive(w) for w in run)) in self.people

    def before(self, where: tuple[int, int]) -> list[Mention]:
        return [m for m in self.all if m.where < where]

    def collect(self, i: int, text: str) -> None:
        """Every capitalised run of a masked paragraph, as a person or organisation mention."""
        tokens = tokenize(text)
        j = 0
        while j < len(tokens):
            start, word = tokens[j]
            if not is_name_word(word) or _weekday(word):  # "Thursday's memo"
                j += 1
                continue
            run = [word]
            k = j + 1
            while not possessive(word) and k < len(tokens) and not _weekday(tokens[k][1]) and (
                    is_name_word(tokens[k][1]) or tokens[k][1] in _NAME_CONNECTORS
                    and k + 1 < len(tokens) and is_name_word(tokens[k + 1][1])):
                run.append(tokens[k][1])
                if possessive(tokens[k][1]):
                    k += 1
                    break
                k += 1
            run = without_starter(run)
            phrase = self.read(run) if run else None
            # a place is no one a pronoun or a role stands for
            if phrase is not None and (phrase.name or phrase.organisation) and not self.is_place(run):
                self.all.append(self._mention(i, tokens, j, k, phrase))
            if run:  # "the Russian defence ministry", "the New Hampshire attorney general's office"
                self._organisation_named_by_noun(i, tokens, j, k, run)
            j = k

    def _organisation_named_by_noun(self, i: int, tokens, j: int, k: int, run: list[str]) -> None:
        """"Lelands auction house", "the NWSL players association", "the Biden administration":
        the name and a common noun after it name an organisation, which "the association" may
        stand for later (a mention beside the name's own)."""
        end = k
        while end < len(tokens) and end < k + 3 and tokens[end][1][:1].islower() \
                and tokens[end][1].casefold() not in _NOT_A_VERB:
            end += 1
            if tokens[end - 1][1].casefold() in ORGANISATION_NOUNS:
                name = " ".join([*run, *(w for _, w in tokens[k:end])])
                self.all.append(Mention((i, tokens[j][0] + 1), name, True, opens=j == 0 or tokens[j - 1][1]
                                        in (".", "!", "?"), issued=_issued(tokens, j, end)))
                return

    def _mention(self, i: int, tokens, j: int, k: int, phrase: NamePhrase) -> Mention:
        """The mention of the name at tokens[j:k]."""
        before = tokens[j - 1][1].casefold() if j else ""
        after = tokens[k][1] if k < len(tokens) else ""
        opens = j == 0 or tokens[j - 1][1] in (".", "!", "?") or after_opening_clause(tokens, j)
        group = after.casefold() in SPEAKING_GROUPS  # "Bank of America analysts believe"
        acts = after[:1].islower() and (after.endswith(("ed", "s")) or after.casefold() in _AUXILIARIES) \
            and after.casefold() not in _NOT_A_VERB \
            and before not in PREPOSITIONS and not possessive(tokens[k - 1][1])
        reports = after.casefold() in REPORTING_VERBS or before in REPORTING_VERBS
        if phrase.organisation or before == "the" or reports or self.is_organisation_acronym(phrase.name):
            # "told CNN", "a statement to CNN" (not "according to CNN")
            objected = before in SPEECH_VERBS or before == "to" and not (
                j >= 2 and tokens[j - 2][1].casefold() == "according")
            return Mention((i, tokens[j][0]), self.expanded(phrase.name), True,
                           object_of_preposition=objected, issued=_issued(tokens, j, k),
                           opens=opens, acts=acts, group=group)
        inverted = before in INVERTING_VERBS and j >= 2 and (
            tokens[j - 2][1] == "," or tokens[j - 2][1].startswith(MASK))  # "…, said Cailin Birch"
        objected = not inverted and (before in PREPOSITIONS or before in SPEECH_VERBS  # "told Biden"
                                     or before in _POSSESSIVE_DETERMINERS)  # "her Seattle Storm"
        titles = phrase.titles + _role_words_before(tokens, j)
        name = self.fullest(phrase.name)
        if len(name.split()) >= 2:
            for part in name.split():
                self.people.setdefault(name_key(part), name)
            self.people[name_key(name)] = name
        speaks = inverted or after.casefold() in SPEECH_VERBS or _set_off_before_verb(tokens, j, k) \
            or _described_before_verb(tokens, k)
        return Mention((i, tokens[j][0]), name, False, titles, objected, speaks, _issued(tokens, j, k),
                       opens=opens, acts=acts and not objected, group=group,
                       described=_role_words_after(tokens, k))

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


def title_surnames(paragraphs: list[str]) -> frozenset[str]:
    """Title words the article uses as a person's surname: after a given name ending a run
    ("Yankees slugger Aaron Judge"), standing alone as a subject ("Judge said"), and never
    in front of a name ("Judge Amy Berman")."""
    after_name, alone, as_title = set(), set(), set()
    for paragraph in paragraphs:
        tokens = [w for _, w in tokenize(paragraph)]
        for n, word in enumerate(tokens):
            lowered = strip_possessive(word).casefold()
            if lowered not in TITLE_WORDS or not is_name_word(word):
                continue
            before = tokens[n - 1] if n else ""
            following = tokens[n + 1] if n + 1 < len(tokens) else ""
            if is_name_word(following) and not possessive(word):
                as_title.add(lowered)
            elif is_name_word(before) and before.casefold() not in NOT_GIVEN_NAMES:
                after_name.add(lowered)
            elif not is_name_word(before) and before.casefold() not in DETERMINERS:
                alone.add(lowered)
    return frozenset((after_name & alone) - as_title)


def _weekday(word: str) -> bool:
    return strip_possessive(word).casefold() in WEEKDAYS


def _set_off_before_verb(tokens, j: int, k: int) -> bool:
    """The name at tokens[j:k] is set off by commas after a role noun, right before a speech
    verb ("her husband, John Easterling, wrote"; not "police in Boise, Idaho, said")."""
    return j >= 2 and tokens[j - 1][1] == "," and tokens[j - 2][1][:1].islower() \
        and k + 1 < len(tokens) and tokens[k][1] == "," and tokens[k + 1][1].casefold() in SPEECH_VERBS


def _described_before_verb(tokens, k: int) -> bool:
    """A description set off by commas follows the name ending before tokens[k], and a speech
    verb the description ("Marta Ilves, a minister with the Harbour Church in Tartu, told")."""
    if k >= len(tokens) or tokens[k][1] != "," or not opens_description(tokens, k + 1):
        return False
    for n in range(k + 2, min(k + 25, len(tokens) - 1)):
        word = tokens[n][1]
        if word in (".", "!", "?", ";") or word.startswith(MASK):
            return False
        if word == ",":
            return tokens[n + 1][1].casefold() in SPEECH_VERBS
    return False


def _role_words_before(tokens, j: int) -> tuple[str, ...]:
    """Lower-case words right before a name, which "the spokesman" may later stand for
    ("spokesman" in "spokesman Zhao Lijian", "master" in "harbour master Tomas Berg")."""
    words = []
    for _, word in reversed(tokens[max(0, j - 4):j]):
        lowered = word.casefold()
        if not word[:1].isalpha() or lowered in DETERMINERS or lowered in PREPOSITIONS \
                or lowered in SPEECH_VERBS or lowered in ("in", "and", "or"):  # "a source in Colombo"
            break
        words.append(lowered)
    return tuple(words)


def _role_words_after(tokens, k: int) -> tuple[str, ...]:
    """The lower-case words of a description set off by a comma right after a name, when a
    preposition or a comma ends them (an apposition, not "…, the airline said"): ("leader",)
    of "Keir Starmer, the leader of the opposition", ("senior", "analyst") of "Michael Lasser,
    a senior analyst at UBS"."""
    if k + 2 >= len(tokens) or tokens[k][1] != "," or tokens[k + 1][1].casefold() not in ("the", "a", "an"):
        return ()
    end = k + 2
    while end < min(len(tokens), k + 7) and tokens[end][1][:1].islower() and tokens[end][1].isalpha() \
            and tokens[end][1] not in _NOT_A_VERB | SPEECH_VERBS | _RELATIVE_PRONOUNS:
        end += 1
    ended = end < len(tokens) and (tokens[end][1] == "," or tokens[end][1] in PREPOSITIONS)
    return tuple(w for _, w in tokens[k + 2:end]) if ended else ()


def _issued(tokens, j: int, k: int) -> tuple[str, ...]:
    """The document a name at tokens[j:k] puts out: "an update from (state agency) Cal Fire",
    "a report from the UN Environment Programme", "Daily Harvest sent the latest update"."""
    found = []
    n = j - 1
    while n >= 0 and n > j - 6 and tokens[n][1][:1].islower() and tokens[n][1] != "from":
        n -= 1
    if n >= 1 and tokens[n][1] == "from" and tokens[n - 1][1].casefold() in DOCUMENTS:
        found.append(tokens[n - 1][1].casefold())
    if k < len(tokens) and tokens[k][1].casefold() in ISSUING_VERBS:
        found += [w.casefold() for _, w in tokens[k + 1:k + 5] if w.casefold() in DOCUMENTS][:1]
    return tuple(found)
