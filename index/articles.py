"""Reading article files: .txt, .md, .html and .jsonl in, `Article` records out."""

import hashlib
import json
import logging
import re
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path

from index.boilerplate import drop_chrome
from index.dates import iso_day
from index.errors import NoArticleText, UnreadableInput

log = logging.getLogger(__name__)

SUPPORTED_SUFFIXES = (".txt", ".md", ".html", ".htm", ".jsonl")
MAX_FILE_BYTES = 50 * 1024 * 1024
# A page whose longest text block is shorter than this holds menus or links, not an article.
MIN_HTML_PARAGRAPH_WORDS = 8


@dataclass(frozen=True)
class Article:
    """One article's kept body paragraphs and where it came from."""

    title: str
    paragraphs: tuple[str, ...]
    source: str
    url: str | None = None
    published: str | None = None  # YYYY-MM-DD (index/dates.py)
    author: str | None = None  # as the page, feed or .jsonl gives it ("Jane Doe, John Roe")

    @property
    def article_id(self) -> str:
        """Stable id: the same source (file path or URL) always maps to the same article."""
        return hashlib.sha256(self.identity.encode()).hexdigest()[:12]

    @property
    def identity(self) -> str:
        return self.url or self.source

    @property
    def content_hash(self) -> str:
        body = "\n\n".join((self.title, *self.paragraphs))
        return hashlib.sha256(body.encode()).hexdigest()


def read_articles(path: Path) -> list[Article]:
    """Every article in one file. Raises UnreadableInput with a one-line reason."""
    _check_suffix(path.name, str(path))
    return parse_articles(_read_bytes(path), path.name, str(path.resolve()))


def parse_articles(data: bytes, file_name: str, source: str) -> list[Article]:
    """Every article in a file's bytes (an upload, say); `file_name` picks the format."""
    suffix = _check_suffix(file_name, source)
    text = _decoded(data, source)
    if suffix == ".jsonl":
        return list(articles_from_jsonl(text, source))
    if suffix in (".html", ".htm"):
        return [article_from_html(text, source)]
    if suffix == ".md":
        return [article_from_markdown(text, source)]
    return [article_from_plain_text(text, source)]


def find_article_files(paths: list[Path]) -> Iterator[Path]:
    """Files to ingest: each file named, and the supported files under each folder, sorted."""
    for path in paths:
        if path.is_dir():
            yield from sorted(
                p for p in path.rglob("*")
                if p.is_file() and p.suffix.lower() in SUPPORTED_SUFFIXES
                and not any(part.startswith(".") for part in p.relative_to(path).parts)
            )
        else:
            yield path


def article_from_plain_text(text: str, source: str) -> Article:
    """The sample's format: the first line is the title, blank lines separate paragraphs."""
    title, _, body = text.strip().partition("\n")
    return _article(title, split_paragraphs(body), source)


def article_from_markdown(text: str, source: str) -> Article:
    """The first `# heading` (or first line) is the title; other headings are not paragraphs."""
    blocks = split_paragraphs(text)
    title = ""
    if blocks and (blocks[0].startswith("#") or "\n" not in blocks[0]):
        title = blocks.pop(0).lstrip("#").strip()
    paragraphs = [_plain_markdown(b) for b in blocks if not b.lstrip().startswith("#")]
    return _article(title, paragraphs, source)


def article_from_html(html: str, source: str, url: str | None = None) -> Article:
    """Main text and metadata picked out by trafilatura; menus, ads and footers left behind."""
    import trafilatura

    document = trafilatura.bare_extraction(
        html, url=url, with_metadata=True, include_comments=False, include_tables=False
    )
    if document is None or not (document.text or "").strip():
        raise UnreadableInput(f"{source}: no article text found in this HTML page")
    title = (document.title or "").strip()
    lines = [line.strip() for line in document.text.split("\n") if line.strip()]
    if lines and title and lines[0] == title:
        lines = lines[1:]
    if not any(len(line.split()) >= MIN_HTML_PARAGRAPH_WORDS for line in lines):
        raise UnreadableInput(f"{source}: no article text found in this HTML page (only menus or links)")
    return _article(title, lines, source, url=url or document.url, published=document.date,
                    author=document.author)


def articles_from_jsonl(text: str, source: str) -> Iterator[Article]:
    """One JSON object a line: `title`, `text`, optional `url`, `published` and `author`."""
    for number, line in enumerate(text.splitlines(), start=1):
        if not line.strip():
            continue
        where = f"{source}:{number}"
        try:
            record = json.loads(line)
        except json.JSONDecodeError as error:
            raise UnreadableInput(f"{where}: not valid JSON ({error.msg})") from None
        except RecursionError:  # "[[[[…" nested deeper than the parser goes
            raise UnreadableInput(f"{where}: not valid JSON (nested too deeply)") from None
        if not isinstance(record, dict) or not isinstance(record.get("text"), str):
            raise UnreadableInput(f'{where}: each line needs a "title" and a "text" string')
        body = record["text"]
        paragraphs = split_paragraphs(body) if "\n\n" in body else body.splitlines()
        title = record.get("title")
        if not (title is None or isinstance(title, str | int | float) and not isinstance(title, bool)):
            raise UnreadableInput(f'{where}: "title" must be a string, got {_json_type(title)}')
        url = _optional_string(record, "url", where)
        try:
            yield _article(
                "" if title is None else str(title),
                paragraphs,
                f"{source}#{number}" if not url else url,
                url=url,
                published=_optional_string(record, "published", where),
                author=record.get("author") if isinstance(record.get("author"), str) else None,
                where=where,
            )
        except NoArticleText as error:  # one video page among the articles: the rest are kept
            log.warning("skipped %s", error)


def _optional_string(record: dict, key: str, where: str) -> str | None:
    """`record[key]` when it is a string, None when absent, null or empty; else UnreadableInput."""
    value = record.get(key)
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise UnreadableInput(f'{where}: "{key}" must be a string, got {_json_type(value)}')
    return value


def _json_type(value) -> str:
    names = {bool: "true/false", int: "a number", float: "a number", list: "a list", dict: "an object"}
    return names.get(type(value), type(value).__name__)


def split_paragraphs(text: str) -> list[str]:
    """Blank-line separated blocks, each with its inner line breaks folded to spaces."""
    blocks = re.split(r"\n\s*\n", text.replace("\r\n", "\n"))
    return [" ".join(block.split()) for block in blocks if block.strip()]


def _article(title, paragraphs, source, url=None, published=None, where=None, author=None) -> Article:
    # a lone surrogate ("\ud800" in JSON) cannot be stored or encoded: shown as U+FFFD
    title, source, url, published, author = (
        _without_surrogates(v) for v in (title, source, url, published, author))
    kept = tuple(drop_chrome([_without_surrogates(p) for p in paragraphs]))
    if not kept:
        raise NoArticleText(f"{where or source}: no article text left after dropping site and news chrome")
    title = " ".join(title.split()) or kept[0][:80]
    try:
        day = iso_day(published)
    except ValueError as error:
        raise UnreadableInput(f'{where or source}: "published" {error}; write it as YYYY-MM-DD') from None
    author = " ".join(author.split()) or None if author else None
    return Article(title=title, paragraphs=kept, source=source, url=url, published=day, author=author)


def _without_surrogates(text: str | None) -> str | None:
    return _SURROGATE.sub("\ufffd", text) if text else text


_SURROGATE = re.compile(r"[\ud800-\udfff]")


def _check_suffix(file_name: str, where: str) -> str:
    suffix = Path(file_name).suffix.lower()
    if suffix not in SUPPORTED_SUFFIXES:
        raise UnreadableInput(
            f"{where}: unsupported file type {suffix or '(none)'}; "
            f"use one of {' '.join(SUPPORTED_SUFFIXES)}"
        )
    return suffix


def _read_bytes(path: Path) -> bytes:
    try:
        size = path.stat().st_size
        if size > MAX_FILE_BYTES:
            raise UnreadableInput(
                f"{path}: {size // 1_000_000} MB is over the {MAX_FILE_BYTES // 1_000_000} MB limit"
            )
        return path.read_bytes()
    except FileNotFoundError:
        raise UnreadableInput(f"{path}: no such file or folder") from None
    except IsADirectoryError:
        raise UnreadableInput(f"{path}: is a folder") from None
    except PermissionError:
        raise UnreadableInput(f"{path}: permission denied; check the file's read permission") from None
    except OSError as error:
        raise UnreadableInput(f"{path}: cannot read ({error.strerror})") from None


def _decoded(raw: bytes, where: str) -> str:
    if not raw.strip():
        raise UnreadableInput(f"{where}: the file is empty")
    if b"\x00" in raw[:8192]:
        raise UnreadableInput(f"{where}: binary content, not a text article")
    try:
        return raw.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UnreadableInput(f"{where}: not UTF-8 text; save it as UTF-8 and try again") from None


def _plain_markdown(block: str) -> str:
    block = re.sub(r"!\[[^\]]*\]\([^)]*\)", "", block)
    block = re.sub(r"\[([^\]]+)\]\([^)]*\)", r"\1", block)
    block = re.sub(r"(\*\*|__|\*|_|`)(\S.*?\S|\S)\1", r"\2", block)
    return re.sub(r"^\s*(>|[-*+]|\d+\.)\s+", "", block)
