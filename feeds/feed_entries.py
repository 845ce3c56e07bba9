"""A fetched feed's body read into entries: RSS and Atom with feedparser, JSON Feed with json."""

import codecs
import hashlib
import io
import json
import re
from dataclasses import dataclass
from html.parser import HTMLParser
from urllib.parse import urljoin

import feedparser

from index.articles import split_paragraphs
from index.dates import iso_day
from index.errors import IndexingError

JSON_FEED_VERSION = "https://jsonfeed.org/version/"
_BLOCK_TAGS = {
    "address", "article", "aside", "blockquote", "dd", "div", "dl", "dt", "figcaption", "figure",
    "footer", "h1", "h2", "h3", "h4", "h5", "h6", "header", "hr", "li", "ol", "p", "pre", "section",
    "table", "td", "th", "tr", "ul",
}
_HIDDEN_TAGS = {"script", "style", "template"}


class NotAFeed(IndexingError):
    """The body is not an RSS, Atom or JSON feed."""


@dataclass(frozen=True)
class FeedEntry:
    key: str  # id or guid, else the link, else a hash of the title and text
    link: str | None
    title: str
    published: str | None  # as the feed wrote it
    updated: str | None  # as the feed wrote it; a change means the entry changed
    text: str  # the feed's own content as plain text, paragraphs separated by blank lines
    author: str | None

    @property
    def day(self) -> str | None:
        """The publication day as YYYY-MM-DD, or None when the feed gives none that reads as a date."""
        try:
            return iso_day(self.published or self.updated)
        except ValueError:
            return None

    @property
    def version(self) -> str | None:
        return self.updated or self.published


@dataclass(frozen=True)
class ParsedFeed:
    title: str | None
    entries: tuple[FeedEntry, ...]


def parse_feed(body: bytes, content_type: str, url: str) -> ParsedFeed:
    """The feed's title and entries (each key once); NotAFeed when the body is no feed."""
    if "json" in content_type or body.removeprefix(codecs.BOM_UTF8).lstrip()[:1] == b"{":
        return _json_feed(body, url)
    # feedparser opens a string that looks like a path or URL: only ever hand it a stream
    try:
        parsed = feedparser.parse(
            io.BytesIO(_SURROGATE_REFERENCE.sub(b"&#xFFFD;", body)),
            response_headers={"content-type": content_type, "content-location": url},
        )
    except Exception as error:  # a crash inside feedparser on a mangled body: not a feed we can read
        raise NotAFeed(f"{url} is not an RSS, Atom or JSON feed ({type(error).__name__})") from None
    if not parsed.get("version"):
        raise NotAFeed(f"{url} is not an RSS, Atom or JSON feed")
    entries = [_feedparser_entry(entry) for entry in parsed.entries]
    return ParsedFeed(_clean(parsed.feed.get("title")), _unique(entries))


def _feedparser_entry(entry) -> FeedEntry:
    contents = [c for c in entry.get("content", []) if (c.get("value") or "").strip()]
    detail = contents[0] if contents else entry.get("summary_detail") or {}
    text = detail.get("value") or entry.get("summary") or ""
    if "html" in (detail.get("type") or "text/html"):
        text = plain_text(text)
    return _entry(
        key=entry.get("id"), link=entry.get("link"), title=entry.get("title"),
        published=entry.get("published"), text=text,
        # feedparser still answers `updated` with `published` when there is none, with a warning
        updated=entry["updated"] if "updated" in entry else None,
        author=entry.get("author"),
    )


def _json_feed(body: bytes, url: str) -> ParsedFeed:
    try:
        feed = json.loads(body)
    except (UnicodeDecodeError, json.JSONDecodeError, RecursionError):
        raise NotAFeed(f"{url} is not an RSS, Atom or JSON feed (its JSON does not parse)") from None
    if (
        not isinstance(feed, dict) or not str(feed.get("version", "")).startswith(JSON_FEED_VERSION)
        or not isinstance(feed.get("items"), list)
    ):
        raise NotAFeed(f"{url} is not an RSS, Atom or JSON feed")
    entries = []
    for item in feed["items"]:
        if not isinstance(item, dict):
            continue
        link = item.get("url") or item.get("external_url")
        html, plain = item.get("content_html"), item.get("content_text")
        text = plain_text(html) if isinstance(html, str) and html.strip() else plain or item.get("summary")
        entries.append(_entry(
            key=item.get("id"), link=_joined(url, link), title=item.get("title"),
            published=item.get("date_published"), updated=item.get("date_modified"),
            text=text if isinstance(text, str) else "", author=_json_feed_author(item),
        ))
    return ParsedFeed(_clean(feed.get("title")), _unique(entries))


def _json_feed_author(item: dict) -> str | None:
    authors = item.get("authors") or ([item["author"]] if isinstance(item.get("author"), dict) else [])
    if not isinstance(authors, list):
        return None
    names = [a.get("name") for a in authors if isinstance(a, dict) and a.get("name")]
    return ", ".join(str(n) for n in names) or None


def _entry(key, link, title, published, updated, text, author) -> FeedEntry:
    link = _clean(link)
    text = _without_surrogates(text.strip())
    title = _clean(title) or ""
    if key is None or not str(key).strip():
        key = link or "sha256:" + hashlib.sha256(f"{title}\n{text}".encode()).hexdigest()[:16]
    return FeedEntry(
        key=_without_surrogates(str(key).strip()), link=link, title=title, published=_clean(published),
        updated=_clean(updated), text=text, author=_clean(author),
    )


def _unique(entries: list[FeedEntry]) -> tuple[FeedEntry, ...]:
    by_key: dict[str, FeedEntry] = {}
    for entry in entries:
        by_key.setdefault(entry.key, entry)
    return tuple(by_key.values())


def _clean(value) -> str | None:
    text = " ".join(str(value).split()) if value is not None else ""
    return _without_surrogates(text) or None


def _joined(feed_url: str, link) -> str | None:
    """An item's link made absolute; None when there is none or it is no address at all."""
    if not link:
        return None
    try:
        return urljoin(feed_url, str(link))
    except ValueError:  # "http://[oops" and the like
        return None


def _without_surrogates(text: str) -> str:
    """A lone surrogate ("\ud800" in JSON) cannot be stored: shown as U+FFFD."""
    return _SURROGATE.sub("\ufffd", text)


_SURROGATE = re.compile(r"[\ud800-\udfff]")
# "&#xD800;", "&#55296;": a character reference to a lone surrogate, which crashes feedparser
_SURROGATE_REFERENCE = re.compile(rb"&#(x0*d[89a-f][0-9a-f]{2}|0*(5529[6-9]|55[3-9]\d\d|56\d{3}|57[0-2]\d\d"
                                  rb"|573[0-3]\d|5734[0-3]));", re.IGNORECASE)


def plain_text(html: str) -> str:
    """An HTML fragment as plain text, its blocks (and text between two <br>) as paragraphs
    separated by a blank line."""
    reader = _TextReader()
    reader.feed(html)
    reader.close()
    return "\n\n".join(split_paragraphs("".join(reader.parts)))


class _TextReader(HTMLParser):
    def __init__(self):
        super().__init__(convert_charrefs=True)
        self.parts: list[str] = []
        self._hidden = 0

    def handle_starttag(self, tag, attrs):
        if tag in _HIDDEN_TAGS:
            self._hidden += 1
        elif tag == "br":
            self.parts.append("\n")
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_endtag(self, tag):
        if tag in _HIDDEN_TAGS:
            self._hidden = max(self._hidden - 1, 0)
        elif tag in _BLOCK_TAGS:
            self.parts.append("\n\n")

    def handle_data(self, data):
        if not self._hidden:
            self.parts.append(data)
