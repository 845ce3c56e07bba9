"""The people an article names (index/quote_mentions.py), on text written for the tests."""

from index.quote_mentions import Mentions


def mentions_of(paragraph: str) -> list[tuple[str, tuple[str, ...]]]:
    mentions = Mentions([paragraph])
    mentions.collect(0, paragraph)
    return [(m.name, m.titles) for m in mentions.all]


def test_role_words_stop_at_the_sentence_before():
    assert mentions_of("Harbour Radio reported it first. Tomas Berg left.") == [
        ("Harbour Radio", ()), ("Tomas Berg", ())]


def test_role_words_before_a_name():
    assert mentions_of("The harbour master Tomas Berg left.") == [("Tomas Berg", ("master", "harbour"))]


def test_a_place_and_a_day_name_no_one():
    assert mentions_of("Tomas Berg campaigned in New Hampshire Monday.") == [("Tomas Berg", ())]


def test_a_title_word_after_a_census_first_name_is_a_surname():
    found = mentions_of("Former harbour governor Tomas Dean left. Judge Marta Ilves stayed.")
    assert [name for name, _ in found] == ["Tomas Dean", "Marta Ilves"]
    # "Toomas" is no first name of the Census lists: "Dean" stays a title
    assert "Toomas Dean" not in [name for name, _ in mentions_of("Toomas Dean left.")]


def test_a_capitalised_role_opening_a_sentence_before_a_first_name_is_no_part_of_the_name():
    assert mentions_of("Sociologist Marta Ilves of Tartu University left.") == [
        ("Marta Ilves", ("sociologist",))]
    assert mentions_of("Walker Tomas Berg left.")[0][0] == "Walker Tomas Berg"  # "Walker": a first name too
    assert mentions_of("Skipper Toomas Berg left.")[0][0] == "Skipper Toomas Berg"  # "Toomas": no first name
