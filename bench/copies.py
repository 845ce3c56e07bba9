"""Copies found at ingest (index/copy_groups.py), measured on a corpus of known copies.

    python bench/copies.py [--seed 7] [--tune] [--no-write]

Needs the news development split in bench/_work/news (bench/quality_news.py); internal
evaluation only: the corpus is made and kept in bench/_work/copies, never committed.

The corpus: the split's whole articles (the originals), each also run by 1-3 other outlets
(a seeded RNG): another URL and host, a later day, the outlet's chrome (a dateline
"LONDON (Wire A) —", a newsletter or "Read more:" line, all of which the product drops), a
changed headline, one sentence reworded (a clause moved, a few words swapped for synonyms
from a small table, or "said" -> "told reporters"), and a paragraph dropped, a paragraph of
new text added (written here, from no article), or both. Known truth: a copy is the same
story as its original; paragraph j of a copy corresponds to paragraph i of the original it
was made from (reworded or not); new text corresponds only to the same text elsewhere.

Measured, in one run:
- story and paragraph-group precision and recall, pairwise over pairs of articles and
  pairs of passages of different articles (predicted same vs truly same), read with
  copy_groups.stories_of / copy_groups.copy_groups; false merges and missed copies counted
  and shown apart, the paragraph ones by kind (distinct originals / same story, and what
  was done to the copy); on all the articles, and on each half of the originals (with their
  copies) by position parity, the even half for tuning (--tune) and the odd one to report;
- the whole-article quiz questions (bench/quality_articles.py) asked of the copies corpus:
  replies showing two copies of one paragraph (two shown passages in one copy group, or
  whose texts are copies by copy_marks.are_copies; the truth's count too), and answer's
  words in the top 3 beside an originals-only index and the copies corpus with detection
  off (Library._copies patched to find nothing, in this process only);
- ingest cost: passages/s with detection and without, vectors read from a cache (the model's
  own time, measured apart, is the same for both), and the time spent finding copies;
- query latency over the same questions, on the copies corpus with detection and without,
  interleaved, median of 3 per question: with the question vectors cached (the search's own
  work) and with each question encoded as a user's is.

--tune also re-ingests the corpus under a small grid of copy_groups' constants
(monkeypatched in this process) and prints both halves for each.
"""

import argparse
import json
import random
import re
import shutil
import statistics
import sys
import time
from collections import Counter, defaultdict
from dataclasses import dataclass, field, replace
from datetime import date, timedelta
from itertools import combinations
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

import numpy as np  # noqa: E402

from bench.quality_articles import ArticleHits, article_questions, build_articles, offtopic_questions  # noqa: E402
from bench.quality_common import WORK, KnownQuestions, question_vectors  # noqa: E402
from bench.quality_news import news_folder, news_missing  # noqa: E402
from bench.results_file import publish  # noqa: E402
from index import copy_groups, copy_marks  # noqa: E402
from index.articles import Article, read_articles  # noqa: E402
from index.library import Library  # noqa: E402
from retrieval.search import Searcher  # noqa: E402
from settings import DEFAULT_CONFIG, load_settings  # noqa: E402

FOLDER = WORK / "copies"
TARGET_PRECISION, TARGET_RECALL, TARGET_LATENCY = 0.98, 0.95, 1.1

# host, outlet, dateline city
OUTLETS = [
    ("wire-a.example", "Wire A", "LONDON"),
    ("wire-b.example", "Wire B", "NEW YORK"),
    ("dailyherald.example", "Daily Herald", "CHICAGO"),
    ("metro-times.example", "Metro Times", "DETROIT"),
    ("coastpost.example", "Coast Post", "SAN DIEGO"),
    ("capital-ledger.example", "Capital Ledger", "WASHINGTON"),
    ("northern-star.example", "Northern Star", "TORONTO"),
    ("globalwire.example", "Global Wire", "PARIS"),
]
SYNONYMS = {
    "said": "stated",
    "announced": "unveiled",
    "began": "started",
    "big": "large",
    "people": "residents",
    "help": "assist",
    "after": "following",
    "many": "numerous",
    "also": "additionally",
    "because": "since",
    "before": "prior to",
    "show": "demonstrate",
    "shows": "demonstrates",
    "buy": "purchase",
    "major": "significant",
    "killed": "slain",
    "home": "house",
    "children": "kids",
    "country": "nation",
    "biggest": "largest",
    "start": "begin",
    "government": "administration",
    "officials": "authorities",
    "told": "informed",
    "added": "noted",
    "including": "among them",
    "however": "though",
    "several": "a number of",
    "last": "previous",
    "get": "obtain",
    "need": "require",
    "try": "attempt",
    "use": "employ",
    "used": "employed",
    "made": "produced",
    "think": "believe",
    "want": "wish",
    "says": "states",
    "reported": "disclosed",
    "found": "discovered",
    "area": "region",
    "car": "vehicle",
    "job": "position",
    "asked": "requested",
    "quickly": "rapidly",
    "often": "frequently",
    "nearly": "almost",
    "more than": "over",
    "around": "about",
    "week": "seven days",
    "month": "four weeks",
}
# new text for added paragraphs: written here, from no article of the split
ADDED = [
    "Local leaders said they expected to share further details in the coming days, and a public"
    " meeting has been planned for residents who want to ask questions in person.",
    "The situation remained fluid late in the evening, with several agencies coordinating their"
    " response from a temporary command post set up near the scene.",
    "Analysts cautioned that early figures are often revised as more complete information becomes"
    " available, sometimes by a wide margin.",
    "It was not immediately clear how the decision would affect people who had already made plans,"
    " or whether refunds would be offered to those affected.",
    "Neighbours described a tight-knit community where news travels fast, and several said they had"
    " been following developments closely on social media.",
    "A spokesperson declined to comment on the timeline, saying only that the matter was under review"
    " and that an update would follow when appropriate.",
    "Historians note that similar episodes have occurred before, though rarely on this scale or with"
    " this much public attention.",
    "Critics argue the move comes too late to make a meaningful difference, while supporters say it"
    " is a necessary first step toward a broader solution.",
    "The announcement drew a mixed reaction online, where some users praised the decision and others"
    " questioned the reasoning behind it.",
    "Experts interviewed for this story said the long-term consequences would depend largely on"
    " choices yet to be made by regulators and lawmakers.",
    "Markets were little changed following the news, as traders waited for more clarity on what the"
    " development would mean for the wider economy.",
    "Community groups have organised volunteers to help those most affected, collecting donations of"
    " food, clothing and household supplies at a nearby school.",
    "Our reporters contacted a number of those involved; most did not respond before publication,"
    " and one asked not to be named because of the sensitivity of the issue.",
    "Weather forecasters expect conditions to improve slowly over the weekend, which could ease some"
    " of the pressure on emergency crews working in the region.",
    "The figures are broadly in line with those published by independent researchers earlier this"
    " year, who warned that the trend was likely to continue.",
    "Some residents said they were frustrated by the lack of clear guidance, pointing to conflicting"
    " messages from different branches of government.",
    "Legal observers expect the case to take months to resolve, with appeals likely regardless of"
    " how the first ruling comes down.",
    "Travel disruptions are possible for anyone heading through the area, and commuters have been"
    " advised to check for updates before setting out.",
    "The company's shares have swung sharply in recent sessions as investors weigh the impact of"
    " rising costs against strong demand from customers.",
    "Organisers insisted the event would go ahead as planned, though they acknowledged that numbers"
    " might be smaller than in previous years.",
    "Teachers and parents have raised concerns about what the change means for students, many of"
    " whom are still catching up after years of disruption.",
    "Health workers urged anyone with symptoms to seek advice early rather than wait, noting that"
    " clinics had extended their opening hours this month.",
    "The proposal still needs approval from a committee that has rejected similar plans twice"
    " before, so its fate remains uncertain.",
    "Fans gathered outside the venue hours before the doors opened, many wearing shirts and scarves"
    " bearing the colours of their favourite side.",
    "Satellite images reviewed by independent experts appear to show significant changes at the site"
    " over the past several weeks.",
    "Environmental campaigners welcomed the step but said far more ambitious targets would be needed"
    " to meet the commitments made at international summits.",
    "Police have appealed for witnesses and asked anyone with camera footage from the street that"
    " afternoon to get in touch with investigators.",
    "Prices at the pump have eased slightly from their peak, but household budgets remain stretched"
    " by the cost of food, rent and energy.",
]
NEWSLETTER = ["Sign up for our newsletter", "Subscribe to our newsletter for the day's top stories"]


# -- the corpus ---------------------------------------------------------------------------


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


# -- vectors, cached ----------------------------------------------------------------------


class CachedVectors(KnownQuestions):
    """The real embedder, each text's vector kept on disk after its first encoding, so that
    ingest timings compare what the product does besides the model."""

    def __init__(self, inner, path: Path):
        self.inner, self.path = inner, path
        self.name, self.dimension, self.fingerprint = inner.name, inner.dimension, inner.fingerprint
        self.known: dict[str, np.ndarray] = {}
        self.encoded = 0
        self.encode_seconds = 0.0
        texts_file = path.with_suffix(".json")
        if path.exists() and texts_file.exists():
            data = json.loads(texts_file.read_text(encoding="utf-8"))
            if data["fingerprint"] == inner.fingerprint:
                self.known = dict(zip(data["texts"], np.load(path), strict=True))
        self.saved = len(self.known)

    def encode(self, texts, batch_size=32, progress=False):
        missing = list(dict.fromkeys(t for t in texts if t not in self.known))
        if missing:
            started = time.perf_counter()
            vectors = self.inner.encode(missing, batch_size=batch_size)
            self.encode_seconds += time.perf_counter() - started
            self.encoded += len(missing)
            self.known.update(zip(missing, vectors, strict=True))
        if not texts:
            return np.zeros((0, self.dimension), np.float32)
        return np.stack([self.known[t] for t in texts])

    def save(self) -> None:
        if len(self.known) == self.saved:
            return
        texts = list(self.known)
        np.save(self.path, np.stack([self.known[t] for t in texts]))
        self.path.with_suffix(".json").write_text(
            json.dumps({"fingerprint": self.fingerprint, "texts": texts}), encoding="utf-8"
        )
        self.saved = len(texts)


# -- ingest, with and without detection ---------------------------------------------------


@dataclass
class Built:
    library: Library
    seconds: float
    copies_seconds: float  # inside Library._copies
    write_seconds: float  # inside copy_groups.write (in the article's transaction)


def ingest(corpus: Path, directory: Path, embedder, detect: bool) -> Built:
    shutil.rmtree(directory, ignore_errors=True)
    spent = [0.0]
    original = Library._copies

    def timed(self, article_id, embedded):
        started = time.perf_counter()
        try:
            return original(self, article_id, embedded) if detect else [[] for _ in embedded]
        finally:
            spent[0] += time.perf_counter() - started

    written = [0.0]
    write = copy_groups.write

    def timed_write(*arguments):
        started = time.perf_counter()
        try:
            return write(*arguments)
        finally:
            written[0] += time.perf_counter() - started

    Library._copies = timed
    copy_groups.write = timed_write
    try:
        started = time.perf_counter()
        library = Library(directory, embedder, batch_size=64)
        report = library.ingest([corpus])
        seconds = time.perf_counter() - started
    finally:
        Library._copies = original
        copy_groups.write = write
    if report.errors:
        raise SystemExit("; ".join(report.errors))
    return Built(library, seconds, spent[0], written[0])


# -- groups against the truth -------------------------------------------------------------


@dataclass(frozen=True)
class Item:
    """A passage, or an article: what is predicted and what is true of it."""

    article: str
    predicted: object
    true: object
    family: int
    label: str = ""  # for reading errors
    change: str = ""


def pair_scores(items: list[Item]) -> dict[str, float]:
    """Pairwise precision and recall over pairs of items of different articles."""

    def cross_pairs(key) -> int:
        total = 0
        cells: dict[object, Counter] = defaultdict(Counter)
        for item in items:
            cells[key(item)][item.article] += 1
        for per_article in cells.values():
            n = sum(per_article.values())
            total += n * (n - 1) // 2 - sum(c * (c - 1) // 2 for c in per_article.values())
        return total

    predicted = cross_pairs(lambda i: i.predicted)
    true = cross_pairs(lambda i: i.true)
    both = cross_pairs(lambda i: (i.predicted, i.true))
    return {
        "precision": both / predicted if predicted else 1.0,
        "recall": both / true if true else 1.0,
        "predicted pairs": predicted,
        "true pairs": true,
        "false merges": predicted - both,
        "missed": true - both,
    }


def error_pairs(items: list[Item]) -> tuple[list[tuple[Item, Item]], list[tuple[Item, Item]]]:
    """(false merges, missed copies): the pairs of items of different articles."""

    def pairs(key):
        grouped = defaultdict(list)
        for item in items:
            grouped[key(item)].append(item)
        for members in grouped.values():
            if len(members) > 1:
                yield from ((a, b) for a, b in combinations(members, 2) if a.article != b.article)

    merged = [(a, b) for a, b in pairs(lambda i: i.predicted) if a.true != b.true]
    missed = [(a, b) for a, b in pairs(lambda i: i.true) if a.predicted != b.predicted]
    return merged, missed


def read_items(library: Library, made: list[Made], truth: dict) -> tuple[list[Item], list[Item]]:
    """(passages, articles) of the built index."""
    by_url = {m.record["url"]: m for m in made}
    articles = {a.article_id: by_url[a.url] for a in library.articles()}
    rows = library.store.read(
        lambda db: db.execute(
            "SELECT id, article_id, paragraph, piece, text FROM passages ORDER BY id"
        ).fetchall()
    )
    groups = library.store.read(copy_groups.copy_groups, [r[0] for r in rows])
    stories = library.store.read(copy_groups.stories_of, list(articles))
    passages = []
    for pid, article_id, paragraph, piece, text in rows:
        key, change = truth[article_id][paragraph]
        m = articles[article_id]
        passages.append(
            Item(
                article_id,
                groups[pid],
                (key, piece),
                m.family,
                f"{m.record['url'].split('/')[2]} ¶{paragraph}: {text}",
                change,
            )
        )
    story_items = [
        Item(
            a,
            stories[a],
            m.family,
            m.family,
            f"{m.record['url'].split('/')[2]}: {m.record['title']}",
            "original" if m.copy == 0 else "copy",
        )
        for a, m in articles.items()
    ]
    return passages, story_items


def source_sharing(made: list[Made], truth: dict) -> tuple[dict[str, str], set[int]]:
    """What the originals themselves share: each original paragraph's key -> a key standing for
    the paragraphs of other originals that are near-copies of it (containment >= 0.7, at least
    4 word 3-grams each: CNN reusing its own text in two articles), and the originals with no
    paragraph of their own (video pages whose kept text is only CNN's ad-feedback widget)."""
    owner = {article_id: m for m in made for article_id in [m.article_id]}
    by_family: dict[int, set[str]] = defaultdict(set)
    for article_id, numbers in truth.items():
        if owner[article_id].copy == 0:
            by_family[owner[article_id].family].update(k for k, _ in numbers.values())
    keys = sorted({k for ks in by_family.values() for k in ks})
    marks = {k: frozenset(zip(*(k.split()[i:] for i in range(3)), strict=False)) for k in keys}
    owners: dict[str, set[int]] = defaultdict(set)
    for family, ks in by_family.items():
        for k in ks:
            owners[k].add(family)
    posting: dict[tuple, list[str]] = defaultdict(list)
    for k in keys:
        for mark in marks[k]:
            posting[mark].append(k)
    parent = {k: k for k in keys}

    def root(k):
        while parent[k] != k:
            parent[k] = parent[parent[k]]
            k = parent[k]
        return k

    for k in keys:
        if len(marks[k]) < 4:
            continue
        shared = Counter(other for mark in marks[k] for other in posting[mark] if other != k)
        for other, n in shared.items():
            small = min(len(marks[k]), len(marks[other]))
            if len(marks[other]) >= 4 and n >= 0.7 * small and owners[k] != owners[other]:
                parent[max(root(k), root(other))] = min(root(k), root(other))
    without_own = {f for f, ks in by_family.items() if all(owners[k] - {f} for k in ks)}
    return {k: root(k) for k in keys}, without_own


HALVES = {"report (odd)": 1, "tune (even)": 0, "all": None}


def halves(items: list[Item]) -> dict[str, list[Item]]:
    return {
        name: [i for i in items if parity is None or i.family % 2 == parity]
        for name, parity in HALVES.items()
    }


def group_figures(library: Library, made: list[Made], truth: dict, sharing=None) -> dict:
    passages, stories = read_items(library, made, truth)
    source, without_own = sharing or source_sharing(made, truth)
    lenient = [replace(p, true=(source.get(p.true[0], p.true[0]), p.true[1])) for p in passages]
    with_text = [s for s in stories if s.family not in without_own]
    figures = {}
    for (half, p), le, st, wt in zip(
        halves(passages).items(),
        halves(lenient).values(),
        halves(stories).values(),
        halves(with_text).values(),
        strict=True,
    ):
        figures[half] = {
            "paragraph groups": pair_scores(p),
            "paragraph groups, the originals' own near-copies as one": pair_scores(le),
            "stories": pair_scores(st),
            f"stories, {len(without_own)} pages with no text of their own left out": pair_scores(wt),
        }
    merged, missed = error_pairs(passages)
    story_merged, story_missed = error_pairs(stories)

    def merge_kind(a, b):
        if a.family == b.family:
            return "same story, another paragraph"
        if source.get(a.true[0], a.true[0]) == source.get(b.true[0], b.true[0]):
            return "distinct originals, text they share"
        return "distinct originals"

    kinds = Counter(merge_kind(a, b) for a, b in merged)
    true_by_change, missed_by_change = Counter(), Counter(change_of(a, b) for a, b in missed)
    for members in _true_groups(passages).values():
        for a, b in combinations(members, 2):
            if a.article != b.article:
                true_by_change[change_of(a, b)] += 1
    return {
        "figures": figures,
        "merged": merged,
        "missed": missed,
        "story merged": story_merged,
        "story missed": story_missed,
        "merge kinds": kinds,
        "true by change": true_by_change,
        "missed by change": missed_by_change,
        "merge kind": merge_kind,
        "without own": without_own,
    }


def change_of(a: Item, b: Item) -> str:
    """What was done to the copy, for a pair of passages that are truly copies."""
    if min(len(copy_marks.shingles(i.label.split(": ", 1)[1])) for i in (a, b)) == 0:
        return "under 3 words"
    return next((c for c in (a.change, b.change) if c not in ("original", "verbatim")), "verbatim")


def _true_groups(items: list[Item]) -> dict:
    grouped = defaultdict(list)
    for item in items:
        grouped[item.true].append(item)
    return grouped


# -- questions ----------------------------------------------------------------------------


@dataclass
class Replies:
    hits: ArticleHits
    group_twice: int  # replies showing two passages of one copy group
    text_twice: int  # replies showing two passages whose texts are copies (are_copies)
    truth_twice: int  # replies showing two paragraphs of one truth key (the corpus' truth)
    examples: list[str]


def ask_all(
    library: Library, searcher: Searcher, questions, made: list[Made] | None, truth: dict | None
) -> Replies:
    """Every question asked with k=3; a copy's URL counts as its original's (story-aware)."""
    original_url = {}
    if made:
        family_url = {m.family: m.record["url"] for m in made if m.copy == 0}
        original_url = {m.record["url"]: family_url[m.family] for m in made}
    shown_all, group_twice, text_twice, truth_twice, examples = [], 0, 0, 0, []
    for question in questions:
        answer = searcher.ask(question.text, k=3)
        shown_all.append(
            [(original_url.get(p.citation.url, p.citation.url), p.text) for p in answer.passages]
        )
        per_passage_groups, per_passage_marks, per_passage_keys = [], [], []
        for p in answer.passages:
            ids = [p.passage_id]
            numbers = [p.citation.paragraph]
            if p.joined_paragraph is not None:
                joined = library.store.passages_of_article(
                    p.citation.article_id, p.joined_paragraph, p.joined_paragraph
                )
                ids += [s.passage_id for s in joined]
                numbers.append(p.joined_paragraph)
            per_passage_groups.append(set(library.store.read(copy_groups.copy_groups, ids).values()))
            per_passage_marks.append([copy_marks.marks(t) for t in p.text.split("\n\n")])
            if truth is not None:
                per_passage_keys.append({truth[p.citation.article_id][n][0] for n in numbers})
        pairs = list(combinations(range(len(answer.passages)), 2))
        by_group = any(per_passage_groups[a] & per_passage_groups[b] for a, b in pairs)
        by_text = any(
            copy_marks.are_copies(x, y)
            for a, b in pairs
            for x in per_passage_marks[a]
            for y in per_passage_marks[b]
        )
        by_truth = truth is not None and any(per_passage_keys[a] & per_passage_keys[b] for a, b in pairs)
        group_twice += by_group
        text_twice += by_text
        truth_twice += by_truth
        if (by_group or by_text or by_truth) and len(examples) < 3:
            examples.append(
                f"{question.text} -> "
                + " || ".join(
                    f"{p.citation.url.split('/')[2]} ¶{p.citation.paragraph}: {p.text[:90]}"
                    for p in answer.passages
                )
            )
    return Replies(ArticleHits.of(questions, shown_all), group_twice, text_twice, truth_twice, examples)


def latencies(on: Searcher, off: Searcher, questions, repeats: int = 3) -> tuple[float, float]:
    """Mean over questions of the median seconds per ask, both indexes interleaved."""
    times = {"on": defaultdict(list), "off": defaultdict(list)}
    for _ in range(repeats):
        for row, question in enumerate(questions):
            for name, searcher in (("on", on), ("off", off)):
                started = time.perf_counter()
                searcher.ask(question.text, k=3)
                times[name][row].append(time.perf_counter() - started)
    return tuple(float(np.mean([statistics.median(v) for v in times[n].values()])) for n in ("on", "off"))


# -- tables -------------------------------------------------------------------------------


def groups_table(figures: dict) -> list[str]:
    lines = [
        "| articles | level | precision | recall | predicted pairs | true pairs | false merges | missed |",
        "|---|---|---:|---:|---:|---:|---:|---:|",
    ]
    for half, by_level in figures.items():
        for level, row in by_level.items():
            lines.append(
                f"| {half} | {level} | {row['precision']:.3f} | {row['recall']:.3f}"
                f" | {row['predicted pairs']:,} | {row['true pairs']:,} | {row['false merges']:,}"
                f" | {row['missed']:,} |"
            )
    return lines


def short(text: str, n: int = 110) -> str:
    return text if len(text) <= n else text[: n - 1] + "…"


def error_lines(result: dict, count: int = 3) -> list[str]:
    """A few errors of each kind, for reading."""
    lines = []
    by_kind = defaultdict(list)
    for a, b in result["merged"]:
        by_kind[result["merge kind"](a, b)].append((a, b))
    for kind, pairs in sorted(by_kind.items()):
        seen = set()
        for a, b in pairs:
            if (a.true, b.true) not in seen and len(seen) < count:
                seen.add((a.true, b.true))
                lines.append(f"- false merge ({kind}): «{short(a.label)}» ~ «{short(b.label)}»")
    by_change = defaultdict(list)
    for a, b in result["missed"]:
        by_change[change_of(a, b)].append((a, b))
    for change, pairs in sorted(by_change.items()):
        seen = set()
        for a, b in pairs:
            if a.true not in seen and len(seen) < count:
                seen.add(a.true)
                lines.append(f"- missed ({change}): «{short(a.label)}» ~ «{short(b.label)}»")
    shown = set()
    for a, b in result["story merged"]:
        if a.family not in result["without own"] and len(shown) < count and (a.family, b.family) not in shown:
            shown.add((a.family, b.family))
            lines.append(f"- story false merge: «{a.label}» ~ «{b.label}»")
    lines += [f"- story missed: «{a.label}» ~ «{b.label}»" for a, b in result["story missed"][:count]]
    return lines


# -- the run ------------------------------------------------------------------------------


def load_embedder():
    from cli.opening import encoder_cache_dir
    from index.embedder import MiniLMEmbedder

    return MiniLMEmbedder(onnx_cache=encoder_cache_dir())


# copy_groups' and copy_marks' constants tried with --tune (the first row is the shipped setting)
GRID = [
    {"COPY_MIN_COSINE": c, "COPY_MIN_OVERLAP": o, "COPY_NEIGHBOURS": k, "STORY_MIN_SHARE": s,
     "COPY_MIN_SHINGLES": m, "COPY_MIN_NAME_SHARE": n}
    for c, o, k, s, m, n in [
        (0.6, 0.7, 10, 0.5, 4, 0.8),
        (0.6, 0.7, 10, 0.5, 4, 0.0),
        (0.6, 0.7, 10, 0.5, 4, 0.6),
        (0.6, 0.7, 10, 0.5, 0, 0.8),
        (0.6, 0.6, 10, 0.5, 4, 0.8),
        (0.6, 0.6, 20, 0.5, 4, 0.8),
        (0.6, 0.6, 10, 0.4, 4, 0.8),
    ]
]


def tune(corpus: Path, embedder, made: list[Made], truth: dict, sharing) -> list[str]:
    names = list(GRID[0])
    owner = {name: copy_marks if hasattr(copy_marks, name) else copy_groups for name in names}
    shipped = {name: getattr(owner[name], name) for name in names}
    lines = [
        "| " + " | ".join(GRID[0]) + " | half | paragraph P | paragraph R | paragraph P, lenient"
        " | story P | story R | story P, pages with text |",
        "|" + "---:|" * len(GRID[0]) + "---|" + "---:|" * 6,
    ]
    try:
        for setting in GRID:
            for name in names:
                setattr(owner[name], name, setting[name])
            built = ingest(corpus, FOLDER / "index_tune", embedder, detect=True)
            figures = group_figures(built.library, made, truth, sharing)["figures"]
            built.library.close()
            for half in ("tune (even)", "report (odd)"):
                rows = list(figures[half].values())
                cells = [
                    f"{rows[0]['precision']:.3f}",
                    f"{rows[0]['recall']:.3f}",
                    f"{rows[1]['precision']:.3f}",
                    f"{rows[2]['precision']:.3f}",
                    f"{rows[2]['recall']:.3f}",
                    f"{rows[3]['precision']:.3f}",
                ]
                lines.append("| " + " | ".join([*(f"{v:g}" for v in setting.values()), half, *cells]) + " |")
                print(lines[-1], file=sys.stderr)
    finally:
        for name, value in shipped.items():
            setattr(owner[name], name, value)
    return lines


def run(seed: int, with_tuning: bool) -> tuple[list[str], dict]:
    started = time.perf_counter()
    settings = load_settings(DEFAULT_CONFIG).search
    real = load_embedder()
    FOLDER.mkdir(parents=True, exist_ok=True)
    embedder = CachedVectors(real, FOLDER / "vectors.npy")
    made = make_corpus(seed)
    corpus = FOLDER / f"corpus-{seed}.jsonl"
    write_corpus(made, corpus)
    truth = paragraph_truth(made, corpus)
    originals = sum(m.copy == 0 for m in made)

    on = ingest(corpus, FOLDER / "index_on", embedder, detect=True)
    embedder.save()  # the first run encodes; the rest read the cache
    if embedder.encoded:  # the first ingest encoded: measure again on the cache
        on.library.close()
        on = ingest(corpus, FOLDER / "index_on", embedder, detect=True)
    on.library.close()
    # twice each, the other way round the second time: the faster of each (the cores are shared)
    runs = {True: [on], False: []}
    for detect in (False, False, True):
        runs[detect].append(
            ingest(corpus, FOLDER / ("index_on" if detect else "index_off"), embedder, detect)
        )
        runs[detect][-1].library.close()
    on, off = (min(runs[d], key=lambda b: b.seconds) for d in (True, False))
    on.library, off.library = Library(FOLDER / "index_on", embedder), Library(FOLDER / "index_off", embedder)
    passages = on.library.passage_count
    sample = [t for t, _ in zip(embedder.known, range(512), strict=False)]
    model_started = time.perf_counter()
    real.encode(sample[:256], batch_size=64)
    real.encode(sample[256:], batch_size=64)
    model_per_text = (time.perf_counter() - model_started) / len(sample)
    print(f"ingest: detection on {on.seconds:.1f} s, off {off.seconds:.1f} s", file=sys.stderr)

    sharing = source_sharing(made, truth)
    result = group_figures(on.library, made, truth, sharing)
    print("\n".join(groups_table(result["figures"])), file=sys.stderr)

    questions = article_questions(WORK)
    offtopic = offtopic_questions(WORK)
    texts = list(dict.fromkeys([q.text for q in questions] + offtopic))
    vectors = question_vectors(WORK, texts, real)
    originals_library = build_articles(WORK, KnownQuestions(real, texts, vectors))
    for built in (on, off):
        built.library.embedder = KnownQuestions(embedder, texts, vectors)
    searchers = {
        "copies corpus": Searcher(on.library, settings),
        "copies corpus, detection off": Searcher(off.library, settings),
        "originals only": Searcher(originals_library, settings),
    }
    libraries = {
        "copies corpus": on.library,
        "copies corpus, detection off": off.library,
        "originals only": originals_library,
    }
    replies = {
        name: ask_all(
            libraries[name],
            s,
            questions,
            None if name == "originals only" else made,
            None if name == "originals only" else truth,
        )
        for name, s in searchers.items()
    }
    latency_on, latency_off = latencies(
        searchers["copies corpus"], searchers["copies corpus, detection off"], questions
    )
    for built in (on, off):  # as a user asks: each question encoded by the product's encoder
        built.library.embedder = real
    encoded_on, encoded_off = latencies(
        searchers["copies corpus"], searchers["copies corpus, detection off"], questions
    )
    tuning = tune(corpus, embedder, made, truth, sharing) if with_tuning else []
    for library in (on.library, off.library, originals_library):
        library.close()
    embedder.save()

    copies = len(made) - originals
    command = (
        "python bench/copies.py"
        + (" --tune" if with_tuning else "")
        + (f" --seed {seed}" if seed != 7 else "")
    )
    lines = [
        f"`{command}`: the {originals} whole articles of the news development"
        f" split and {copies} altered copies of them (1-3 each, seeded; other outlets' URLs, later days,"
        " chrome, a changed headline, one sentence reworded, a paragraph dropped and/or one of new text"
        f" added): {len(made)} articles, {passages:,} passages; {time.perf_counter() - started:.0f} s."
        " Corpus and indexes in bench/_work/copies (not committed). Halves: originals by position parity,"
        " each with its copies.",
        "",
        "**Copy groups and stories against the known copies** (pairwise, over pairs of passages /"
        " articles of different articles; targets: precision"
        f" ≥ {TARGET_PRECISION}, recall ≥ {TARGET_RECALL})",
        "",
        *groups_table(result["figures"]),
        "",
        "The originals' own near-copies: paragraphs that two distinct CNN articles of the split share"
        " nearly word for word (containment ≥ 0.7, ≥ 4 word 3-grams); the truth keeps them apart, the"
        " lenient row counts them as copies. Pages with no text of their own: CNN video pages whose kept"
        " text is only the ad-feedback widget, the same on each (a chrome miss, not a copy miss).",
        "",
        "False paragraph merges by kind: "
        + (", ".join(f"{k} {v}" for k, v in result["merge kinds"].items()) or "none")
        + ".",
        "Paragraph recall by what was done to the copy: "
        + ", ".join(
            f"{change} {1 - result['missed by change'][change] / n:.3f} ({n:,} pairs)"
            for change, n in sorted(result["true by change"].items())
        )
        + ".",
        "",
        "**Whole-article quiz questions on the copies corpus** (k = 3; article in top 3 counts a copy of"
        " the gold article)",
        "",
        "| index | questions | answer in top 3 | article in top 3 | article first | answered"
        " | replies with a copy group shown twice | with texts that are copies"
        " | with a true copy shown twice |",
        "|---|---:|---:|---:|---:|---:|---:|---:|---:|",
    ]
    for name, r in replies.items():
        s = r.hits.scores(np.ones(len(questions), bool))
        twice = ("-", "-", "-") if name == "originals only" else (r.group_twice, r.text_twice, r.truth_twice)
        lines.append(
            f"| {name} | {s['questions']} ({s['with answer']} verbatim) | {s['answer']:.3f} | {s['top3']:.3f}"
            f" | {s['first']:.3f} | {s['answered']:.3f} | {twice[0]} | {twice[1]} | {twice[2]} |"
        )
    rate_on, rate_off = passages / on.seconds, passages / off.seconds
    lines += [
        "",
        "**Cost** (2 shared CPU cores)",
        "",
        "| measure | detection on | detection off | ratio |",
        "|---|---:|---:|---:|",
        "| ingest, passages/s (vectors from cache, faster of 2)"
        f" | {rate_on:.0f} | {rate_off:.0f} | {rate_off / rate_on:.2f}× time |",
        "| time finding copies (Library._copies), ms per passage"
        f" | {1000 * on.copies_seconds / passages:.2f}"
        f" | {1000 * off.copies_seconds / passages:.2f} | |",
        "| time writing groups (copy_groups.write), ms per passage"
        f" | {1000 * on.write_seconds / passages:.2f}"
        f" | {1000 * off.write_seconds / passages:.2f} | |",
        f"| the model alone, ms per text encoded (passages and sentences) | {1000 * model_per_text:.2f}"
        f" | {1000 * model_per_text:.2f} | |",
        f"| query latency, mean ms ({len(questions)} questions, median of 3, question vectors cached)"
        f" | {1000 * latency_on:.1f} | {1000 * latency_off:.1f} | {latency_on / latency_off:.2f}× |",
        f"| query latency, mean ms (the same, each question encoded by the product's encoder)"
        f" | {1000 * encoded_on:.1f} | {1000 * encoded_off:.1f} | {encoded_on / encoded_off:.2f}× |",
    ]
    examples = error_lines(result)
    for name, r in replies.items():
        examples += [f"- {name}, shown twice: {short(e, 300)}" for e in r.examples[:2]]
    lines += ["", "Errors to read:", "", *(examples or ["- none"])]
    if tuning:
        title = "**Constants of index/copy_groups.py and copy_marks.py, patched** (first row shipped)"
        lines += ["", title, "", *tuning]
    return lines, {"result": result, "replies": replies}


def main() -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument("--tune", action="store_true", help="also try a grid of copy_groups' constants")
    parser.add_argument("--no-write", action="store_true", help="print only; leave bench/RESULTS.md alone")
    arguments = parser.parse_args()
    if news_missing(WORK):
        return 1
    lines, _ = run(arguments.seed, arguments.tune)
    publish("Copies", lines, not arguments.no_write)
    return 0


if __name__ == "__main__":
    sys.exit(main())
