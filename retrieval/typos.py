"""Typo tolerance: a word the index has never seen that is one edit from a word of the top passages."""

from index.store import StoredPassage


def likely_typos(stem_counts: dict[str, int], passages: list[StoredPassage]) -> set[str]:
    """The stems no passage of the index holds (stem_counts: stem -> passages holding it)
    that are one edit from a word of these passages."""
    unseen = [s for s, n in stem_counts.items() if not n and len(s) >= 4]
    if not unseen:
        return set()
    present = frozenset().union(*(p.words for p in passages))
    return {stem for stem in unseen if one_edit_from(stem, present)}


def one_edit_from(word: str, vocabulary: set[str]) -> bool:
    """Whether some word of the vocabulary is one edit (Damerau) away from `word`."""
    for other in vocabulary:
        # one edit leaves the first or the second letter in place
        if abs(len(other) - len(word)) > 1 or (other[0] != word[0] and other[1:2] != word[1:2]):
            continue
        if len(other) == len(word):
            differ = [i for i, (a, b) in enumerate(zip(word, other, strict=True)) if a != b]
            if len(differ) == 1 or (
                len(differ) == 2 and differ[1] == differ[0] + 1
                and word[differ[0]] == other[differ[1]] and word[differ[1]] == other[differ[0]]
            ):
                return True
            continue
        shorter, longer = sorted((word, other), key=len)
        if any(longer[:i] + longer[i + 1:] == shorter for i in range(len(longer))):
            return True
    return False
