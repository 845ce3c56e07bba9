"""The labelled questions of bench/quotes.py ("What did X say (about Y)?") through the
product, beside the product without speaker routing and plain dense search."""

import json
from datetime import date
from pathlib import Path

from bench.quotes import NEWS, WORK
from bench.quotes_attribution import same_speaker


def question_figures(articles, questions_file: Path, corpus: Path | None = None) -> dict:
    """The labelled questions through the product, the product without speaker routing (the
    search as it was before quotes) and plain dense search, over all the labelled articles,
    or over every article of `corpus` when given (labelled or not)."""
    import numpy as np

    from cli.opening import encoder_cache_dir
    from index.embedder import MiniLMEmbedder
    from index.library import Library
    from retrieval.search import Searcher
    from settings import DEFAULT_CONFIG, load_settings

    settings = load_settings(DEFAULT_CONFIG)
    if corpus:
        folder, source = corpus.parent / "index", corpus
    else:
        folder = WORK / "quotes" / "index"
        source = WORK / "quotes" / "articles.jsonl"
        raw = [json.loads(line) for line in NEWS.read_text().splitlines() if line]
        wanted = {labels["url"] for labels, _, _ in articles}
        text = "".join(json.dumps(r) + "\n" for r in raw if r["url"] in wanted)
        if not source.exists() or source.read_text() != text:
            source.write_text(text)
    library = Library(folder, MiniLMEmbedder(onnx_cache=encoder_cache_dir()))
    library.ingest([source])
    searcher = Searcher(library, settings.search)
    quote_places = {}  # (url, kept paragraph) -> labelled speakers
    for labels, _, numbers in articles:
        for quote in labels["quotes"]:
            if quote["paragraph"] in numbers:
                place = (labels["url"], numbers[quote["paragraph"]])
                quote_places[place] = [s["name"] for s in quote["speakers"]]
    by_id = {a.article_id: a.url for a in library.articles()}
    ids, matrix = library.store.all_vectors()
    stored = library.store.passages([int(i) for i in ids])

    def dense(question: str, k: int) -> list[list[tuple[str, int]]]:
        scores = matrix @ library.embedder.encode([question])[0]
        shown, seen = [], set()
        for row in np.argsort(-scores):
            citation = stored[int(ids[row])].citation
            place = (by_id[citation.article_id], citation.paragraph)
            if place not in seen:
                seen.add(place)
                shown.append([place])
            if len(shown) == k:
                break
        return shown

    def product(ask) -> "callable":
        def run(question: str, k: int) -> list[list[tuple[str, int]]]:
            answer = ask(question, k)
            return [[(by_id[p.citation.article_id], n) for n in p.paragraphs] for p in answer.passages]
        return run

    systems = {
        "product": product(lambda q, k: searcher.ask(q, k)),
        "product before quotes": product(lambda q, k: searcher._search(q, q, k, None, date.today())),
        "dense": dense,
    }
    questions = json.loads(questions_file.read_text())["questions"]
    figures = {}
    for name, run in systems.items():
        say_first, say_top3, about_first, about_top3 = [], [], [], []
        for question in questions:
            shown = run(question["question"], 3)

            def by_them(places, speaker=question["speaker"]):
                return any(any(same_speaker(s, speaker) for s in quote_places.get(p, ())) for p in places)

            if question["kind"] == "say":
                say_first.append(bool(shown) and by_them(shown[0]))
                say_top3.append(sum(by_them(p) for p in shown) / max(len(shown), 1))
            else:
                gold = set()
                for g in question["gold"]:
                    numbers = next(n for labels, _, n in articles if labels["url"] == g["url"])
                    if g["paragraph"] in numbers:
                        gold.add((g["url"], numbers[g["paragraph"]]))
                about_first.append(bool(shown) and bool(gold & set(shown[0])))
                about_top3.append(any(gold & set(p) for p in shown))
        figures[name] = {
            "say: top passage theirs": np.mean(say_first), "say: share of shown theirs": np.mean(say_top3),
            "about: right quote first": np.mean(about_first),
            "about: right quote in top 3": np.mean(about_top3),
            "questions": (len(say_first), len(about_first)),
        }
    return figures


def questions_table(name: str, figures: dict) -> list[str]:
    columns = [c for c in next(iter(figures.values())) if c != "questions"]
    say, about = next(iter(figures.values()))["questions"]
    lines = [f"**{name}**: {say} \"What did X say?\", {about} \"What did X say about Y?\" (top 3 shown)", "",
             "| system | " + " | ".join(columns) + " |", "|---|" + "---:|" * len(columns)]
    for system, values in figures.items():
        lines.append(f"| {system} | " + " | ".join(f"{values[c]:.3f}" for c in columns) + " |")
    return lines
