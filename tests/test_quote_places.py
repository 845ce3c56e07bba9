"""Places, days and a country's people are no one a quotation's pronoun stands for
(index/place_names.py, index/quote_mentions.py), on text written for the tests."""

import pytest

from index.place_names import is_people, is_place
from tests.quote_text import speakers

AFTER_ILVES = "Marta Ilves toured the harbour."
SHE_SAID = "“We will win there,” she said."


@pytest.mark.parametrize("between", [
    "South Carolina votes next week.",  # a state of two words is no person
    "New Hampshire Monday was cold and wet.",  # a day ends a name
    "African Americans make up a third of the town.",  # a country's people
    "China said the talks had failed.",  # a country speaking
])
def test_a_pronoun_skips_places_days_and_peoples(between):
    assert speakers([AFTER_ILVES, between, SHE_SAID]) == [(3, "Marta Ilves", "pronoun")]


def test_a_day_with_a_possessive_is_no_organisation_either():
    paragraphs = ["The Harbour Committee met on Monday.", "Thursday's memo from the panel was long.",
                  "“So far, 59 of the witnesses were new,” it stated."]
    assert speakers(paragraphs) == []


def test_a_state_after_a_town_is_no_subject():
    paragraph = "Speaking in Tartu, Estonia, Marta Ilves went after Berg, calling him “a total stiff.”"
    assert speakers([paragraph]) == [(1, "Marta Ilves", "named")]


def test_a_person_named_like_a_place_stays_a_person():
    paragraphs = ["Georgia Ilves runs the port.", "“We will wait,” Georgia said."]
    assert speakers(paragraphs) == [(2, "Georgia Ilves", "named")]


@pytest.mark.parametrize("run, place", [
    ("New Hampshire", True), ("the United States", True), ("China's", True), ("Tallinn", True),
    ("Marta Ilves", False), ("Harbour Radio", False),
])
def test_is_place(run, place):
    assert is_place(run) is place


@pytest.mark.parametrize("run, people", [
    ("German", True), ("Americans", True), ("South Korean", True), ("Mexican Americans", True),
    ("African American", True),
    ("John French", False), ("Marta Ilves", False),
])
def test_is_people(run, people):
    assert is_people(run) is people
