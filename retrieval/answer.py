"""What a search returns: ranked passages with citations, or a reason there are none."""

from dataclasses import dataclass

from index.passages import Citation
from retrieval.copies import Copy
from retrieval.time_scope import TimeScope


@dataclass(frozen=True)
class FoundPassage:
    """One passage of an answer, with the sentence that best matches the question."""

    rank: int
    score: float
    passage_id: int
    citation: Citation
    text: str
    highlight: tuple[int, int]  # character span of the best-matching sentence in `text`
    # the neighbouring paragraph shown with this one (its text joined to `text` in reading
    # order, a blank line between) when the answer likely spans the two; None when alone
    joined_paragraph: int | None = None
    # who is quoted in the passage (the asked-about speaker when they are), None if nobody
    speaker: str | None = None
    # the source URL opened at the best sentence (retrieval/deep_links.py), None without a URL
    link: str | None = None
    # other articles that ran the same paragraph (retrieval/copies.py), best ranked first
    also_in: tuple[Copy, ...] = ()

    @property
    def paragraphs(self) -> tuple[int, ...]:
        """The paragraph numbers shown, in reading order."""
        if self.joined_paragraph is None:
            return (self.citation.paragraph,)
        return tuple(sorted((self.citation.paragraph, self.joined_paragraph)))

    @property
    def paragraph_label(self) -> str:
        """`¶4`, or `¶4–5` for two paragraphs shown together."""
        return "¶" + "–".join(map(str, self.paragraphs))

    @property
    def highlight_text(self) -> str:
        start, end = self.highlight
        return self.text[start:end]


@dataclass(frozen=True)
class Answer:
    question: str
    passages: tuple[FoundPassage, ...]
    article_id: str | None = None  # the article the search was restricted to, if any
    speaker: str | None = None  # the person whose quotes were asked for ("What did X say?")
    # the days the question named ("this week"), searched alone; when no article of those
    # days answers, `outside_scope` is True and the passages come from any day
    time_scope: TimeScope | None = None
    outside_scope: bool = False

    @property
    def answered(self) -> bool:
        return bool(self.passages)
