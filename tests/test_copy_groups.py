"""Copies found at ingest: a copy group per paragraph and a story per article, kept right as
articles come and go, and an older index given them when opened."""

import json
import sqlite3

from index import copy_groups, copy_marks
from index.library import Library
from retrieval.search import Searcher, SearchSettings

WIRE = [
    "Firefighters contained the forest fire near Parnu on Tuesday after three days, the rescue board"
    " said, and residents of two villages were allowed to return home.",
    "The fire burned across 1,200 hectares of pine forest, the largest area lost to a single fire in"
    " Estonia since 2008, according to the environment agency.",
    "Investigators are examining whether a discarded cigarette near a hiking trail started the blaze,"
    " police spokeswoman Kati Tamm told reporters on Wednesday.",
    "The government promised compensation to the families whose summer houses burned, and the army"
    " will help clear the fallen trees before the autumn storms arrive.",
]
# another report of the same fire, in its own words
OWN_WORDS = [
    "Two villages near Parnu are home again: the fire that burned for three days is out.",
    "Residents told our reporter that the smoke had reached the town centre by Sunday evening.",
    "The rescue board thanked the volunteers who brought water and food to the crews in the forest.",
]


def _articles():
    copy = list(WIRE)
    copy[1] = copy[1].replace("according to the environment agency", "the environment agency said")
    return [
        {"title": "Forest fire near Parnu contained", "url": "https://wire.example/fire",
         "published": "2022-06-14", "text": "\n\n".join(WIRE)},
        {"title": "Parnu blaze is out after three days", "url": "https://gazette.example/parnu",
         "published": "2022-06-15",
         "text": "\n\n".join(["PARNU, Estonia (Gazette) —", *copy[:3], "Sign up for our newsletter."])},
        {"title": "Villagers return as Parnu fire ends", "url": "https://daily.example/villagers",
         "published": "2022-06-15", "text": "\n\n".join(OWN_WORDS)},
    ]


def _ingest(tmp_path, minilm, articles):
    (tmp_path / "news.jsonl").write_text("\n".join(json.dumps(a) for a in articles) + "\n")
    library = Library(tmp_path / "index", minilm)
    library.ingest([tmp_path / "news.jsonl"])
    return library


def _stories(library) -> dict[str, str]:
    ids = {a.title: a.article_id for a in library.articles()}
    found = library.store.read(copy_groups.stories_of, list(ids.values()))
    return {title: found[article_id] for title, article_id in ids.items()}


def _groups_by_text(library) -> dict[str, set[int]]:
    """Each stored paragraph text's copy groups (one per outlet that ran it)."""
    by_text: dict[str, set[int]] = {}
    for article in library.articles():
        passages = library.store.passages_of_article(article.article_id)
        groups = library.store.read(copy_groups.copy_groups, [p.passage_id for p in passages])
        for p in passages:
            by_text.setdefault(p.text[:40], set()).add(groups[p.passage_id])
    return by_text


def test_an_altered_copy_joins_the_story_and_its_paragraphs_join_their_groups(tmp_path, minilm):
    library = _ingest(tmp_path, minilm, _articles())
    stories = _stories(library)
    assert stories["Forest fire near Parnu contained"] == stories["Parnu blaze is out after three days"]
    assert stories["Villagers return as Parnu fire ends"] != stories["Forest fire near Parnu contained"]
    groups = _groups_by_text(library)
    for paragraph in WIRE[:3]:  # run by both outlets, one of them reworded: one group each
        assert len(groups[paragraph[:40]]) == 1
    assert len({g for p in WIRE[:3] for g in groups[p[:40]]}) == 3
    for paragraph in OWN_WORDS:  # nothing shares a group with another report's own words
        assert groups[paragraph[:40]].isdisjoint({g for p in WIRE for g in groups[p[:40]]})


def test_a_reply_shows_the_earliest_copy_and_names_the_later_one(tmp_path, minilm):
    library = _ingest(tmp_path, minilm, _articles())
    answer = Searcher(library, SearchSettings(k=3)).ask("How many hectares of forest burned near Parnu?")
    shown = [p for p in answer.passages if "1,200 hectares" in p.text]
    assert len(shown) == 1
    assert shown[0].citation.url == "https://wire.example/fire"  # published a day before the copy
    assert [c.outlet for c in shown[0].also_in] == ["gazette.example"]


def test_copy_groups_kept_in_memory_are_read_again_after_a_write(tmp_path, minilm):
    library = _ingest(tmp_path, minilm, _articles())
    wire = library.find_article("Forest fire near Parnu contained").article_id
    ids = [p.passage_id for p in library.store.passages_of_article(wire)]
    groups = library.store.copy_groups(ids)
    assert groups == library.store.read(copy_groups.copy_groups, ids)
    sizes = library.store.copy_group_sizes(list(groups.values()))
    members = library.store.read(copy_groups.members, list(groups.values()))
    assert sizes == {group: len(passages) for group, passages in members.items()}
    assert sorted(sizes.values()) == [1, 2, 2, 2]  # three paragraphs the gazette ran too
    library.forget("Parnu blaze is out after three days")
    assert library.store.copy_group_sizes(list(groups.values())) == {}  # forgotten with the write
    assert set(library.store.copy_group_sizes(list(library.store.copy_groups(ids).values())).values()) == {1}


def test_forgetting_the_article_that_bridged_two_others_splits_them(tmp_path, minilm):
    words = WIRE[2].split() + WIRE[3].split()
    middle, quarter = " ".join(words), len(words) // 4
    first, last = " ".join(words[:-quarter]), " ".join(words[quarter:])
    articles = [
        {"title": "First", "url": "https://a.example/1", "published": "2022-06-14", "text": first},
        {"title": "Bridge", "url": "https://b.example/2", "published": "2022-06-14", "text": middle},
        {"title": "Last", "url": "https://c.example/3", "published": "2022-06-14", "text": last},
    ]
    library = _ingest(tmp_path, minilm, articles)
    marks = [copy_marks.marks(a["text"]) for a in articles]
    assert not copy_marks.are_copies(marks[0], marks[2])  # the test's premise
    assert all(copy_marks.are_copies(marks[1], marks[n]) for n in (0, 2))
    assert len(set(_stories(library).values())) == 1
    library.forget("Bridge")
    stories = _stories(library)
    assert stories["First"] != stories["Last"]
    assert len({g for gs in _groups_by_text(library).values() for g in gs}) == 2


def test_forgetting_one_of_three_copies_keeps_the_other_two_together(tmp_path, minilm):
    articles = _articles()
    third = dict(articles[0], title="Parnu fire: crews leave", url="https://third.example/fire",
                 published="2022-06-16")
    library = _ingest(tmp_path, minilm, [*articles, third])
    library.forget("Forest fire near Parnu contained")  # the first: the groups were named after it
    stories = _stories(library)
    assert stories["Parnu blaze is out after three days"] == stories["Parnu fire: crews leave"]
    groups = _groups_by_text(library)
    assert all(len(groups[p[:40]]) == 1 for p in WIRE[:3])


def test_an_index_made_before_copy_groups_gets_them_when_opened(tmp_path, minilm):
    library = _ingest(tmp_path, minilm, _articles())
    before = _stories(library)
    library.close()
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:
        db.executescript("DROP TABLE copy_groups; DROP TABLE stories;")
    reopened = Library(tmp_path / "index", minilm)
    assert not reopened.store.read(copy_groups.missing)
    stories = _stories(reopened)
    assert (stories["Forest fire near Parnu contained"] == stories["Parnu blaze is out after three days"]
            != stories["Villagers return as Parnu fire ends"])
    assert set(before.values()) == set(stories.values()) or len(set(stories.values())) == 2


def _label_of_wire_paragraph(library) -> tuple[int, str]:
    """The copy group of WIRE[0] and the URL of the passage it is named by."""
    [group] = _groups_by_text(library)[WIRE[0][:40]]
    return group, library.store.passages([group])[group].citation.url


def test_a_group_is_named_by_its_earliest_published_copy_whatever_came_first(tmp_path, minilm):
    late, early = _articles()[1], _articles()[0]
    library = _ingest(tmp_path, minilm, [late])  # the later copy is stored first
    (tmp_path / "early.jsonl").write_text(json.dumps(early) + "\n")
    library.ingest([tmp_path / "early.jsonl"])
    assert _label_of_wire_paragraph(library)[1] == "https://wire.example/fire"
    library.forget("Forest fire near Parnu contained")  # the name goes with it
    _, url = _label_of_wire_paragraph(library)
    assert url == "https://gazette.example/parnu"


def test_an_index_whose_groups_were_named_by_their_first_stored_copy_is_renamed_when_opened(tmp_path, minilm):
    library = _ingest(tmp_path, minilm, _articles())
    group, _ = _label_of_wire_paragraph(library)
    copies = library.store.read(copy_groups.members, [group])[group]
    later = max(copies)
    library.close()
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:  # as an older version left it
        db.execute("UPDATE copy_groups SET copy_group = ? WHERE copy_group = ?", (later, group))
        db.execute("DELETE FROM meta WHERE key = 'copy_group_labels'")
    reopened = Library(tmp_path / "index", minilm)
    assert _label_of_wire_paragraph(reopened) == (group, "https://wire.example/fire")
