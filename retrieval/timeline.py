"""A story in order: the best passage of each story about a topic, oldest first.

A story is an article with the copies other outlets ran of it (index/copy_groups.py). The
topic is searched as a question is, over more candidates; a story is about the topic when
a passage of it is similar enough to it (timeline_min_similarity, or less when the passage
holds a word of the topic: SearchSettings). A calendar expression
in the topic ("in June", "this week") keeps the stories of those days.
"""

import dataclasses
from datetime import date
from typing import TYPE_CHECKING

import numpy as np

from index import copy_groups
from retrieval import copies
from retrieval.answer import Answer, FoundPassage
from retrieval.question import clean_question
from retrieval.render import answer_to_json, citation_line, marked_text
from retrieval.time_scope import find_time_scope

if TYPE_CHECKING:
    from retrieval.search import Searcher

# the candidates searched for a topic: a timeline wants breadth, a question the best few
TIMELINE_CANDIDATES = 200
TIMELINE_MAX_ENTRIES = 25


def build(searcher: "Searcher", topic: str, as_of: date, limit: int = TIMELINE_MAX_ENTRIES) -> Answer:
    """The timeline as an Answer whose passages are in date order (an undated story last),
    numbered so; `question` is the topic."""
    settings, library = searcher.settings, searcher.library
    topic = clean_question(topic, settings.max_question_chars)
    scope, searched = find_time_scope(topic, as_of)
    if scope is not None and not library.store.has_dated_articles():
        scope, searched = None, topic
    days = (scope.start.isoformat(), scope.end.isoformat()) if scope else None
    ranking = searcher.ranking_for(searched, days, TIMELINE_CANDIDATES)
    if ranking is None:
        return Answer(topic, (), time_scope=scope)
    candidates = ranking.candidates
    similarity = candidates.similarity
    floor = np.where(candidates.signals["keyword"] > 0, settings.timeline_min_similarity_with_words,
                     settings.timeline_min_similarity)
    article_ids = list({stored.citation.article_id for stored in candidates.stored})
    story_of = library.store.read(copy_groups.stories_of, article_ids)
    best_of_story: dict[str, int] = {}
    for i in ranking.order:
        if similarity[i] >= floor[i]:
            best_of_story.setdefault(story_of[candidates.stored[i].citation.article_id], int(i))
    chosen = sorted(list(best_of_story.values())[:limit],
                    key=lambda i: (candidates.stored[i].citation.published or "9999", -ranking.fused[i]))
    entries = []
    for number, i in enumerate(chosen, start=1):
        stored = candidates.stored[i]
        entries.append(FoundPassage(
            rank=number, score=round(float(ranking.fused[i]), 4), passage_id=stored.passage_id,
            citation=stored.citation, text=stored.text,
            highlight=stored.passage.sentence_spans[candidates.best_sentence(i)],
        ))
    groups = copies.groups_of(library, [f.passage_id for f in entries])
    also_in = copies.other_outlets(library, [(groups[f.passage_id], f.citation) for f in entries])
    entries = [dataclasses.replace(f, also_in=others) for f, others in zip(entries, also_in, strict=True)]
    return searcher.named_and_linked(Answer(topic, tuple(entries), time_scope=scope))


def render_timeline_text(timeline: Answer) -> str:
    """One block per story: its date first, then the citation and the passage."""
    where = f" in articles from {timeline.time_scope.label}" if timeline.time_scope else ""
    if not timeline.answered:
        return f"Nothing in the indexed articles is about that{where}."
    blocks = [f"Timeline: {timeline.question}" + (f" ({timeline.time_scope.label})" if where else "")]
    for found in timeline.passages:
        day = found.citation.published or "undated"
        line = citation_line(found.rank, found.citation, found.paragraph_label, found.speaker)
        also = f" (also in: {', '.join(c.outlet for c in found.also_in)})" if found.also_in else ""
        blocks.append(f"{day}  {line}{also}\n> " + marked_text(found).replace("\n\n", "\n> "))
    return "\n\n".join(blocks)


def timeline_to_json(timeline: Answer) -> dict:
    """`timeline --json`: the topic, the days searched, and the entries oldest first, each
    a passage as `ask --json` gives it with its `published` day."""
    record = answer_to_json(timeline)
    entries = record.pop("passages")
    for entry, found in zip(entries, timeline.passages, strict=True):
        entry["published"] = found.citation.published
    record.pop("answered")
    return {"topic": record.pop("question"), **record, "entries": entries}
