"""Citations linked to the best sentence with a URL text fragment (WICG Text Fragments)."""

from index.passages import Citation
from retrieval.answer import FoundPassage
from retrieval.deep_links import fragment_link

URL = "https://news.example/harbour"


def passage(text: str, sentence: str) -> FoundPassage:
    start = text.index(sentence)
    citation = Citation("a1", "Harbour", URL, URL, None, 2)
    return FoundPassage(1, 1.0, 7, citation, text, (start, start + len(sentence)))


def test_a_short_sentence_is_the_whole_fragment_percent_encoded():
    sentence = "Ferries sail again, fares cut-price & full!"
    found = passage("The port reopened. " + sentence, sentence)
    assert fragment_link(URL, found, found.text) == (
        URL + "#:~:text=Ferries%20sail%20again%2C%20fares%20cut%2Dprice%20%26%20full%21")


def test_a_long_sentence_is_matched_by_its_first_and_last_words():
    sentence = "The harbour master said the new cranes would arrive from Gdansk before the summer season."
    found = passage(sentence, sentence)
    assert fragment_link(URL, found, sentence) == (
        URL + "#:~:text=The%20harbour%20master%20said,before%20the%20summer%20season.")


def test_a_start_found_twice_in_the_article_gets_the_words_before_it():
    text = "Storm damage was heavy. The harbour master said repairs start now and will take a year."
    article = "The harbour master said little on Monday. " + text
    found = passage(text, "The harbour master said repairs start now and will take a year.")
    link = fragment_link(URL, found, article)
    assert link.startswith(URL + "#:~:text=damage%20was%20heavy.-,The%20harbour%20master%20said,")


def test_a_page_fragment_is_kept_before_the_directive():
    found = passage("Ferries sail again.", "Ferries sail again.")
    assert fragment_link(URL + "#live", found, found.text) == URL + "#live:~:text=Ferries%20sail%20again."
