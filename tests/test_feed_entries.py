"""Reading feed bodies: RSS and Atom through feedparser, JSON Feed through json, anything else refused."""

import json

import pytest

from feeds.feed_entries import NotAFeed, parse_feed, plain_text

RSS = b"""<?xml version="1.0" encoding="utf-8"?>
<rss version="2.0" xmlns:dc="http://purl.org/dc/elements/1.1/"><channel>
<title>Harbour  Gazette</title><link>https://gazette.example/</link><description>News</description>
<item><title>Ferry returns</title><link>/2024/ferry</link>
  <guid isPermaLink="false">gazette-ferry</guid><pubDate>Tue, 05 Mar 2024 08:00:00 GMT</pubDate>
  <dc:creator>Lena Ortiz</dc:creator>
  <description>&lt;p&gt;The ferry is back.&lt;/p&gt;&lt;p&gt;Tickets are &amp;amp; cheaper.&lt;/p&gt;
  </description></item>
<item><title>No guid here</title><link>https://gazette.example/no-guid</link>
  <description>Plain words</description></item>
<item><title>Neither id nor link</title><description>Only text</description></item>
<item><title>Twice</title><guid isPermaLink="false">gazette-ferry</guid>
  <description>the same guid again</description></item>
</channel></rss>"""

ATOM = b"""<?xml version="1.0" encoding="utf-8"?>
<feed xmlns="http://www.w3.org/2005/Atom"><title>Valley Times</title><id>tag:valley</id>
<updated>2024-03-08T10:00:00Z</updated>
<entry><title>Bridge closes</title><link href="https://valley.example/bridge"/><id>tag:valley,bridge</id>
  <published>2024-03-08T07:00:00Z</published><updated>2024-03-08T10:00:00Z</updated>
  <author><name>Ada Writer</name></author>
  <summary>Short summary.</summary>
  <content type="html">&lt;p&gt;Full text one.&lt;/p&gt;&lt;p&gt;Full text two.&lt;/p&gt;</content></entry>
</feed>"""


def json_feed(**changes) -> bytes:
    feed = {
        "version": "https://jsonfeed.org/version/1.1", "title": "Valley Radio",
        "items": [
            {"id": 17, "url": "/orchard", "title": "Orchard harvest",
             "date_published": "2024-03-10T06:00:00Z", "date_modified": "2024-03-10T09:00:00Z",
             "content_html": "<p>Best<br><br>in a decade</p>",
             "authors": [{"name": "Sam Reporter"}, {"name": "Kim Editor"}]},
            {"id": "goat", "title": "Goat escapes", "content_text": "Line one.\n\nLine two.",
             "author": {"name": "Old Style"}},
        ],
    } | changes
    return json.dumps(feed).encode()


def test_rss_items_have_a_key_link_title_date_text_and_author():
    feed = parse_feed(RSS, "application/rss+xml", "https://gazette.example/feed")
    assert feed.title == "Harbour Gazette"
    first = feed.entries[0]
    assert first.key == "gazette-ferry" and first.link == "https://gazette.example/2024/ferry"
    assert first.title == "Ferry returns" and first.author == "Lena Ortiz"
    assert first.published == "Tue, 05 Mar 2024 08:00:00 GMT" and first.day == "2024-03-05"
    assert first.updated is None and first.version == first.published
    assert first.text == "The ferry is back.\n\nTickets are & cheaper."


def test_an_item_without_a_guid_is_known_by_its_link_else_by_its_content_and_each_key_counts_once():
    entries = parse_feed(RSS, "application/rss+xml", "https://gazette.example/feed").entries
    assert [e.title for e in entries] == ["Ferry returns", "No guid here", "Neither id nor link"]
    assert entries[1].key == "https://gazette.example/no-guid"
    assert entries[2].key.startswith("sha256:") and entries[2].link is None
    assert entries[2].day is None


def test_atom_entries_prefer_the_full_content_and_change_with_their_updated_time():
    entry = parse_feed(ATOM, "application/atom+xml", "https://valley.example/atom").entries[0]
    assert entry.key == "tag:valley,bridge" and entry.author == "Ada Writer"
    assert entry.text == "Full text one.\n\nFull text two."
    assert entry.day == "2024-03-08" and entry.version == "2024-03-08T10:00:00Z"


def test_json_feed_items_are_read_with_json():
    feed = parse_feed(json_feed(), "application/feed+json", "https://radio.example/feed.json")
    orchard, goat = feed.entries
    assert feed.title == "Valley Radio"
    assert orchard.key == "17" and orchard.link == "https://radio.example/orchard"
    assert orchard.text == "Best\n\nin a decade" and orchard.day == "2024-03-10"
    assert orchard.version == "2024-03-10T09:00:00Z" and orchard.author == "Sam Reporter, Kim Editor"
    assert goat.link is None and goat.text == "Line one.\n\nLine two." and goat.author == "Old Style"


@pytest.mark.parametrize(
    ("body", "content_type"),
    [
        (b"<html><body><h1>Welcome</h1><p>Nothing to see.</p></body></html>", "text/html"),
        (b"just some words", "text/plain"),
        (b"", "application/rss+xml"),
        (b'{"version": "1.0", "items": []}', "application/json"),
        (b'{"items": [', "application/feed+json"),
        (json_feed(items="none"), "application/feed+json"),
    ],
)
def test_a_body_that_is_not_a_feed_is_one_line_naming_the_address(body, content_type):
    with pytest.raises(NotAFeed) as raised:
        parse_feed(body, content_type, "https://example.com/feed")
    message = str(raised.value)
    assert message.startswith("https://example.com/feed is not an RSS, Atom or JSON feed")
    assert "\n" not in message


def test_a_body_that_names_a_local_file_is_not_opened(tmp_path):
    # feedparser opens a path it is given as a string; a server must not make it read our disk
    secret = tmp_path / "feed.xml"
    secret.write_bytes(RSS)
    with pytest.raises(NotAFeed):
        parse_feed(str(secret).encode(), "text/plain", "https://example.com/feed")


def test_html_becomes_paragraphs_without_scripts():
    html = ("<div><h2>Head</h2><p>One <b>bold</b>\nline.</p><script>alert(1)</script>"
            "Two<br>lines<br><br>Three</div>")
    assert plain_text(html) == "Head\n\nOne bold line.\n\nTwo lines\n\nThree"
