"""Organisations, their spokespeople and their documents as speakers (index/quotes.py), on
text written for the tests."""

import pytest

from tests.quote_text import speakers


def test_an_organisation_speaks():
    paragraph = "The White House said the deal was “a step toward lasting peace in the region”."
    assert speakers([paragraph]) == [(1, "White House", "organisation")]


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


@pytest.mark.parametrize("article, speaker, form", [
    (["The fire grew slightly on Tuesday, according to an update from state fire agency Harbour Fire.",
      "“Although good progress continues on the fire, there is much work to be done,” the update said."],
     "Harbour Fire", "role"),
    (["Fires will become more common, according to a report from the Baltic Climate Institute.",
      "The report suggested it is time we “learn to live with fire and plan for it every summer.”"],
     "Baltic Climate Institute", "role"),
    (["The Port Authority closed every pier on Monday.",
      "“No ship may enter the harbour until the storm has passed,” the authority’s release reads."],
     "Port Authority", "role"),
    (["Hotel owner Tami Rai Roe told reporters the rooms were empty.",
      "“So we are empty now, and the staff feel abandoned by everyone,” Roe’s text read."],
     "Tami Rai Roe", "named"),
    (["Rajapaksa landed in the city on Thursday, and the Foreign Ministry released a statement that read:"
      " “It is confirmed that he has been allowed entry on a private visit.”"], "Foreign Ministry", "role"),
])
def test_a_document_speaks_for_who_put_it_out(article, speaker, form):
    assert speakers(article) == [(len(article), speaker, form)]


def test_a_spokesperson_of_an_acronym_speaks_for_the_organisation_spelled_out():
    article = [
        "Cases rose again this week, the Harbour Safety Board (HSB) said.",
        "“The new variant spreads faster than any before it,” the HSB said.",
        "“We take every report seriously,” an HSB spokesperson said in a statement.",
    ]
    assert [(p, s) for p, s, _ in speakers(article)] == [
        (2, "Harbour Safety Board"), (3, "Harbour Safety Board")]


def test_an_acronym_opening_a_sentence_is_the_organisation_it_stands_for():
    article = ["Cases rose by a third, according to the World Health Organization (WHO).",
               "WHO has called antimicrobial resistance a “silent pandemic,” and deaths are rising."]
    assert speakers(article) == [(2, "World Health Organization", "organisation")]


@pytest.mark.parametrize("article, speaker", [
    (["Harbour Bank analysts believe sales will drop another 20% this quarter.",
      "“The company has been underperforming the industry for a year,” they wrote."], "Harbour Bank"),
    (["Ferryline suffered badly timed problems on Monday. The statement from the line said the problem was"
      " fixed.", "“Earlier today, we experienced a technology issue with our tickets,” it said."],
     "Ferryline"),
    (["When its deal with Seaways was called off, Ferryline expressed regret but vowed to grow.",
      "“Without the merger, Ferryline will be the cheapest line on the coast,” it said."], "Ferryline"),
])
def test_it_or_they_is_the_organisation_in_view(article, speaker):
    assert [(p, s) for p, s, _ in speakers(article)] == [(2, speaker)]


def test_an_organisation_with_an_ampersand_speaks_through_a_representative():
    article = [
        "A new report from Harbour Bank claims that the shop cut its air conditioning.",
        "Bed Bath & Beyond told reporters the report was wrong. “No store was directed to adjust its air"
        " conditioning,” said a representative.",
    ]
    assert speakers(article) == [(2, "Bed Bath & Beyond", "role")]


def test_an_organisation_saying_something_in_a_statement():
    article = ["The North Harbour Pride Alliance, which organized the event, released a statement Sunday"
               " saying its members were resting “after organizing a safe and joyful celebration.”"]
    assert speakers(article) == [(1, "North Harbour Pride Alliance", "organisation")]


def test_an_organisation_named_with_a_common_noun_is_what_the_noun_stands_for_later():
    article = [
        "The Harbour League and the league’s ferry pilots association met on Monday.",
        "The HFL pilots association praised the crews who spoke up.",
        "“We appreciate their courage and their work,” the association said.",
        "“We will review every finding,” the league said.",
    ]
    assert [(p, s) for p, s, _ in speakers(article)] == [(3, "HFL pilots association"), (4, "Harbour League")]


def test_the_agency_is_the_organisation_that_spoke_last_unless_named_another_kind():
    article = [
        "Crossings started “in colonies of seals kept for research,” the Harbour Safety Board said.",
        "The main carrier is still unknown, although “gulls are suspected to play a part,” the agency said.",
    ]
    assert [(p, s) for p, s, _ in speakers(article)] == [(1, "Harbour Safety Board"),
                                                         (2, "Harbour Safety Board")]
    article = ["“Our schedule is too small,” the North Airlines said.",
               "“We will award slots fairly to every carrier,” the agency said in a statement."]
    assert speakers(article) == [(1, "North Airlines", "organisation")]


def test_a_statement_sent_to_a_news_outlet_is_not_the_outlet_speaking():
    article = ["In a statement sent to Harbour News Network, the auction house valued the ball at a million.",
               "“It is incredible that a small ball can be worth so much,” the statement added."]
    assert speakers(article) == []


def test_a_company_named_with_a_possessive_speaks_as_itself():
    article = ["Beginning May 14, the chain is bringing back the pastry. Harbour’s said the offering is a"
               " “fresh take” on a treat it served in the 1980s."]
    assert speakers(article) == [(1, "Harbour's", "organisation")]


def test_a_lawmakers_title_is_not_part_of_the_name_and_their_release_speaks_as_itself():
    article = [
        "Governor Jaan Org signed the act on Friday, according to a news release from Assemblymember Marta"
        " Ilves, who wrote the bill.",
        "Pedestrians may be ticketed only if there is “immediate danger of a collision,” says the release.",
        "“It should not be a criminal offense to cross the street safely,” said Ilves.",
    ]
    assert speakers(article) == [(2, "Marta Ilves's release", "role"), (3, "Marta Ilves", "named")]


def test_an_acronym_is_not_spelled_out_by_words_in_capitals():
    article = ["The US Harbour Service and Seaways lag behind UHS on every crossing.",
               "“We want a fair contract,” UHS said."]
    assert speakers(article) == [(2, "UHS", "named")]


def test_he_is_not_an_organisation_that_spoke():
    article = [
        "Union leader Aivar Lepp met the owners on Monday.",
        "“We want a fair contract,” said the Harbour Ferry Company. “We can wait,” the company added.",
        "“They will pay for every lost day,” he said.",
    ]
    assert [(p, s) for p, s, _ in speakers(article)] == [(2, "Harbour Ferry Company"),
                                                         (2, "Harbour Ferry Company"), (3, "Aivar Lepp")]


@pytest.mark.parametrize("paragraph", [
    "Harbour Radio President Marta Ilves issued a statement saying the plan \"has no place in the port\".",
    "Marta Ilves released a statement saying that Berg had \"professed his love for the port\".",
])
def test_a_statement_its_issuer_puts_out_saying_something_is_the_issuers_words(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]
