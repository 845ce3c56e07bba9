"""Questions about what someone said: "What did X say (about Y)?", "X's comments on Y",
and X matched to a speaker the index knows. ("Who said …?" needs nothing of its own: the
passages that match what was said are quotations, and every quotation names its speaker.)"""

import re
from dataclasses import dataclass

from index.speaker_names import name_key, surname_key
from index.store import Speaker
from retrieval.typos import one_edit_from

_TOPIC = r"(?:\s+(?:about|on|regarding|concerning|of|over)\s+(?P<topic>.+))?"
# what a question may say X did: say or tell, and the other verbs news uses for quotes
_SAID = (r"(?:say|said|says|tell|told|claim|claimed|argue|argued|warn|warned|"
         r"write|wrote|tweet|tweeted|insist|insisted|think)")
_PATTERNS = [re.compile(p, re.IGNORECASE) for p in (
    r"^what\s+(?:did|has|have|does|do|had)\s+(?P<who>.+?)\s+" + _SAID + _TOPIC + "$",
    r"^what\s+(?:is|was|are|were)\s+(?P<who>.+?)\s+saying" + _TOPIC + "$",
    r"^did\s+(?P<who>.+?)\s+say\s+anything" + _TOPIC + "$",
    r"^has\s+(?P<who>.+?)\s+said\s+anything" + _TOPIC + "$",
    # "Did X say where …?", "Has X said whether …?": what follows is the topic
    r"^(?:did|does|has|have)\s+(?P<who>.+?)\s+" + _SAID + r"\s+"
    r"(?P<topic>(?:where|when|why|how|what|who|which|whether|if|that)\b.+)$",
    # "How did X say the devices would compare?", "How did X describe the talks?"
    r"^how\s+(?:did|does|has|have)\s+(?P<who>.+?)\s+(?:say|said|describe|described|explain|explained)"
    r"\s+(?P<topic>.+)$",
    r"^(?P<who>.+?)(?:'s|’s|')\s+(?:comments?|remarks?|quotes?|words|statements?|views)" + _TOPIC + "$",
    r"^(?:any\s+)?(?:quotes?|comments?|remarks?)\s+(?:from|by)\s+(?P<who>.+?)" + _TOPIC + "$",
    r"^quotes?\s+(?P<who>.+?)" + _TOPIC + "$",
)]
# at most this many words name a person
_MAX_NAME_WORDS = 5


@dataclass(frozen=True)
class SpeakerQuestion:
    """A question about what someone said: the name as typed, and the topic if any."""

    who: str
    topic: str | None  # "Y" of "about Y"


def parse(question: str) -> SpeakerQuestion | None:
    """The speaker question this is, or None for any other question."""
    text = " ".join(question.split()).strip().rstrip("?!. ").strip()
    for pattern in _PATTERNS:
        match = pattern.match(text)
        if match and len(match.group("who").split()) <= _MAX_NAME_WORDS:
            topic = match.group("topic")
            return SpeakerQuestion(match.group("who").strip(" ,\"“”"), topic.strip() if topic else None)
    return None


def match_speaker(typed: str, speakers: list[Speaker]) -> Speaker | None:
    """The known speaker a typed name means: the full name or an alias (surname, name without
    titles), any case, one typo allowed, or a speaker known by the typed name's surname alone;
    among several, the most quoted."""
    wanted = name_key(_without_titles(typed))
    if not wanted:
        return None
    for exact in (lambda s: name_key(s.name) == wanted,
                  lambda s: any(name_key(a) == wanted for a in s.aliases)):
        found = [s for s in speakers if exact(s)]
        if found:
            return max(found, key=lambda s: s.quotes)
    found = [s for s in speakers if len(wanted) >= 4 and any(
        len(name_key(a)) >= 4 and one_edit_from(wanted, {name_key(a)}) for a in s.aliases)]
    if not found and " " in wanted:  # "Lee White" asked of an article that calls him "White" only
        found = [s for s in speakers if name_key(s.name) == surname_key(wanted)]  # not "Jr"
    return max(found, key=lambda s: s.quotes) if found else None


_TITLES_RE = re.compile(
    r"^(?:the\s+)?(?:president|vice\s+president|prime\s+minister|secretary|senator|sen\.?|rep\.?|gov\.?|"
    r"governor|dr\.?|mr\.?|mrs\.?|ms\.?|minister|spokesman|spokeswoman|chairman|chair|judge|mayor|"
    r"general|gen\.?|pope|king|queen|prince|ceo|chancellor)\s+", re.IGNORECASE)


def _without_titles(name: str) -> str:
    """"President Joe Biden" -> "Joe Biden"; "the White House" -> "White House"."""
    name = re.sub(r"^the\s+", "", name.strip(), flags=re.IGNORECASE)
    previous = None
    while previous != name:
        previous, name = name, _TITLES_RE.sub("", name)
    return name
