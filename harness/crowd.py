"""Many members asking the bot at once, each reply accounted for: answered once, never twice.

    crowd = Crowd(standin)
    members = [standin.add_member(f"reader{i}") for i in range(40)]
    asked = await crowd.ask_all([Question(kind, member, text) ...])
    await crowd.wait_answered(asked, timeout=60)
    assert all(len(crowd.replies(a)) == 1 for a in asked)

A question is a slash command (/ask), a mention in a channel, or a DM. Its replies are the
bot's messages answering it: for a mention or DM, the bot's messages referencing it; for a
slash command, the interaction's visible messages (original response and followups). The
crowd watches the stand-in's message log once (not one waiter per question), so thousands
of questions cost little, and notes when each question's first reply appeared.
"""

from __future__ import annotations

import asyncio
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from .messages import InteractionRecord, StoredMessage
from .model import Channel, Member

if TYPE_CHECKING:
    from .standin import DiscordStandIn

KINDS = ("slash", "mention", "dm")


@dataclass
class Question:
    kind: str  # "slash" | "mention" | "dm"
    member: Member
    text: str
    channel: Channel | None = None  # guild channel for slash/mention; "general" when None
    expect: str | None = None  # text the answer must contain, for `Crowd.wrong`


@dataclass
class Asked:
    question: Question
    sent_at: float  # loop time
    message: StoredMessage | None = None  # the member's message (mention, DM)
    interaction: InteractionRecord | None = None  # the slash command's record
    answered_at: float | None = None

    @property
    def latency(self) -> float | None:
        return None if self.answered_at is None else self.answered_at - self.sent_at


@dataclass
class Crowd:
    standin: DiscordStandIn
    _cursor: int = 0
    _by_message: dict[int, Asked] = field(default_factory=dict)
    _by_interaction: dict[int, Asked] = field(default_factory=dict)
    _reply_ids: dict[int, set[int]] = field(default_factory=dict)  # question message -> bot replies

    def __post_init__(self) -> None:
        self._cursor = len(self.standin.world.message_log)  # only replies to its own questions

    async def ask(self, question: Question) -> Asked:
        standin, loop = self.standin, asyncio.get_running_loop()
        channel = question.channel or standin.channel("general")
        if question.kind == "slash":
            asked = Asked(question, loop.time())
            asked.interaction = await standin.slash_command(
                "ask", {"question": question.text}, user=question.member, channel_id=channel)
            self._by_interaction[asked.interaction.id] = asked
        elif question.kind in ("mention", "dm"):
            if question.kind == "dm":
                channel, content = standin.dm_channel(question.member), question.text
            else:
                content = f"{standin.bot.mention} {question.text}"
            asked = Asked(question, loop.time())
            asked.message = await standin.send_message(channel, question.member, content)
            self._by_message[asked.message.id] = asked
        else:
            raise ValueError(f"unknown kind {question.kind!r}; one of {KINDS}")
        self._scan()
        return asked

    async def ask_all(self, questions: list[Question]) -> list[Asked]:
        """Every question sent at once (concurrently), in order."""
        return list(await asyncio.gather(*(self.ask(q) for q in questions)))

    async def wait_answered(self, asked: list[Asked], *, timeout: float) -> None:
        """Until every one of `asked` has a reply; TimeoutError names those without."""

        def done() -> bool:
            self._scan()
            return all(a.answered_at is not None for a in asked)

        try:
            await self.standin.wait_until(done, timeout=timeout, what="every question answered")
        except TimeoutError:
            missing = [(a.question.kind, a.question.text) for a in asked if a.answered_at is None]
            raise TimeoutError(f"{len(missing)} of {len(asked)} unanswered after {timeout}s, "
                               f"e.g. {missing[:3]}; {self.standin._describe(None)}") from None

    def replies(self, asked: Asked) -> list[StoredMessage]:
        """The bot's messages answering `asked`, as they are now."""
        if asked.interaction is not None:
            return asked.interaction.visible_messages
        self._scan()
        messages = self.standin.world.messages
        found = (messages[i] for i in sorted(self._reply_ids.get(asked.message.id, ())))
        return [m for m in found if not m.deleted]

    def wrong(self, asked: list[Asked]) -> list[tuple[str, str]]:
        """(question, what the bot said) for each reply that is not exactly one answer holding
        the expected text: none, two or more, an error message, or another article's passage."""
        problems = []
        for a in asked:
            replies = self.replies(a)
            said = [_text(m) for m in replies]
            if len(replies) != 1 or not replies[0].embeds:
                problems.append((a.question.text, f"{len(replies)} replies: {said}"))
            elif a.question.expect is not None and a.question.expect not in said[0]:
                problems.append((a.question.text, said[0][:300]))
        return problems

    def _scan(self) -> None:
        """Note the first reply to each question among the message changes since last time."""
        now = asyncio.get_running_loop().time()
        log = self.standin.world.message_log
        for change in log[self._cursor:]:
            message = change.message
            if change.kind == "delete" or message.loading or message.author.id != self.standin.bot.id:
                continue
            asked = None
            if message.message_reference:
                asked = self._by_message.get(int(message.message_reference.get("message_id", 0)))
                if asked is not None:
                    self._reply_ids.setdefault(asked.message.id, set()).add(message.id)
            elif message.interaction_metadata:
                asked = self._by_interaction.get(int(message.interaction_metadata["id"]))
            if asked is not None and asked.answered_at is None:
                asked.answered_at = now
        self._cursor = len(log)


def _text(message: StoredMessage) -> str:
    parts = [message.content] + [f"{e.get('title', '')}\n{e.get('description', '')}" for e in message.embeds]
    return "\n".join(p for p in parts if p)


def percentile(values: list[float], share: float) -> float:
    """The nearest-rank percentile (share in 0..1) of `values`."""
    ordered = sorted(values)
    if not ordered:
        return float("nan")
    rank = max(1, round(share * len(ordered) + 0.5 - 1e-9))
    return ordered[min(rank, len(ordered)) - 1]


_SYLLABLES = ("var", "mon", "quel", "dras", "tin", "bor", "sel", "kav", "rin", "ost", "lum", "pek")
_THINGS = ("library", "ferry terminal", "swimming pool", "concert hall", "cycle bridge", "bakery school",
           "observatory", "tram depot", "fish market", "climbing wall", "seed bank", "clock tower")


@dataclass(frozen=True)
class TownArticle:
    """A synthetic news article about one made-up town, and a question only it answers."""

    town: str
    title: str
    text: str  # the .txt format: title line, blank line, paragraphs separated by blank lines
    question: str
    answer: str  # words the answering passage holds

    @property
    def filename(self) -> str:
        return f"town_{self.town.lower()}.txt"


def town_articles(count: int, start: int = 0) -> list[TownArticle]:
    """`count` distinct articles (deterministic), each about its own invented town."""
    articles = []
    for number in range(start, start + count):
        a, b, c = (number % 12, (number // 12) % 12, (number // 144) % 12)
        town = (_SYLLABLES[a] + _SYLLABLES[(b + 5) % 12] + _SYLLABLES[(c + 9) % 12]).capitalize()
        thing = _THINGS[(number * 7) % 12]
        mayor = f"{_SYLLABLES[(a + 3) % 12].capitalize()}a {_SYLLABLES[(b + 7) % 12].capitalize()}sen"
        cost = 3 + number % 40
        title = f"{town} opens its new {thing}"
        paragraphs = [
            f"The town of {town} opened its new {thing} on Saturday after {2 + number % 5} years of work, "
            f"mayor {mayor} told residents at the ceremony.",
            f"The {thing} in {town} cost {cost} million crowns, paid for by the regional council and "
            "a local savings bank.",
            f"\u201cPeople in {town} asked for this for a decade,\u201d {mayor} said. "
            "\u201cNow it is theirs.\u201d",
            "Opening hours will be longer in summer, and entry is free for schoolchildren.",
        ]
        articles.append(TownArticle(
            town, title, title + "\n\n" + "\n\n".join(paragraphs) + "\n",
            f"What did the town of {town} open?", f"{town} opened its new {thing}",
        ))
    return articles
