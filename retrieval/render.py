"""Answers as text a person reads (Discord-flavoured markdown) or as JSON a program reads."""

import json
from pathlib import Path

from index.passages import Citation
from retrieval.answer import Answer, FoundPassage

NO_ANSWER = "That is not in the indexed articles."


def source_name(citation: Citation) -> str:
    """The URL when there is one, otherwise the file's name."""
    return citation.url or Path(citation.source.split("#")[0]).name


def citation_line(number: int, citation: Citation, paragraphs: str | None = None,
                  speaker: str | None = None) -> str:
    """`[1] Title · ¶10 · source · published — Speaker`: what a reader needs to check the
    passage (`paragraphs` in place of `¶10` when two are shown: `¶10–11`; the speaker when
    the passage is a quotation)."""
    parts = [f"[{number}] {citation.title}", paragraphs or f"¶{citation.paragraph}", source_name(citation)]
    if citation.published:
        parts.append(citation.published)
    return " · ".join(parts) + (f" — {speaker}" if speaker else "")


def marked_text(found: FoundPassage, bold: str = "**") -> str:
    """The passage with its best-matching sentence between `bold` markers.

    A passage of one sentence is left plain: bolding all of it would mark nothing.
    """
    start, end = found.highlight
    if found.text[:start].strip() == "" and found.text[end:].strip() == "":
        return found.text
    return f"{found.text[:start]}{bold}{found.text[start:end]}{bold}{found.text[end:]}"


def scope_line(answer: Answer) -> str | None:
    """What days were searched: "Articles from 13–19 June 2022:", or that none of them
    answered and the passages come from any day; None for a question naming no days."""
    scope = answer.time_scope
    if scope is None:
        return None
    if answer.outside_scope:
        return (f"Nothing in the articles from {scope.label} answers that"
                + ("; from any day:" if answer.answered else "."))
    return f"Articles from {scope.label}:"


def render_text(answer: Answer) -> str:
    heading = scope_line(answer)
    if not answer.answered:
        return heading if heading and answer.outside_scope else NO_ANSWER
    blocks = [
        f"{citation_line(found.rank, found.citation, found.paragraph_label, found.speaker)}"
        + (f" (also in: {', '.join(c.outlet for c in found.also_in)})" if found.also_in else "") + "\n> "
        + marked_text(found).replace("\n\n", "\n> ")
        for found in answer.passages
    ]
    return "\n\n".join(([heading] if heading else []) + blocks)


# characters json.dumps leaves as they are that str.splitlines() and some readers break lines at
_LINE_BREAKS = str.maketrans({"\x85": "\\u0085", "\u2028": "\\u2028", "\u2029": "\\u2029"})


def json_line(record: dict) -> str:
    """One JSON object on one line, whatever line breaks its strings hold."""
    return json.dumps(record, ensure_ascii=False).translate(_LINE_BREAKS)


def answer_to_json(answer: Answer) -> dict:
    """The `ask --json` contract: one object per question."""
    scope = answer.time_scope
    return {
        "question": answer.question,
        "answered": answer.answered,
        "time_scope": None if scope is None else {
            "from": scope.start.isoformat(), "to": scope.end.isoformat(), "label": scope.label,
            "expression": scope.expression, "answered_within": not answer.outside_scope,
        },
        "passages": [
            {
                "rank": found.rank,
                "score": found.score,
                "article": found.citation.article_id,
                "title": found.citation.title,
                "source": found.citation.url or found.citation.source,
                "paragraph": found.citation.paragraph,
                "paragraphs": list(found.paragraphs),
                "text": found.text,
                "highlight": found.highlight_text,
                "speaker": found.speaker,
                "link": found.link,
                "also_in": [{"title": c.title, "outlet": c.outlet, "url": c.url, "published": c.published}
                            for c in found.also_in],
                "citation": citation_line(found.rank, found.citation, found.paragraph_label, found.speaker),
            }
            for found in answer.passages
        ],
    }
