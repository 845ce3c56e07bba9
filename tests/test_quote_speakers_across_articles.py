"""One person across articles that name them differently: a short story's surname alone
("Tamm said") is the full name another article gave, unless two people share it
(real model, real index)."""

from index.library import Library
from index.speaker_names import aliases_of
from index.store import Speaker
from retrieval.speaker_question import match_speaker

ARTICLES = {
    "harbour.txt": "Cranes due in May\n\nPort minister Liis Tamm visited the quay on Monday.\n\n"
                   "“The cranes will be back in May,” Liis Tamm said.\n\n"
                   "“Nobody will pay more for the ferry,” Liis Tamm added.\n\n"
                   "“The north quay opens tomorrow,” Liis Tamm said.",
    "ferry.txt": "Ferry safe, minister says\n\n“The ferry is safe to sail,” Tamm told reporters on Tuesday.",
    "budget.txt": "Budget row\n\nPeeter Tamm, a harbour clerk, said the budget was “far too small.”",
    "school.txt": "School opens\n\nMart Johnson said the school would open “in the autumn at the latest.”",
    "club.txt": "Club wins\n\nKati Johnson said the team played “the best game of the season.”",
    "match.txt": "Cup final\n\n“We will win the cup,” Johnson said after the game.",
    "campaign.txt": "Campaign trail\n\n“I will stay in the race,” said Robert Kennedy Jr. on Monday.",
    "podcast.txt": "Podcast\n\nKennedy told the podcast he was “not going anywhere.”",
}


def test_a_surname_alone_is_the_full_name_most_quoted_under_it(tmp_path, minilm):
    folder = tmp_path / "articles"
    folder.mkdir()
    for name, text in ARTICLES.items():
        (folder / name).write_text(text)
    library = Library(tmp_path / "index", minilm)
    library.ingest([folder])
    speakers = {s.name: s.quotes for s in library.store.speakers()}
    # Liis Tamm: her three paragraphs (3 of the 4 under a full name) plus the ferry story's "Tamm"
    assert speakers["Liis Tamm"] == 4 and speakers["Peeter Tamm"] == 1 and "Tamm" not in speakers
    assert {q.article_id for q in library.store.quotes_by("Liis Tamm")} == {
        a.article_id for a in library.articles() if a.source.endswith(("harbour.txt", "ferry.txt"))}
    assert len(library.store.quotes_by("Peeter Tamm")) == 1
    # two Johnsons quoted alike: the cup final's "Johnson" stays nobody's but its own
    assert speakers["Johnson"] == 1
    assert len(library.store.quotes_by("Mart Johnson")) == 1
    # a generation after the surname: "Kennedy" is Robert Kennedy Jr.
    assert "Kennedy" not in speakers and len(library.store.quotes_by("Robert Kennedy Jr.")) == 2


def test_a_generation_suffix_is_not_the_surname():
    assert aliases_of("Robert F. Kennedy Jr.")[:2] == ("Robert F. Kennedy Jr.", "Kennedy")
    known = [Speaker("Kennedy", aliases_of("Kennedy"), 2, False)]
    assert match_speaker("robert f kennedy jr", known) == known[0]
