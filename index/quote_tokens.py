"""A paragraph as the tokens attribution reads (index/quote_*.py): words, quotation masks,
punctuation and dashes, without what only looks like part of a name (a dateline, a party
bracket) or like a sentence's end (a title's or an initial's full stop); and headlines,
which name nobody."""

import re

from index.quote_words import ABBREVIATED_TITLES, COMMON_STARTERS, TITLE_SMALL_WORDS, is_name_word

HEADLINE_WORDS = 20
# words (initials and "U.S" keep inner full stops), quotation masks, punctuation and dashes
# ("Marta Ilves - his wife - said" is no name "Marta Ilves His")
DASHES = ("—", "–", "―", "-", "--")
WORD_RE = re.compile(r"[^\W\d_](?:[\w'’-]|\.(?=[^\W\d_]))*|\ue000+|[,:;.!?()&—–―]|(?<=\s)--?(?=\s)",
                     re.UNICODE)


def is_headline(paragraph: str) -> bool:
    """A headline or subheading: short, and either no sentence's end closes it or its words
    are in title case ("Republicans Finally Confirm A Judge. Is This The Last One?")."""
    words = paragraph.split()
    if not 4 <= len(words) <= HEADLINE_WORDS:  # not a name standing alone ("Marta Ilves")
        return False
    content = [w for w in words if w[:1].isalpha() and w.casefold() not in TITLE_SMALL_WORDS]
    title_case = len(content) >= 3 and all(w[:1].isupper() for w in content)
    return title_case or not paragraph.rstrip("”’\"')] ").endswith((".", "!", "?", ":", "…"))


def tokenize(text: str, offset: int = 0) -> list[tuple[int, str]]:
    """(start, word) of the words, masks and punctuation, without a dateline, without the
    full stop of an abbreviated title ("Dr. Rituparna Das" reads as one name) or of an
    abbreviation before a comma, and without a party bracket after a name."""
    dateline = DATELINE_RE.match(text)
    at = dateline.end() if dateline else 0
    tokens = [(offset + m.start(), m.group()) for m in WORD_RE.finditer(text, at)]
    tokens = [t for j, t in enumerate(tokens)  # not "Dr." nor the full stop in "Flint, Mich., said"
              if not (t[1] == "." and j and tokens[j - 1][1].casefold() in ABBREVIATED_TITLES
                      or t[1] == "." and j + 1 < len(tokens) and tokens[j + 1][1] == ",")]
    return _without_party_brackets(_with_initials(tokens))


INITIALS_RE = re.compile(r"[A-Z](?:\.[A-Z])*")


def _with_initials(tokens: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """An initial keeps its full stop inside a name ("George W. Bush", "Chairman G.K.
    Butterfield"): no sentence ends there."""
    out: list[tuple[int, str]] = []
    for j, (start, word) in enumerate(tokens):
        following = tokens[j + 1][1] if j + 1 < len(tokens) else ""
        if word == "." and out and INITIALS_RE.fullmatch(out[-1][1]) and is_name_word(following) \
                and following.casefold() not in COMMON_STARTERS and (  # not "in Washington, D.C. He"
                    len(out) == 1 or is_name_word(out[-2][1]) or out[-2][1] in (".", "!", "?")):
            out[-1] = (out[-1][0], out[-1][1] + ".")
            continue
        out.append((start, word))
    return out


# a paragraph's dateline ("MIAMI — ", "PORTLAND, Maine - ", "PARIS, Aug 31 (Reuters) – ",
# "Washington (AFP) – "), not part of the name after it
DATELINE_RE = re.compile(r"(?:[A-Z][A-Z.'’]+(?: [A-Z][A-Z.'’]+)*(?:, [A-Z][\w.]*(?: [A-Z][\w.]*)?)?"
                         r"(?:,? [A-Z][a-z]{2,8}\.? \d{1,2})?(?: \([A-Z][\w ]*\))?"
                         r"|[A-Z][a-z]+(?: [A-Z][a-z]+)* \([A-Z][\w ]*\))(?: [—–―-]| ?[—–―]) ?")
PARTY_BRACKET_RE = re.compile(r"[DRI](?:-[A-Z][\w.]*)?$")  # "(D)", "(R-Wis.)", "(I-Vt.)"


def _without_party_brackets(tokens: list[tuple[int, str]]) -> list[tuple[int, str]]:
    """Without a short bracket after a name ("Sen. Marta Ilves (R-Wis.) said", "Ilves (D)"):
    the name's party and state, between the name and its verb."""
    out, j = [], 0
    while j < len(tokens):
        if tokens[j][1] == "(" and out and is_name_word(out[-1][1]) and j + 1 < len(tokens) \
                and PARTY_BRACKET_RE.match(tokens[j + 1][1]):
            close = next((k for k in range(j + 1, min(j + 6, len(tokens))) if tokens[k][1] == ")"), None)
            if close is not None and all(is_name_word(w) or w in ".,-" for _, w in tokens[j + 1:close]):
                j = close + 1
                continue
        out.append(tokens[j])
        j += 1
    return out


