"""The quiz questions asked of the copies corpus (bench/copies.py): what the replies show
twice, and query latency with copy detection on and off."""

import statistics
import time
from collections import defaultdict
from dataclasses import dataclass
from itertools import combinations

import numpy as np

from bench.copies_corpus import Made
from bench.quality_articles import ArticleHits
from index import copy_groups, copy_marks
from index.library import Library
from retrieval.search import Searcher


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
