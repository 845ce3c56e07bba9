"""A feed entry as an Article: its page through trafilatura, else the feed's own text."""

import pytest

from feeds.entry_articles import article_from_feed_text, article_from_page
from feeds.feed_entries import FeedEntry
from index.errors import UnreadableInput

FEED = "https://gazette.example/rss.xml"


def entry(text: str, title: str = "Ferry returns", link: str | None = "https://gazette.example/ferry"):
    return FeedEntry(key="gazette-ferry", link=link, title=title, published="Tue, 05 Mar 2024 08:00:00 GMT",
                     updated=None, text=text, author="Lena Ortiz")


PAGE = ("<html><head><title>Island ferry returns</title></head><body><article><h1>Island ferry returns</h1>"
        "<p>The island ferry carried its first passengers in three years on Tuesday morning.</p>"
        "<p>Harbour master Lena Ortiz said the new boat can carry two hundred people.</p>"
        "</article></body></html>")


def test_a_page_without_a_date_takes_the_entry_s_and_the_entry_link_is_its_url():
    article = article_from_page(PAGE, entry(""))
    assert (article.title, article.published, article.url, article.source) == (
        "Island ferry returns", "2024-03-05", "https://gazette.example/ferry", "https://gazette.example/ferry")
    assert len(article.paragraphs) == 2
    assert article.author == "Lena Ortiz"  # the page names none: the entry's


def test_a_page_of_links_holds_no_article():
    with pytest.raises(UnreadableInput, match="no article text found"):
        article_from_page("<html><body><ul><li><a href='/a'>News</a></li></ul></body></html>", entry(""))


def test_the_feed_text_is_split_into_paragraphs_under_the_entry_title():
    text = "The ferry is back after three years.\n\nTickets are cheaper."
    article = article_from_feed_text(entry(text), FEED)
    assert article.title == "Ferry returns" and article.published == "2024-03-05"
    assert article.paragraphs == ("The ferry is back after three years.", "Tickets are cheaper.")
    lines = article_from_feed_text(entry("First line of the story.\nSecond line of it."), FEED)
    assert lines.paragraphs == ("First line of the story.", "Second line of it.")


def test_an_entry_without_link_or_title_is_still_an_article_of_its_feed():
    article = article_from_feed_text(entry("A goat escaped from the fair.", title="", link=None), FEED)
    assert article.title == "A goat escaped from the fair." and article.url is None
    assert article.source == f"{FEED}#gazette-ferry"


def test_an_entry_with_no_text_is_no_article():
    with pytest.raises(UnreadableInput):
        article_from_feed_text(entry("   "), FEED)
