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
    "“The harbour will reopen next spring,” said Port Authority harbour master Marta Ilves.",
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


def test_a_quotation_standing_alone_after_a_he_sentence_belongs_to_the_one_person_near():
    article = [
        "“They came for me at night,” Joosep said.",
        "Joosep’s last memory of the cell is the sound of the door.",
        "Days later he woke up in a clinic. He still does not know who brought him there.",
        "“My ribs were broken, and I could not see out of one eye for a week.”",
    ]
    assert speakers(article)[-1] == (4, "Joosep", "continuation")
    article[1] = "Joosep and his lawyer Marta Ilves remember the sound of the door."
    assert [s for s in speakers(article) if s[0] == 4] == []  # two people near: nobody


def test_she_is_never_the_person_the_article_already_called_he():
    article = [
        "Harbour master Tomas Berg and engineer Marta Ilves toured the quay on Monday.",
        "“The quay will open in May,” Berg said.",
        "“We will need more cranes first,” he added.",
        "“Nobody has told us when the cranes arrive,” she said.",
    ]
    assert speakers(article)[-1] == (4, "Marta Ilves", "pronoun")


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


@pytest.mark.parametrize("paragraph", [
    "“The pier is not safe,” Marta Ilves, head of the harbour secretariat, Port Safety programme, said"
    " Tuesday during a briefing.",
    "“The port should support this deal,” Marta Ilves, chair of the ferry board and the managing partner"
    " of Harbour Partners, the ferry line’s majority shareholder, said in an interview.",
])
def test_a_named_speaker_behind_a_description(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_she_after_a_speaker_named_after_said_is_that_speaker():
    article = [
        "President Arvo Sepp promised to bring prices down by the winter.",
        "Inflation appears to have levelled off, said Cailin Roe, an economist at the Harbour Bank.",
        "“What everyone worries about is yesterday’s data, not tomorrow’s,” she said.",
    ]
    assert speakers(article) == [(3, "Cailin Roe", "pronoun")]


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


def test_a_title_after_a_possessive_or_on_is_not_a_quotation():
    article = [
        "There is no cause for alarm, Dr. Marta Ilves said Thursday on Harbour TV’s “Morning Show.”",
        "Marta Ilves said so on “Good Morning Harbour” and left.",
    ]
    assert quoted(article) == []


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


def test_a_name_after_her_or_his_is_not_who_she_or_he_is():
    article = ["Basketball player Sue Bird bid farewell to the sport when her Seattle Storm lost on Tuesday.",
               "“It’s sad. I’m going to miss it so much,” she said in an interview after the game."]
    assert speakers(article) == [(2, "Sue Bird", "pronoun")]


def test_two_people_joined_by_and_both_said_it():
    article = ["Dr. Philip Krause and Dr. Luciana Borio wrote about the vaccine on Tuesday.",
               "“But this strategy could also backfire if the vaccine works less well,” Krause and Borio"
               " wrote."]
    assert [(p, s) for p, s, _ in speakers(article)] == [(2, "Luciana Borio"), (2, "Philip Krause")]


def test_he_after_a_paragraph_about_one_person_is_that_person_whatever_their_place_in_it():
    article = [
        "“The hull held,” diver Marta Ilves said.",
        "Jaan Org and Peeter Saar joined the crew in May.",
        "For veteran diver Aivar Lepp, who has sailed on both the old and the new ferry, this is his"
        " tenth season.",
        "“I still remember my first dive in the harbour,” he recalled at a briefing.",
    ]
    assert speakers(article)[-1] == (4, "Aivar Lepp", "pronoun")


def test_a_place_in_the_paragraph_before_is_not_whom_she_stands_for():
    article = [
        "Captain Liis Tamm said the season had been long.",
        "Her boat and her crew are now moored at her home in Harbour Mills.",
        "“Working keeps you young,” she told a local paper.",
    ]
    assert speakers(article) == [(3, "Liis Tamm", "pronoun")]


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


def test_an_organisation_named_with_a_common_noun_is_what_the_noun_stands_for_later():
    article = [
        "The Harbour League and the league’s ferry pilots association met on Monday.",
        "The HFL pilots association praised the crews who spoke up.",
        "“We appreciate their courage and their work,” the association said.",
        "“We will review every finding,” the league said.",
    ]
    assert [(p, s) for p, s, _ in speakers(article)] == [(3, "HFL pilots association"), (4, "Harbour League")]


def test_a_capitalised_speech_verb_is_part_of_a_name():
    article = ["Ferryline will require “mandatory checks” for accounts in the United States from May, the"
               " company said Wednesday."]
    assert speakers(article) == [(1, "Ferryline", "organisation")]


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


@pytest.mark.parametrize("paragraph", [
    "The Harbour Ministry has said its policy has not changed, and “Harbour 60” reported a similar reply.",
    "As a teenager, Liis Tamm met the love of her life in Peeter Saar, whom she called “Pete.” They married.",
    "From “Sea City” to “You’re Sailing Home,” Liis always sang from the heart, telling off critics.",
])
def test_titles_and_names_given_are_not_quotations(paragraph):
    assert quoted([paragraph]) == []


def test_a_company_named_with_a_possessive_speaks_as_itself():
    article = ["Beginning May 14, the chain is bringing back the pastry. Harbour’s said the offering is a"
               " “fresh take” on a treat it served in the 1980s."]
    assert speakers(article) == [(1, "Harbour's", "organisation")]


def test_a_quotation_after_a_sentence_reporting_what_someone_said():
    article = ["In the future, the telescope will find new planets, said Marta Ilves, deputy scientist at the"
               " Harbour Observatory, during a briefing. And the first spectrum is “barely scratching the"
               " surface of what we will learn.”"]
    assert speakers(article) == [(1, "Marta Ilves", "continuation")]


def test_a_quotation_after_a_report_with_its_own_subject_takes_nobody():
    article = ["Marta Ilves said the telescope will find new planets. Critics called the plan “a waste of"
               " money from start to finish.”"]
    assert speakers(article) == []


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


def test_a_person_named_only_after_a_preposition_in_the_paragraph_before_is_not_he():
    article = ["“The bill will pass,” Senator Marta Ilves said.",
               "The bill, introduced by Rep. Jaan Org, passed the committee in May.",
               "“It will pass the floor too,” she said."]
    assert speakers(article)[-1] == (3, "Marta Ilves", "pronoun")
