"""The PolNeAR set of bench/quotes.py (--polnear): direct quotes of US political news
(Huffington Post, Breitbart, New York Times, Politico, Washington Post, Western Journalism,
USA Today; 2015-16), whose speakers were labelled by PolNeAR's own annotators, not by us
and not for this product (Newell, Margolin and Ruths, LREC 2018).

Bring it with the search tool's `fetch github:networkdynamics/PolNeAR` and copy its
data/{train,dev,test} and data/metadata.tsv under bench/_work/polnear/data (git-ignored; the
corpus states no licence: internal evaluation only, never commit it or anything derived from
it). PolNeAR's own rule is ours: train is for reading errors, dev is reported, test is
measured and never read.

An attribution of PolNeAR (source, cue, content) counts when its content holds a quotation
mark: a direct quote, whole or partial. Each paragraph holding such content gets the
attribution's source as a speaker. PolNeAR marks the source as written ("he", "the
spokesman", "Sen. Ted Cruz"); its form comes from CoreNLP's tags of those words, shipped with
the corpus: named (a PERSON run, the longest), organisation (an ORGANIZATION run), pronoun
(a personal pronoun: resolved by hand in pronouns_SPLIT.json, else left out and counted),
role (anything else; named by the source's words), continuation (the source sits in another
paragraph than the quote). Files written: SPLIT-articles.jsonl and SPLIT-labels.json, in
the labels format of bench/quotes.py.
"""

import json
import re
import sys
import xml.etree.ElementTree as ElementTree
from dataclasses import dataclass
from pathlib import Path

POLNEAR = Path(__file__).resolve().parent / "_work" / "polnear"
DATA = POLNEAR / "data"
SPLITS = ("train", "dev", "test")
QUOTE_MARKS = re.compile("[\u201c\u201d\"]")
PRONOUNS = {"he", "she", "they", "i", "we", "him", "her", "them", "it", "you", "his", "their"}


@dataclass(frozen=True)
class Token:
    start: int
    end: int
    word: str
    pos: str
    ner: str


def _spans(field: str) -> list[tuple[int, int]]:
    return [tuple(int(x) for x in part.split()) for part in field.split(";")]


def attributions(ann_text: str) -> list[dict]:
    """Each attribution of a brat file: its role name -> list of (start, end) spans."""
    spans, events = {}, []
    for line in ann_text.splitlines():
        if line.startswith("T") and line.count("\t") >= 2:
            tag, middle, _ = line.split("\t", 2)
            kind, _, offsets = middle.partition(" ")
            spans[tag] = (kind, _spans(offsets))
        elif line.startswith("E") and "\t" in line:
            events.append(line.split("\t")[1].split())
    out = []
    for parts in events:
        roles = dict(part.split(":") for part in parts)
        out.append({role: spans[tag][1] for role, tag in roles.items() if tag in spans})
    return out


def tokens(xml_path: Path) -> list[Token]:
    root = ElementTree.parse(xml_path).getroot()
    return [Token(int(t.findtext("CharacterOffsetBegin")), int(t.findtext("CharacterOffsetEnd")),
                  t.findtext("word"), t.findtext("POS"), t.findtext("NER"))
            for t in root.iter("token")]


def paragraph_starts(text: str) -> list[int]:
    starts, at = [], 0
    for paragraph in text.split("\n\n"):
        starts.append(at)
        at += len(paragraph) + 2
    return starts


def paragraph_of(offset: int, starts: list[int]) -> int:
    return max(i for i, start in enumerate(starts) if start <= offset)


def _longest_run(inside: list[Token], tag: str, text: str) -> str:
    runs, run = [], []
    for token in inside:
        if token.ner == tag:
            run.append(token)
        elif run:
            runs.append(run)
            run = []
    if run:
        runs.append(run)
    if not runs:
        return ""
    best = max(runs, key=len)
    return text[best[0].start:best[-1].end]


def source_form(source: list[tuple[int, int]], article_tokens: list[Token], text: str) -> tuple[str, str]:
    """(form, name) of a PolNeAR source span, from CoreNLP's tags of its words."""
    inside = [t for t in article_tokens if any(s <= t.start and t.end <= e for s, e in source)]
    person = _longest_run(inside, "PERSON", text)
    if person:
        return "named", person
    words = [t for t in inside if t.pos not in ("DT", ",", ".", "``", "''")]
    if len(words) == 1 and words[0].word.casefold() in PRONOUNS:
        return "pronoun", words[0].word
    if words and len(words) <= 3 and all(t.pos == "NNP" and t.ner != "LOCATION" for t in words):
        return "named", text[words[0].start:words[-1].end]  # a one-word surname tagged as an organisation
    organisation = _longest_run(inside, "ORGANIZATION", text)
    if organisation:
        return "organisation", organisation
    return "role", " ".join(text[s:e] for s, e in source)


def _marked(text: str, span: tuple[int, int], starts: list[int]) -> str:
    """The source's paragraph with the source in [[ ]], for whoever resolves the pronoun."""
    number = paragraph_of(span[0], starts)
    paragraph = text.split("\n\n")[number]
    at = span[0] - starts[number], span[1] - starts[number]
    return f"{paragraph[:at[0]]}[[{paragraph[at[0]:at[1]]}]]{paragraph[at[1]:]}"


def article_files(split: str) -> list[tuple[str, Path]]:
    """(name, annotation file) per article of a split: the first annotator's when several."""
    chosen = {}
    for ann in sorted((DATA / split / "attributions").glob("*.ann")):
        chosen.setdefault(ann.stem.rsplit("_", 1)[0], ann)
    return sorted(chosen.items())


def build(split: str) -> tuple[Path, Path]:
    """Write SPLIT-articles.jsonl and SPLIT-labels.json; return their paths."""
    metadata = {}
    for line in (DATA / "metadata.tsv").read_text().splitlines()[1:]:
        fields = line.split("\t")
        metadata[fields[1]] = {"published": fields[5], "title": fields[7]}
    resolved_file = POLNEAR / f"pronouns_{split}.json"
    resolved = json.loads(resolved_file.read_text()) if resolved_file.exists() else {}
    articles, labelled, to_resolve = [], [], []
    for name, ann in article_files(split):
        xml = DATA / split / "corenlp" / f"{name}.txt.xml"
        if not xml.exists():  # four CoreNLP files are missing from the public snapshot
            continue
        text = (DATA / split / "text" / f"{name}.txt").read_text()
        url = f"https://polnear.invalid/{split}/{name}"
        articles.append({"title": metadata.get(name, {}).get("title", name), "text": text, "url": url,
                         "published": metadata.get(name, {}).get("published")})
        starts, article_tokens = paragraph_starts(text), tokens(xml)
        by_paragraph: dict[int, list[dict]] = {}
        for attribution in attributions(ann.read_text()):
            content, source = attribution.get("Content"), attribution.get("Source")
            if not (content and source):
                continue
            quoted = {paragraph_of(s + m.start(), starts)
                      for s, e in content for m in QUOTE_MARKS.finditer(text[s:e])}
            if not quoted:
                continue
            form, speaker = source_form(source, article_tokens, text)
            if form == "pronoun":
                key = f"{name}:{source[0][0]}"
                if key not in resolved:
                    to_resolve.append({"key": key, "pronoun": speaker,
                                       "paragraph": paragraph_of(source[0][0], starts),
                                       "marked": _marked(text, source[0], starts)})
                    continue
                speaker = resolved[key]
            if not speaker:
                continue
            source_paragraph = paragraph_of(source[0][0], starts)
            for paragraph in sorted(quoted):
                entry = {"name": speaker, "form": form if paragraph == source_paragraph else "continuation",
                         "cue": " ".join(text[s:e] for s, e in attribution.get("Cue", []))}
                here = by_paragraph.setdefault(paragraph, [])
                if entry["name"] not in [e["name"] for e in here]:
                    here.append(entry)
        labelled.append({"url": url, "title": name, "quotes": [
            {"paragraph": p, "start": text.split("\n\n")[p][:60], "speakers": speakers}
            for p, speakers in sorted(by_paragraph.items())]})
    articles_file = POLNEAR / f"{split}-articles.jsonl"
    labels_file = POLNEAR / f"{split}-labels.json"
    articles_file.write_text("".join(json.dumps(a) + "\n" for a in articles))
    (POLNEAR / f"to_resolve_{split}.jsonl").write_text("".join(json.dumps(t) + "\n" for t in to_resolve))
    labels = {"articles": labelled, "unresolved_pronouns": len(to_resolve)}
    labels_file.write_text(json.dumps(labels, indent=0))
    return articles_file, labels_file


def files(split: str) -> tuple[Path, Path]:
    """The split's articles and labels, built when missing or older than the pronoun file."""
    articles_file, labels_file = POLNEAR / f"{split}-articles.jsonl", POLNEAR / f"{split}-labels.json"
    resolved_file = POLNEAR / f"pronouns_{split}.json"
    stale = resolved_file.exists() and labels_file.exists() and \
        resolved_file.stat().st_mtime > labels_file.stat().st_mtime
    if stale or not (articles_file.exists() and labels_file.exists()):
        return build(split)
    return articles_file, labels_file


if __name__ == "__main__":
    for split in sys.argv[1:] or SPLITS:
        print(split, *build(split))
