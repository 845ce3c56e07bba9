"""The unseen news set of bench/quotes.py (--unseen): whole news articles no session read
while choosing the quote rules, from two public collections nobody here had opened before
2026-12-07 (twelfth session):

- WikinewsSum (github:airKlizz/WikinewsSum, commit 1d98503, endataset.json): the English
  source articles Wikinews writers cited, 2004-2020, from the BBC, CNN, Reuters, the Japan
  Times and some sixty other outlets; each line of a source's text a paragraph. The texts
  are their publishers': internal evaluation only, never committed.
- GUM's news documents (github:amir-zeldes/gum, dep/GUM_news_*.conllu): 24 Wikinews
  articles (CC BY 2.5), paragraphs from the `# newpar` marks, sentences from `# text`.

    python bench/quotes_unseen.py build WIKINEWSSUM_GIT_DIR GUM_GIT_DIR

writes bench/_work/quotes/unseen/articles.jsonl: every English article holding a quotation
mark (“ or a pair of "), copies removed, chosen by the text alone and not by the product.
An article belongs to the development part or the held-out part by a hash of its url
(`part`); the held-out part is measured, its errors never read. Each part is labelled blind
by three helpers (bench/quotes_labeling.py, brief bench/quotes_labeling_brief.md), with its
questions.

Written down before any label came back: the issue's targets are judged on the held-out
part (named-and-pronoun precision >= .95 and recall >= .85; "What did X say?" top passage
X's >= .95 and >= .85 of the top 3; "... about Y?" right quote first >= .8, in the top 3
>= .95), measured first with the rules as they stand."""

import hashlib
import json
import subprocess
import sys
from pathlib import Path

UNSEEN = Path(__file__).resolve().parent / "_work" / "quotes" / "unseen"
ARTICLES = UNSEEN / "articles.jsonl"
DEV_LABELS = UNSEEN / "labels_unseen_dev.json"
HELD_LABELS = UNSEEN / "labels_unseen_held.json"
DEV_QUESTIONS = UNSEEN / "questions_unseen_dev.json"
HELD_QUESTIONS = UNSEEN / "questions_unseen_held.json"
WIKINEWSSUM_COMMIT = "1d985031625909c908766812e8a18d0c88116ec8"


def part(url: str) -> str:
    return "held" if hashlib.sha1(url.encode()).digest()[0] % 2 else "dev"


def quoted(paragraphs: list[str]) -> bool:
    return any("“" in p or p.count('"') >= 2 for p in paragraphs)


def git_show(git_dir: str, revision: str, path: str) -> str:
    return subprocess.run(["git", "--git-dir", git_dir, "show", f"{revision}:{path}"],
                          check=True, capture_output=True, text=True).stdout


def wikinewssum_articles(git_dir: str) -> list[dict]:
    seen, out = set(), []
    for line in git_show(git_dir, WIKINEWSSUM_COMMIT, "endataset.json").splitlines():
        if not line.strip():
            continue
        for source in json.loads(line)["sources"]:
            if source.get("language") != "en" or not source.get("maintext"):
                continue
            lines = [p.strip() for p in source["maintext"].split("\n") if p.strip()]
            key = " ".join(" ".join(lines).split())[:300]
            if key in seen or len(lines) < 3:
                continue
            seen.add(key)
            title = source.get("title") or lines[0]
            if lines[0] == title:
                lines = lines[1:]
            out.append({"title": title, "text": "\n\n".join(lines), "url": source["url"]})
    return out


def gum_articles(git_dir: str) -> list[dict]:
    listing = subprocess.run(["git", "--git-dir", git_dir, "ls-tree", "--name-only", "HEAD", "dep/"],
                             check=True, capture_output=True, text=True).stdout.split()
    out = []
    for path in sorted(p for p in listing if Path(p).name.startswith("GUM_news_")):
        meta, paragraphs = {}, []
        for line in git_show(git_dir, "HEAD", path).splitlines():
            if line.startswith("# meta::"):
                key, _, value = line[len("# meta::"):].partition(" = ")
                meta[key] = value
            elif line == "# newpar":
                paragraphs.append([])
            elif line.startswith("# text = ") and paragraphs:
                paragraphs[-1].append(line[len("# text = "):])
        lines = [" ".join(sentences) for sentences in paragraphs if sentences]
        if lines and lines[0] == meta["title"]:
            lines = lines[1:]
        out.append({"title": meta["title"], "text": "\n\n".join(lines), "url": meta["sourceURL"],
                    "published": meta["dateCreated"]})
    return out


def build(wikinewssum_git: str, gum_git: str) -> list[dict]:
    articles = [a for a in wikinewssum_articles(wikinewssum_git) + gum_articles(gum_git)
                if quoted(a["text"].split("\n\n"))]
    UNSEEN.mkdir(parents=True, exist_ok=True)
    ARTICLES.write_text("".join(json.dumps(a) + "\n" for a in articles))
    return articles


if __name__ == "__main__":
    command = sys.argv[1:2]
    if command == ["build"] and len(sys.argv) == 4:
        built = build(sys.argv[2], sys.argv[3])
        held = sum(part(a["url"]) == "held" for a in built)
        print(f"{len(built)} articles ({len(built) - held} development, {held} held out) in {ARTICLES}")
    else:
        sys.exit(__doc__.split("\n\n")[2])
