"""SQuAD as the product sees news: one article file per SQuAD article, and its questions.

SQuAD v1.1 and v2.0 dev sets: CC BY-SA 4.0, Rajpurkar et al. (EMNLP 2016, ACL 2018).
An article file is the title on its first line, then the paragraphs separated by blank
lines, so SQuAD paragraph i of an article is the product's paragraph i + 1.
"""

import gzip
import json
import re
from dataclasses import dataclass
from pathlib import Path

DATA = Path(__file__).resolve().parent.parent.parent / "shared" / "data"
SQUAD_V1 = DATA / "dev-v1.1.json.gz"
SQUAD_V2 = DATA / "dev-v2.0-rebuilt.json.gz"


@dataclass(frozen=True)
class SquadArticle:
    number: int  # position in the SQuAD file, 0-based; even = tuning, odd = report
    title: str
    paragraphs: tuple[str, ...]

    @property
    def file_name(self) -> str:
        return f"{self.number:02d}_{re.sub(r'[^A-Za-z0-9]+', '_', self.title).strip('_')}.txt"

    @property
    def text(self) -> str:
        return "\n\n".join((self.title.replace("_", " "), *self.paragraphs)) + "\n"


@dataclass(frozen=True)
class Question:
    text: str
    article: int  # SquadArticle.number
    paragraph: int | None  # the product's 1-based paragraph number; None when unanswerable


def _load(path: Path) -> list[dict]:
    with gzip.open(path, "rt", encoding="utf-8") as handle:
        return json.load(handle)["data"]


def squad_articles(
    limit: int | None = None, path: Path = SQUAD_V1
) -> tuple[list[SquadArticle], list[Question]]:
    """The v1.1 dev articles (the first `limit` of them) and all their questions; or those
    of another file in SQuAD's layout."""
    articles, questions = [], []
    for number, record in enumerate(_load(path)[:limit]):
        paragraphs = tuple(" ".join(p["context"].split()) for p in record["paragraphs"])
        articles.append(SquadArticle(number, record["title"], paragraphs))
        for index, paragraph in enumerate(record["paragraphs"]):
            questions += [
                Question(" ".join(qa["question"].split()), number, index + 1) for qa in paragraph["qas"]
            ]
    return articles, questions


def unanswerable_questions(articles: list[SquadArticle]) -> list[Question]:
    """SQuAD v2.0's unanswerable questions about these articles (matched by title)."""
    numbers = {a.title: a.number for a in articles}
    return [
        Question(" ".join(qa["question"].split()), numbers[record["title"]], None)
        for record in _load(SQUAD_V2) if record["title"] in numbers
        for paragraph in record["paragraphs"] for qa in paragraph["qas"]
        if qa.get("is_impossible")
    ]


def write_articles(articles: list[SquadArticle], folder: Path) -> list[Path]:
    """One .txt file per article (rewritten only when its text changed)."""
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    for article in articles:
        path = folder / article.file_name
        if not path.exists() or path.read_text(encoding="utf-8") != article.text:
            path.write_text(article.text, encoding="utf-8")
        paths.append(path)
    return paths
