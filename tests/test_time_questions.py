"""Questions that name their days, publication dates, and the recency prior (real model and index)."""

import json
import sqlite3
from datetime import date

import pytest

from index.library import Library
from retrieval.render import answer_to_json, render_text
from retrieval.search import Searcher, SearchSettings

FRIDAY = date(2022, 6, 17)


def article(title: str, published: str, *paragraphs: str) -> str:
    return json.dumps({"title": title, "text": "\n\n".join(paragraphs), "published": published})


ARTICLES = [
    article("Storm closes the harbour", "June 14, 2022",
            "A storm closed the harbour of Parnu on Tuesday and sank two fishing boats.",
            "Harbour master Tomas Berg said the cranes were damaged beyond repair."),
    article("Harbour budget approved", "2022-05-02T09:00:00Z",
            "The town council approved the harbour budget for new cranes and a fuel depot.",
            "During the works the harbour ferry leaves from the north pier, the council said."),
    *[article(f"Ferry timetable {n}", f"2022-03-{n + 1:02d}",
              f"Where the harbour ferry leaves from: on route {n} it leaves from pier {n}.")
      for n in range(1, 25)],
]


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, minilm):
    folder = tmp_path_factory.mktemp("dated")
    (folder / "harbour.jsonl").write_text("\n".join(ARTICLES) + "\n")
    library = Library(tmp_path_factory.mktemp("dated-index"), minilm)
    library.ingest([folder])
    return Searcher(library, SearchSettings(candidates=10, recency_weight=0.0))


def titles(answer) -> list[str]:
    return [p.citation.title for p in answer.passages]


def test_publication_dates_are_stored_as_one_iso_day(searcher):
    published = {a.title: a.published for a in searcher.library.articles()}
    assert published["Storm closes the harbour"] == "2022-06-14"
    assert published["Harbour budget approved"] == "2022-05-02"


def test_this_week_searches_only_that_weeks_articles_and_says_so(searcher):
    answer = searcher.ask("What happened at the harbour this week?", as_of=FRIDAY)
    assert answer.time_scope.label == "13–19 June 2022" and not answer.outside_scope
    assert set(titles(answer)) == {"Storm closes the harbour"}
    assert render_text(answer).startswith("Articles from 13–19 June 2022:\n\n[1] Storm closes the harbour")
    scope = answer_to_json(answer)["time_scope"]
    assert (scope["from"], scope["to"], scope["answered_within"]) == ("2022-06-13", "2022-06-19", True)


def test_the_range_is_applied_before_ranking_not_to_the_top_results(searcher):
    library, question = searcher.library, "Where does the harbour ferry leave from?"
    # 24 ferry articles of March match better than the May budget, and there are only 10
    # candidates a side: filtering the top candidates afterwards would find nothing of May
    [may] = [a for a in library.articles() if a.title == "Harbour budget approved"]
    may_passages = set(library.store.passage_ids_of(may.article_id))
    dense = {pid for pid, _ in library.vectors.search(library.embedder.encode([question])[0], 10)}
    keyword = {pid for pid, _ in library.store.keyword_search('"harbour" OR "ferry" OR "leave"', 10,
                                                              (1.0, 0.6, 0.2), None)}
    assert not may_passages & (dense | keyword)
    answer = searcher.ask("Where does the harbour ferry leave from in May?", as_of=FRIDAY)
    assert answer.time_scope.label == "May 2022" and not answer.outside_scope
    assert set(titles(answer)) == {"Harbour budget approved"} and "north pier" in answer.passages[0].text


def test_a_range_with_nothing_in_it_says_so_and_answers_from_any_day(searcher):
    answer = searcher.ask("What closed the harbour of Parnu in April?", as_of=FRIDAY)
    assert answer.outside_scope and answer.passages
    assert titles(answer)[0] == "Storm closes the harbour"
    assert render_text(answer).startswith(
        "Nothing in the articles from April 2022 answers that; from any day:")


def test_the_expression_is_read_against_the_day_asked(searcher):
    answer = searcher.ask("What did the council approve last month?", as_of=FRIDAY)
    assert answer.time_scope.label == "May 2022" and titles(answer)[0] == "Harbour budget approved"
    later = searcher.ask("What did the council approve last month?", as_of=date(2022, 7, 1))
    assert later.time_scope.label == "June 2022" and later.outside_scope


def test_the_recency_prior_breaks_ties_toward_the_newer_article(tmp_path, minilm):
    # two reports of one event in their own words (not copies: both are shown)
    newer = "The harbour received two new cranes on Monday."
    older = "Two new cranes arrived at the harbour on Monday."
    twins = [article("Harbour cranes", "2022-06-10", newer),
             article("Harbour cranes again", "2021-06-10", older)]
    (tmp_path / "twins.jsonl").write_text("\n".join(twins + ARTICLES) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "twins.jsonl"])
    question = "When did the new cranes arrive at the harbour?"
    without = Searcher(library, SearchSettings(recency_weight=0.0)).ask(question, as_of=FRIDAY)
    with_prior = Searcher(library, SearchSettings()).ask(question, as_of=FRIDAY)
    assert titles(without)[:2] == ["Harbour cranes again", "Harbour cranes"]  # its words are the question's
    assert titles(with_prior)[:2] == ["Harbour cranes", "Harbour cranes again"]


def test_an_older_index_gets_its_dates_in_one_form_when_opened(tmp_path, minilm):
    (tmp_path / "a.jsonl").write_text(ARTICLES[0] + "\n")
    Library(tmp_path / "index", minilm).ingest([tmp_path / "a.jsonl"])
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:  # as an older version left it
        db.execute("UPDATE articles SET published = 'Tue, 14 Jun 2022 08:00:00 GMT'")
        db.execute("DELETE FROM meta WHERE key = 'published_form'")
    library = Library(tmp_path / "index", minilm)
    assert [a.published for a in library.articles()] == ["2022-06-14"]


def test_the_command_line_reads_as_of_and_rejects_a_bad_day(capsys, monkeypatch, tmp_path, minilm):
    import io
    import sys

    import bot

    (tmp_path / "harbour.jsonl").write_text("\n".join(ARTICLES[:2]) + "\n")
    index = str(tmp_path / "index")
    assert bot.main(["index", str(tmp_path / "harbour.jsonl"), "--index", index]) == 0
    capsys.readouterr()
    question = "What happened at the harbour this week?"
    assert bot.main(["ask", question, "--as-of", "2022-06-17", "--index", index]) == 0
    assert capsys.readouterr().out.startswith("Articles from 13–19 June 2022:")
    assert bot.main(["ask", question, "--as-of", "next Friday", "--index", index]) == 1
    assert capsys.readouterr().err.strip() == \
        "error: as of 'next Friday': give the day as YYYY-MM-DD, e.g. 2022-06-17"
    lines = [json.dumps({"question": question, "as_of": day}) for day in ("2022-06-17", "2022-05-06", "soon")]
    monkeypatch.setattr(sys, "stdin", io.StringIO("\n".join(lines) + "\n"))
    assert bot.main(["ask", "--json", "--index", index]) == 1
    records = [json.loads(line) for line in capsys.readouterr().out.splitlines()]
    assert [r["time_scope"]["label"] for r in records[:2]] == ["13–19 June 2022", "2–8 May 2022"]
    assert [r["passages"][0]["title"] for r in records[:2]] == [
        "Storm closes the harbour", "Harbour budget approved"]
    assert "YYYY-MM-DD" in records[2]["error"]


def test_in_an_index_without_dates_a_year_is_just_words(tmp_path, minilm):
    (tmp_path / "history.txt").write_text(
        "Harbour history\n\nThe harbour of Parnu was rebuilt in 1995 after a fire destroyed the old pier.\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "history.txt"])
    answer = Searcher(library, SearchSettings()).ask("What happened to the harbour in 1995?", as_of=FRIDAY)
    assert answer.time_scope is None and "rebuilt in 1995" in answer.passages[0].text


def test_a_standing_question_matches_a_new_passage_that_answers_it(tmp_path, minilm):
    (tmp_path / "old.jsonl").write_text("\n".join(ARTICLES[:2]) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "old.jsonl"])
    before = set(library.store.passage_ids_of(library.articles()[0].article_id))
    news = article("Ferry strike ends", "2022-06-16",
                   "Ferry crews in Parnu ended their strike on Thursday after the town agreed to a pay rise.")
    (tmp_path / "new.jsonl").write_text(news + "\n")
    library.ingest([tmp_path / "new.jsonl"])
    [fresh] = [a for a in library.articles() if a.title == "Ferry strike ends"]
    new_ids = set(library.store.passage_ids_of(fresh.article_id))
    searcher = Searcher(library, SearchSettings(watch_min_probability=0.5))
    match = searcher.watch_match("Did the Parnu ferry strike end?", new_ids, as_of=FRIDAY)
    assert match is not None and match.passage.citation.title == "Ferry strike ends"
    assert searcher.watch_match("Did the Parnu ferry strike end?", before, as_of=FRIDAY) is None
    assert searcher.watch_match("Who won the chess olympiad in Chennai?", new_ids, as_of=FRIDAY) is None


def test_authors_are_kept_from_jsonl_and_html_and_shown_by_sources(tmp_path, minilm, capsys):
    import bot
    from index.articles import article_from_html

    page = ("<html><head><title>Harbour news</title><meta name=\"author\" content=\"Liis Tamm\"></head>"
            "<body><article><h1>Harbour news</h1><p>" + "The harbour reopened after the storm today. " * 4
            + "</p></article></body></html>")
    assert article_from_html(page, "harbour.html").author == "Liis Tamm"
    record = json.dumps({"title": "Ferry news", "text": "The ferry sails again from Parnu harbour.",
                         "author": "  Jaan   Org "})
    (tmp_path / "ferry.jsonl").write_text(record + "\n")
    index = str(tmp_path / "index")
    assert bot.main(["index", str(tmp_path / "ferry.jsonl"), "--index", index]) == 0
    capsys.readouterr()
    assert bot.main(["sources", "--index", index]) == 0
    assert "Ferry news  (1 paragraphs, ferry.jsonl, by Jaan Org)" in capsys.readouterr().out
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:  # as an index made before authors
        db.execute("ALTER TABLE articles DROP COLUMN author")
    assert [a.author for a in Library(tmp_path / "index", minilm).articles()] == [None]
