"""Attribution figures of bench/quotes.py: the product's quote speakers against labelled ones,
per paragraph, by the form the article uses for the speaker."""

import json
import sys
from collections import Counter
from pathlib import Path

from index.articles import Article, read_articles
from index.quotes import find_quotes
from index.speaker_names import name_key

FORMS = ("named", "pronoun", "role", "organisation", "continuation")


def same_speaker(found: str, labelled: str) -> bool:
    """One person under the article's two spellings: equal, or one name's words inside the
    other's ("Wickremesinghe" and "Ranil Wickremesinghe")."""
    a, b = name_key(found).split(), name_key(labelled).split()
    if not a or not b:
        return False
    short, long_ = sorted((a, b), key=len)
    return all(word in long_ for word in short)


def kept_paragraph_numbers(raw_text: str, article: Article) -> dict[int, int]:
    """Raw paragraph index (text.split("\\n\\n")) -> the product's 1-based paragraph number,
    for the paragraphs the product kept (a dateline-stripped one matches by its ending, one
    whose closing photo credit was stripped by its beginning)."""
    kept = {" ".join(p.split()): n for n, p in enumerate(article.paragraphs, start=1)}
    numbers = {}
    for index, raw in enumerate(raw_text.split("\n\n")):
        raw = " ".join(raw.split())
        if raw in kept:
            numbers[index] = kept[raw]
        else:
            match = [n for text, n in kept.items()
                     if len(text) > 30 and (raw.endswith(text) or raw.startswith(text))]
            if match:
                numbers[index] = match[0]
    return numbers


def labelled_articles(labels: Path, source: Path) -> list[tuple[dict, Article, dict]]:
    raw = {json.loads(line)["url"]: json.loads(line) for line in source.read_text().splitlines() if line}
    articles = {a.url: a for a in read_articles(source)}
    out = []
    for labelled in json.loads(labels.read_text())["articles"]:
        article = articles[labelled["url"]]
        out.append((labelled, article, kept_paragraph_numbers(raw[labelled["url"]]["text"], article)))
    return out


def attribution(articles) -> dict:
    """Per-paragraph precision and recall of the speakers, by the labelled form."""
    found_right, found_all = Counter(), Counter()  # precision: the product's paragraph speakers
    recalled, labelled_all = Counter(), Counter()  # recall: the labelled paragraph speakers
    errors = []
    for labels, article, numbers in articles:
        gold: dict[int, list[dict]] = {}
        for quote in labels["quotes"]:
            number = numbers.get(quote["paragraph"])
            speakers = [s for s in quote["speakers"] if s["form"] != "unattributed"]
            if number is None:  # dropped as chrome: every label there is a miss
                for s in speakers:
                    labelled_all[s["form"]] += 1
                continue
            gold[number] = speakers
        found: dict[int, set[str]] = {}
        for quote in find_quotes(article.paragraphs):
            found.setdefault(quote.paragraph, set()).add(quote.speaker)
        for number, speakers in gold.items():
            for s in speakers:
                labelled_all[s["form"]] += 1
                if any(same_speaker(f, s["name"]) for f in found.get(number, ())):
                    recalled[s["form"]] += 1
                else:
                    errors.append(("missed", article.title, number, s["name"], s["form"],
                                   sorted(found.get(number, ()))))
        for number, speakers in found.items():
            form = gold[number][0]["form"] if gold.get(number) else "none"
            for speaker in speakers:
                found_all[form] += 1
                if any(same_speaker(speaker, s["name"]) for s in gold.get(number, ())):
                    found_right[form] += 1
                else:
                    errors.append(("wrong", article.title, number, speaker, form,
                                   [s["name"] for s in gold.get(number, ())]))
    return {"found_right": found_right, "found_all": found_all, "recalled": recalled,
            "labelled_all": labelled_all, "errors": errors}


def totals(result: dict, forms: tuple[str, ...]) -> tuple[int, int, int, int]:
    """Over the given labelled forms: speakers labelled, recalled, found by the product, right."""
    keys = ("labelled_all", "recalled", "found_all", "found_right")
    return tuple(sum(result[k][f] for f in forms) for k in keys)


def attribution_table(result: dict) -> list[str]:
    keys = ("found_right", "found_all", "recalled", "labelled_all")
    right, found, recalled, labelled = (result[k] for k in keys)
    lines = ["| labelled form | paragraph speakers labelled | found | recall"
             " | product's speakers there | right | precision |", "|---|---:|---:|---:|---:|---:|---:|"]
    for form in (*FORMS, "none"):
        r = f"{recalled[form] / labelled[form]:.3f}" if labelled[form] else "-"
        p = f"{right[form] / found[form]:.3f}" if found[form] else "-"
        counts = f"{labelled[form]} | {recalled[form]} | {r} | {found[form]} | {right[form]} | {p}"
        lines.append(f"| {form} | {counts} |")
    for name, forms in (("named and pronoun", ("named", "pronoun")), ("all", (*FORMS, "none"))):
        lab, rec, fnd, rgt = totals(result, forms)
        counts = f"{lab} | {rec} | {rec / lab:.3f} | {fnd} | {rgt} | {rgt / max(fnd, 1):.3f}"
        lines.append(f"| **{name}** | {counts} |")
    return lines


def print_errors(result: dict) -> None:
    for error in result["errors"]:
        print(*error, sep="  ·  ", file=sys.stderr)
