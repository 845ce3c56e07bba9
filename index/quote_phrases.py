"""The noun phrases around an attribution's subject, read on the masked paragraph's tokens
(index/quote_subjects.py): a document's author ("a study by …"), a name set off after a
description, a party word used as a noun ("the Democrat"), and where a noun phrase ends."""

from index.quote_mentions import Mentions
from index.quote_words import DOCUMENTS, MASK, PREPOSITIONS, RELATIVE_PRONOUNS, is_name_word, possessive
from index.speaker_names import PREFIX_WORDS, name_key


def author_after_document(tokens, j: int) -> int | None:
    """Where the author's name starts after a document opening at tokens[j] ("an analysis
    this week by Harbour Watch", "a study from the Port Institute"), else None."""
    document = next((n for n in range(j + 1, min(j + 4, len(tokens)))
                     if tokens[n][1].casefold() in REPORTS), None)
    if document is None:
        return None
    for n in range(document + 1, min(document + 5, len(tokens) - 1)):
        word = tokens[n][1]
        if word in ("by", "from") and is_name_word(tokens[n + 1][1]):
            return n + 1
        if word in ("by", "from") and tokens[n + 1][1].casefold() == "the" and n + 2 < len(tokens) \
                and is_name_word(tokens[n + 2][1]):
            return n + 2
        if not word[:1].islower() or word in (",", "."):
            return None
    return None


# what a body publishes and is quoted from ("according to a report by …")
REPORTS = DOCUMENTS | frozenset("analysis study survey research investigation review poll".split())


def name_set_off_after(tokens, j: int) -> int | None:
    """Where a name starts that a comma sets off after the description opening at tokens[j]
    and that ends the sentence or its own clause ("the port's director, Marta Ilves."), else None."""
    for n in range(j + 1, min(j + 8, len(tokens) - 1)):
        word = tokens[n][1]
        if word.startswith(MASK) or word in (".", "!", "?", ";", ":") or word.casefold() in _RELATIVE_OR_VERB:
            return None
        if word == ",":
            end = n + 1
            while end < len(tokens) and is_name_word(tokens[end][1]) and not possessive(tokens[end][1]):
                end += 1
            after = end
            if after + 1 < len(tokens) and tokens[after][1] == "of":  # "…, Rep. Marta Ilves of Tartu."
                after += 1
                while after < len(tokens) and is_name_word(tokens[after][1]):
                    after += 1
            closed = after == len(tokens) or tokens[after][1] in (",", ".", "!", "?", ";")
            return n + 1 if end > n + 1 and closed else None
    return None


_RELATIVE_OR_VERB = RELATIVE_PRONOUNS | frozenset("and or is was are were has have had".split())


def adjective_as_noun(run: list[str], written: list[str], mentions: Mentions) -> bool:
    """"The Democrat", "the Republican": a word that stands before names ("Democratic Sen.
    Jane Roe") used as a noun for a person after "the", and not a name the article gives."""
    return len(run) == 1 and any(w.casefold() == "the" for w in written[:-1]) \
        and run[0].casefold() in PREFIX_WORDS and not mentions.read(run).organisation \
        and name_key(run[0]) not in mentions.people


def alone(tokens, k: int) -> bool:
    """The word at tokens[k] opens its sentence or clause (after "and", a comma or a quotation)."""
    return k == 0 or tokens[k - 1][1] in (".", "!", "?", ",", ";", ":") or tokens[k - 1][1].startswith(MASK) \
        or tokens[k - 1][1].casefold() in ("and", "but")


def ends_noun_phrase(tokens, k: int) -> bool:
    """Nothing of the noun phrase follows at tokens[k] ("said the Republican, who …", not "the
    US government's report")."""
    return k >= len(tokens) or tokens[k][1] in (",", ".", ";", ":", "!", "?", "(") \
        or tokens[k][1].casefold() in PREPOSITIONS or tokens[k][1].casefold() in ("in", "who")


def inside_description(tokens, k: int) -> bool:
    """The name ending at tokens[k] is the object of a preposition ("the managing partner of
    Indigo Partners, Frontier's majority shareholder"): part of an earlier description."""
    while k > 0 and is_name_word(tokens[k - 1][1]):
        k -= 1
    return k > 0 and tokens[k - 1][1].casefold() in PREPOSITIONS
