"""Attribution forms of political news (index/quotes.py), on text written for the tests: a
party and state in brackets after a name, verbs of saying that news uses less often, a
present-tense verb before its speaker, and an outlet that reported what a person said."""

import pytest

from index.quote_tokens import tokenize
from tests.quote_text import speakers


@pytest.mark.parametrize("paragraph", [
    "Sen. Marta Ilves (R-Wis.) said the harbour bill was “a disaster.”",
    "“It is a disaster,” Sen. Marta Ilves (D) said.",
    "Rep. Marta Ilves (I-Vt.) told reporters the harbour was “full.”",
])
def test_a_party_and_state_in_brackets_after_the_name(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_bracket_that_is_not_a_party_is_kept():
    assert speakers(["The port (Tallinn) said the harbour was “full.”"]) == []


@pytest.mark.parametrize("paragraph", [
    "“Go back to the harbour,” Marta Ilves barked.",
    "“We are ready,” Marta Ilves charged.",
    "“No,” Marta Ilves answered.",
    "Marta Ilves interjected to say: “They have both been wrong.”",
    "“They have been wrong,” Marta Ilves pointed out.",
    "As Marta Ilves has pointed out, that is the “textbook definition” of a delay.",
    "“I am ready,” declares Marta Ilves, 27, a sailor from Tartu.",
    "“The ferry will wait,” countered Marta Ilves, the harbour master.",
    "“We did it!” beamed Marta Ilves.",
    "“A fine plan for a desert,” Marta Ilves mocks.",
    "Marta Ilves points out that \"the ferry never ran on time\".",
    "“Our ideas are different,” agrees Marta Ilves, 30, of Tartu.",
    "“Nobody asked us,” Marta Ilves elaborated.",
    "Marta Ilves indicated that the port “should have known better.”",
])
def test_less_common_verbs_of_saying(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_plural_noun_that_could_be_a_verb_is_no_saying():
    paragraph = ("Sailors will start getting machine-written answers at the top. The harbour office expects "
                 "the service to reach \"over a billion people\".")
    assert speakers([paragraph]) == []


def test_charged_in_a_passive_is_no_saying():
    assert speakers(["Marta Ilves was charged with “reckless endangerment” on Monday."]) == []


def test_a_paper_named_press_speaks_for_itself():
    assert speakers(["At the time, the Tartu Free Press wrote: “Ilves held off.”"]) == [
        (1, "Tartu Free Press", "organisation")]


def test_a_weekday_after_a_place_is_no_speaker():
    paragraph = "At the meeting in Tartu, Estonia Monday, the Berg supporter retorted: “We are here.”"
    assert speakers([paragraph]) == []


def test_an_outlet_that_reported_speaks_for_itself():
    assert speakers(["“The port is closed,” the Harbour Times reported."]) == [
        (1, "Harbour Times", "organisation")]


def test_a_pronoun_after_an_outlet_reported_stands_for_the_person():
    paragraphs = ["Marta Ilves said the harbour was full and blamed the storm, Harbour Radio reported.",
                  "“We cannot take more ships,” she said."]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "pronoun")]


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves, who lives in a village outside the capital, Tallinn, said she still “hopes for the quay.”",
    "Marta Ilves, during a town hall meeting in Tartu, Estonia, said she was “going to close the quay.”",
])
def test_a_clause_set_off_between_the_name_and_its_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


@pytest.mark.parametrize("paragraph", [
    "Sen. Marta Ilves (D-Tartu) last week said the board was not the “originator” of the plan.",
    "Marta Ilves herself said Tuesday that “the only way to win is to ask.”",
    "Marta Ilves may have said on Friday that the harbour “picked its winner.”",
    "As The Post’s Marta Ilves puts it, “Nobody is moved.”",
    "Harbour front-runner Marta Ilves said Tamm was to blame and accused him of “inciting chaos.”",
])
def test_words_between_the_name_and_its_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_verb_of_saying_less_common_with_its_pronoun():
    paragraph = "Marta Ilves may have said it best when she blogged: “The harbour picked its winner.”"
    assert [name for _, name, _ in speakers([paragraph])] == ["Marta Ilves"]


def test_a_name_and_a_colon_before_the_quotation():
    paragraph = "The polls moved. Harbour pollster Marta Ilves: “Newcomers often gain early.”"
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]
    paragraph = "Downstairs, Marta Ilves, noting that the police were coming, told Tamm: “I can wait.”"
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]
    paragraph = "In a live interview, Peeter Tamm said of harbour reporter Marta Ilves: “She is wrong.”"
    assert speakers([paragraph]) == [(1, "Peeter Tamm", "named")]


def test_a_short_sentence_after_a_sentence_of_its_own_is_no_attribution():
    paragraph = ("The harbour company has been accused of a “profiteering bonanza” after a record year. "
                 "Harbour Lines this week announced profits of four million.")
    assert speakers([paragraph]) == []


def test_a_document_arguing_is_not_its_signatories():
    paragraph = ("Harbour chief Ilves and engineer Peeter Tamm are among 1,000 signatories of an open letter "
                 "arguing that dredging should be “paused until it is safe”.")
    assert speakers([paragraph]) == []


def test_a_preposition_opening_the_next_sentence_is_no_name():
    paragraph = ("Beyond the harbour, Marta Ilves used the new ferry as a symbol, pledging to make the port "
                 "“first, and first by far.” Despite Ilves’s words, the board waited.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


@pytest.mark.parametrize("dateline", ["TARTU — ", "TARTU, Estonia – ", "TARTU, Aug 31 (Harbour Radio) - "])
def test_a_dateline_is_not_part_of_the_name_after_it(dateline):
    paragraphs = [f"{dateline}Marta Ilves said the harbour was “full.”", "“We wait,” she said."]
    assert speakers(paragraphs) == [(1, "Marta Ilves", "named"), (2, "Marta Ilves", "pronoun")]


def test_a_hyphenated_word_is_no_dateline():
    assert [w for _, w in tokenize("US-led ships came in.")] == ["US-led", "ships", "came", "in", "."]


@pytest.mark.parametrize("opener", ["Then", "Maybe", "Even", "Both", "Last"])
def test_a_word_opening_the_sentence_is_not_part_of_the_name(opener):
    paragraphs = ["Marta Ilves runs the harbour in Tartu.", f"{opener} Ilves said the quay was “closed.”"]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


@pytest.mark.parametrize("headline", ["Understated Ilves raises the harbour's profile",
                                      "Understated Ilves Raises Harbour Profile. Is This The Last Quay?"])
def test_a_headline_gives_no_names(headline):
    paragraphs = [headline, "Marta Ilves runs the harbour in Tartu.", "“The quay is closed,” Ilves said."]
    assert speakers(paragraphs) == [(3, "Marta Ilves", "named")]


def test_a_dash_ends_a_name():
    paragraphs = ["Marta Ilves - Tamm's deputy at the harbour - opened the quay.",
                  "“It is closed,” Ilves said."]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


def test_a_name_after_a_headline_and_a_dash_opens_its_sentence():
    paragraphs = ["Polls agree - Marta Ilves: “The harbour vote was close.”"]
    assert speakers(paragraphs) == [(1, "Marta Ilves", "named")]


@pytest.mark.parametrize("paragraph, speaker", [
    ("Marta J. Ilves said the harbour was “full.”", "Marta J. Ilves"),
    ("Harbour Chairman M.J. Ilves said the harbour was “full.”", "M.J. Ilves"),
])
def test_an_initial_keeps_its_full_stop_inside_the_name(paragraph, speaker):
    assert speakers([paragraph]) == [(1, speaker, "named")]


def test_a_full_stop_after_a_place_initial_still_ends_the_sentence():
    paragraphs = ["Marta Ilves flew to Washington, D.C. She said the talks were “long.”"]
    assert speakers(paragraphs) == [(1, "Marta Ilves", "pronoun")]


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves — the mayor since 2019 — said the plan was “weak.”",
    "A former mayor -- Marta Ilves, who lost in 2008 -- said the plan was “weak.”",
])
def test_words_set_off_by_dashes_between_the_speaker_and_the_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_name_before_a_place_is_the_person_named_before():
    paragraphs = ["Marta Ilves opened the quay.", "Ilves of Tartu said she was “outraged.”"]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves went on to say she is “confident.”",
    "Marta Ilves wanted to say it was “fine.”",
])
def test_a_speech_verb_after_to(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_hyphenated_role_before_a_name_is_no_part_of_it():
    paragraphs = ["Oscar-winner Marta Ilves opened the quay.", "“It is closed,” Ilves said."]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


def test_a_hyphenated_given_name_stays_in_the_name():
    paragraphs = ["Director Hwang Dong-hyuk opened the studio.", "“It is ready,” Hwang said."]
    assert speakers(paragraphs) == [(2, "Hwang Dong-hyuk", "named")]


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves, 22, of Tartu, Estonia, said she had “hope.”",
    "Marta Ilves, 22, of Tartu, Est., said she had “hope.”",
    "Marta Ilves, 35, the daughter of a harbour master, said on Monday, “We will sail.”",
])
def test_an_age_and_a_home_town_between_the_name_and_the_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_time_opening_the_sentence_is_no_name():
    paragraphs = ["“We met at the quay,” Marta Ilves said.",
                  "Hours later, Ilves returned the favour, telling Harbour Radio, “He is a fine man.”"]
    assert speakers(paragraphs)[-1] == (2, "Marta Ilves", "named")


@pytest.mark.parametrize("paragraph", [
    "Marta Ilves defended the harbour master as a “very decent man” on Tuesday.",
    "Marta Ilves blamed the port's “four reckless captains” for the delay.",
    "Marta Ilves welcomed “the recognition that the quay is too short.”",
    "Marta Ilves issued a new line of attack, stating on Harbour Radio that the plan was “lacking.”",
    "“What was the point of the new quay?” Marta Ilves questioned.",
    "“Imagine a ferry on that quay,” mused harbour co-host Marta Ilves.",
])
def test_more_verbs_that_quote(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_an_adverb_opening_the_sentence_is_no_name():
    paragraphs = ["Particularly, Marta Ilves set the ports apart by stating: “A port is not a harbour.”"]
    assert speakers(paragraphs) == [(1, "Marta Ilves", "named")]


def test_a_statement_the_subject_issued_quotes_the_subject():
    paragraphs = ["Marta Ilves runs the port.",
                  "Hours later, she issued a statement calling on the port “to redouble our efforts.”"]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "pronoun")]


def test_pressed_after_a_question():
    assert speakers(["“Would the quay be negotiable?” Marta Ilves pressed."]) == [(1, "Marta Ilves", "named")]


@pytest.mark.parametrize("paragraphs, form", [
    (["“You know, it happens,” Marta Ilves went on, as if she had not heard."], "named"),
    (["Marta Ilves took the floor.", "She went on: “A port is not a harbour.”"], "pronoun"),
    (["After Tomas Berg criticized the port, Marta Ilves shot back, “I could have stayed home.”"], "named"),
    (["“They are all here for the ferry,” Marta Ilves shot back with a laugh."], "named"),
    (["Marta Ilves fired back at Berg: “He has never run a port.”"], "named"),
])
def test_went_on_or_shot_back_with_the_quotation_after_it(paragraphs, form):
    assert speakers(paragraphs) == [(len(paragraphs), "Marta Ilves", form)]


def test_went_on_or_shot_back_with_more_after_it_is_no_saying():
    assert speakers(["The talks went on, and the port stayed “closed.”"]) == []
    assert speakers(["Marta Ilves shot back the ball the “old way.”"]) == []


def test_two_titles_joined_before_the_name():
    paragraph = "“That is what he did,” said former Harju Gov. and Harbour Party Chairman Marta Ilves."
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_longer_attribution_sentence_after_a_quotation_that_ends_one():
    paragraph = ("“We are calling from the harbour.” Marta Ilves, a retired worker from the nuclear plant "
                 "in Tartu, said pleasantly into the phone.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_participle_before_a_name_is_no_part_of_it():
    paragraphs = ["Embattled Ilves resigns.", "Harbour master Marta Ilves resigned on Monday.",
                  "“It was time,” Ilves said."]
    assert speakers(paragraphs) == [(3, "Marta Ilves", "named")]


def test_the_verb_after_a_known_person_is_no_role():
    paragraphs = ["Marta Ilves runs the port.", "Marta Ilves went after Berg, calling him “a total stiff.”"]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


def test_according_to_after_a_said_clause_reports_who_spoke():
    paragraphs = ["The Harbour Court released its papers on Monday.",
                  "Tomas Berg said, “we have got to take them all out,” according to the court documents."]
    assert speakers(paragraphs) == [(2, "Tomas Berg", "named")]


@pytest.mark.parametrize("paragraph", [
    "Ilves “did well with sailors” in 2019, said Tartu University professor Marta Ilves.",
    "“Ilves did well,” said Tartu University professor Marta Ilves, who taught her.",
])
def test_a_role_between_the_organisation_and_the_name_after_an_inverted_verb(paragraph):
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


@pytest.mark.parametrize("paragraph, speaker", [
    ("“He wrote the harbour office a memo,” Marta Ilves’s office said.", "Marta Ilves's office"),
    ("“We will win,” Ilves's campaign said in a statement.", "Marta Ilves's campaign"),
])
def test_an_office_speaks_as_itself_for_its_owner(paragraph, speaker):
    assert speakers(["Marta Ilves runs the port.", paragraph]) == [(2, speaker, "role")]


def test_concludes_is_a_documents_word():
    assert speakers(["The ad, titled “Unifier?”, concludes that Ilves is too “reckless” to lead."]) == []


def test_an_inverted_verb_before_the_quotation():
    paragraphs = ["Marta Ilves runs the port.",
                  "Because of how the port set its fees, explained Ilves, “the ferries will leave.”"]
    assert speakers(paragraphs) == [(2, "Marta Ilves", "named")]


@pytest.mark.parametrize("opening", ["Like Berg", "Unlike Tomas Berg", "Speaking in Salem, New Hampshire"])
def test_a_participle_after_an_opening_clause_naming_someone_else_is_the_subjects(opening):
    paragraph = f"{opening}, Marta Ilves rejected the plan, arguing that the port needs “more room.”"
    assert speakers(["Marta Ilves and Tomas Berg met.", paragraph])[-1] == (2, "Marta Ilves", "named")


@pytest.mark.parametrize("subject, speaker, form", [
    ("Tomas Berg’s campaign", "Tomas Berg's campaign", "role"),
    ("Harbour Party Chairman Tomas Berg", "Tomas Berg", "named"),
])
def test_a_release_sent_out_saying_something_is_whoever_sent_it(subject, speaker, form):
    paragraph = (f"Shortly after Ilves’s call ended, {subject} sent out a press release saying Ilves owes "
                 "“Tartu an explanation.”")
    assert speakers(["Marta Ilves and Tomas Berg met.", paragraph])[-1] == (2, speaker, form)


def test_a_dateline_in_title_case_with_its_agency_is_no_subject():
    paragraph = ("Tartu (AFP) – Mayor Marta Ilves has taken a swipe at the harbour board, saying that "
                 "“loud promises” do more harm than good.")
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_contraction_opening_a_question_is_no_name():
    paragraphs = ["Jake Tamm met the harbour board on Monday.",
                  "Don’t Republicans want a new ferry? “We do, and soon,” he said."]
    assert speakers(paragraphs) == [(2, "Jake Tamm", "pronoun")]
