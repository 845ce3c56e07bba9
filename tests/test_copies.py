"""The same paragraph from several outlets is shown once, with where else it ran."""

import json
from datetime import date

from index.copy_marks import are_copies, marks
from index.library import Library
from retrieval.render import answer_to_json, render_text
from retrieval.search import Searcher, SearchSettings

WIRE = ("Firefighters contained the forest fire near Parnu on Tuesday after three days, the rescue board"
        " said, and residents of two villages were allowed to return home.")


def test_a_reworded_copy_is_a_copy_and_another_report_is_not():
    edited = WIRE.replace("on Tuesday after three days", "on Tuesday, after three days of work")
    own_words = "Two villages near Parnu are home again: the fire that burned for three days is out."
    assert are_copies(marks(WIRE), marks(edited + " More rain is expected."))
    assert not are_copies(marks(WIRE), marks(own_words))


def test_one_template_filled_in_for_two_towns_is_not_a_copy():
    other_town = WIRE.replace("Parnu", "Viljandi").replace("three days", "four days")
    assert not are_copies(marks(WIRE), marks(other_town))
    assert are_copies(marks(WIRE), marks(WIRE.replace("10,000", "10000")))


def test_a_reply_shows_a_wire_paragraph_once_and_names_the_other_outlets(tmp_path, minilm):
    articles = [
        {"title": "Forest fire contained", "url": "https://wire.example/fire", "published": "2022-06-14",
         "text": WIRE + "\n\nThe cause of the fire is not yet known."},
        {"title": "Parnu fire is out", "url": "https://gazette.example/parnu-fire", "published": "2022-06-14",
         "text": WIRE.replace("the rescue board said", "according to the rescue board")
         + "\n\nThe gazette's reporter saw the burnt pines from the road."},
        {"title": "Villagers return", "url": "https://daily.example/villagers", "published": "2022-06-15",
         "text": "Two villages near Parnu are home again: the fire that burned for three days is out."},
    ]
    (tmp_path / "fire.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "fire.jsonl"])
    answer = Searcher(library, SearchSettings(k=3)).ask("When was the forest fire near Parnu contained?")
    texts = [p.text for p in answer.passages]
    assert sum("Firefighters contained the forest fire" in t for t in texts) == 1
    [wire] = [p for p in answer.passages if "Firefighters contained" in p.text]
    assert len(wire.also_in) == 1 and wire.also_in[0].outlet in ("wire.example", "gazette.example")
    assert wire.also_in[0].url != wire.citation.url
    assert any("Two villages near Parnu are home again" in t for t in texts)  # its own words: kept
    position = [p.passage_id for p in answer.passages].index(wire.passage_id)
    record = answer_to_json(answer)["passages"][position]
    assert record["also_in"][0]["outlet"] == wire.also_in[0].outlet
    assert f"(also in: {wire.also_in[0].outlet})" in render_text(answer)


def test_copies_do_not_crowd_the_candidate_pool(tmp_path, minilm):
    """Six outlets run one wire story: the candidates still span as many distinct paragraphs as
    asked for, each copy group once, by its earliest published copy."""
    story = WIRE + "\n\nThe rescue board said the fire burned 300 hectares of pine forest."
    articles = [{"title": f"Fire contained ({n})", "url": f"https://outlet{n}.example/fire",
                 "published": f"2022-06-{20 - n}", "text": story} for n in range(6)]
    articles += [
        {"title": "Rain expected", "url": "https://daily.example/rain", "published": "2022-06-16",
         "text": "Forecasters expect rain over the burnt forest near Parnu by the weekend."},
        {"title": "Pines replanted", "url": "https://daily.example/pines", "published": "2022-06-17",
         "text": "Volunteers will replant pine trees in the forest near Parnu that the fire burned."},
    ]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "wire.jsonl"])
    searcher = Searcher(library, SearchSettings(k=3, candidates=3))
    question = "How much of the forest near Parnu did the fire burn?"
    candidates = searcher.ranking_for(question, None, 3).candidates
    groups = [candidates.copy_group(i) for i in range(len(candidates.stored))]
    assert len(groups) == len(set(groups))  # each copy group once
    assert len(set(groups)) >= 3  # not three copies of one paragraph
    wire = [p for p in candidates.stored if p.text.startswith("Firefighters contained")]
    assert [p.citation.published for p in wire] == ["2022-06-15"]  # the earliest copy stands for all


def test_a_search_inside_one_article_or_some_days_keeps_to_its_copies(tmp_path, minilm):
    """The earliest copy stands for its group in a search of the whole index, but not in one
    restricted to another article or to days the earliest copy was not published on."""
    story = WIRE + "\n\nThe rescue board said the fire burned 300 hectares of pine forest."
    articles = [{"title": f"Fire contained ({n})", "url": f"https://outlet{n}.example/fire",
                 "published": f"2022-06-{14 + 7 * n}", "text": story} for n in range(3)]
    (tmp_path / "wire.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "wire.jsonl"])
    searcher = Searcher(library, SearchSettings(k=3))
    question = "How many hectares did the fire near Parnu burn?"
    everywhere = searcher.ask(question)
    assert {p.citation.url for p in everywhere.passages} == {"https://outlet0.example/fire"}
    in_article = searcher.ask(question, article="Fire contained (2)")
    assert {p.citation.url for p in in_article.passages} == {"https://outlet2.example/fire"}
    that_week = searcher.ask(question + " this week", as_of=date(2022, 6, 22))
    assert {p.citation.url for p in that_week.passages} == {"https://outlet1.example/fire"}
