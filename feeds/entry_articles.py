"""A feed entry as an Article: from its page when the page holds one, else from the feed's own text.

Either way the article's URL is the entry's link, so the same entry always maps to the
same article and a changed page replaces it.
"""

import dataclasses

from feeds.feed_entries import FeedEntry
from index.articles import Article, article_from_html, article_from_plain_text, split_paragraphs


def article_from_page(html: str, entry: FeedEntry) -> Article:
    """The page's article by trafilatura, dated by the entry when the page gives no date;
    UnreadableInput when the page holds no article."""
    article = article_from_html(html, entry.link, entry.link)
    return dataclasses.replace(article, published=article.published or entry.day,
                               author=article.author or entry.author)


def article_from_feed_text(entry: FeedEntry, feed_url: str) -> Article:
    """The entry's title and text as the feed gives them; UnreadableInput when it has no text."""
    text = entry.text
    paragraphs = split_paragraphs(text if "\n\n" in text else text.replace("\n", "\n\n"))
    title = entry.title or (paragraphs[0][:80] if paragraphs else "")
    source = entry.link or f"{feed_url}#{entry.key}"
    article = article_from_plain_text(title + "\n\n" + "\n\n".join(paragraphs), source)
    return dataclasses.replace(article, url=entry.link, published=entry.day, author=entry.author)
