"""The same paragraph from several outlets is shown once, with where else it ran."""

import json

from index.copy_groups import are_copies, marks
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
