"""Quotations found and attributed at ingest (index/quotes.py), on text written for the tests."""

import pytest

from index.quotes import find_quotes
from index.speaker_names import aliases_of


def speakers(paragraphs: list[str]) -> list[tuple[int, str, str]]:
    """(paragraph, speaker, form) of every quotation found."""
    return [(q.paragraph, q.speaker, q.form) for q in find_quotes(paragraphs)]


def quoted(paragraphs: list[str]) -> list[str]:
    return [paragraphs[q.paragraph - 1][q.start:q.end] for q in find_quotes(paragraphs)]


@pytest.mark.parametrize("paragraph", [
    "“The harbour will reopen next spring,” Marta Ilves said on Monday.",
    "“The harbour will reopen next spring,” said Marta Ilves, a professor at Tartu.",
    "Marta Ilves said: “The harbour will reopen next spring, whatever happens.”",
    "Marta Ilves said the harbour was “good news for the whole country” on Monday.",
    "According to Marta Ilves, “the harbour will reopen next spring at the latest.”",
    "Marta Ilves told reporters “the harbour will reopen next spring at the latest.”",
    "“The harbour will reopen next spring,” Port Authority chief Dr. Marta Ilves said.",
])
def test_each_way_news_names_a_speaker(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_an_organisation_speaks():
    paragraph = "The White House said the deal was “a step toward lasting peace in the region”."
    assert speakers([paragraph]) == [(1, "White House", "organisation")]


def test_a_pronoun_a_role_and_a_surname_resolve_to_the_person_named_before():
    article = [
        "Harbour master Tomas Berg spoke to reporters on Monday.",
        "“We lost two cranes in the storm,” Berg said.",
        "“It will take a year to replace them, maybe more,” he added.",
        "“Nobody was hurt, and that is what matters most,” the harbour master said.",
    ]
    assert speakers(article) == [(2, "Tomas Berg", "named"), (3, "Tomas Berg", "pronoun"),
                                 (4, "Tomas Berg", "role")]


def test_a_pronoun_after_two_named_people_is_the_one_named_last():
    article = [
        "Mayor Anna Kask met Governor Peeter Saar on Tuesday.",
        "Saar later visited the flooded district by boat.",
        "“The water has never been this high in my lifetime,” he said.",
    ]
    assert speakers(article) == [(3, "Peeter Saar", "pronoun")]


def test_added_keeps_the_last_speaker_even_after_another_name():
    article = [
        "“The budget is balanced for the first time,” Finance Minister Liis Tamm said of the plan.",
        "“We did it without cutting pensions or raising taxes on Peeter Saar’s voters,” she added.",
    ]
    assert [s for _, s, _ in speakers(article)] == ["Liis Tamm", "Liis Tamm"]


def test_a_quote_over_three_paragraphs_belongs_to_the_speaker_named_at_its_end():
    article = [
        "“The first thing we did was close the bridge to every vehicle.",
        "“Then we moved the families from the lower streets to the school.",
        "“Only then did we start pumping the water out,” fire chief Aivar Lepp said.",
    ]
    assert speakers(article) == [(1, "Aivar Lepp", "continuation"), (2, "Aivar Lepp", "continuation"),
                                 (3, "Aivar Lepp", "named")]


def test_a_quote_over_paragraphs_named_in_its_first_carries_on():
    article = [
        "Aivar Lepp said: “The first thing we did was close the bridge to every vehicle.",
        "“Then we moved the families from the lower streets to the school.”",
    ]
    assert speakers(article) == [(1, "Aivar Lepp", "named"), (2, "Aivar Lepp", "continuation")]


def test_two_speakers_in_one_paragraph_each_keep_their_words():
    article = ["“The deal is done,” said Kaja Mets. “It is not done until we sign it,” Jaan Org replied."]
    found = find_quotes(article)
    assert [(q.speaker, article[0][q.start:q.end]) for q in found] == [
        ("Kaja Mets", "The deal is done,"), ("Jaan Org", "It is not done until we sign it,")]


def test_titles_and_scare_quotes_are_not_quotations():
    article = [
        "“Harbour Lights” is the town’s most watched show this winter.",
        "The so-called “miracle” repair lasted a week before the crane failed again.",
        "The plan was described as a “gift to developers” in a letter on Friday.",
    ]
    assert quoted(article) == []


def test_said_inside_a_quotation_is_not_an_attribution():
    article = ["“He said nothing, and Anna Kask said less,” the report concluded without naming anyone."]
    assert all(q.speaker not in ("Anna Kask",) for q in find_quotes(article))


def test_a_whole_paragraph_quote_after_a_quoted_one_continues_its_speaker():
    article = [
        "“We are ready for the next storm,” Tomas Berg said.",
        "“The new walls are two metres higher than the old ones.”",
    ]
    assert speakers(article) == [(1, "Tomas Berg", "named"), (2, "Tomas Berg", "continuation")]


def test_aliases_are_the_surname_and_the_name_without_middle_names():
    assert aliases_of("Hwang Dong-hyuk") == ("Hwang Dong-hyuk", "Dong-hyuk", "Hwang")
    assert aliases_of("Tami Rai McDonald") == ("Tami Rai McDonald", "McDonald", "Tami McDonald", "Tami")


@pytest.mark.parametrize("article, speaker", [
    (["“The rash starts small,” Dr. Jane Roe, chief medical officer for the Port Authority’s Division"
      " of Safety said Monday."], "Jane Roe"),
    (["In Tallinn, cases rose, though Dr. Jane Roe, the head of the clinic, has said the number is"
      " “almost certainly higher than anyone reported.”"], "Jane Roe"),
    (["Ferry owner Jane Roe runs the old harbour hotel and told reporters her bookings were “down by"
      " half since the storm.”"], "Jane Roe"),
    (["“Cases will rise again this winter,” Harbour Health Agency Director-General Jane Roe said."],
     "Jane Roe"),
])
def test_a_person_behind_a_long_description(article, speaker):
    assert [s for _, s, _ in speakers(article)] == [speaker]


def test_an_organisation_speaks_through_its_officials_or_a_representative():
    article = [
        "Harbour Fire officials said the blaze was “almost fully contained by Tuesday night.”",
        "The Port Authority told reporters the pier would reopen. “No ship was damaged in the"
        " fire at all,” said a representative.",
    ]
    assert [(s, f) for _, s, f in speakers(article)] == [("Harbour Fire", "organisation"),
                                                         ("Port Authority", "role")]


def test_an_acronym_is_the_name_the_article_spells_out():
    article = [
        "The Harbour Safety Board (HSB) opened an inquiry on Monday.",
        "“The crane failed because of poor maintenance,” the HSB said.",
    ]
    assert speakers(article) == [(2, "Harbour Safety Board", "organisation")]


def test_he_added_after_someone_spoke_without_a_quote_is_that_person():
    article = [
        "“The money is there,” Mayor Anna Kask said on a call with reporters.",
        "Harbour Minister Tomas Berg said that the funds would cover twenty projects in the region.",
        "“This is the biggest investment the harbour has seen in decades,” he added.",
    ]
    assert [s for _, s, _ in speakers(article)] == ["Anna Kask", "Tomas Berg"]


def test_a_paragraph_opened_with_a_mistyped_mark_is_still_a_quote():
    article = ["Economist Liis Tamm expects more rate rises.",
               "‘What everyone worries about is yesterday’s data,” she said."]
    assert speakers(article) == [(2, "Liis Tamm", "pronoun")]


def test_a_possessive_in_front_of_a_name_is_not_part_of_it():
    article = ["Ferry line’s Berg said the crossing would resume on Monday.",
               "“We are ready to sail again,” he said."]
    assert speakers(article) == [(2, "Berg", "pronoun")]


def test_according_to_after_a_name_is_not_a_description_of_it():
    article = ["Tomas Berg resigned in a letter to harbour master Jaan Org, according to the port"
               " office, though the office also cautioned “we cannot accept such a letter at face value.”"]
    assert "Jaan Org" not in [s for _, s, _ in speakers(article)]


def test_an_unnamed_official_is_nobody_rather_than_the_last_name_read():
    article = ["The port is bracing for the BA.5 wave, the Harbour Safety Board (HSB) said.",
               "Those who are “not suitable” for the new passes will be exempt, a city official said."]
    assert speakers(article) == []
