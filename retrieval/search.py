"""Question in, cited passages out: gather candidates, rank them, refuse or keep the best k."""

import dataclasses
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass
from datetime import date

import numpy as np

from index.errors import IndexingError
from index.library import Library
from retrieval import answer_model, copies, quote_search, speaker_question, timeline, watch_match
from retrieval.answer import Answer, FoundPassage
from retrieval.candidates import ARTICLE_SIGNALS, SIGNALS, Candidates, gather, recency
from retrieval.deep_links import with_links
from retrieval.fusion import Ranking, rank
from retrieval.question import clean_question
from retrieval.time_scope import TimeScope, find_time_scope
from retrieval.watch_match import WatchMatch
from retrieval.words import Words


@dataclass(frozen=True)
class SearchSettings:
    k: int = 3
    candidates: int = 50
    # fusion weights of the z-scored SIGNALS, for a question none of whose words one
    # candidate sentence holds (paraphrase) and one all of whose words it holds (word match);
    # in between, the mix by that share (retrieval.fusion.rank)
    paraphrase_weights: tuple[float, ...] = (1.49, 1.483, 0.583, 0.0, 0.0)
    word_match_weights: tuple[float, ...] = (0.0, 0.556, 0.595, 0.34, 0.209)
    # weights of the raw cosines with the candidate's article title and article centroid
    title_weight: float = 3.0
    article_weight: float = 3.0
    # BM25 weight of a passage's own text, the paragraph it borrows as context, the title
    keyword_columns: tuple[float, float, float] = (1.0, 0.6, 0.2)
    # a paragraph that only says "he told reporters" keeps this share of its
    # previous paragraph's similarity, so a question naming the speaker finds it
    context_share: float = 0.9
    # no answer unless some passage has at least this cosine similarity to the question ...
    min_similarity: float = 0.15
    # ... and the answer model (a logistic regression over answer_model.answer_features:
    # intercept, then one coefficient per feature) gives at least min_answer_probability
    answer_model: tuple[float, ...] = (-12.968, 25.603, -9.803, -0.329, 3.598, 0.352, 3.021)
    min_answer_probability: float = 0.545
    # ... or this, for a question asked about one article: the asker says the answer is there
    min_answer_probability_in_article: float = 0.01
    # ... or one of the top passages holds this share of the question's word weight (IDF)
    min_keyword_coverage: float = 0.99
    # keyword candidates come from the question's rarest words, taken while the passages
    # holding them add up to at most this many: BM25 scores every passage it matches
    keyword_postings_budget: int = 5000
    passage_min_similarity: float = 0.2
    # a passage is shown with its neighbouring paragraph when that one is at least this
    # share as similar to the question and the two hold at most neighbour_max_chars
    neighbour_share: float = 0.7
    neighbour_max_chars: int = 600
    max_question_chars: int = 1000
    # a recency prior, added to the fused score: recency_weight * 0.5 ** (age / half-life),
    # age in days before the question's day (an undated article gets none)
    recency_weight: float = 4.0
    recency_half_life_days: float = 30.0
    # a standing question (/watch) alerts on a new passage when the answer model gives at
    # least this ...
    watch_min_probability: float = 0.9
    # ... and the passage's fused score (before the recency prior) is at least this much
    # more than that of any passage held before (retrieval/watch_match.py; both chosen on
    # the tuning watches of bench/watches.py)
    watch_min_score_lead: float = 3.5
    # a story is on a timeline when a passage of it is at least this similar (cosine) to the
    # topic, or at least timeline_min_similarity_with_words when it holds a word of the topic
    # (chosen by reading the timelines of a dozen topics over the news development articles)
    timeline_min_similarity: float = 0.5
    timeline_min_similarity_with_words: float = 0.3


class UnknownSpeaker(IndexingError):
    """A name no indexed quotation is attributed to."""


def shorten_name(name: str) -> str:
    return name if len(name) <= 60 else name[:59] + "…"


class Searcher:
    """Answers questions from one library with one set of settings."""

    def __init__(self, library: Library, settings: SearchSettings):
        self.library = library
        self.settings = settings
        # SQLite and ONNX Runtime both let go of the GIL, so the keyword search runs on a
        # thread of its own while the question is encoded
        self._keyword_thread = ThreadPoolExecutor(1, thread_name_prefix="keyword-search")

    def ask(self, question: str, k: int | None = None, article: str | None = None,
            as_of: date | None = None) -> Answer:
        """The best passages for a question, each quotation naming its speaker ("Who said …?"
        is answered so); "What did X say (about Y)?" about a speaker the index knows is
        answered from X's quotations. A calendar expression ("this week", "in June") is read
        against `as_of` (the day the question was asked; today when None) and only articles
        of those days are searched, its words left out; when none of them answers, the whole
        question is asked of any day and the answer says so. In an index with no dated
        article, the expression is just words of the question."""
        question = clean_question(question, self.settings.max_question_chars)
        article_id = self.library.find_article(article).article_id if article else None
        k = k or self.settings.k
        as_of = as_of or date.today()
        scope, rest = find_time_scope(question, as_of)
        if scope is not None and not self.library.store.has_dated_articles():
            scope, rest = None, question  # "in 1995" in an undated encyclopedia is about the year
        asked = speaker_question.parse(rest)
        if asked is not None:
            speaker = speaker_question.match_speaker(asked.who, self.library.store.speakers())
            if speaker is not None:
                answer = quote_search.speaker_answer(
                    self.library, question, speaker.name, asked.topic, k, article_id,
                    self.settings.neighbour_max_chars, _days(scope))
                if asked.topic and answer.answered and len(answer.passages) < k:
                    searched = quote_search.with_speakers(self.library, self._search(
                        question, question, k, article_id, as_of, _days(scope)))  # linked below
                    answer = quote_search.filled_from(self.library, answer, searched, k)
                if scope is None or answer.answered:
                    return with_links(self.library, dataclasses.replace(answer, time_scope=scope))
        if scope is not None:
            answer = self._search(question, rest, k, article_id, as_of, _days(scope))
            if answer.answered:
                return self.named_and_linked(dataclasses.replace(answer, time_scope=scope))
        answer = self._search(question, question, k, article_id, as_of)
        if scope is not None:  # searched on any day after all
            answer = dataclasses.replace(answer, time_scope=scope, outside_scope=True)
        return self.named_and_linked(answer)

    def named_and_linked(self, answer: Answer) -> Answer:
        """Quotations name their speakers; passages from web pages link to their best sentence."""
        return with_links(self.library, quote_search.with_speakers(self.library, answer))

    def timeline(self, topic: str, as_of: date | None = None) -> Answer:
        """The best passage of each story about `topic`, oldest first (retrieval/timeline.py)."""
        return timeline.build(self, topic, as_of or date.today())

    def ranking_for(self, searched: str, days: tuple[str, str] | None, candidates: int) -> Ranking | None:
        """The fused ranking of `candidates` dense and keyword candidates, over the whole
        index or the articles of `days`."""
        settings = dataclasses.replace(self.settings, candidates=candidates)
        _, found = gather(self.library, settings, self._keyword_thread, searched, None, days)
        return None if found is None else self.ranked(found)

    def quotes(self, person: str, about: str | None = None, k: int | None = None) -> Answer:
        """`person`'s quotations, on `about` when given (Discord's /quotes)."""
        speaker = speaker_question.match_speaker(person, self.library.store.speakers())
        if speaker is None:
            raise UnknownSpeaker(
                f"nobody called '{shorten_name(person)}' is quoted in the indexed articles; "
                "check the spelling, or ask a question instead")
        question = f"What did {speaker.name} say" + (f" about {about}?" if about else "?")
        question = clean_question(question, self.settings.max_question_chars)
        return with_links(self.library, quote_search.speaker_answer(
            self.library, question, speaker.name, about, k or self.settings.k,
            join_chars=self.settings.neighbour_max_chars))

    def watch_match(self, query: str, new_passage_ids: set[int],
                    as_of: date | None = None) -> WatchMatch | None:
        """The new passage that answers a standing question (a watch), or None: the rule is
        retrieval/watch_match.py's (calibrated on the news development split by
        bench/watches.py)."""
        return watch_match.watch_match(self, query, new_passage_ids, as_of)

    def watch_candidate(self, query: str, as_of: date | None = None,
                        new_passage_ids: set[int] = frozenset()) -> WatchMatch | None:
        """A standing question's best passage with what the watch rule reads of it, new or not."""
        return watch_match.watch_candidate(self, query, as_of, new_passage_ids)

    def _search(self, question: str, searched: str, k: int, article_id: str | None, as_of: date,
                days: tuple[str, str] | None = None) -> Answer:
        """The answer to `question`, searching for `searched` (the question without its
        calendar expression) among the articles of `days` when given."""
        words, candidates = gather(
            self.library, self.settings, self._keyword_thread, searched, article_id, days)
        if not candidates:
            return Answer(question, (), article_id)
        ranking = self.ranked(candidates)
        in_article = article_id is not None
        if not answer_model.is_answerable(ranking, words, self.settings, in_article):
            return Answer(question, (), article_id)
        return Answer(question, self.shown(ranking, k, as_of), article_id)

    def gathered(self, question: str, article_id: str | None = None) -> tuple[Words, Candidates | None]:
        """The question's words, and the dense and keyword candidates with their signals."""
        return gather(self.library, self.settings, self._keyword_thread, question, article_id)

    def ranked(self, candidates: Candidates) -> Ranking:
        """The candidates in the settings' fused order (retrieval/fusion.py)."""
        s = self.settings
        return rank(candidates, dict(zip(SIGNALS, s.paraphrase_weights, strict=True)),
                    dict(zip(SIGNALS, s.word_match_weights, strict=True)),
                    {name: getattr(s, f"{name}_weight") for name in ARTICLE_SIGNALS})

    def _with_recency_prior(self, ranking: Ranking, as_of: date) -> Ranking:
        """The ranking with recency_weight times each candidate's recency added to its fused
        score. Added after the answer model has decided: it was fitted without the prior."""
        weight = self.settings.recency_weight
        if not weight or not self.library.store.has_dated_articles():
            return ranking
        values = recency(ranking.candidates, as_of, self.settings.recency_half_life_days)
        if not values.any():  # nothing dated: the order stands
            return ranking
        fused = ranking.fused + weight * values
        return Ranking(ranking.candidates, np.argsort(-fused, kind="stable"), fused)

    def shown(self, ranking: Ranking, k: int, as_of: date) -> tuple[FoundPassage, ...]:
        """The k passages an answer shows of a ranking, the recency prior read on `as_of`."""
        return self._best(self._with_recency_prior(ranking, as_of), k)

    def answer_probability(self, features: list[float]) -> float:
        """How likely the indexed articles answer the question, by the settings' logistic model."""
        return answer_model.answer_probability(features, self.settings.answer_model)

    def _best(self, ranking: Ranking, k: int) -> tuple[FoundPassage, ...]:
        """The top k relevant passages, one per paragraph, each with its neighbouring
        paragraph when that one is nearly as similar to the question (news paragraphs are a
        sentence or two: an answer often spans two)."""
        candidates = ranking.candidates
        stored = candidates.stored
        keyword, similarity = candidates.signals["keyword"], candidates.similarity
        top_keyword = keyword.max()
        relevant = ((similarity >= self.settings.passage_min_similarity)
                    | ((top_keyword > 0) & (keyword >= 0.5 * top_keyword))).tolist()
        order = ranking.order.tolist()
        places = [p.place for p in stored]
        first_piece = {places[i]: i for i in reversed(order)}  # each place's first candidate in order
        group = candidates.copy_group_list()
        found, shown, seen_paragraphs, shown_groups = [], [], set(), set()
        for i in order:  # a copy group's candidate is its earliest published copy (retrieval/copy_pool.py)
            if group[i] in shown_groups or not relevant[i] or places[i] in seen_paragraphs:
                continue
            seen_paragraphs.add(places[i])
            shown_groups.add(group[i])
            if len(found) == k:
                break
            passage = stored[i].passage
            text, highlight = passage.text, passage.sentence_spans[candidates.best_sentence(i)]
            joined = self._neighbour(candidates, similarity, i, first_piece, seen_paragraphs, shown_groups)
            if joined is not None:
                other = stored[joined]
                seen_paragraphs.add(places[joined])
                shown_groups.add(group[joined])
                if other.citation.paragraph < passage.citation.paragraph:
                    shift = len(other.text) + 2
                    text, highlight = f"{other.text}\n\n{text}", (highlight[0] + shift, highlight[1] + shift)
                else:
                    text = f"{text}\n\n{other.text}"
            shown.append((group[i], passage.citation))
            found.append(FoundPassage(
                rank=len(found) + 1,
                score=round(float(ranking.fused[i]), 4),
                passage_id=stored[i].passage_id,
                citation=passage.citation,
                text=text,
                highlight=highlight,
                joined_paragraph=None if joined is None else other.citation.paragraph,
            ))
        also_in = copies.other_outlets(self.library, shown)
        return tuple(dataclasses.replace(f, also_in=others) if others else f
                     for f, others in zip(found, also_in, strict=True))

    def _neighbour(self, candidates: Candidates, similarity: np.ndarray, i: int, first_piece: dict,
                   seen: set, shown_groups: set) -> int | None:
        """The candidate holding the paragraph before or after candidate i, when it is at least
        neighbour_share as similar to the question, neither it nor a copy of it is shown yet,
        and both are short."""
        stored = candidates.stored[i]
        article, paragraph = stored.place
        best = None
        for place in ((article, paragraph - 1), (article, paragraph + 1)):
            j = first_piece.get(place)
            if j is None or place in seen or similarity[j] < self.settings.neighbour_share * similarity[i]:
                continue
            if candidates.copy_group(j) in shown_groups:
                continue
            if len(stored.text) + len(candidates.stored[j].text) > self.settings.neighbour_max_chars:
                continue
            if best is None or similarity[j] > similarity[best]:
                best = j
        return best


def _days(scope: TimeScope | None) -> tuple[str, str] | None:
    return (scope.start.isoformat(), scope.end.isoformat()) if scope else None
