"""News-page chrome inside article text: datelines, newsletter promos, contributor lines,
photo captions and credits, editors' notes. Patterns are outlet-neutral where they can be."""

import re

_UPPER = "A-ZÀ-ÖØ-Þ"
_PLACE_WORD = rf"[{_UPPER}][\w.'’-]*"
_PLACE_JOIN = r"(?:\s*[,/]\s*|\s+(?:(?:de|da|do|del|of|la|el|al|upon)\s+)?)"
_PLACE = rf"{_PLACE_WORD}(?:{_PLACE_JOIN}{_PLACE_WORD}){{0,5}}"
_CAPS_PLACE = rf"[{_UPPER}][{_UPPER}.'’-]+(?:\s+[{_UPPER}][{_UPPER}.'’-]+){{0,3}}"
_OUTLET = (
    r"(?:CNN(?: Business| Sport| Travel| Style| Health| Politics)?|Reuters|AP|AFP|Bloomberg|UPI|AAP"
    r"|dpa|Xinhua|TASS|Kyodo|Yonhap|EFE|ANSA|NPR|BBC(?: News)?|(?:CBS|NBC|ABC|Fox) News"
    r"|(?:The )?Associated Press)"
)
# A hyphen counts as a dateline dash only with a space before it ("LONDON (Reuters) - ").
_DASH = r"(?:\s*[—–]+|\s+--?)"
# What follows a dateline starts a sentence; an appositive dash ("Apple — the company") does not.
_SENTENCE_START = rf"\s*(?=$|[{_UPPER}0-9\"“‘'(])"

# "The Reuters – Ipsos poll…" opens a sentence: "The" is no place ("The Hague" is).
_NOT_A_PLACE = rf"(?:The|A|An|This|That|Its|Our|In|On|At|By|For|As|But|And|When|After)\s+{_OUTLET}\b"

_DATELINES = [
    re.compile(rf"^(?:{_PLACE}\s+)?\({_OUTLET}\)(?:{_DASH})?\s*"),          # Washington (CNN) —
    re.compile(rf"^(?:{_CAPS_PLACE}\s+)?\([{_UPPER}][\w&.'’ -]{{0,30}}\){_DASH}{_SENTENCE_START}"),
    re.compile(rf"^(?!{_NOT_A_PLACE})(?:{_PLACE}\s+)?{_OUTLET}{_DASH}{_SENTENCE_START}"),  # Rome CNN —
    re.compile(rf"^{_CAPS_PLACE}(?:,\s*{_PLACE_WORD}(?:\s+{_PLACE_WORD})*)?{_DASH}{_SENTENCE_START}"),
]


def split_dateline(paragraph: str) -> tuple[str, str]:
    """(dateline, rest of the paragraph); the dateline is "" when there is none."""
    for pattern in _DATELINES:
        match = pattern.match(paragraph)
        if match:
            return match.group(0).strip(), paragraph[match.end():].strip()
    return "", paragraph


def _whole(*patterns: str) -> re.Pattern:
    return re.compile(r"^\s*(?:" + "|".join(patterns) + r")\s*$", re.IGNORECASE)


_PROMO_RE = _whole(
    r"(sign up|subscribe)\b.*",                                    # an imperative, never reporting
    r"get .{0,60}\bnewsletter\b.*",
    r"(get|download) (the|our) .{0,40}\bapp\b.*",
    r"this (story|article|post) is (part|an edition) of .{0,80}\bnewsletter\b.*",
    r"this is (the|a|an) .{0,40}\b(edition|version) of .{0,60}\bnewsletter\b.*",
    r"a version of this (story|article|post) (first |originally )?(appeared|ran|was published)\b.*",
    r"this (story|article) (was )?(originally|first) (appeared|published|ran)\b.*",
    r"enjoying [^?]{1,60}\?.*\b(sign up|subscribe)\b.*",
    r"listen to (our|the) .{0,40}\bpodcast\b.*",
    r"(send|email) (us )?your (questions|tips|stories|photos)\b.*",
    r"(read|read more|see also|related|more on this|watch|listen)\s*:.*",
)
_AD_QUESTION_RE = _whole(
    r"(\d+\.\s*)?how (relevant|useful|interesting) (is|was) this (ad|advert|advertisement)\b.*")
_AD_FAULT_RE = re.compile(
    r"\b(ad|advert|video( content| player)?|audio on ad)\b (was slow to load|never loaded|froze|was too loud"
    r"|did not (start|finish|load))", re.IGNORECASE)
_CALL_TO_ACTION_RE = re.compile(
    r"\b(sign up|subscribe)( here| now| today| for free)?\b.*\b(newsletter|inbox)\b"
    r"|\b(newsletter|inbox)\b.*\b(sign up|subscribe)\b", re.IGNORECASE)
_SECOND_PERSON_RE = re.compile(r"\b(you|your|you['’]ll)\b", re.IGNORECASE)

_CONTRIBUTED_HOW = r"( (additional )?reporting| to this (report|story|article|piece|post)| research| writing)"
_CONTRIBUTED_FROM = r"( (from|in) [^.]{1,60})?\.?"
_NAMES_NO_SENTENCE = r"(?:(?![a-z]{2}[.!?]\s)[^—–]){3,200}?"   # names, not a sentence then names
_CONTRIBUTOR_RE = _whole(
    # "— Jane Doe contributed." and "Jane Doe contributed reporting from Tallinn."
    rf"[—–-]+\s*{_NAMES_NO_SENTENCE} contributed{_CONTRIBUTED_HOW}*{_CONTRIBUTED_FROM}",
    rf"{_NAMES_NO_SENTENCE} contributed{_CONTRIBUTED_HOW}+{_CONTRIBUTED_FROM}",
)
_PERSON_NAME = rf"[{_UPPER}][\w.'’-]*"
_PERSON_SEP = r"(?:\s+|,\s*|\s+and\s+|\s*&\s*)"
_PERSONS = rf"{_PERSON_NAME}(?:{_PERSON_SEP}{_PERSON_NAME}){{0,11}}"
# "By Jane Doe" or "By Jane Doe and John Roe, Example News": names only, no sentence.
_BYLINE_RE = re.compile(rf"^By {_PERSON_NAME}(?:{_PERSON_SEP}{_PERSON_NAME}){{1,7}}$")
# A wire sign-off, "(Reporting by Ana Petrova in Vellmore; Editing by Tom Reyes)": names, not
# "Reporting by the Courier found…".
_SIGNOFF_PART = (rf"(?:[Aa]dditional reporting|[Rr]eporting|[Ww]riting|[Ee]diting|[Cc]ompiled|[Pp]roduced)"
                 rf" by {_PERSONS}(?: (?:in|from) {_PLACE})?")
_SIGNOFF_RE = re.compile(rf"^\(?{_SIGNOFF_PART}(?:\s*;\s*{_SIGNOFF_PART})*\.?\)?$")

_EDITORIAL_RE = _whole(
    r"editor['’]?s['’]? note\b.*",
    r"(correction|clarification)s?\s*:.*",
    r"this (story|article|post) (has been|was|is being|will be) updated\b.*",
    r"this is a (developing|breaking)( news)? story\b.*",
)

_CAPTION_RE = _whole(
    r"(photo|photos|photograph|image|images|picture|pictures|video|gallery|caption|credit)s?\s*:.*",
    r"(hide|show|expand|close) caption\b.*",
    r"(photos? )?\d+ of \d+",
    r"video\b.*\b\d{1,2}:\d{2}\s*-\s*source\s*:.*",                  # a video player's title bar
    r"\((photo|photograph|image|picture)s? (by|courtesy of|credit)\b[^()]*\)",
    r"(photo|photograph|image|picture)s? (by|courtesy of|credit)\b[^!?]{0,100}[^.!?]",  # no sentence
    r".*\bprev(ious)? next",                                         # a slideshow's buttons
)
# "… on Sunday. (Photo by Ivo Brand/AFP via Getty Images)": some sites end a text paragraph so.
_COURTESY_RE = re.compile(rf"^Courtesy(?: of)?(?: the)? [{_UPPER}][^.!?]{{0,60}}$")
_PHOTO_CREDIT_END_RE = re.compile(
    r"\s*\((?:(?:AP|AFP|Reuters|EPA) )?(?:photo|image|picture)s?(?: by| courtesy| credit|:|/)[^()]*\)$",
    re.IGNORECASE)
_AGENCY = (
    r"(Getty Images?|AP( Photo)?|AFP|Reuters|EPA(-EFE)?|Bloomberg|Shutterstock|Alamy|Pool|Sipa( USA)?"
    r"|ZUMA( Press)?( Wire)?|NurPhoto|LightRocket|SOPA Images|Anadolu( Agency)?|Xinhua|Kyodo( News)?"
    r"|Yonhap|TASS|Sputnik|AAP( Image)?|dpa|picture alliance|Handout|Associated Press|WireImage"
    r"|FilmMagic|iStock(photo)?|Adobe Stock|Imagine China)"
)
_AGENCY_RE = re.compile(rf"^{_AGENCY}$", re.IGNORECASE)
_NAME = rf"[{_UPPER}0-9][\w'’.&-]*"
_NAMES = rf"{_NAME}(?: (?:{_NAME}|of|the|de|for|and|via|&))*"
# "…Brandon Bell/Getty Images": a word, a slash, then capitalised words to the end.
_SLASH_CREDIT_RE = re.compile(rf"\w/(?P<last>{_NAMES})$")
_NAMES_RE = re.compile(_NAMES)
_ONE_WORD_RE = re.compile(rf"[{_UPPER}][\w'’&-]*")      # "Netflix" between paragraphs: a credit
_SENTENCE_BREAK_RE = re.compile(r"(?<=[.!?])\s+")
_DOMAIN = r"(?:www\.)?[\w-]+\.(?:com|org|net|gov)"
_SENTENCE_THEN_NAMES_RE = re.compile(rf"(?P<before>\S+)\. (?P<credit>{_NAMES}|{_DOMAIN})$")
_WEB_ADDRESS_RE = re.compile(r"https?://|www\.|\.(com|org|net|gov)\b", re.IGNORECASE)
_TERMINAL_RE = re.compile(r"[.!?\"”’'):;…\]]$")
_ABBREVIATIONS = frozenset(
    "mr mrs ms dr st jr sr gen sen rep gov lt col sgt capt prof rev no vs mt ft inc co corp ltd"
    " jan feb mar apr aug sep sept oct nov dec".split())


def split_photo_credit(paragraph: str) -> tuple[str, str]:
    """(credit, rest) for a paragraph ending in a parenthesised photo credit, else ("", paragraph)."""
    match = _PHOTO_CREDIT_END_RE.search(paragraph)
    if not match:
        return "", paragraph
    return match.group(0).strip(), paragraph[:match.start()].strip()


def news_chrome_kind(paragraph: str) -> str | None:
    """"promo", "contributor", "editorial" or "caption" when the paragraph is that chrome."""
    if _PROMO_RE.match(paragraph) or _is_call_to_action(paragraph) or _is_ad_feedback(paragraph):
        return "promo"
    if _CONTRIBUTOR_RE.match(paragraph) or _BYLINE_RE.match(paragraph) or _SIGNOFF_RE.match(paragraph):
        return "contributor"
    if _EDITORIAL_RE.match(paragraph):
        return "editorial"
    if _CAPTION_RE.match(paragraph) or _COURTESY_RE.match(paragraph) or _ends_in_credit(paragraph):
        return "caption"
    return None


def _is_call_to_action(paragraph: str) -> bool:
    """A newsletter pitch addressed to the reader; a quotation is someone speaking, so kept."""
    return (bool(_CALL_TO_ACTION_RE.search(paragraph)) and bool(_SECOND_PERSON_RE.search(paragraph))
            and not any(mark in paragraph for mark in "“\"") and len(paragraph.split()) <= 60)


def _is_ad_feedback(paragraph: str) -> bool:
    """An advertising survey: "1. How relevant is this ad to you?", or its answer choices
    ("Video player was slow to load content Ad froze or did not finish loading …"), which
    end no sentence."""
    return bool(_AD_QUESTION_RE.match(paragraph)) or (
        len(_AD_FAULT_RE.findall(paragraph)) >= 2 and not _TERMINAL_RE.search(paragraph))


def _ends_in_credit(paragraph: str) -> bool:
    """A caption or credit line: no closing punctuation, and a photo credit at the end."""
    if _TERMINAL_RE.search(paragraph):
        return False
    if _AGENCY_RE.match(paragraph) or _ONE_WORD_RE.fullmatch(paragraph):
        return True
    slash = _SLASH_CREDIT_RE.search(paragraph)
    if slash and _WEB_ADDRESS_RE.search(paragraph[-80:]):
        slash = None
    if slash and _AGENCY_RE.match(slash["last"]):
        return True
    flat = paragraph.replace("/", " ")
    if slash and len(flat.split()) <= 12 and _NAMES_RE.fullmatch(flat):
        return True
    credit = _SENTENCE_THEN_NAMES_RE.search(flat)
    return bool(credit and len(credit["credit"].split()) <= 6
                and _ends_a_sentence(flat[:credit.start("credit")]))


def _ends_a_sentence(text: str) -> bool:
    """Whether `text` ends with a sentence of three words or more and a full stop (not "Dr.")."""
    last_sentence = _SENTENCE_BREAK_RE.split(text.strip())[-1]
    words = last_sentence.split()
    if len(words) < 3 or not last_sentence.endswith("."):
        return False
    last_word = words[-1].rstrip(".")
    return len(last_word) > 1 and "." not in last_word and last_word.lower() not in _ABBREVIATIONS
