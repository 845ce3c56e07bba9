"""A local Discord stand-in the real discord.py client can log in to.

    async with DiscordStandIn() as standin, running_client(MyBot(), standin) as bot:
        await standin.send_message(standin.channel("general").id, standin.member, "hi")
        reply = await standin.wait_for_message(standin.channel("general").id)

Tests drive it as Discord's users would (messages, slash commands, autocomplete, buttons)
and assert on what the bot did (`messages`, `requests`, interaction records).
"""

from __future__ import annotations

import asyncio
import re
import secrets
from collections.abc import Callable, Sequence
from typing import Any, TypeVar

from aiohttp import web

from .gateway import Gateway, Op, ReceivedOp
from .interactions import CommandUnavailable, base_payload, command_data
from .messages import Attachment, InteractionRecord, StoredMessage
from .model import PRIVILEGED_INTENTS, Channel, Guild, Json, Member, StandInUrls, User
from .rest import DelayRule, RateLimitRule, RecordedRequest, RestApi, ServerErrorRule
from .state import World

T = TypeVar("T")
DEFAULT_TOKEN = "standin.bot.token"
APPLICATION_COMMAND, MESSAGE_COMPONENT, AUTOCOMPLETE = 2, 3, 4
BUTTON = 2
SELECT_TYPES = (3, 5, 6, 7, 8)


class ChangeFeed:
    """Wakes waiters whenever the stand-in's state changes, so waits need no polling."""

    def __init__(self) -> None:
        self._event = asyncio.Event()

    def notify(self) -> None:
        self._event.set()
        self._event = asyncio.Event()

    async def wait_for(self, check: Callable[[], T | None], timeout: float, describe: Callable[[], str]) -> T:
        try:
            async with asyncio.timeout(timeout):
                while True:
                    event = self._event
                    result = check()
                    if result:
                        return result
                    await event.wait()
        except TimeoutError:
            raise TimeoutError(f"after {timeout}s: {describe()}") from None


def _as_user(who: User | Member) -> User:
    return who.user if isinstance(who, Member) else who


def _id(value: int | Any) -> int:
    return value if isinstance(value, int) else value.id


class DiscordStandIn:
    """A fake Discord (one bot, one guild) served on 127.0.0.1 for one test."""

    def __init__(
        self,
        *,
        token: str = DEFAULT_TOKEN,
        heartbeat_interval_ms: int = 41_250,
        interaction_deadline: float = 3.0,
        privileged_intents: int = PRIVILEGED_INTENTS,
        reaction_delay: float = 0.05,
    ):
        """`privileged_intents`: those "enabled in the developer portal"; asking for others
        makes IDENTIFY fail with close code 4014, as on Discord.

        `reaction_delay`: how long a user takes before clicking a component. discord.py only
        registers a view after it has read the response that posted the message, so a click
        within microseconds of that response would find no view (and the bot would ignore it).
        """
        self.token = token
        self.reaction_delay = reaction_delay
        self.world = World.default()
        self._feed = ChangeFeed()
        self._urls: StandInUrls | None = None
        self._runner: web.AppRunner | None = None
        self.gateway = Gateway(
            self.world,
            token=token,
            heartbeat_interval_ms=heartbeat_interval_ms,
            allowed_privileged=privileged_intents,
            urls=lambda: self.urls,
            on_change=self._feed.notify,
        )
        self.rest = RestApi(
            self.world,
            self.gateway,
            token=token,
            interaction_deadline=interaction_deadline,
            urls=lambda: self.urls,
            on_change=self._feed.notify,
        )

    # -- lifecycle ----------------------------------------------------------------------------

    async def __aenter__(self) -> DiscordStandIn:
        await self.start()
        return self

    async def __aexit__(self, exc_type: Any, *_: Any) -> None:
        await self.stop()
        if exc_type is None and self.errors:
            raise AssertionError(f"the stand-in hit errors: {self.errors}")

    async def start(self) -> None:
        app = web.Application()
        app.router.add_get("/gateway", self.gateway.handle)
        app.router.add_get("/resume", self.gateway.handle)
        app.router.add_get("/attachments/{file_id}/{filename}", self._serve_file)
        app.router.add_route("*", r"/api/v{version:\d+}/{tail:.*}", self.rest.handle)
        self._runner = web.AppRunner(app, access_log=None, shutdown_timeout=1.0)
        await self._runner.setup()
        await web.TCPSite(self._runner, "127.0.0.1", 0).start()
        port = self._runner.addresses[0][1]
        self._urls = StandInUrls(f"http://127.0.0.1:{port}")

    async def stop(self) -> None:
        if self._runner is None:
            return
        await self.gateway.close_all()
        await self._runner.cleanup()
        self._runner = None

    async def _serve_file(self, request: web.Request) -> web.Response:
        attachment = self.world.files.get(int(request.match_info["file_id"]))
        if attachment is None:
            return web.Response(status=404)
        return web.Response(body=attachment.data, content_type=attachment.content_type)

    @property
    def urls(self) -> StandInUrls:
        if self._urls is None:
            raise RuntimeError("the stand-in is not started")
        return self._urls

    # -- the fake world -------------------------------------------------------------------------

    @property
    def bot(self) -> User:
        return self.world.bot

    @property
    def application_id(self) -> int:
        return self.world.application_id

    @property
    def guild(self) -> Guild:
        return self.world.guild

    @property
    def owner(self) -> Member:
        return self.world.owner

    @property
    def admin(self) -> Member:
        """Has MANAGE_GUILD through the "Admin" role (not the owner)."""
        return self.world.admin

    @property
    def member(self) -> Member:
        """A plain member: @everyone permissions only."""
        return self.world.member

    def channel(self, name: str) -> Channel:
        """Guild text channels: general, news, bot-log, announcements (only the owner may post)."""
        return self.world.channel_named(name)

    def add_member(self, name: str) -> Member:
        """A new plain member (as if they joined before the bot connected: no event is sent)."""
        return self.world.add_member(name)

    def dm_channel(self, user: User | Member) -> Channel:
        return self.world.dm_channel(_as_user(user))

    def upload(
        self, filename: str, data: bytes, content_type: str = "application/octet-stream"
    ) -> Attachment:
        """A file served by the stand-in, for attachment options and user messages."""
        return self.world.add_file(self.urls.base, filename, data, content_type)

    # -- what the bot did -----------------------------------------------------------------------

    @property
    def requests(self) -> list[RecordedRequest]:
        return self.rest.requests

    @property
    def unknown_requests(self) -> list[RecordedRequest]:
        """REST calls the stand-in has no route for (answered 404)."""
        return self.rest.unknown

    def requests_to(self, method: str, path_contains: str = "") -> list[RecordedRequest]:
        return [r for r in self.requests if r.method == method and path_contains in r.path]

    @property
    def gateway_ops(self) -> list[ReceivedOp]:
        return self.gateway.received

    def ops(self, op: int) -> list[ReceivedOp]:
        return [received for received in self.gateway.received if received.op == op]

    @property
    def errors(self) -> list[str]:
        """Stand-in failures and refused gateway connections; non-empty fails `__aexit__`."""
        return self.gateway.errors + self.rest.internal_errors

    def messages(self, channel_id: int | Channel) -> list[StoredMessage]:
        """Current (edited, undeleted) messages in a channel, oldest first, incl. ephemeral."""
        return self.world.channel_messages(_id(channel_id))

    def message(self, message_id: int) -> StoredMessage:
        return self.world.messages[message_id]

    def interaction(self, interaction_id: int) -> InteractionRecord:
        return self.world.interactions[interaction_id]

    def checkpoint(self) -> int:
        """A position in the message-change log, for `wait_for_message(after=...)`."""
        return len(self.world.message_log)

    # -- faults -----------------------------------------------------------------------------------

    def rate_limit_next(
        self, route_substring: str, retry_after: float = 0.2, *, is_global: bool = False, times: int = 1
    ) -> None:
        """Answer the next `times` requests whose "METHOD /path" contains the substring
        with a Discord-shaped 429 (which discord.py waits out and retries)."""
        self.rest.rate_limits.append(RateLimitRule(route_substring, retry_after, is_global, times))

    def fail_next(
        self, route_substring: str, status: int = 502, *, times: int = 1, applied: bool = False
    ) -> None:
        """Answer the next `times` matching requests with a 5xx (discord.py retries those).

        With `applied=True` each request takes effect before its answer is lost: the
        client's retry then repeats something already done (a message already posted, an
        interaction already acknowledged), as after a gateway time-out on Discord."""
        self.rest.server_errors.append(ServerErrorRule(route_substring, status, applied, times))

    def delay_next(
        self, route_substring: str, seconds: float, *, times: int = 1, applied: bool = True
    ) -> None:
        """Answer the next `times` matching requests `seconds` late: after they took effect
        (`applied=True`), or before, so they take effect late (an interaction callback
        arriving after its 3 s deadline is refused with 10062 Unknown interaction)."""
        self.rest.delays.append(DelayRule(route_substring, seconds, applied, times))

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION to the connected client; with `resumable=False` it
        must IDENTIFY again (after discord.py's own 5 s pause before a re-IDENTIFY)."""
        await self.gateway.invalidate_session(resumable=resumable)

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client closes the connection and RESUMEs."""
        await self.gateway.request_reconnect()

    CUTS = ("abort", "close 4000", "op 7 reconnect")

    async def cut(self, how: str) -> None:
        """One of CUTS: a TCP abort, a close frame 4000, or op 7 RECONNECT; the client RESUMEs."""
        if how == "abort":
            await self.drop_connection()
        elif how == "close 4000":
            await self.drop_connection(close_code=4000)
        elif how == "op 7 reconnect":
            await self.request_reconnect()
        else:
            raise ValueError(f"no cut called {how!r}; one of {self.CUTS}")

    async def drop_connection(self, *, resumable: bool = True, close_code: int | None = None) -> None:
        """Cut the gateway connection (TCP abort, or a close frame with `close_code`).

        Dispatches sent before the client is back are replayed after its RESUME.
        With `resumable=False` the RESUME is refused (op 9) and the client must IDENTIFY.
        """
        await self.gateway.drop(resumable=resumable, close_code=close_code)

    # -- users acting ---------------------------------------------------------------------------

    async def send_message(
        self,
        channel_id: int | Channel,
        author: User | Member,
        content: str = "",
        *,
        mentions: Sequence[User | Member] | None = None,
        attachments: Sequence[Attachment] = (),
    ) -> StoredMessage:
        """A user posts in a guild channel or DM (MESSAGE_CREATE).

        `mentions` defaults to the users written as <@id> in `content`; note that Discord
        only puts <@id> (not a name) in the content when someone is mentioned.
        """
        channel = self._channel(channel_id)
        if mentions is None:
            ids = [int(i) for i in re.findall(r"<@!?(\d+)>", content)]
            mentioned = [self.world.user(i) for i in ids]
            mentions = [user for user in mentioned if user is not None]
        message = StoredMessage(
            self.world.ids.next(), channel.id, channel.guild_id, _as_user(author), content,
            mentions=[_as_user(m) for m in mentions], attachments=list(attachments),
        )  # fmt: skip
        self.world.add_message(message)
        self._feed.notify()
        await self.gateway.dispatch("MESSAGE_CREATE", self.world.message_create_payload(message))
        return message

    async def send_dm(self, author: User | Member, content: str, **kwargs: Any) -> StoredMessage:
        return await self.send_message(self.dm_channel(author).id, author, content, **kwargs)

    async def slash_command(
        self,
        name: str,
        options: dict[str, Any] | None = None,
        *,
        user: User | Member,
        channel_id: int | Channel,
    ) -> InteractionRecord:
        """A user runs `/name` ("group sub" for subcommands) with options by name.

        Values are converted to the registered option types; users/members, channels, roles and
        `upload(...)` attachments go into `resolved`. Raises CommandUnavailable where the real
        client would not let the user submit (unregistered, hidden by permissions, bad options).
        """
        user, channel = _as_user(user), self._channel(channel_id)
        data = command_data(self.world, name, options or {}, user=user, guild_id=channel.guild_id)
        return await self._interact(APPLICATION_COMMAND, data, user, channel)

    async def autocomplete(
        self,
        name: str,
        options: dict[str, Any],
        *,
        focused: str,
        user: User | Member,
        channel_id: int | Channel,
        timeout: float = 3.0,
    ) -> list[Json]:
        """The user types into option `focused`; returns the bot's choices."""
        user, channel = _as_user(user), self._channel(channel_id)
        data = command_data(self.world, name, options, user=user, guild_id=channel.guild_id, focused=focused)
        record = await self._interact(AUTOCOMPLETE, data, user, channel)
        await self.wait_for_response(record, lambda r: r.choices is not None, timeout=timeout)
        return record.choices or []

    async def click_button(
        self, message: int | StoredMessage, custom_id: str, *, user: User | Member
    ) -> InteractionRecord:
        """A user clicks a button the bot posted (MESSAGE_COMPONENT)."""
        target, component = self._component(message, custom_id)
        if component["type"] != BUTTON:
            raise CommandUnavailable(f"{custom_id!r} is not a button")
        data = {"custom_id": custom_id, "component_type": BUTTON}
        return await self._interact_with(target, data, _as_user(user))

    async def select_option(
        self,
        message: int | StoredMessage,
        custom_id: str,
        values: Sequence[str],
        *,
        user: User | Member,
    ) -> InteractionRecord:
        """A user picks `values` in a select menu the bot posted."""
        target, component = self._component(message, custom_id)
        if component["type"] not in SELECT_TYPES:
            raise CommandUnavailable(f"{custom_id!r} is not a select menu")
        offered = [option["value"] for option in component.get("options", [])]
        if component["type"] == 3 and not set(values) <= set(offered):
            raise CommandUnavailable(f"{list(values)} not among the options {offered}")
        data = {"custom_id": custom_id, "component_type": component["type"], "values": list(values)}
        return await self._interact_with(target, data, _as_user(user))

    def _channel(self, channel: int | Channel) -> Channel:
        found = self.world.channel(_id(channel))
        if found is None:
            raise KeyError(f"unknown channel {channel}")
        return found

    def _component(self, message: int | StoredMessage, custom_id: str) -> tuple[StoredMessage, Json]:
        target = self.world.messages[_id(message)]
        component = target.find_component(custom_id)
        if target.deleted or component is None:
            raise CommandUnavailable(f"message {target.id} has no component {custom_id!r}")
        if component.get("disabled"):
            raise CommandUnavailable(f"component {custom_id!r} is disabled")
        return target, component

    async def _interact_with(self, message: StoredMessage, data: Json, user: User) -> InteractionRecord:
        channel = self._channel(message.channel_id)
        await asyncio.sleep(self.reaction_delay)
        return await self._interact(MESSAGE_COMPONENT, data, user, channel, message)

    async def _interact(
        self, kind: int, data: Json, user: User, channel: Channel, message: StoredMessage | None = None
    ) -> InteractionRecord:
        interaction_id, token = self.world.ids.next(), f"itoken.{secrets.token_urlsafe(24)}"
        payload = base_payload(
            self.world, interaction_id=interaction_id, token=token, kind=kind, data=data,
            user=user, channel=channel,
        )  # fmt: skip
        if message is not None:
            payload["message"] = self.world.message_create_payload(message)
        record = InteractionRecord(
            interaction_id, token, kind, user, channel.id, channel.guild_id, payload,
            created_at=asyncio.get_running_loop().time(), message=message,
        )  # fmt: skip
        self.world.interactions[interaction_id] = record
        await self.gateway.dispatch("INTERACTION_CREATE", payload)
        return record

    # -- waiting --------------------------------------------------------------------------------

    async def wait_until(
        self, check: Callable[[], T | None], *, timeout: float = 5.0, what: str = "condition"
    ) -> T:
        """Wait until `check()` returns something truthy (re-checked on every state change)."""
        return await self._feed.wait_for(check, timeout, lambda: f"{what} never held")

    async def settle(self, *, timeout: float = 10.0) -> None:
        """Wait until no REST request is being answered (e.g. a `delay_next` one), so that
        stopping the stand-in cuts no request the client still waits on."""
        await self.wait_until(lambda: self.rest.in_flight == 0, timeout=timeout, what="no request in flight")

    async def wait_for_message(
        self,
        channel_id: int | Channel | None = None,
        predicate: Callable[[StoredMessage], bool] | None = None,
        *,
        timeout: float = 5.0,
        after: int = 0,
        from_bot: bool = True,
    ) -> StoredMessage:
        """The first message post or edit (from `after`, see `checkpoint()`) matching; returns
        the message as it was then. "Thinking" placeholders never match."""
        channel_id = None if channel_id is None else _id(channel_id)

        def check() -> StoredMessage | None:
            for change in self.world.message_log[after:]:
                msg = change.message
                if change.kind == "delete" or msg.loading:
                    continue
                if from_bot and msg.author.id != self.bot.id:
                    continue
                if channel_id is not None and msg.channel_id != channel_id:
                    continue
                if predicate is None or predicate(msg):
                    return msg
            return None

        return await self._feed.wait_for(check, timeout, lambda: self._describe(channel_id))

    async def wait_for_response(
        self,
        interaction: InteractionRecord | int,
        predicate: Callable[[InteractionRecord], bool] | None = None,
        *,
        timeout: float = 5.0,
    ) -> InteractionRecord:
        """Wait until the interaction is `answered` (a visible reply, choices or a modal), or
        until `predicate(record)` holds; inspect `record.reply` / `.visible_messages`."""
        record = self.world.interactions[_id(interaction)]
        condition = predicate or (lambda r: r.answered)

        def describe() -> str:
            return (
                f"interaction {record.id} callbacks={record.callbacks} "
                f"rejected={record.rejected_callbacks} "
                f"followups={[m.content for m in record.followups]}; {self._describe(None)}"
            )

        return await self._feed.wait_for(lambda: record if condition(record) else None, timeout, describe)

    async def wait_for_op(
        self, op: int, predicate: Callable[[ReceivedOp], bool] | None = None, *, timeout: float = 5.0
    ) -> ReceivedOp:
        """Wait for the client to send a gateway opcode (e.g. `Op.RESUME`)."""

        def check() -> ReceivedOp | None:
            matching = [r for r in self.ops(op) if predicate is None or predicate(r)]
            return matching[0] if matching else None

        def describe() -> str:
            return f"gateway op {op} not seen; got {[r.op for r in self.gateway_ops]}"

        return await self._feed.wait_for(check, timeout, describe)

    def _describe(self, channel_id: int | None) -> str:
        bot_posts = [
            (c.kind, c.message.channel_id, c.message.content[:80])
            for c in self.world.message_log
            if c.message.author.id == self.bot.id
            and (channel_id is None or c.message.channel_id == channel_id)
        ]
        failed = [(r.method, r.path, r.status) for r in self.requests if r.status >= 400]
        return (
            f"bot message changes: {bot_posts[-5:]}; failed requests: {failed[-5:]}; "
            f"stand-in errors: {self.errors}"
        )


__all__ = ["DiscordStandIn", "Op", "CommandUnavailable", "DEFAULT_TOKEN"]
