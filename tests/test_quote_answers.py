"""Questions about what someone said, answered from stored quotations (real model, real index)."""

import sqlite3

import pytest

from index.library import Library
from index.store import Speaker
from retrieval.render import answer_to_json, citation_line
from retrieval.search import Searcher, SearchSettings, UnknownSpeaker
from retrieval.speaker_question import SpeakerQuestion, match_speaker, parse

BRIEFING = """Port reopens after storm as ministers argue over repairs

Transport Minister Liis Tamm visited the damaged harbour on Monday with harbour master Tomas Berg.

“The cranes will be replaced before the summer season, and the state will pay for all of it,” Tamm said.

“Fishing boats can use the north quay from tomorrow morning,” she added.

“We lost two cranes and most of the fuel depot in the storm,” Berg said.

“The insurance will not cover the depot, so the town must find the money itself,” the harbour master said.

Opposition leader Jaan Org said the repairs were “far too slow for the fishermen who depend on them.”

Org told reporters that the government had ignored the harbour's crumbling sea wall for a decade.
"""


@pytest.fixture(scope="module")
def searcher(tmp_path_factory, minilm):
    folder = tmp_path_factory.mktemp("quotes")
    (folder / "briefing.txt").write_text(BRIEFING)
    library = Library(tmp_path_factory.mktemp("quote-index"), minilm)
    library.ingest([folder, sample_library_folder()])
    return Searcher(library, SearchSettings())


def sample_library_folder():
    from tests.conftest import ROOT

    return ROOT / "data" / "articles"


@pytest.mark.parametrize("question, who, topic", [
    ("What did Zhao Lijian say?", "Zhao Lijian", None),
    ("what did tamm say about the cranes", "tamm", "the cranes"),
    ("What has Berg said on the depot?", "Berg", "the depot"),
    ("Tamm's comments about fishing boats", "Tamm", "fishing boats"),
    ("Did Berg say anything about insurance?", "Berg", "insurance"),
    ("What is Liis Tamm saying?", "Liis Tamm", None),
    ("Did Berg say where the fuel depot stood?", "Berg", "where the fuel depot stood"),
    ("Has Liis Tamm said whether the state will pay?", "Liis Tamm", "whether the state will pay"),
    ("What did Berg claim about the cranes?", "Berg", "the cranes"),
    ("What does Liis Tamm think of the depot?", "Liis Tamm", "the depot"),
    ("Did Tamm warn that the state will pay?", "Tamm", "that the state will pay"),
    ("How did Berg describe the fuel depot?", "Berg", "the fuel depot"),
])
def test_speaker_questions_are_read_with_their_topic(question, who, topic):
    assert parse(question) == SpeakerQuestion(who, topic)


def test_other_questions_are_not_about_a_speaker():
    assert parse("Who said the cranes will be replaced?") is None
    assert parse("When will the harbour reopen?") is None
    assert parse("What did the storm destroy in the harbour town on the coast last week?") is None
    assert parse("How did the storm change the harbour?") is None
    assert parse("What did Berg add to the depot?") is None


def test_a_typed_name_matches_a_speaker_by_alias_any_case_or_one_typo():
    known = [Speaker("Liis Tamm", ("Liis Tamm", "Tamm"), 2, False),
             Speaker("Tomas Berg", ("Tomas Berg", "Berg"), 2, False)]
    assert match_speaker("TAMM", known).name == "Liis Tamm"
    assert match_speaker("Minister Liis Tamm", known).name == "Liis Tamm"
    assert match_speaker("Tomas Bergg", known).name == "Tomas Berg"
    assert match_speaker("Jaan", known) is None
    assert match_speaker("Lee White", [Speaker("White", ("White",), 3, False)]).name == "White"
    assert match_speaker("the Port Authority", [Speaker("Port Authority", ("Port Authority",), 1, True)])


def test_what_did_x_say_returns_only_their_quotes_naming_them(searcher):
    answer = searcher.ask("What did Tamm say?")
    assert answer.speaker == "Liis Tamm"
    assert [p.paragraphs for p in answer.passages] == [(2,), (3,)]  # ¶3's "she" is ¶2's Tamm
    assert all(p.speaker == "Liis Tamm" for p in answer.passages)
    line = citation_line(1, answer.passages[0].citation, answer.passages[0].paragraph_label, "Liis Tamm")
    assert line.endswith(" — Liis Tamm")


def test_a_topic_ranks_the_speakers_quote_on_it_first(searcher):
    answer = searcher.ask("What did the harbour master say about insurance?")  # a role is no name: not routed
    assert answer.speaker is None
    answer = searcher.ask("What did Berg say about insurance for the depot?")
    assert answer.speaker == "Tomas Berg"
    assert answer.passages[0].citation.paragraph == 5 and "insurance" in answer.passages[0].text
    # ¶5 calls him "the harbour master", but ¶4 before it is his own quote, shown on its own
    assert answer.passages[0].joined_paragraph is None and answer.passages[1].paragraphs == (4,)


def test_another_speakers_quote_never_ranks_above_the_asked_ones(searcher):
    answer = searcher.ask("What did Tamm say about the fuel depot lost in the storm?")
    assert [p.speaker for p in answer.passages][:2] == ["Liis Tamm"] * 2
    assert {p.speaker for p in answer.passages} <= {"Liis Tamm", None}  # Berg's depot quotes: never


def test_a_speaker_with_few_quotes_on_the_topic_is_followed_by_reported_speech(searcher):
    answer = searcher.ask("What did Jaan Org say about the government and the sea wall?")
    assert answer.speaker == "Jaan Org"
    assert answer.passages[0].paragraphs == (6,) and answer.passages[0].speaker == "Jaan Org"
    reported = next(p for p in answer.passages if p.paragraphs == (7,))  # shown apart from ¶6
    assert reported.text.startswith("Org told reporters") and reported.highlight_text.startswith("Org told")
    assert {p.speaker for p in answer.passages} <= {"Jaan Org", None}
    assert [p.rank for p in answer.passages] == list(range(1, len(answer.passages) + 1))
    assert [p.paragraphs for p in searcher.ask("What did Jaan Org say?").passages] == [(6,)]


def test_who_said_finds_the_quote_and_names_its_speaker(searcher):
    answer = searcher.ask("Who said the cranes would be replaced before summer?")
    assert answer.passages[0].citation.paragraph == 2 and answer.passages[0].speaker == "Liis Tamm"


def test_a_question_naming_no_known_speaker_takes_the_normal_path(searcher):
    answer = searcher.ask("What did Santa Claus say about the harbour?")
    assert answer.speaker is None
    record = answer_to_json(searcher.ask("When can fishing boats use the north quay?"))
    assert record["passages"][0]["speaker"] == "Liis Tamm"  # a quote found by plain search is named
    plain = answer_to_json(searcher.ask("What did Biden and Xi plan?"))
    assert any(p["speaker"] is None for p in plain["passages"])


def test_quotes_for_an_unknown_person_is_a_clear_error(searcher):
    with pytest.raises(UnknownSpeaker, match="nobody called 'Santa Claus' is quoted"):
        searcher.quotes("Santa Claus")
    assert searcher.quotes("tomas berg", "money for the depot").passages[0].citation.paragraph == 5


def test_forgetting_an_article_forgets_its_speakers(tmp_path, minilm):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "briefing.txt").write_text(BRIEFING)
    library = Library(tmp_path / "index", minilm)
    library.ingest([folder])
    assert {s.name for s in library.store.speakers()} >= {"Liis Tamm", "Tomas Berg", "Jaan Org"}
    library.forget("briefing.txt")
    assert library.store.speakers() == []


def test_an_index_made_before_quotes_gets_them_when_opened(tmp_path, minilm):
    folder = tmp_path / "articles"
    folder.mkdir()
    (folder / "briefing.txt").write_text(BRIEFING)
    Library(tmp_path / "index", minilm).ingest([folder])
    with sqlite3.connect(tmp_path / "index" / "store.sqlite") as db:  # as an older version left it
        db.execute("DROP TABLE quotes")
        db.execute("DELETE FROM meta WHERE key = 'quote_rules'")
    library = Library(tmp_path / "index", minilm)
    found = library.store.quotes_by("Tomas Berg")
    assert [(q.paragraph, q.form) for q in found] == [(4, "named"), (5, "role")]
