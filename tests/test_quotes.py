"""Quotations found and attributed at ingest (index/quotes.py), on text written for the tests:
the forms naming a speaker, quotes over paragraphs, and what is not a quotation."""

import pytest

from index.quotes import find_quotes
from index.speaker_names import aliases_of
from tests.quote_text import quoted, speakers


@pytest.mark.parametrize("paragraph", [
    "“The harbour will reopen next spring,” Marta Ilves said on Monday.",
    "“The harbour will reopen next spring,” said Marta Ilves, a professor at Tartu.",
    "Marta Ilves said: “The harbour will reopen next spring, whatever happens.”",
    "Marta Ilves said the harbour was “good news for the whole country” on Monday.",
    "According to Marta Ilves, “the harbour will reopen next spring at the latest.”",
    "Marta Ilves told reporters “the harbour will reopen next spring at the latest.”",
    "“The harbour will reopen next spring,” Port Authority chief Dr. Marta Ilves said.",
    "“The harbour will reopen next spring,” said Port Authority harbour master Marta Ilves.",
])
def test_each_way_news_names_a_speaker(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_role_resolves_to_the_person_an_apposition_described():
    article = [
        "Tomas Berg, the leader of the opposition Centre Party, repeated his call for an early vote.",
        "“The government has run out of ideas and out of time,” the opposition leader said on Twitter.",
        "In a note shared with Harbour News, the port said the quay would stay shut.",
        "“It is a difficult decision,” the Port Authority said.",
    ]
    assert speakers(article) == [(2, "Tomas Berg", "role"), (4, "Port Authority", "organisation")]
    # "…, the port said" is no apposition
    assert speakers(article[2:]) == [(2, "Port Authority", "organisation")]


def test_the_speech_verb_nearest_the_quotation_names_its_speaker():
    article = ["After Marta Ilves confirmed the vote, Tomas Berg said, “we will build the quay again.”"]
    assert speakers(article) == [(1, "Tomas Berg", "named")]


def test_a_quotation_standing_alone_belongs_to_the_person_the_paragraph_before_introduced():
    article = [
        "Harbour Authority chief engineer Marta Ilves described the night the sea wall gave way.",
        "“The water came over the wall in seconds, and we had nowhere to move the cranes.”",
    ]
    assert speakers(article) == [(2, "Marta Ilves", "continuation")]


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
    assert aliases_of("Tami R. McDonald") == ("Tami R. McDonald", "McDonald", "Tami McDonald")


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


def test_a_speaker_reported_by_someone_else_is_not_the_reporter():
    article = ["Police chief Aivar Lepp spoke on Monday.",
               "The group “looked like a little army,” the caller said, according to Lepp."]
    assert speakers(article) == []


def test_according_to_after_a_said_clause_without_a_quotation_is_the_speaker():
    article = ["Families said the ride took three days, according to Aivar Lepp, who met them, noting many"
               " “were hungry and thirsty, with small children.”"]
    assert speakers(article) == [(1, "Aivar Lepp", "named")]


def test_a_source_in_a_place_gives_the_place_no_role():
    article = ["The minister flew out on Thursday, according to a security source in Tallinn.",
               "The minister left on a “private flight,” the source said."]
    assert speakers(article) == []


@pytest.mark.parametrize("paragraph", [
    "“The pier is not safe,” Marta Ilves, head of the harbour secretariat, Port Safety programme, said"
    " Tuesday during a briefing.",
    "“The port should support this deal,” Marta Ilves, chair of the ferry board and the managing partner"
    " of Harbour Partners, the ferry line’s majority shareholder, said in an interview.",
])
def test_a_named_speaker_behind_a_description(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_title_after_a_possessive_or_on_is_not_a_quotation():
    article = [
        "There is no cause for alarm, Dr. Marta Ilves said Thursday on Harbour TV’s “Morning Show.”",
        "Marta Ilves said so on “Good Morning Harbour” and left.",
    ]
    assert quoted(article) == []


def test_confirmed_is_a_speech_verb():
    article = ["Singapore confirmed that the president had landed on a “private visit” and had not asked for"
               " asylum."]
    assert speakers(article) == [(1, "Singapore", "named")]


def test_a_weekday_after_according_to_is_not_a_name():
    article = ["The rocket will roll back to its hangar in order to “reset the system’s batteries,”"
               " according to a Tuesday blog post from the agency."]
    assert all(q.speaker != "Tuesday" for q in find_quotes(article))


def test_a_name_ending_in_un_or_us_is_a_person_not_the_un():
    article = ["North Korean leader Kim Jong Un declared victory over the virus on Thursday.",
               "Kim said the country must keep a “steel-strong barrier against the virus until the end.”",
               "His sister, Kim Yo Jong, spoke after him."]
    assert speakers(article) == [(2, "Kim Jong Un", "named")]


def test_a_sentence_adverb_before_a_comma_is_not_a_name():
    article = ["Kim Jong Un spoke on Thursday.",
               "Instead, the country says it relied on what Kim called the “advantageous socialist system.”"]
    assert all(q.speaker != "Instead" for q in find_quotes(article))


def test_exclaims_is_a_speech_verb():
    article = ["“I don’t think we have ever seen anything like it!” exclaims Marc Désarménien."]
    assert speakers(article) == [(1, "Marc Désarménien", "named")]


def test_a_person_of_a_place_is_the_person():
    article = ["“Presidents have a solemn duty to protect the country,” Democratic Rep. Carolyn Maloney of"
               " New York said."]
    assert [(q.speaker, q.aliases) for q in find_quotes(article)] == [
        ("Carolyn Maloney", ("Carolyn Maloney", "Maloney"))]


@pytest.mark.parametrize("article, speaker", [
    (["“We ask that everyone please respect the family’s privacy,” her husband, John Easterling, wrote in a"
      " statement."], ["John Easterling"]),
    (["Kim’s sister, Kim Yo Jong, said the leader had suffered from a fever.",
      "“Even though he was seriously ill with a high fever, he could not lie down,” she said."],
     ["Kim Yo Jong"]),
    (["“Stay away from the river until the water is down,” police in Boise, Idaho, said."], []),
])
def test_a_name_set_off_by_commas_right_before_the_verb_is_the_speaker(article, speaker):
    assert [s for _, s, _ in speakers(article)] == speaker  # not "Idaho", a place


def test_a_later_mention_by_the_last_words_of_a_name_is_that_person():
    article = ["Dr. Paulette Grey Riveria agreed that the strategy could work.",
               "“It could be a reasonable option to maximize supply,” Grey Riveria wrote in an email."]
    assert speakers(article) == [(2, "Paulette Grey Riveria", "named")]


def test_two_people_joined_by_and_both_said_it():
    article = ["Dr. Philip Krause and Dr. Luciana Borio wrote about the vaccine on Tuesday.",
               "“But this strategy could also backfire if the vaccine works less well,” Krause and Borio"
               " wrote."]
    assert [(p, s) for p, s, _ in speakers(article)] == [(2, "Luciana Borio"), (2, "Philip Krause")]


def test_a_title_word_the_article_uses_as_a_surname_is_a_name():
    article = [
        "Rowing coach Mari King set a new record on Sunday.",
        "“I had a good feeling from the start,” King told reporters.",
        "King said it was a relief. “It has been a long season,” she added.",
    ]
    assert speakers(article) == [(2, "Mari King", "named"), (3, "Mari King", "pronoun")]


def test_a_title_word_in_front_of_a_name_stays_a_title():
    article = ["Texas Governor Jaan Org spoke on Monday.",
               "“The bridge will open in May,” Governor Org said."]
    assert speakers(article) == [(2, "Jaan Org", "named")]


def test_an_opening_mark_typed_for_a_closing_one_ends_the_quotation():
    article = ["“The harbour gives workers a voice, “said Governor Marta Ilves, who owns a ferry. “I am proud"
               " to sign it today.”"]
    assert [(q.speaker, article[0][q.start:q.end]) for q in find_quotes(article)] == [
        ("Marta Ilves", "The harbour gives workers a voice, "),
        ("Marta Ilves", "I am proud to sign it today.")]


def test_the_democrat_is_the_party_member_named_just_before_and_otherwise_nobody():
    article = [
        "The race pits Republican nominee Jaan Org against Democratic Lt. Gov. Marta Ilves.",
        "The Democrat has answered in ads of her own. “We funded our police,” Ilves says in one.",
        "The Republican has attacked her record, arguing she is a “danger to small towns everywhere.”",
    ]
    found = speakers(article)
    assert (2, "Marta Ilves", "named") in found and all(s != "Republican" for _, s, _ in found)


@pytest.mark.parametrize("paragraph", [
    "Harbour Minister Marta Ilves meanwhile called the strike an “act of despair by a few.”",
    "Marta Ilves on Wednesday said the port had pledged to do “everything to keep the ferries running.”",
])
def test_an_adverb_or_a_day_between_the_speaker_and_the_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_capitalised_speech_verb_is_part_of_a_name():
    article = ["Ferryline will require “mandatory checks” for accounts in the United States from May, the"
               " company said Wednesday."]
    assert speakers(article) == [(1, "Ferryline", "organisation")]


@pytest.mark.parametrize("paragraph", [
    "The Harbour Ministry has said its policy has not changed, and “Harbour 60” reported a similar reply.",
    "As a teenager, Liis Tamm met the love of her life in Peeter Saar, whom she called “Pete.” They married.",
    "From “Sea City” to “You’re Sailing Home,” Liis always sang from the heart, telling off critics.",
])
def test_titles_and_names_given_are_not_quotations(paragraph):
    assert quoted([paragraph]) == []


def test_a_quotation_after_a_sentence_reporting_what_someone_said():
    article = ["In the future, the telescope will find new planets, said Marta Ilves, deputy scientist at the"
               " Harbour Observatory, during a briefing. And the first spectrum is “barely scratching the"
               " surface of what we will learn.”"]
    assert speakers(article) == [(1, "Marta Ilves", "continuation")]


def test_a_quotation_after_a_report_with_its_own_subject_takes_nobody():
    article = ["Marta Ilves said the telescope will find new planets. Critics called the plan “a waste of"
               " money from start to finish.”"]
    assert speakers(article) == []
