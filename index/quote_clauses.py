"""What the words around a speech verb say about who spoke, read on the masked paragraph's
tokens: a clause set off between a name and its verb, a name that opens its sentence or ends
it, a passive, "according to" after a said-clause, and verbs of more than one word ("went
on", "puts it")."""

from index.quote_tokens import DASHES
from index.quote_words import (
    DAY_NAMES,
    ISSUING_VERBS,
    MASK,
    PREPOSITIONS,
    SPEECH_VERBS,
    is_name_word,
    person_after_role,
)

# words before "to" and a speech verb that leave the subject its speaker ("went on to say")
LEADING_TO_SAY = frozenset("went goes go gone on continued continues wanted wants was is quick".split())
# words opening a clause set off between a subject and its verb
INTERRUPTION_OPENERS = frozenset("who whose during in at while also after before when like of".split())


def interruption_start(tokens, k: int) -> int | None:
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


def opens_sentence(tokens, k: int) -> bool:
    """The name ending at tokens[k], with any role words before it, opens its sentence
    or follows a dash ("Harbour pollster Marta Ilves: “…”", "Polls agree - Marta Ilves: “…”";
    not "told Tamm:", "said of journalist Ilves:")."""
    while k >= 0 and (is_name_word(tokens[k][1]) or tokens[k][1][:1].islower()
                      and tokens[k][1].casefold() not in _NOT_ROLE_BEFORE_NAME
                      and not tokens[k][1].endswith(("ing", "ed"))):
        k -= 1
    return k < 0 or tokens[k][1] in (".", "!", "?", *DASHES) or tokens[k][1].startswith(MASK)


def issuing_verb(words: list[str], document: int) -> int | None:
    """Where the verb is by which the sentence's subject puts out the document at
    words[document] ("Ilves issued a brief statement calling", "Berg's campaign sent out a
    press release saying"); None when someone else's is named ("a letter of Ilves's arguing")."""
    k = document - 1
    while k >= 0 and k > document - 5 and words[k] not in ISSUING_VERBS and words[k].isalpha() \
            and words[k].islower():
        k -= 1
    return k if k >= 0 and words[k] in ISSUING_VERBS else None


def puts_it(words: list[str], j: int) -> bool:
    """"as Marta Ilves puts it, “…”": "put" saying something only with "it" after it."""
    return words[j] in ("put", "puts") and j + 1 < len(words) and words[j + 1] == "it"


_PHRASAL_SAYING = {**dict.fromkeys(("went", "goes"), "on"),
                   **dict.fromkeys("shot shoots fired fires hit hits".split(), "back")}


def phrasal_saying(words: list[str], j: int) -> str | None:
    """"went on", "shot back" at words[j] saying something, only with nothing after it but
    the quotation ("“…,” Ilves went on.", "She shot back: “…”", "Ilves fired back at Berg";
    not "went on the offensive")."""
    particle = _PHRASAL_SAYING.get(words[j])
    if particle is None or words[j + 1:j + 2] != [particle]:
        return None
    after = words[j + 2] if j + 2 < len(words) else ""
    if not after or after in (",", ":", ".", ";") or after.startswith(MASK) \
            or particle == "back" and after in ("at", "with"):
        return f"{words[j]} {particle}"
    return None


def name_after_opening_clause(tokens) -> int | None:
    """Where the name starts that follows the sentence's opening clause, set off by a comma
    or ended by a quotation, when the clause holds the quotation; else None."""
    quoted = False
    for n in range(1, len(tokens) - 1):
        quoted = quoted or tokens[n][1].startswith(MASK)
        if (tokens[n][1] == "," or tokens[n][1].startswith(MASK)) and is_name_word(tokens[n + 1][1]):
            return n + 1 if quoted else None
    return None


def object_of_preposition(tokens, k: int) -> bool:
    """The name ending at tokens[k] follows a preposition ("written to Parliament"; not "with",
    which opens a clause of its own: "with Tomas Berg hailing it as “…”")."""
    while k >= 0 and is_name_word(tokens[k][1]):
        k -= 1
    return k >= 0 and tokens[k][1].casefold() in PREPOSITIONS and tokens[k][1].casefold() != "with"


def name_ends_sentence(tokens, k: int) -> bool:
    """A run of capitalised words at tokens[k] ends the sentence or its clause ("…, warned
    Harbour Board Chair Marta Ilves.", "…, said Harbour News, which …", "…, said Tartu
    University professor Marta Ilves.")."""
    end = _name_end(tokens, k)
    return end - k >= 2 and (end == len(tokens) or tokens[end][1] in (".", "!", "?", ",", ";"))


def name_before_quote(tokens, k: int) -> bool:
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


def time_before(tokens, k: int) -> bool:
    """"on Wednesday", "last Friday" at tokens[k - 1:k + 1], between a subject and its verb
    ("Putin on Wednesday said")."""
    return k >= 1 and tokens[k][1].casefold() in TIME_WORDS and tokens[k - 1][1].casefold() in (
        "on", "last", "this", "in")


PASSIVE_AUXILIARIES = frozenset("was were is are been being be".split())
MAIN_AUXILIARIES = frozenset("was were is are has have had".split())


def passive(words: list[str], j: int) -> bool:
    """The verb at words[j] is a passive past participle ("was described", "were widely
    criticised", "the route, described by Harbour News as"): its subject is what was spoken of,
    not who spoke."""
    if not words[j].endswith(("ed", "en", "lt")):
        return False
    k = j - 1
    while k >= 0 and words[k].endswith("ly"):
        k -= 1
    return k >= 0 and words[k] in PASSIVE_AUXILIARIES or j + 1 < len(words) and words[j + 1] == "by"


def clause_ends_after(words: list[str], j: int, quotation: int) -> bool:
    """The participle at words[j] sits in a clause set off before the main verb, which is the
    one the quotation at words[quotation] hangs on ("Ilves, after announcing her resignation,
    was praised as “…”")."""
    return any(words[k] == "," and words[k + 1] in MAIN_AUXILIARIES for k in range(j + 1, quotation - 1))


def reported_speech_before(words: list[str], j: int) -> bool:
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
