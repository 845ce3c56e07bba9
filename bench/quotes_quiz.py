"""The quiz passages set of bench/quotes.py (--quiz): every evidence passage of the news
quiz's development split as an article of its own (bench/_work/quotes/quiz/passages.jsonl,
written from the split when missing), and the labels of the passages holding a quotation
mark, labelled blind by three helpers: parts 1 and 2 (labels_quiz_dev.json) were read while
choosing rules, part 3 (labels_quiz_held.json) is held out: measure it, never read its errors."""

import gzip
import json
from pathlib import Path

QUIZ = Path(__file__).resolve().parent / "_work" / "quotes" / "quiz"
PASSAGES = QUIZ / "passages.jsonl"
DEV_LABELS = QUIZ / "labels_quiz_dev.json"
HELD_LABELS = QUIZ / "labels_quiz_held.json"
QUESTIONS = QUIZ / "questions_quiz.json"
SNIPPETS = Path(__file__).resolve().parent / "_work" / "news" / "news-snippets-dev.json.gz"


def passages_file() -> Path:
    """passages.jsonl: one article per evidence passage, dated by its quiz week; its url
    (https://quiz.invalid/WEEK/N) is what the labels name."""
    if not PASSAGES.exists():
        weeks = json.loads(gzip.decompress(SNIPPETS.read_bytes()))["data"]
        lines = []
        for week in weeks:
            day = week["title"].split()[-1]
            published = f"{day[:4]}-{day[4:6]}-{day[6:]}"
            for n, passage in enumerate(week["paragraphs"], 1):
                lines.append(json.dumps({"title": f"News quiz {published}, passage {n}",
                                         "text": " ".join(passage["context"].split()),
                                         "url": f"https://quiz.invalid/{day}/{n}", "published": published}))
        PASSAGES.parent.mkdir(parents=True, exist_ok=True)
        PASSAGES.write_text("\n".join(lines) + "\n")
    return PASSAGES
