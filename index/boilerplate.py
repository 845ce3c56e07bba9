"""Chrome that pages leave in article text: site chrome (comment prompts, share bars,
footers) here, news chrome (datelines, promos, credits…) in `index.news_chrome`."""

import re
from dataclasses import dataclass, field

from index.news_chrome import news_chrome_kind, split_dateline, split_photo_credit

# A paragraph that is exactly one of these is site chrome, never article text.
_CHROME = [
    r"leave a (reply|comment)",
    r"your email address will not be published\.?( required fields are marked \*)?",
    r"required fields are marked \*",
    r"back to top( button)?",
    r"skip to (main )?content",
    r"share (this|on) .{0,40}",
    r"share this( article| story| post)?",
    r"click to (share|print|email) .{0,60}",
    r"(sign up|subscribe) (for|to) (our|the) newsletter.{0,80}",
    r"follow us on .{0,60}",
    r"advertisement",
    r"related (articles|posts|stories|news)",
    r"(read|see) (more|also)\s*:?.{0,80}",
    r"(copyright )?(©|\(c\)).{0,120}",
    r"all rights reserved\.?",
    r"save my name, email, and website in this browser.{0,60}",
    r"(post(ed)? )?comments?( \(\d+\))?",
    r"(facebook|twitter|linkedin|whatsapp|telegram|email|print|reddit|pinterest)"
    r"([\s|,·]+(facebook|twitter|linkedin|whatsapp|telegram|email|print|reddit|pinterest))*",
    r"tags?:.{0,120}",
]
_CHROME_RE = re.compile(r"^\s*(" + "|".join(_CHROME) + r")\s*$", re.IGNORECASE)

# Where a comment section starts, the article has ended.
_END_OF_ARTICLE_RE = re.compile(r"^\s*(leave a (reply|comment)|\d* ?comments?)\s*$", re.IGNORECASE)


def is_site_chrome(paragraph: str) -> bool:
    return bool(_CHROME_RE.match(paragraph))


@dataclass
class Cleaned:
    """An article's kept paragraphs, and what was dropped from it and why."""

    kept: list[str] = field(default_factory=list)
    dropped: list[tuple[str, str]] = field(default_factory=list)  # (kind, paragraph)
    dateline: str = ""
    photo_credits: list[str] = field(default_factory=list)  # stripped from the end of kept paragraphs


def clean_paragraphs(paragraphs: list[str]) -> Cleaned:
    """Drop site and news chrome and a paragraph repeating the one before; strip a closing
    "(Photo by …)" credit, and the dateline from the first paragraph left (dropping a
    paragraph that was nothing else)."""
    cleaned = Cleaned()
    paragraphs = [" ".join(p.split()) for p in paragraphs]
    for position, paragraph in enumerate(paragraphs):
        if _END_OF_ARTICLE_RE.match(paragraph):
            cleaned.dropped += [("after comment box", p) for p in paragraphs[position:] if p]
            break
        credit, text = split_photo_credit(paragraph)
        kind = _chrome_kind(text, cleaned.kept) if text else ("caption" if credit else None)
        if kind:
            cleaned.dropped.append((kind, paragraph))
            continue
        if not cleaned.kept and not cleaned.dateline:
            cleaned.dateline, text = split_dateline(text)
        if text:
            cleaned.kept.append(text)
            cleaned.photo_credits += [credit] if credit else []
    return cleaned


def drop_chrome(paragraphs: list[str]) -> list[str]:
    """The article's body paragraphs: `clean_paragraphs(paragraphs).kept`."""
    return clean_paragraphs(paragraphs).kept


def _chrome_kind(paragraph: str, kept: list[str]) -> str | None:
    if is_site_chrome(paragraph):
        return "site chrome"
    if kept and paragraph == kept[-1]:
        return "repeat"
    return news_chrome_kind(paragraph)
