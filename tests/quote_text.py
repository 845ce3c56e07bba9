"""Helpers for the quote tests: the quotations index/quotes.py finds in written text."""

from index.quotes import find_quotes


def speakers(paragraphs: list[str]) -> list[tuple[int, str, str]]:
    """(paragraph, speaker, form) of every quotation found."""
    return [(q.paragraph, q.speaker, q.form) for q in find_quotes(paragraphs)]


def quoted(paragraphs: list[str]) -> list[str]:
    return [paragraphs[q.paragraph - 1][q.start:q.end] for q in find_quotes(paragraphs)]
