"""`bot.py ask --json`: one question per stdin line (plain, or a JSON object with its article
and day), one JSON answer per line out; and the --as-of day."""

import json
from datetime import date

from index.errors import IndexingError
from retrieval.render import answer_to_json, json_line


def answer_json_lines(searcher, arguments, lines, out) -> int:
    """One JSON object out per line in, in order; a bad line gets an object with an error."""
    failures = 0
    for line in lines:
        question, article, as_of = parse_question_line(line.rstrip("\n"))
        try:
            answer = searcher.ask(question, k=arguments.k, article=article or arguments.article,
                                  as_of=as_of_day(as_of) or as_of_day(arguments.as_of))
            record = answer_to_json(answer)
        except IndexingError as error:
            failures += 1
            record = {"question": question, "answered": False, "passages": [], "error": str(error)}
        out.write(json_line(record) + "\n")
        out.flush()
    return 1 if failures else 0


def parse_question_line(line: str) -> tuple[str, str | None, str | None]:
    """(question, article, as_of) of a plain line or of {"question", "article"?, "as_of"?}."""
    if line.lstrip().startswith("{"):
        try:
            record = json.loads(line)
        except json.JSONDecodeError:
            return line, None, None
        if isinstance(record, dict):
            return (str(record.get("question") or ""), record.get("article") or None,
                    record.get("as_of") or None)
    return line, None, None


def as_of_day(value: str | None):
    """A YYYY-MM-DD day, for --as-of and "as_of"; IndexingError when it is not one."""
    if value is None:
        return None
    try:
        return date.fromisoformat(str(value).strip())
    except ValueError:
        raise IndexingError(f"as of {value!r}: give the day as YYYY-MM-DD, e.g. 2022-06-17") from None
