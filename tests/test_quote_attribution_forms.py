"""Attribution forms of short news summaries (index/quotes.py), on text written for the tests:
a partial quotation after a verb of saying other than "said", a participle clause, a passive,
an inverted verb with a role before the name, and pronouns in one-paragraph stories."""

import pytest

from tests.quote_text import speakers


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves hailed the harbour deal as “historic” on Monday.",
    "Marta Ilves accused the port board of “gambling with people’s jobs.”",
    "Marta Ilves apologised for her “overreaction” at the harbour meeting.",
    "Marta Ilves promised that the quay would “open again before the summer.”",
    "Marta Ilves referred to the new ferry as a “floating museum” during an interview.",
])
def test_a_partial_quotation_after_another_verb_of_saying(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_participle_clause_before_the_subject_is_not_the_speaker():
    paragraph = ("Taking to her own website, Marta Ilves announced she would step down, saying that "
                 "“the harbour needs new hands.”")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]
    paragraph = ("Following a question about the closed quay, Marta Ilves was heard saying: "
                 "“Because nobody wanted to pay for it.”")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_an_opening_participle_of_saying_belongs_to_the_subject_after_it():
    paragraph = ("Saying that the new timetable turned the ferry into “a floating bus,” Marta Ilves left "
                 "the harbour board on Friday.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_an_adjective_opening_the_sentence_is_no_participle_clause():
    paragraph = ("Outgoing Harbour Gov. Marta Ilves closed the old quay, sacking the board and calling "
                 "its plans “reckless.”")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_the_finite_verb_names_the_speaker_before_a_participle():
    paragraph = ("The ferry service should not stop during the repairs, her spokesman Tomas Berg said on "
                 "Twitter, calling the closure “temporary, and no judgement on the crew.”")
    assert speakers([paragraph]) == [(1, "Tomas Berg", "named")]


def test_a_participle_after_an_object_is_not_the_objects_words():
    paragraph = ("Separately, the Port Authority has written to Parliament claiming that the inquiry was "
                 "meant to “scapegoat” the harbour.")
    assert [s for _, s, _ in speakers([paragraph])] != ["Parliament"]


def test_with_opens_a_clause_whose_subject_speaks():
    paragraph = ("The new ferry met with praise from passengers, with Harbour News’ Tomas Berg calling it "
                 "“the best crossing in years”.")
    assert speakers([paragraph]) == [(1, "Tomas Berg", "named")]


def test_a_passive_verb_of_saying_takes_the_speaker_after_by():
    paragraph = ("The new ferry was described by the harbour master, Tomas Berg, as “not at all fit for "
                 "the winter”.")
    assert speakers([paragraph]) == [(1, "Tomas Berg", "named")]
    paragraph = "In the old plan, the quay was referred to as a “temporary berth.”"
    assert speakers([paragraph]) == []
    paragraph = "The ferry won a prize for its route, described by Harbour News as “a quiet revolution”."
    assert [s for _, s, _ in speakers([paragraph])] == ["Harbour News"]


@pytest.mark.parametrize("paragraph", [
    "“The quay will open in May,” said Tartu University professor and engineer Marta Ilves.",
    "“The quay will open in May,” said Harbour News editor-in-chief Marta Ilves.",
    "“The quay will open in May,” said Estonia’s harbour minister, Marta Ilves.",
    "The quay needs “years of work”, said the port’s long-serving director, Marta Ilves. It opened in 1920.",
    "The harbour faces a moment of “deep crisis” this winter, warned Harbour Board Chair Marta Ilves.",
])
def test_an_inverted_verb_with_a_role_before_the_name(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_an_inverted_verb_after_a_clause_names_an_outlet():
    paragraph = ("The ferry plan was “sunk by its own budget” in a late vote, said Harbour News, which "
                 "saw the papers.")
    assert [s for _, s, _ in speakers([paragraph])] == ["Harbour News"]


@pytest.mark.parametrize("paragraph", [
    "Ferry fares rose by a “shocking” 40% last year, according to a study by Harbour Watch.",
    "Ferry fares rose by a “shocking” 40% last year, according to an analysis from the Harbour Watch.",
])
def test_according_to_a_study_by_an_organisation(paragraph):
    assert speakers([paragraph]) == [(1, "Harbour Watch", "organisation")]


def test_a_pronoun_is_the_subject_before_a_place_named_later():
    paragraph = ("Marta Ilves, who runs the old harbour hotel in West Harbour, told Harbour News about the "
                 "storm. “We lost the roof in one night,” she told the paper.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "pronoun")]


def test_a_pronoun_after_a_one_word_name_opening_the_story():
    paragraph = ("Berg plays for the Harbour Rovers as a goalkeeper. “I have waited ten years for this,” "
                 "he said in a video post.")
    assert speakers([paragraph]) == [(1, "Berg", "pronoun")]


def test_a_contracted_pronoun_is_a_pronoun_not_a_name():
    article = [
        "Tomas Berg is running for the harbour board.",
        "He’s running on a promise of cheap ferries, declaring in an ad that he “never missed a vote.”",
    ]
    assert speakers(article) == [(2, "Tomas Berg", "pronoun")]


def test_a_participle_in_a_clause_set_off_before_the_main_verb_is_not_the_speaker():
    paragraph = ("Marta Ilves, after announcing her resignation, was praised Monday as a “great leader” "
                 "and a “voice of calm.”")
    assert speakers([paragraph]) == []
    paragraph = "Marta Ilves released a statement saying it was “a sad day for the harbour.”"
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_verb_before_a_name_gives_it_no_role():
    article = ["Harbour master Tomas Berg will step down, two senior harbour officials told Harbour Radio.",
               "But a senior harbour official characterized Berg’s departure this way: “He was not pushed.”",
               "“That didn’t happen,” the senior official said."]
    assert (3, "Tomas Berg", "role") not in speakers(article)
    article[1] = "Harbour official Tomas Berg called it “a quiet week.”"
    assert (3, "Tomas Berg", "role") in speakers(article)


def test_a_name_after_a_dash_closing_a_bare_quotation_is_its_speaker():
    article = ["The harbour draw is done and the clubs have had their say.",
               "“It is a very tough draw, but every team is tough now” - Tomas Berg, Tartu FC secretary.",
               "“They will be two exciting games” - Tartu FC vice chairman Jake Tamm.",
               "“We never give up” - the club’s motto since 1921."]
    assert speakers(article) == [(2, "Tomas Berg", "named"), (3, "Jake Tamm", "named")]


def test_a_quotation_alone_after_a_sentence_of_reported_speech_is_its_speakers():
    article = ["Marta Ilves will leave the harbour board in March.",
               "Meanwhile the ferries will run as usual, she said. “I intend to work until the last day.”"]
    assert speakers(article) == [(2, "Marta Ilves", "pronoun")]


def test_a_name_set_off_after_a_role_before_the_verb_is_the_speaker():
    article = ["The Harbour Council met on Monday.",
               "The council’s president, Tartu ambassador Jake Tamm, said the vote proves the council "
               "“takes the ferries seriously.”"]
    assert speakers(article) == [(2, "Jake Tamm", "named")]


def test_a_name_after_an_inverted_verb_and_a_role_may_end_with_a_place():
    paragraph = "“We all knew the quay was failing,” said the board’s top Democrat, Rep. Tomas Berg of Tartu."
    assert speakers([paragraph]) == [(1, "Tomas Berg", "named")]


def test_a_name_before_who_and_a_verb_of_saying_is_the_speaker():
    paragraph = ("At issue were comments made by Marta Ilves, who called the ferry plan “a disgrace” "
                 "at the hearing.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]
    paragraph = ("Berg claimed he had said Jake Tamm, who asked the question, was a “poor harbour master” "
                 "and nothing more.")
    assert "Jake Tamm" not in {speaker for _, speaker, _ in speakers([paragraph])}


def test_that_before_a_verb_of_saying_is_no_role():
    article = ["Marta Ilves has denied claims that Tomas Berg was pushed off the harbour board.",
               "The board released a letter from the harbour office that said: “Nobody was pushed.”"]
    assert "Tomas Berg" not in {speaker for _, speaker, _ in speakers(article)}
