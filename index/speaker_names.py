"""Names in news prose without an NER model: runs of capitalised words, the titles and roles
in front of them ("Foreign Ministry spokesman Zhao Lijian"), and the aliases a reader
types for a speaker (the surname, the name without titles)."""

import re
from dataclasses import dataclass

from index.given_names import is_given_name

# Words that make a capitalised run a title or role rather than part of a person's name.
TITLE_WORDS = frozenset("""
president vice secretary state minister prime foreign spokesman spokeswoman spokesperson
sen senator rep representative gov governor dr mr mrs ms miss chief executive ceo cfo coo
director general gen judge justice pope king queen prince princess chairman chairwoman chair
commissioner mayor attorney officer adviser advisor leader speaker majority minority former
acting deputy ambassador coach manager professor prof sir dame lord lady col colonel lt sgt
capt captain admiral adm commander cmdr rev reverend father sister brother dean founder
co-founder host anchor correspondent reporter editor analyst economist strategist official
senior top assistant associate emeritus sheriff trooper detective sergeant inspector
superintendent principal pastor bishop rabbi imam nurse ranger chancellor premier lawmaker
congressman congresswoman assemblyman assemblywoman assemblymember councilman councilwoman
councilmember marshal warden counsel
solicitor treasurer auditor trustee administrator owner physician scientist researcher
epidemiologist virologist doctor meteorologist forecaster historian expert coordinator
""".split())
# Words that may stand before a title without being a name ("U.S. Defense Secretary").
PREFIX_WORDS = frozenset("""
defense defence health finance treasury interior justice homeland security national press
white house fed federal reserve u.s us uk un eu nato cnn bbc republican democratic democrat
gop labour conservative new york times washington police state foreign
""".split())

# A run holding one of these names an organisation, not a person.
ORGANISATION_WORDS = frozenset("""
house ministry department administration agency office council committee commission
company corporation corp inc ltd llc group party bank reserve police court army military
government kremlin pentagon university institute association union organization
organisation federation service services authority board foundation network airlines
news times post press journal cnn bbc nasa fbi cia nato who eu un fed senate congress parliament
tribunal bureau centre center club team league school hospital campaign alliance county
city park street avenue river island church front movement coalition institute museum
division program programme unit laboratory lab centers centres corps
""".split())

# words above that are acronyms: such only in capitals ("Kim Jong Un" is not the UN)
_ACRONYMS = frozenset("un us uk eu".split())

# Lower-case words allowed inside a name ("Secretary of State", "Ursula von der Leyen").
_MAX_NAME_WORDS = 4
_ROLE_ENDINGS = ("er", "or", "ist", "ian", "ant", "naut")
_CONNECTORS = frozenset("of de da del der van von bin bint al el la le du dos y".split())


@dataclass(frozen=True)
class NamePhrase:
    """A capitalised run split into its person name and what stood in front of it."""

    name: str  # the name with titles taken off; "" when the run is all title
    titles: tuple[str, ...]  # lower-case title/role words in front of the name
    organisation: bool  # the run names an organisation ("the White House", "Ministry of ...")
    run: str  # the run as written


def is_capitalised(token: str) -> bool:
    return token[:1].isupper()


def strip_possessive(token: str) -> str:
    for ending in ("'s", "’s", "'", "’"):
        if token.endswith(ending):
            return token[: -len(ending)]
    return token


def read_run(words: list[str], surnames: frozenset[str] = frozenset()) -> NamePhrase:
    """A run of capitalised words (connectors allowed inside) as a name and its titles;
    `surnames`: title words the article uses as a person's surname ("Aaron Judge")."""
    words = [strip_possessive(w.rstrip(".,")) if i == len(words) - 1 else w.rstrip(",")
             for i, w in enumerate(words)]
    if "of" in words[2:]:  # "Rep. Carolyn Maloney of New York": the person, not the place
        person = read_run(words[:words.index("of", 2)], surnames)
        if not person.organisation and len(person.name.split()) >= 2:
            return NamePhrase(person.name, person.titles, False, " ".join(words))
    lowered = [_title_form(w.casefold().rstrip(".")) for w in words]
    # an acronym only in capitals: "Kim Jong Un" is not the UN
    lowered = [f"{w}~" if w in _ACRONYMS and not word.isupper() else w
               for w, word in zip(lowered, words, strict=True)]
    organisation = any(w in ORGANISATION_WORDS for w in lowered) or "&" in words  # "Bed Bath & Beyond"
    # the name is the longest tail of non-title words; a connector joins two name words
    not_name = TITLE_WORDS | PREFIX_WORDS
    start = len(words)
    if lowered[-1] in surnames:
        start -= 1
    while start > 0:
        word = lowered[start - 1]
        if word in not_name or word in _CONNECTORS and (start < 2 or lowered[start - 2] in not_name) \
                or _role_compound(words[start - 1]):
            break
        start -= 1
    while start < len(words) and lowered[start] in _CONNECTORS:
        start += 1
    role_first = start == 0 and _role_before_given_name(words)
    start += role_first
    if start == len(words) and lowered[-1] not in TITLE_WORDS:
        start -= 1  # "White said": a surname that is also a prefix word
    name_words = words[start:]
    if len(name_words) > _MAX_NAME_WORDS:  # "Bipartisan Infrastructure Law Coordinator Mitch Landrieu"
        name_words = name_words[-2:]
    titles = tuple(w for n, w in enumerate(lowered[:start])
                   if w in not_name or _role_compound(w.capitalize()) or role_first and n == 0)
    if organisation and not (titles and name_words and not _has_org_word(name_words)):
        return NamePhrase(" ".join(words), (), True, " ".join(words))
    return NamePhrase(" ".join(name_words), titles, False, " ".join(words))


def _role_before_given_name(words: list[str]) -> bool:
    """"Sociologist Jake Rosenfield", "Biographer Martin Brecht": a capitalised role (by its
    ending) before a first name of the Census lists opens a sentence."""
    return len(words) >= 3 and words[0].casefold().endswith(_ROLE_ENDINGS) \
        and not is_given_name(words[0]) and is_given_name(words[1])


def _role_compound(word: str) -> bool:
    """"Oscar-winner", "Nobel-winning", "Ex-senator": a role, not a name ("Ocasio-Cortez",
    "Dong-hyuk")."""
    head, _, tail = word.partition("-")
    return head[:1].isupper() and tail.isalpha() and tail.islower() and len(tail) >= 5 \
        and tail.endswith(("er", "or", "ist", "ing", "ate", "ee", "ent"))


def _title_form(word: str) -> str:
    """A hyphenated title ("director-general", "editor-in-chief") read as its first title word."""
    parts = word.split("-")
    if len(parts) > 1 and all(p in TITLE_WORDS or p == "in" for p in parts):
        return parts[0]
    return word


def _has_org_word(words: list[str]) -> bool:
    return any(w.casefold() in ORGANISATION_WORDS for w in words)


def aliases_of(name: str) -> tuple[str, ...]:
    """What a reader may call a speaker: the full name, its last and (for names of three or
    more words, or with a hyphenated given name) its first word, and first + last word."""
    words = name.split()
    while len(words) > 2 and name_key(words[-1]) in GENERATIONS:  # "Robert F. Kennedy Jr.": Kennedy
        words = words[:-1]
    if len(words) >= 3:  # "George W. Bush": no middle initial in an alias
        words = [w for n, w in enumerate(words) if n in (0, len(words) - 1) or not _INITIAL_RE.fullmatch(w)]
    found = [name]
    if len(words) >= 2:
        found.append(words[-1])
        found.append(f"{words[0]} {words[-1]}")
        if "-" in words[-1] or len(words) >= 3:  # "Hwang Dong-hyuk": the family name first
            found.append(words[0])
    return tuple(dict.fromkeys(a for a in found if len(a) >= 2))


GENERATIONS = frozenset("jr sr ii iii iv".split())
_INITIAL_RE = re.compile(r"(?:[A-Z]\.)+")


def surname_key(key: str) -> str:
    """The last word of a folded name that is not a generation ("robert f kennedy jr" -> "kennedy")."""
    words = key.split()
    while len(words) > 1 and words[-1] in GENERATIONS:
        words = words[:-1]
    return words[-1] if words else ""


def name_key(name: str) -> str:
    """A name folded for comparison: case, apostrophes and hyphens."""
    return " ".join(re.sub(r"[’'`.-]", "", name.casefold()).split())
