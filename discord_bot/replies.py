"""Answers as Discord embeds: pure functions, within Discord's limits, and never pinging anyone.

Article text is untrusted: markdown is escaped so it cannot break the embed, and every
mention form gets a zero-width space so "@everyone" or "<@&role>" reaches the channel as
plain text (every message is also sent with `allowed_mentions` set to none).
"""

import re
from dataclasses import dataclass
from urllib.parse import quote

import discord

from index.passages import Citation
from index.sentences import sentence_spans
from retrieval.answer import Answer, FoundPassage
from retrieval.render import NO_ANSWER, scope_line, source_name

# Discord's limits on one message.
CONTENT_LIMIT = 2000
TITLE_LIMIT = 256
DESCRIPTION_LIMIT = 4096
FIELD_VALUE_LIMIT = 1024
EMBED_TOTAL_LIMIT = 6000
FIELD_COUNT_LIMIT = 25

ELLIPSIS = "…"
NO_PINGS = discord.AllowedMentions.none()
_ZERO_WIDTH_SPACE = "\u200b"
_INLINE_MARKDOWN = re.compile(r"([\\*_`~|\[\]])")
# headings, block quotes, list items and "-# " subtext: what only a line's start makes markup
# "1." ending its text too: a sentence is defused alone, then joined to the next by a space
_LINE_START_MARKDOWN = re.compile(r"^([^\S\n]*)([#>-]|\d+\.(?=\s|$))", re.MULTILINE)


@dataclass(frozen=True)
class ReplyStyle:
    colour: int = 0x2B6CB0


def defuse(text: str) -> str:
    """Text that shows as written: markdown escaped and every mention made inert."""
    # Every markdown character is escaped, not only those that pair up in `text`: a lone
    # "*" in one passage would pair with a lone "*" in the next one in the same embed.
    text = _INLINE_MARKDOWN.sub(r"\\\1", text)
    text = _LINE_START_MARKDOWN.sub(lambda m: m[1] + (m[2][:-1] + "\\." if m[2].endswith(".")
                                                      else "\\" + m[2]), text)
    text = text.replace("@", "@" + _ZERO_WIDTH_SPACE)
    return re.sub(r"<([#@:]|a:|t:|/)", "<" + _ZERO_WIDTH_SPACE + r"\1", text)


def defuse_notice(text: str, channels: tuple[int, ...] = ()) -> str:
    """A one-line notice (an error reply) that may quote what someone typed: defused, except
    mentions of the `channels` the bot answers in ("I only answer in <#123>"), which never ping."""
    parts = re.split(r"(<#\d+>)", text)
    return "".join(part if index % 2 and int(part[2:-1]) in channels else defuse(part)
                   for index, part in enumerate(parts))


def answer_embed(answer: Answer, style: ReplyStyle, passages: tuple[FoundPassage, ...] | None = None,
                 heading: str | None = None) -> discord.Embed:
    """Passages in rank order, each with its citation and its best sentence in bold."""
    shown = answer.passages if passages is None else passages
    embed = discord.Embed(title=shorten(defuse(heading or answer.question), TITLE_LIMIT), colour=style.colour)
    scope = scope_line(answer)
    if not shown:
        embed.description = scope if scope and answer.outside_scope else NO_ANSWER
        return embed
    citations = [citation_markdown(p.rank, p.citation, p.paragraph_label, p.speaker, p.link) + _also_in(p)
                 for p in shown]
    overhead = sum(len(c) + 2 for c in citations) + 2 * len(shown) + (len(scope) + 2 if scope else 0)
    budget = (DESCRIPTION_LIMIT - overhead - len(embed.title)) // len(shown)
    blocks = [f"{c}\n{passage_markdown(p, budget)}" for c, p in zip(citations, shown, strict=True)]
    embed.description = "\n\n".join(([f"*{scope}*"] if scope else []) + blocks)
    return embed


def watch_embed(query: str, found: FoundPassage, style: ReplyStyle) -> discord.Embed:
    """A watch's alert: its question as the title, the new passage under its citation."""
    embed = discord.Embed(title=shorten(f"Watch: {defuse(query)}", TITLE_LIMIT), colour=style.colour)
    citation = citation_markdown(1, found.citation, found.paragraph_label, found.speaker)
    embed.description = f"{citation}\n{passage_markdown(found, DESCRIPTION_LIMIT - len(citation) - 1)}"
    return embed


def watch_digest_embed(query: str, passages: list[FoundPassage], style: ReplyStyle) -> discord.Embed:
    """The alerts of one round past a watch's hourly limit: only their citations."""
    citations = [citation_markdown(rank, p.citation, p.paragraph_label, p.speaker)
                 for rank, p in enumerate(passages, start=1)]
    heading = f"{ELLIPSIS}and {len(passages)} more for this watch this hour:"
    return lines_embed(f"Watch: {defuse(query)}", [heading, *citations], style)


def context_embed(
    focus: Citation, neighbours: list[tuple[Citation, str]], style: ReplyStyle
) -> discord.Embed:
    """The paragraphs around one passage, the passage itself in bold."""
    embed = discord.Embed(title=shorten(f"Context: {defuse(focus.title)}", TITLE_LIMIT), colour=style.colour)
    budget = (DESCRIPTION_LIMIT - 200) // max(len(neighbours), 1) - 20
    blocks = []
    for citation, text in neighbours:
        body = fit_sentences(text, budget)
        marker = "**" if citation.paragraph == focus.paragraph else ""
        blocks.append(f"`¶{citation.paragraph}` {marker}{body}{marker}")
    embed.description = "\n\n".join(blocks)
    embed.set_footer(text=shorten(defuse(source_name(focus)), 2048))
    return embed


def notice_embed(title: str, text: str, style: ReplyStyle) -> discord.Embed:
    return discord.Embed(
        title=shorten(title, TITLE_LIMIT), description=shorten(text, DESCRIPTION_LIMIT), colour=style.colour
    )


def lines_embed(title: str, lines: list[str], style: ReplyStyle, line_limit: int = 600) -> discord.Embed:
    """One paragraph per line, each cut to `line_limit`, as many as the description holds;
    those left out are counted at the end."""
    tail_room = 40
    shown: list[str] = []
    used = 0
    for line in lines:
        line = shorten(line, line_limit)
        if used + len(line) + 2 > DESCRIPTION_LIMIT - tail_room:
            break
        shown.append(line)
        used += len(line) + 2
    left_out = len(lines) - len(shown)
    text = "\n\n".join(shown + ([f"{ELLIPSIS} and {left_out} more"] if left_out else []))
    return discord.Embed(title=shorten(title, TITLE_LIMIT), description=text, colour=style.colour)


def citation_markdown(rank: int, citation: Citation, paragraphs: str | None = None,
                      speaker: str | None = None, link: str | None = None) -> str:
    """`[1] Title · ¶N` (or `¶N–M` for two paragraphs shown together) linked to the source
    URL when there is one, then the date if known, then "— Speaker" for a quotation."""
    title = defuse(shorten(" ".join(citation.title.split()), 200))
    where = paragraphs or f"¶{citation.paragraph}"
    label = f"**[{rank}] {title} · {where}**"
    linked = _is_web_link(citation.url)
    if linked:
        label = f"**[{rank}] [{title}]({_safe_url(link or citation.url)}) · {where}**"
    extras = [] if linked else [defuse(shorten(source_name(citation), 200))]
    if citation.published:
        extras.append(defuse(citation.published))
    said = f" — {defuse(shorten(' '.join(speaker.split()), 100))}" if speaker else ""
    return label + (f" · {' · '.join(extras)}" if extras else "") + said


def _also_in(found: FoundPassage) -> str:
    """"\nalso in: [outlet](url), …" for a paragraph other outlets ran too."""
    if not found.also_in:
        return ""
    names = [defuse(shorten(c.outlet, 60)) for c in found.also_in[:5]]
    outlets = [f"[{name}]({_safe_url(c.url)})" if _is_web_link(c.url) else name
               for name, c in zip(names, found.also_in, strict=False)]
    more = f" and {len(found.also_in) - 5} more" if len(found.also_in) > 5 else ""
    return "\nalso in: " + ", ".join(outlets) + more


def passage_markdown(found: FoundPassage, budget: int) -> str:
    """The passage trimmed to `budget` characters at sentence ends, its best sentence bold.

    Sentences are added around the best one, nearest first, while they fit; what is left
    out is marked with an ellipsis.
    """
    text, (start, _) = found.text, found.highlight
    spans = sentence_spans(text) or [(0, len(text))]
    best = next((i for i, (a, b) in enumerate(spans) if a <= start < b), 0)
    chosen = [best]
    for index in _nearest_first(best, len(spans)):
        attempt = sorted([*chosen, index])
        if len(_render(text, spans, attempt, best)) > budget:
            break
        chosen = attempt
    rendered = _render(text, spans, chosen, best)
    if len(rendered) > budget:
        a, b = spans[best]
        rendered = "**" + shorten(defuse(text[a:b].strip()), budget - 4) + "**"
    return rendered


def _nearest_first(centre: int, count: int):
    for offset in range(1, count):
        for index in (centre + offset, centre - offset):
            if 0 <= index < count:
                yield index


def _render(text: str, spans: list[tuple[int, int]], chosen: list[int], best: int) -> str:
    parts, previous = [], None
    for index in chosen:
        if (previous is None and index > 0) or (previous is not None and index != previous + 1):
            parts.append(ELLIPSIS)
        # stripped: "**" before a line break would bold nothing and break the markdown
        sentence = defuse(text[spans[index][0]:spans[index][1]].strip())
        parts.append(f"**{sentence}**" if index == best and len(spans) > 1 else sentence)
        previous = index
    if chosen[-1] < len(spans) - 1:
        parts.append(ELLIPSIS)
    return " ".join(parts)


def fit_sentences(text: str, budget: int) -> str:
    """`text` escaped, cut after the last whole sentence that fits, or between words."""
    escaped = defuse(text)
    if len(escaped) <= budget:
        return escaped
    kept = ""
    for _, b in sentence_spans(text):
        candidate = defuse(text[:b])
        if len(candidate) + 2 > budget:
            break
        kept = candidate
    return (kept + " " + ELLIPSIS) if kept else shorten(escaped, budget)


def shorten(text: str, limit: int) -> str:
    """At most `limit` characters, cut between words with an ellipsis."""
    if len(text) <= limit:
        return text
    cut = text[: limit - 1]
    if " " in cut:
        cut = cut[: cut.rindex(" ")]
    cut = cut.rstrip("\\")  # never leave half an escape
    return cut + ELLIPSIS


def _safe_url(url: str) -> str:
    """The URL with everything that could end a markdown link or be read as a mention
    (parentheses, spaces, line breaks, "<", ">", "@"…) percent-encoded."""
    return quote(url, safe=";/?:&=+$,#%-_.!~*'[]")


def _is_web_link(url: str | None) -> bool:
    """An http(s) address on one line: a link Discord can open (a .jsonl may give anything)."""
    return bool(url) and re.match(r"https?://[^\s]+$", url, re.IGNORECASE) is not None
