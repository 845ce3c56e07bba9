"""The hand labels of bench/quotes.py, made again after a checkout without bench/_work: the
files each blind labeller reads, and their answers merged into the label files.

    python bench/quotes_labeling.py inputs [FOLDER]   # one .txt per labeller
    python bench/quotes_labeling.py merge [FOLDER]    # FOLDER/out/*_{labels,questions}.json

FOLDER defaults to bench/_work/labeling. Each labeller reads only their input file and the
brief, bench/quotes_labeling_brief.md, and writes FOLDER/out/<input name>_labels.json (and
_questions.json where asked). Needs the news split (bench/_work/news) and, for the unseen
set, `python bench/quotes_unseen.py build ...` first.

The labellers' files, chosen by the text alone (an article holding a quotation mark):
- news_A, news_B, news_fresh, news_fresh2: the news split's quoted articles in file order,
  the first 30, the next 25, the next 20, the rest (14); labels and questions.
- quiz_1, quiz_2, quiz_3: the quiz passages holding a quotation mark, in thirds; labels only.
  Parts 1 and 2 are the development part, 3 the held-out part.
- unseen_dev_1..3, unseen_held_1..3: the unseen set's parts, each in thirds (every third
  article); labels and questions."""

import json
import sys
from pathlib import Path

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quotes_quiz as quiz_set  # noqa: E402
from bench import quotes_unseen as unseen_set  # noqa: E402

WORK = Path(__file__).resolve().parent / "_work"
QUOTES = WORK / "quotes"
NEWS = WORK / "news" / "news-articles-dev.jsonl"
FOLDER = WORK / "labeling"
NEWS_FOLDS = (("A", 0, 30, "labels.json", "questions.json"),
              ("B", 30, 55, "labels_more.json", "questions_more.json"),
              ("fresh", 55, 75, "labels_fresh.json", "questions_fresh.json"),
              ("fresh2", 75, None, "labels_fresh2.json", "questions_fresh2.json"))
QUIZ_PARTS = 3
UNSEEN_LABELLERS = 3


def _read(path: Path) -> list[dict]:
    return [json.loads(line) for line in path.read_text().splitlines() if line]


def quoted_passage(passage: dict) -> bool:
    return any(mark in passage["text"] for mark in "“”\"")


def labeller_text(articles: list[dict]) -> str:
    lines = []
    for a in articles:
        lines += [f"=== ARTICLE url={a['url']}", f"title: {a['title']}",
                  f"published: {a.get('published', 'unknown')}",
                  *(f"[{i}] {p}" for i, p in enumerate(a["text"].split("\n\n"))), ""]
    return "\n".join(lines)


def labeller_files() -> dict[str, list[dict]]:
    """Input name -> the articles that labeller reads."""
    files = {}
    news = [a for a in _read(NEWS) if unseen_set.quoted(a["text"].split("\n\n"))]
    for fold, start, end, _, _ in NEWS_FOLDS:
        files[f"news_{fold}"] = news[start:end]
    passages = [p for p in _read(quiz_set.passages_file()) if quoted_passage(p)]
    third = -(-len(passages) // QUIZ_PARTS)
    for k in range(QUIZ_PARTS):
        files[f"quiz_{k + 1}"] = passages[k * third:(k + 1) * third]
    if unseen_set.ARTICLES.exists():
        unseen = _read(unseen_set.ARTICLES)
        for part in ("dev", "held"):
            mine = [a for a in unseen if unseen_set.part(a["url"]) == part]
            for k in range(UNSEEN_LABELLERS):
                files[f"unseen_{part}_{k + 1}"] = mine[k::UNSEEN_LABELLERS]
    return files


def write_inputs(folder: Path) -> None:
    (folder / "out").mkdir(parents=True, exist_ok=True)
    for name, articles in labeller_files().items():
        (folder / f"{name}.txt").write_text(labeller_text(articles))
        print(f"{name}.txt: {len(articles)} articles")


def _answers(folder: Path, names: list[str], kind: str) -> list[dict]:
    key = "articles" if kind == "labels" else "questions"
    return [item for name in names
            for item in json.loads((folder / "out" / f"{name}_{kind}.json").read_text())[key]]


def _write(path: Path, key: str, items: list[dict]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps({key: items}, indent=1))


def merge(folder: Path) -> None:
    """Writes every label file whose labellers have all answered; says which are missing."""
    targets = [([f"news_{fold}"], QUOTES / labels, QUOTES / questions)
               for fold, _, _, labels, questions in NEWS_FOLDS]
    targets += [([f"quiz_{k}" for k in range(1, QUIZ_PARTS)], quiz_set.DEV_LABELS, None),
                ([f"quiz_{QUIZ_PARTS}"], quiz_set.HELD_LABELS, None),
                ([f"unseen_dev_{k}" for k in range(1, UNSEEN_LABELLERS + 1)],
                 unseen_set.DEV_LABELS, unseen_set.DEV_QUESTIONS),
                ([f"unseen_held_{k}" for k in range(1, UNSEEN_LABELLERS + 1)],
                 unseen_set.HELD_LABELS, unseen_set.HELD_QUESTIONS)]
    for names, labels_file, questions_file in targets:
        wanted = [folder / "out" / f"{n}_{kind}.json" for n in names
                  for kind in ("labels", "questions") if kind == "labels" or questions_file]
        missing = [p.name for p in wanted if not p.exists()]
        if missing:
            print(f"{labels_file.name}: not written, waiting for {', '.join(missing)}")
            continue
        labels = _answers(folder, names, "labels")
        _write(labels_file, "articles", labels)
        paragraphs = sum(len(a["quotes"]) for a in labels)
        summary = f"{labels_file.name}: {len(labels)} articles, {paragraphs} quote paragraphs"
        if questions_file:
            questions = _answers(folder, names, "questions")
            _write(questions_file, "questions", questions)
            summary += f"; {questions_file.name}: {len(questions)} questions"
        print(summary)


if __name__ == "__main__":
    command, folder = sys.argv[1:2], Path(sys.argv[2]) if len(sys.argv) == 3 else FOLDER
    if command == ["inputs"] and len(sys.argv) <= 3:
        write_inputs(folder)
    elif command == ["merge"] and len(sys.argv) <= 3:
        merge(folder)
    else:
        sys.exit(__doc__.split("\n\n")[1])
