"""He or she for the people an article names, read from the article itself: a title or role
("Ms.", "spokeswoman", "her husband"), and the pronoun that follows a person opening a
sentence before anyone else is named ("Marta Ilves said she …"); failing those, the given
name (`given_names`). Quotations are masked out, so a quoted "he" votes for nobody."""

from collections import Counter

from index.given_names import gender_of
from index.quote_mentions import Mentions
from index.quote_tokens import tokenize
from index.quote_words import DAY_NAMES, is_name_word
from index.speaker_names import name_key

# only a subject's pronouns: "his" may be another's ("Marta Ilves, his wife, said")
_PRONOUNS = {"he": "he", "himself": "he", "she": "she", "herself": "she"}
_ROLES = {
    **dict.fromkeys("""mrs ms miss spokeswoman congresswoman chairwoman assemblywoman councilwoman
        businesswoman actress queen princess duchess lady dame madam wife mother daughter sister
        grandmother widow girlfriend""".split(), "she"),
    **dict.fromkeys("""mr spokesman congressman chairman assemblyman councilman businessman king
        prince duke lord sir husband father son brother grandfather widower boyfriend""".split(), "he"),
}
_SENTENCE_ENDS = (".", "!", "?", ";")
_SUBORDINATORS = frozenset("after before when while if though although since because as once until unless"
                           .split())


def genders(masked: list[str], mentions: Mentions) -> dict[str, str]:
    """Name key of each person's fullest name -> "he" or "she", where the article's evidence
    leans one way."""
    votes: dict[str, Counter] = {}
    tokens_of: dict[int, list[tuple[int, str]]] = {}
    for mention in mentions.all:
        if mention.organisation:
            continue
        key = name_key(mentions.fullest(mention.name))
        paragraph = mention.where[0]
        if paragraph not in tokens_of:
            tokens_of[paragraph] = tokenize(masked[paragraph])
        tokens = tokens_of[paragraph]
        n = next((n for n, (at, _) in enumerate(tokens) if at == mention.where[1]), None)
        for word in (*mention.titles, *mention.described, *_role_set_off_before(tokens, n)):
            if word in _ROLES:
                votes.setdefault(key, Counter())[_ROLES[word]] += 1
        pronoun = _pronoun_after(tokens, n) if mention.opens else None
        if pronoun:
            votes.setdefault(key, Counter())[pronoun] += 1
    shown = {key: count.most_common(1)[0][0] for key, count in votes.items()
             if len(count) == 1 or count["he"] != count["she"]}
    return {**_by_given_name(mentions), **shown}


def _by_given_name(mentions: Mentions) -> dict[str, str]:
    """Name key -> the gender of the person's given name, for each person named in full."""
    found = {}
    for mention in mentions.all:
        words = mentions.fullest(mention.name).split()
        if not mention.organisation and len(words) >= 2 and (gender := gender_of(words[0])):
            found[name_key(" ".join(words))] = gender
    return found


def _role_set_off_before(tokens: list[tuple[int, str]], n: int | None) -> tuple[str, ...]:
    """The role right before a comma before the name starting at tokens[n] ("his wife, Marta")."""
    if n is None or n < 2 or tokens[n - 1][1] != ",":
        return ()
    return (tokens[n - 2][1].casefold(),)


def _pronoun_after(tokens: list[tuple[int, str]], n: int | None) -> str | None:
    """The gender of the first person pronoun after the name starting at tokens[n], in its
    sentence, when no other name comes first."""
    if n is None:
        return None
    # "After Marta Ilves accused him, he warned": the clause the name is in ends at its comma
    clause_ends = (*_SENTENCE_ENDS, ",") if tokens[n][1].casefold() in _SUBORDINATORS else _SENTENCE_ENDS
    while n < len(tokens) and is_name_word(tokens[n][1]):
        n += 1
    for _, word in tokens[n:]:
        if word in clause_ends:
            return None
        lowered = word.casefold()
        if lowered in _PRONOUNS:
            return _PRONOUNS[lowered]
        if is_name_word(word) and lowered not in DAY_NAMES:
            return None
    return None
