"""Cutting articles into passages: numbering, long paragraphs, borrowed speaker context."""

from index.articles import Article, read_articles
from index.passages import passages_of
from index.sentences import split_sentences
from tests.conftest import SAMPLE


def words(text):
    return len(text.split())


def test_each_kept_paragraph_is_one_passage_numbered_from_one_without_the_title():
    [article] = read_articles(SAMPLE)
    passages = passages_of(article, words, 254)
    assert [p.citation.paragraph for p in passages] == list(range(1, 14))
    assert passages[9].text.startswith("“It is those countries")
    assert all(p.citation.title == article.title for p in passages)
    assert all(p.citation.source == article.source for p in passages)


def test_a_paragraph_over_the_window_is_split_at_sentence_ends_keeping_its_number():
    sentences = [f"Sentence number {i} talks about the budget of the city." for i in range(30)]
    article = Article("Budget", ("Short opening.", " ".join(sentences), "Closing."), "mem")
    passages = passages_of(article, words, max_tokens=40)
    long_ones = [p for p in passages if p.citation.paragraph == 2]
    assert len(long_ones) > 1
    assert [p.piece for p in long_ones] == list(range(len(long_ones)))
    assert all(words(p.text) <= 40 for p in long_ones)
    assert all(p.text.endswith("city.") for p in long_ones)
    assert " ".join(p.text for p in long_ones) == " ".join(sentences)
    assert passages[-1].citation.paragraph == 3


def test_a_sentence_longer_than_the_window_is_cut_between_words():
    article = Article("Run-on", (" ".join(["word"] * 100),), "mem")
    passages = passages_of(article, words, max_tokens=30)
    assert [words(p.text) for p in passages] == [30, 30, 30, 10]


def test_a_quote_attributed_to_he_borrows_the_previous_paragraph_as_context():
    [article] = read_articles(SAMPLE)
    passages = passages_of(article, words, 254)
    quote = passages[9]
    assert quote.text.endswith("he told reporters.")
    assert "Zhao Lijian" in quote.context
    assert passages[8].context == ""  # names its speaker itself


def test_sentences_split_at_ends_but_not_after_abbreviations_or_initials():
    text = "U.S. officials met Mr. Xi. He said “no.” J. Smith agreed! Did they? Yes."
    assert split_sentences(text) == [
        "U.S. officials met Mr. Xi.", "He said “no.”", "J. Smith agreed!", "Did they?", "Yes.",
    ]
