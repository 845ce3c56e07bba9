"""Site chrome that news pages leave in their text: comment prompts, share bars, footers."""

import re

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


def drop_site_chrome(paragraphs: list[str]) -> list[str]:
    """The article's body paragraphs, without chrome and without anything after a comment box."""
    kept = []
    for paragraph in paragraphs:
        if _END_OF_ARTICLE_RE.match(paragraph):
            break
        if not is_site_chrome(paragraph):
            kept.append(paragraph)
    return kept
