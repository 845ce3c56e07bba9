"""What the words around a name say about it (index/quote_mentions.py): the role words before
it or in a description after it, whether a speech verb follows it, the document it puts out,
and the title words an article uses as surnames ("Aaron Judge")."""

from index.given_names import is_given_name
from index.quote_tokens import tokenize
from index.quote_words import (
    COMMON_STARTERS,
    DETERMINERS,
    DOCUMENTS,
    ISSUING_VERBS,
    MASK,
    PREPOSITIONS,
    RELATIVE_PRONOUNS,
    SPEECH_VERBS,
    WEEKDAYS,
    is_name_word,
    opens_description,
    possessive,
)
from index.speaker_names import ORGANISATION_WORDS, PREFIX_WORDS, TITLE_WORDS, strip_possessive

# lower-case words after a name that are not its verb
NOT_A_VERB = PREPOSITIONS | DETERMINERS | frozenset("and or in as".split())
# capitalised words before a title word that make it a title, not a surname ("Texas Governor"
# is a place's; "Aaron Judge" a person's)
NOT_GIVEN_NAMES = TITLE_WORDS | PREFIX_WORDS | ORGANISATION_WORDS | COMMON_STARTERS

def title_surnames(paragraphs: list[str]) -> frozenset[str]:
    """Title words the article uses as a person's surname, never in front of a name ("Judge
    Amy Berman"): after a first name of the Census lists ("former governor Howard Dean"), or
    after another name ending a run ("Yankees slugger Aaron Judge") and standing alone as a
    subject ("Judge said")."""
    after_given, after_name, alone, as_title = set(), set(), set(), set()
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
                if is_given_name(before):
                    after_given.add(lowered)
            elif not is_name_word(before) and before.casefold() not in DETERMINERS:
                alone.add(lowered)
    return frozenset(((after_name & alone) | after_given) - as_title)


def weekday(word: str) -> bool:
    return strip_possessive(word).casefold() in WEEKDAYS


def set_off_before_verb(tokens, j: int, k: int) -> bool:
    """The name at tokens[j:k] is set off by commas after a role noun, right before a speech
    verb ("her husband, John Easterling, wrote"; not "police in Boise, Idaho, said", nor the
    name closing another's description: "Marta Ilves, the leader of its youth wing, Harbour
    Future, said")."""
    if not (j >= 2 and tokens[j - 1][1] == "," and tokens[j - 2][1][:1].islower()
            and k + 1 < len(tokens) and tokens[k][1] == "," and tokens[k + 1][1].casefold() in SPEECH_VERBS):
        return False
    opening = next((n for n in range(j - 2, max(j - 14, 0), -1)
                    if tokens[n][1] in (",", ".", "!", "?", ";") or tokens[n][1].startswith(MASK)), None)
    return not (opening and tokens[opening][1] == "," and is_name_word(tokens[opening - 1][1]))


def described_before_verb(tokens, k: int) -> bool:
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


def role_words_before(tokens, j: int) -> tuple[str, ...]:
    """Lower-case words right before a name, which "the spokesman" may later stand for
    ("spokesman" in "spokesman Zhao Lijian", "master" in "harbour master Tomas Berg")."""
    words = []
    for _, word in reversed(tokens[max(0, j - 4):j]):
        lowered = word.casefold()
        if not word[:1].isalpha() or lowered in DETERMINERS or lowered in PREPOSITIONS \
                or lowered in SPEECH_VERBS or lowered in ("in", "and", "or") \
                or lowered in RELATIVE_PRONOUNS \
                or lowered.endswith("ed") and len(lowered) > 4:  # "an official characterized Berg's exit"
            break
        words.append(lowered)
    return tuple(words)


def role_words_after(tokens, k: int) -> tuple[str, ...]:
    """The lower-case words of a description set off by a comma right after a name, when a
    preposition or a comma ends them (an apposition, not "…, the airline said"): ("leader",)
    of "Keir Starmer, the leader of the opposition", ("senior", "analyst") of "Michael Lasser,
    a senior analyst at UBS"."""
    if k + 2 >= len(tokens) or tokens[k][1] != "," or tokens[k + 1][1].casefold() not in ("the", "a", "an"):
        return ()
    end = k + 2
    while end < min(len(tokens), k + 7) and tokens[end][1][:1].islower() and tokens[end][1].isalpha() \
            and tokens[end][1] not in NOT_A_VERB | SPEECH_VERBS | RELATIVE_PRONOUNS:
        end += 1
    ended = end < len(tokens) and (tokens[end][1] == "," or tokens[end][1] in PREPOSITIONS)
    return tuple(w for _, w in tokens[k + 2:end]) if ended else ()


def documents_issued(tokens, j: int, k: int) -> tuple[str, ...]:
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
