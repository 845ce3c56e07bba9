"""Answers made of quotations: one person's quotes (on a topic), and the speaker named on
every passage of any answer that is a quotation."""

import dataclasses

import numpy as np

from index.library import Library
from index.passages import word_stem, word_stems
from index.store import StoredPassage, StoredQuote
from retrieval import copies
from retrieval.answer import Answer, FoundPassage
from retrieval.question import keyword_terms

# how much the share of the topic's words found in a quote paragraph adds to its cosine with
# the topic (0.2 put the right quote first for one more question in each labelled set)
_TOPIC_WORDS_WEIGHT = 0.2


def speaker_answer(library: Library, question: str, speaker: str, topic: str | None, k: int,
                   article_id: str | None = None, join_chars: int = 600,
                   days: tuple[str, str] | None = None) -> Answer:
    """The speaker's quote paragraphs from every article (or one): most relevant to the topic
    first when there is one (its meaning, and a little its words), else newest article first,
    then in reading order (news puts its central quotes first). A quote whose paragraph names
    the speaker only as "he" or "the spokesman" is shown after the paragraph before it when
    the two fit in `join_chars` and that one is not a quote of theirs (shown on its own): it
    says who is speaking. Only articles published on `days` (first, last)
    when given."""
    quotes = [q for q in library.store.quotes_by(speaker) if article_id in (None, q.article_id)
              and (days is None or q.published is not None and days[0] <= q.published <= days[1])]
    places = list(dict.fromkeys((q.article_id, q.paragraph) for q in quotes))
    theirs = set(places)
    # newest first needs only the first paragraphs read (enough for k after copies are set
    # aside); a topic needs all their vectors
    wanted = places if topic else places[:4 * k]
    passages = {place: _passage_holding(library, place, quotes) for place in wanted}
    places = [p for p in places if passages.get(p) is not None]
    scores = {place: 0.0 for place in places}
    if topic and places:
        query = library.embedder.encode([topic])[0]
        topic_stems = {word_stem(t) for t in keyword_terms(topic)}
        for place in places:
            scores[place] = _topic_score(passages[place], query, topic_stems)
        places.sort(key=lambda place: -scores[place])
    places = _one_per_copy_group(library, places, passages, k)
    found = []
    for place in places:
        stored = passages[place]
        here = [q for q in quotes if (q.article_id, q.paragraph) == place]
        text, highlight, joined = stored.text, _quote_highlight(stored, here), None
        before_place = (place[0], place[1] - 1)
        if stored.piece == 0 and all(q.form in _UNNAMED_FORMS for q in here) and place[1] > 1 \
                and before_place not in theirs:  # not a quote of theirs, shown on its own
            before = library.store.passages_of_article(place[0], place[1] - 1, place[1] - 1)
            if before and len(before[-1].text) + len(text) <= join_chars:
                shift = len(before[-1].text) + 2
                text, highlight = f"{before[-1].text}\n\n{text}", (highlight[0] + shift, highlight[1] + shift)
                joined = place[1] - 1
        found.append(FoundPassage(
            rank=len(found) + 1, score=round(scores[place], 4), passage_id=stored.passage_id,
            citation=stored.passage.citation, text=text, highlight=highlight,
            joined_paragraph=joined, speaker=speaker,
        ))
    groups = copies.groups_of(library, [f.passage_id for f in found])
    also_in = copies.other_outlets(library, [(groups[f.passage_id], f.citation) for f in found])
    found = [dataclasses.replace(f, also_in=others) for f, others in zip(found, also_in, strict=True)]
    return Answer(question, tuple(found), article_id, speaker=speaker)


def _topic_score(passage: StoredPassage, topic_vector: np.ndarray, topic_stems: set[str]) -> float:
    """How well a quote passage matches the topic: its or its best sentence's cosine, plus a
    little for the topic's own words in it ("Brexit" for "the Brexit vote")."""
    score = float(np.max(passage.vectors @ topic_vector))
    if topic_stems:
        shared = topic_stems & set(word_stems(passage.text))
        score += _TOPIC_WORDS_WEIGHT * len(shared) / len(topic_stems)
    return score


def filled_from(library: Library, answer: Answer, searched: Answer, k: int) -> Answer:
    """A speaker's answer with fewer than k quotes on the topic, followed by the search's
    passages that are not another person's quotes (reported speech, "X told reporters that
    …", is often where the rest of what X said is), no paragraph or copy of one shown twice."""
    groups = copies.groups_of(library, [p.passage_id for p in (*answer.passages, *searched.passages)])
    shown = {(p.citation.article_id, n) for p in answer.passages for n in p.paragraphs}
    shown_groups = {groups[p.passage_id] for p in answer.passages}
    passages = list(answer.passages)
    for found in searched.passages:
        if len(passages) == k:
            break
        neighbour = (found.citation.article_id, found.joined_paragraph)
        if found.joined_paragraph is not None and neighbour in shown:
            found = _unjoined(library, found)  # its neighbour is one of the quotes shown
        places = {(found.citation.article_id, n) for n in found.paragraphs}
        if places & shown or groups[found.passage_id] in shown_groups \
                or found.speaker not in (None, answer.speaker):
            continue
        shown |= places
        shown_groups.add(groups[found.passage_id])
        passages.append(dataclasses.replace(found, rank=len(passages) + 1))
    return dataclasses.replace(answer, passages=tuple(passages))


def _unjoined(library: Library, found: FoundPassage) -> FoundPassage:
    """The passage shown without the neighbouring paragraph it was joined to."""
    own = library.store.passages([found.passage_id])[found.passage_id].passage.text
    shift = len(found.text) - len(own) if found.joined_paragraph < found.citation.paragraph else 0
    start, end = found.highlight
    return dataclasses.replace(found, text=own, joined_paragraph=None,
                               highlight=(max(start - shift, 0), max(end - shift, 0)))


def _one_per_copy_group(library: Library, places: list, passages: dict, k: int) -> list:
    """The first k places whose passages are not copies of an earlier one's (wire copy run by
    several outlets: index/copy_groups.py)."""
    groups = copies.groups_of(library, [passages[p].passage_id for p in places])
    kept, seen = [], set()
    for place in places:
        group = groups[passages[place].passage_id]
        if group not in seen:
            seen.add(group)
            kept.append(place)
            if len(kept) == k:
                break
    return kept


# the paragraph does not name the speaker
_UNNAMED_FORMS = ("pronoun", "role", "continuation")


def with_speakers(library: Library, answer: Answer) -> Answer:
    """The answer with each passage that holds a quotation naming its speaker (the one with
    the most words quoted there)."""
    if not answer.passages:
        return answer
    quotes = library.store.quotes_at([(p.citation.article_id, p.citation.paragraph) for p in answer.passages])
    if not quotes and all(p.speaker is None for p in answer.passages):
        return answer
    named = []
    for found in answer.passages:
        here = [q for q in quotes if (q.article_id, q.paragraph) == (found.citation.article_id,
                                                                      found.citation.paragraph)]
        speaker = max(here, key=lambda q: q.end - q.start).speaker if here else None
        named.append(found if found.speaker == speaker else dataclasses.replace(found, speaker=speaker))
    return dataclasses.replace(answer, passages=tuple(named))


def _passage_holding(
    library: Library, place: tuple[str, int], quotes: list[StoredQuote]
) -> StoredPassage | None:
    """The passage (piece of the paragraph) where the speaker's first quote there starts."""
    pieces = library.store.passages_of_article(place[0], place[1], place[1])
    first = min(q.start for q in quotes if (q.article_id, q.paragraph) == place)
    for piece, offset in _offsets(pieces):
        if first < offset + len(piece.text):
            return piece
    return pieces[0] if pieces else None


def _offsets(pieces: list[StoredPassage]) -> list[tuple[StoredPassage, int]]:
    """Each piece with where it starts in its paragraph (pieces were split at spaces)."""
    out, offset = [], 0
    for piece in pieces:
        out.append((piece, offset))
        offset += len(piece.text) + 1
    return out


def _quote_highlight(stored: StoredPassage, quotes: list[StoredQuote]) -> tuple[int, int]:
    """The sentence of this passage where the speaker's longest quotation in it starts."""
    longest = max(quotes, key=lambda q: q.end - q.start)
    spans = stored.passage.sentence_spans
    if stored.piece == 0:
        for start, end in spans:
            if start <= longest.start < end:
                return start, end
    return spans[0]
