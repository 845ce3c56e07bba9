"""The altered-copies corpus (bench/copies.py): the news split's originals, 1-3 seeded copies
of each, and the truth of which paragraph of the original each paragraph of a copy came from."""

import json
import random
import re
from dataclasses import dataclass, field
from datetime import date, timedelta
from pathlib import Path

from bench.copies_wording import ADDED, NEWSLETTER, OUTLETS, SYNONYMS
from bench.quality_common import WORK
from bench.quality_news import news_folder
from index.articles import Article, read_articles

FOLDER = WORK / "copies"


@dataclass
class Made:
    """One article of the corpus: its .jsonl record and, per raw paragraph, its truth key (the
    normal form of the original paragraph it came from, of its own text when new, None when
    chrome) and what was done to it."""

    record: dict
    family: int  # the original's position in the split's file
    copy: int  # 0 for the original
    keys: list[str | None] = field(default_factory=list)
    changes: list[str] = field(default_factory=list)
    raw: list[str] = field(default_factory=list)

    @property
    def article_id(self) -> str:
        return Article("", (), "", self.record["url"]).article_id


def words_only(text: str) -> str:
    return " ".join(re.findall(r"\w+", text.casefold()))


def slug(title: str) -> str:
    return "-".join(re.findall(r"[a-z0-9]+", title.lower()))[:60]


_SENTENCE_RE = re.compile(r"(?<=[.!?\u201d\"])\s+(?=[A-Z\u201c\"])")


def reword(paragraph: str, rng: random.Random) -> tuple[str, str] | None:
    """One sentence of the paragraph reworded, and how; None when no way applies."""
    sentences = _SENTENCE_RE.split(paragraph)
    order = list(range(len(sentences)))
    rng.shuffle(order)
    for index in order:
        sentence = sentences[index]
        ways = []
        if re.search(r"\b(said|says)\b", sentence):
            ways.append("told reporters")
        found = [w for w in SYNONYMS if re.search(rf"\b{w}\b", sentence)]
        if found:
            ways.append("synonyms")
        parts = sentence.split(", ", 1)
        if len(parts) == 2 and all(len(p.split()) >= 4 for p in parts):
            ways.append("clause moved")
        if not ways:
            continue
        way = rng.choice(ways)
        if way == "told reporters":
            new = re.sub(r"\bsaid\b", "told reporters", sentence, count=1)
            if new == sentence:
                new = re.sub(r"\bsays\b", "tells reporters", sentence, count=1)
        elif way == "synonyms":
            new = sentence
            for word in rng.sample(found, min(len(found), rng.randint(2, 3))):
                new = re.sub(rf"\b{word}\b", SYNONYMS[word], new, count=1)
        else:
            first, second = parts
            end = second[-1] if second[-1] in ".!?" else ""
            new = f"{second[:1].upper()}{second[1 : len(second) - len(end)]}, {first}{end}"
        sentences[index] = new
        return " ".join(sentences), way
    return None


def make_corpus(seed: int) -> list[Made]:
    """The originals and their copies, in the order they are ingested (by day, then URL)."""
    source = news_folder(WORK) / "news-articles-dev.jsonl"
    records = [json.loads(line) for line in source.read_text(encoding="utf-8").splitlines() if line.strip()]
    parsed = {a.url: a for a in read_articles(source)}
    records = [r for r in records if r["url"] in parsed]  # a page left with no text is not indexed
    rng = random.Random(seed)
    made = []
    for family, record in enumerate(records):
        original = Made(record, family, 0)
        paragraphs = list(parsed[record["url"]].paragraphs)
        made.append(original)
        outlets = rng.sample(OUTLETS, rng.randint(1, 3))
        for number, (host, outlet, city) in enumerate(outlets, start=1):
            texts = list(paragraphs)
            keys: list[str | None] = [words_only(p) for p in texts]
            changes = ["verbatim"] * len(texts)
            candidates = [i for i, p in enumerate(texts) if len(p.split()) >= 8]
            rng.shuffle(candidates)
            for i in candidates:
                reworded = reword(texts[i], rng)
                if reworded:
                    texts[i], changes[i] = reworded[0], f"reworded ({reworded[1]})"
                    break
            edit = rng.choice(["drop", "add", "both"]) if len(texts) >= 3 else "add"
            if edit in ("drop", "both"):
                gone = rng.randrange(len(texts))
                del texts[gone], keys[gone], changes[gone]
            if edit in ("add", "both"):
                where = rng.randint(1, len(texts))
                added = rng.choice(ADDED)
                texts.insert(where, added)
                keys.insert(where, "new: " + words_only(added))
                changes.insert(where, "added")
            chrome = rng.sample(["dateline", "newsletter", "read more"], rng.randint(1, 2))
            if "dateline" in chrome:
                texts[0] = f"{city} ({outlet}) \u2014 {texts[0]}"
                changes[0] = "dateline" if changes[0] == "verbatim" else changes[0] + ", dateline"
            for kind in ("newsletter", "read more"):
                if kind in chrome:
                    other = records[rng.randrange(len(records))]["title"]
                    line = rng.choice(NEWSLETTER) if kind == "newsletter" else f"Read more: {other}"
                    where = rng.randint(1, len(texts))
                    texts.insert(where, line)
                    keys.insert(where, None)
                    changes.insert(where, "chrome")
            title = record["title"]
            headline = rng.choice(
                [
                    f"Update: {title}",
                    f"{title}, {outlet} reports",
                    f"What we know: {title}",
                    " ".join(SYNONYMS.get(w, w) for w in title.split()) + " (analysis)",
                ]
            )
            day = date.fromisoformat(record["published"]) + timedelta(days=rng.randint(1, 4))
            copy_record = {
                "title": headline,
                "text": "\n\n".join(texts),
                "url": f"https://{host}/{day:%Y/%m/%d}/{slug(title)}-{number}",
                "published": day.isoformat(),
            }
            made.append(Made(copy_record, family, number, keys, changes, texts))
    made.sort(key=lambda m: (m.record["published"], m.record["url"]))
    return made


def write_corpus(made: list[Made], path: Path) -> None:
    text = "".join(json.dumps(m.record) + "\n" for m in made)
    path.parent.mkdir(parents=True, exist_ok=True)
    if not path.exists() or path.read_text(encoding="utf-8") != text:
        path.write_text(text, encoding="utf-8")


def paragraph_truth(made: list[Made], corpus: Path) -> dict[str, dict[int, tuple[str, str]]]:
    """article id -> the product's paragraph number -> (truth key, what was done to it)."""
    by_url = {m.record["url"]: m for m in made}
    truth = {}
    for article in read_articles(corpus):
        m = by_url[article.url]
        numbers = {}
        if m.copy == 0:
            for n, text in enumerate(article.paragraphs, start=1):
                numbers[n] = (words_only(text), "original")
        else:
            position = 0
            raw = [words_only(t) for t in m.raw]
            for n, text in enumerate(article.paragraphs, start=1):
                kept = words_only(text)
                while position < len(raw) and not raw[position].endswith(kept):
                    position += 1
                if position == len(raw):
                    raise SystemExit(f"paragraph {n} of {article.url} matches none made")
                key = m.keys[position] or "chrome: " + kept
                numbers[n] = (key, m.changes[position])
                position += 1
        truth[article.article_id] = numbers
    return truth
