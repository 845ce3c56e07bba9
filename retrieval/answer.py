"""What a search returns: ranked passages with citations, or a reason there are none."""

from dataclasses import dataclass

from index.passages import Citation


@dataclass(frozen=True)
class FoundPassage:
    """One passage of an answer, with the sentence that best matches the question."""

    rank: int
    score: float
    passage_id: int
    citation: Citation
    text: str
    highlight: tuple[int, int]  # character span of the best-matching sentence in `text`

    @property
    def highlight_text(self) -> str:
        start, end = self.highlight
        return self.text[start:end]


@dataclass(frozen=True)
class Answer:
    question: str
    passages: tuple[FoundPassage, ...]
    article_id: str | None = None  # the article the search was restricted to, if any

    @property
    def answered(self) -> bool:
        return bool(self.passages)
