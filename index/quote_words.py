"""The words attribution reads: speech verbs, pronouns, role nouns, sentence openers, and
names' small helpers (the index/quote_*.py rules use them; index/quote_tokens.py splits a
paragraph into tokens)."""

import re

from index.place_names import is_place
from index.speaker_names import TITLE_WORDS

SPEECH_VERBS = frozenset("""
said says say told tells added adds continued continues noted notes wrote writes argued
argues insisted insists explained explains warned warns stressed stresses asked asks
replied replies declared declares announced announces stated states tweeted tweets posted
claimed claims acknowledged acknowledges admitted admits recalled recalls urged urges
predicted predicts suggested suggests testified testifies conceded concedes concluded
emphasized emphasised remarked responded responds observed vowed vows pledged cautioned
complained lamented joked quipped described describes called calls told
saying telling adding writing noting warning arguing insisting explaining stressing
expressed reiterated reiterates confirmed confirms exclaimed exclaims
promised promises praised hailed criticised criticized slammed blasted accused accuses denied
denies revealed reveals disclosed apologised apologized labelled labeled dismissed condemned
decried branded written threatened demanded boasted thanked lauded touted applauded referred
calling describing urging claiming announcing declaring vowing pledging predicting promising
praising hailing criticising criticizing accusing denying revealing labelling labeling branding
barked snapped retorted countered answered interjected agreed agrees charged
reported bemoaned pointed assured mused fumed scoffed recounted
opined marveled marvelled blogged proclaimed proclaims boomed shouted yelled asserted asserts
contended contends echoed stating questioned shouting tweeting blamed defended welcomed pressed
beamed mocked mocks points elaborated indicated assures
""".split())
# verbs that come before their speaker in news ("…,” said Name)
INVERTING_VERBS = frozenset("""said says added adds continued wrote writes asked asks explained noted
tweeted posted stated argued recalled warned exclaimed exclaims declared declares insisted insists
replied replies responded answered countered reported concluded recounted mused questioned
pressed beamed agreed agrees elaborated""".split())
# verbs whose subject is a news outlet ("Harbour Radio reported"), not a person a pronoun stands for
REPORTING_VERBS = frozenset("reported reports".split())
# the speaker goes on: the pronoun is the last speaker, not the last name mentioned
CONTINUING_VERBS = frozenset("added adds continued continues went".split())
# between a speaker and the verb: "Biden has also said", "he later told"
BETWEEN = frozenset("""also later then previously once recently further has have had would will
was is again earlier reportedly repeatedly publicly privately simply flatly quickly meanwhile
too however may might could should must can himself herself themselves itself""".split())
# words opening a clause before the subject ("After the vote, …", "Separately, …")
# a span of time opening a sentence ("Hours later, …"): a clause before the subject, no name
TIME_SPANS = frozenset("hours days weeks months years minutes moments".split())
CLAUSE_OPENERS = TIME_SPANS | frozenset("""in on at for from with as after before when while if
though although
since because meanwhile however still also separately similarly nevertheless moreover additionally
furthermore overall finally now today yesterday later earlier instead indeed despite amid during
ahead beyond under without within across among through upon once like unlike""".split())
WEEKDAYS = frozenset("monday tuesday wednesday thursday friday saturday sunday".split())
DAY_NAMES = WEEKDAYS | frozenset("""january february march april june july august september october november
december""".split())
PERSON_PRONOUNS = frozenset({"he", "she"})
ORGANISATION_PRONOUNS = frozenset({"it", "they"})
DETERMINERS = frozenset("the a an his her its their our".split())
RELATIVE_PRONOUNS = frozenset("who whom whose which that".split())
PREPOSITIONS = frozenset("of to with by for about from on at against than like".split())
# a role that speaks for an organisation named in front of it ("Cal Fire officials") ...
SPOKESPEOPLE = frozenset("""representative representatives spokesperson spokespeople spokesman
spokeswoman statement release update report official officials analyst analysts executive executives
researchers leaders""".split())
# ... and, with no organisation named in front, one that speaks for the organisation last named
SPEAKS_FOR_LAST_ORGANISATION = frozenset("""representative representatives spokesperson spokespeople
spokesman spokeswoman statement release update""".split())
# people who speak for the organisation named before them, "they" afterwards
SPEAKING_GROUPS = frozenset("""analysts officials executives researchers leaders representatives
spokespeople economists lawyers""".split())
# what an organisation or person puts out, which then "says" or "reads"
DOCUMENTS = frozenset("""statement release update report post letter text message email tweet
document notice memo filing""".split())
# verbs whose subject is a document ("the park's release reads", "a statement that read:")
DOCUMENT_VERBS = frozenset("reads read states".split())
# verbs by which a mention puts a document out ("Daily Harvest sent the latest update")
ISSUING_VERBS = frozenset("released issued published posted sent put shared".split())
# a word before a name ending so is a person's role ("resident", "astronaut", "member")
AGENT_ENDINGS = ("er", "or", "ist", "ian", "ent", "ant", "naut", "man", "woman", "member")
# a party member ("the Democrat") and the words naming the party in front of a name
PARTY_FORMS = {"democrat": {"democrat", "democratic"}, "republican": {"republican", "gop"}}
# capitalised words in a role that are not an organisation ("the Republican leader")
PERSON_ROLE_PREFIXES = frozenset("""republican democratic democrat conservative liberal labour
senior former chief vice deputy acting interim""".split())
# common nouns that name an organisation after a name ("the Biden administration") and stand
# for it alone ("the association said")
ORGANISATION_NOUNS = frozenset("""ministry department company agency administration office
campaign association union league federation group network airline carrier committee council
commission party bank institute foundation""".split())
ROLE_TAKES_ORGANISATION = ORGANISATION_NOUNS | frozenset("""government police court military army
statement""".split())
MASK = "\ue000"
# a sentence this short right after a quotation may be its attribution ("Makar said after the game.")
SHORT_ATTRIBUTION_WORDS = 16
SENTENCE_END_RE = re.compile(r"[.!?](?=\s+[A-Z\ue000“\"])")





def subject_start(tokens, start: int, end: int) -> int:
    """Where the subject starts after an opening clause set off by a comma ("Taking to her
    website, Marta Ilves announced …", "Separately, the Port Authority has written …")."""
    opener = tokens[start][1]
    if not (opener.casefold() in CLAUSE_OPENERS or opener.casefold() in PREPOSITIONS or _adverb(opener)
            or opener.endswith("ing") and opener[1:].islower() and start + 1 < end
            and tokens[start + 1][1][:1].islower()):  # "Taking to …", not "Outgoing Harbour Gov."
        return start
    comma = next((n for n in range(start + 1, end) if tokens[n][1] == ","), None)
    if comma is None or comma + 1 >= end:
        return start
    place = comma + 1  # "Speaking in Salem, New Hampshire, Ilves said": the state is no subject
    while place < end and is_name_word(tokens[place][1]):
        place += 1
    if place + 1 < end and tokens[place][1] == "," \
            and is_place(" ".join(w for _, w in tokens[comma + 1:place])):
        return place + 1
    return comma + 1


def after_opening_clause(tokens, j: int) -> bool:
    """tokens[j] is the subject after its sentence's opening clause ("In her statement
    Saturday, Marta Ilves went further")."""
    start = j
    while start > 0 and tokens[start - 1][1] not in (".", "!", "?"):
        start -= 1
    return start < j and tokens[j - 1][1] == "," and subject_start(tokens, start, j + 1) == j


def acronym(name: str) -> bool:
    return 2 <= len(name) <= 6 and name.isalpha() and name.isupper()


SMALL_WORDS_IN_NAMES = frozenset("and for of the on & in".split())


def spelled_out(acronym: str, paragraphs: list[str]) -> str | None:
    """The capitalised words whose initials spell the acronym (small words allowed between)."""
    for paragraph in paragraphs:
        words = re.findall(r"[\w&’'-]+", paragraph)
        for start, word in enumerate(words):
            if word[:1] != acronym[0] or not word[:1].isupper() or word == acronym:
                continue
            letters, end = 0, start
            while end < len(words) and letters < len(acronym):
                if words[end][:1] == acronym[letters] and not (len(words[end]) > 1 and words[end].isupper()):
                    letters, end = letters + 1, end + 1
                elif words[end].casefold() in SMALL_WORDS_IN_NAMES and letters:
                    end += 1
                else:
                    break
            if letters == len(acronym):
                tail = end
                while tail < len(words) and words[tail].casefold() in ("and",) and tail + 1 < len(words) \
                        and words[tail + 1][:1].isupper() and words[tail + 1] != acronym \
                        and not possessive(words[tail + 1]):
                    tail += 2  # "Centers for Disease Control and Prevention"
                return " ".join(words[start:tail])
    return None


def opens_description(tokens, k: int) -> bool:
    """", the head of …", ", chief medical officer …", ", Netflix's chief operating officer";
    not ", according to …" nor ", arrested 31 men"."""
    word = tokens[k][1] if k < len(tokens) else ""
    if word.casefold() in DETERMINERS or word in TITLE_WORDS:
        return True
    if word in ("head", "member") and k + 1 < len(tokens) and tokens[k + 1][1] == "of":
        return True  # ", head of the smallpox secretariat,"
    return possessive(word) and k + 1 < len(tokens) and tokens[k + 1][1] in TITLE_WORDS


def abbreviation_before(text: str, full_stop: int) -> bool:
    """The full stop ends "Dr", "Sen" or an initial, not a sentence."""
    word = text[:full_stop].rsplit(None, 1)[-1] if text[:full_stop].strip() else ""
    return word.casefold() in ABBREVIATED_TITLES or len(word) == 1 and word.isupper()


def without_starter(run: list[str]) -> list[str]:
    """A run without a capitalised sentence opener ("Meanwhile Biden" -> "Biden"; "WHO" is
    an acronym, not "Who")."""
    while run and (run[0].casefold() in COMMON_STARTERS and not acronym(run[0]) or _adverb(run[0])
                   or _participle(run[0])):
        run = run[1:]
    return run


def _participle(word: str) -> bool:
    """"Understated", "Embattled", "Disgraced": a participle describing the name after it
    ("Embattled Ilves resigns"), no given name ("Mohammed", "Reed")."""
    return len(word) >= 7 and word[1:].islower() and word.endswith(
        ("ated", "tled", "ered", "aced", "cted", "ised", "ized", "ssed"))


def _adverb(word: str) -> bool:
    """"Particularly", "Ultimately", "Reportedly": a sentence's adverb, no name ("Kelly",
    "Donnelly", "Kimberly")."""
    return len(word) >= 7 and word[1:].islower() and word.endswith(
        ("ally", "ely", "ntly", "ully", "arly", "ably", "ibly", "ssly", "edly", "ily", "rtly"))


def person_pronoun(word: str) -> str | None:
    """"he" or "she", also contracted ("He’s running …, declaring that he …"), else None."""
    lowered = word.casefold()
    for ending in ("’s", "'s", "’d", "'d", "’ll", "'ll"):
        if lowered.endswith(ending):
            lowered = lowered[: -len(ending)]
            break
    return lowered if lowered in PERSON_PRONOUNS else None


def possessive(word: str) -> bool:
    """"Berg's", and a name ending in s with the apostrophe alone ("Harbour News’")."""
    return word.endswith(("'s", "’s")) or word.endswith(("s'", "s’")) and word[:1].isupper()


def is_name_word(word: str) -> bool:
    return word[:1].isupper() and word != MASK and not word.startswith(MASK) \
        and not word.endswith(("n't", "n’t"))  # "Don’t Republicans …"


ABBREVIATED_TITLES = frozenset("mr mrs ms dr sen rep gov gen lt sgt col capt prof st jr sr rev adm cmdr"
                                .split())
RUN_CONNECTORS = ("of", "von", "der", "de")
# verbs before a name they give ("whom she called “Doo.”"), not a quotation
NAMING_VERBS = frozenset("called calls named dubbed nicknamed titled".split())
TITLE_SMALL_WORDS = frozenset("a an the of and or in on at to for with".split())
# Capitalised at a sentence's start without being a name.
COMMON_STARTERS = TIME_SPANS | frozenset("""the a an but and or so yet it he she they we i this that
these those
there here in on at for from with as after before when while if though although since because
his her their its our my your what who why how where which meanwhile however still also all just
monday tuesday wednesday thursday friday saturday sunday january february march april may june
july august september october november december officials authorities experts analysts critics
residents doctors scientists researchers witnesses protesters investigators prosecutors lawmakers
sources reports documents police firefighters instead indeed separately similarly nevertheless
moreover additionally furthermore overall finally now today yesterday later earlier despite beyond
during amid under without within across among through upon once then maybe perhaps is are was were
did does do nor to by both even like likewise unlike over last not no yes only every each some many
most few several one two three four five six seven eight nine ten asked according following
including given nobody everyone everybody someone somebody anyone anybody""".split())


_NOT_ROLE_WORDS = frozenset("and or but who which that in as".split())


def person_after_role(tokens, k: int) -> int | None:
    """Where a name starts after one to three role words that follow another capitalised run
    ("UBS retail analyst Michael Lasser", "White House press secretary Karine Jean-Pierre",
    "Tartu University professor and engineer Marta Ilves", "Harbour News editor-in-chief
    Marta Ilves"), or after them and a comma ("Estonia’s harbour minister, Marta Ilves"),
    else None."""
    end = k
    while end < min(k + 4, len(tokens)) and (_role_word(tokens[end][1]) or (  # "professor and biochemist"
            tokens[end][1] == "and" and k < end < len(tokens) - 1 and _role_word(tokens[end + 1][1]))):
        end += 1
    if k < end and end + 1 < len(tokens) and tokens[end][1] == "," and is_name_word(tokens[end + 1][1]):
        end += 1
    return end if k < end < len(tokens) and is_name_word(tokens[end][1]) else None


# role nouns of an election that stand before a name like an agent noun
_CANDIDATES = frozenset("nominee candidate hopeful front-runner frontrunner".split())


def person_after_agent(tokens, k: int) -> int | None:
    """Where a name starts after role words ending in an agent noun right after the run
    ending before tokens[k] ("Berg consultant Jake Tamm", "Republican presidential nominee
    Jake Tamm"; not "Berg hopes Tamm"), else None."""
    person = person_after_role(tokens, k)
    if person is None or tokens[person - 1][1] == ",":
        return None
    role = tokens[person - 1][1].casefold()
    return person if role in TITLE_WORDS or role in _CANDIDATES or role.endswith(AGENT_ENDINGS) else None


def _role_word(word: str) -> bool:
    return word[:1].islower() and word.replace("-", "").isalpha() \
        and word not in DETERMINERS | PREPOSITIONS | SPEECH_VERBS | _NOT_ROLE_WORDS
