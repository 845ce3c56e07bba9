"""The REST API routes discord.py uses, with request recording and injected faults:
429s, 5xx server errors (before or after the request took effect) and slow responses."""

from __future__ import annotations

import asyncio
import json
import logging
import re
from collections.abc import Awaitable, Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import web

from .gateway import Gateway
from .limits import ApiError
from .messages import Attachment, StoredMessage
from .model import Channel, Json, Perm, StandInUrls
from .responses import BotMessages, InteractionResponses
from .state import World

log = logging.getLogger(__name__)
# Route placeholders are snowflakes unless listed here.
_SNOWFLAKE = r"\d+"
_PLACEHOLDERS = {"token": r"[^/]+", "emoji": r"[^/]+", "message_id": r"\d+|@original"}
_COMMAND_NAME = re.compile(r"^[-_a-z0-9]{1,32}$")


@dataclass
class RecordedRequest:
    """One REST call the client made. `json` is the JSON body or multipart `payload_json`."""

    method: str
    path: str  # below the API base, e.g. "/channels/123/messages"
    query: dict[str, str]
    json: Any
    files: list[Attachment] = field(default_factory=list)
    status: int = 0


@dataclass
class RateLimitRule:
    route_substring: str
    retry_after: float
    is_global: bool
    remaining: int

    def matches(self, call: RecordedRequest) -> bool:
        return self.remaining > 0 and self.route_substring in f"{call.method} {call.path}"


@dataclass
class ServerErrorRule:
    """Answer matching requests with a 5xx. With `applied`, the request takes effect first
    and only its answer is lost (a gateway time-out after the work was done)."""

    route_substring: str
    status: int
    applied: bool
    remaining: int

    def matches(self, call: RecordedRequest) -> bool:
        return self.remaining > 0 and self.route_substring in f"{call.method} {call.path}"


@dataclass
class DelayRule:
    """Answer matching requests `seconds` late: after taking effect (`applied`), or before,
    so that the request reaches the stand-in late (an interaction callback may then miss
    its deadline)."""

    route_substring: str
    seconds: float
    applied: bool
    remaining: int

    def matches(self, call: RecordedRequest) -> bool:
        return self.remaining > 0 and self.route_substring in f"{call.method} {call.path}"


def _take(rules: list, call: RecordedRequest):
    """The first rule matching `call`, one use of it taken (at once: requests run concurrently)."""
    rule = next((rule for rule in rules if rule.matches(call)), None)
    if rule is not None:
        rule.remaining -= 1
    return rule


Reply = tuple[int, Any]  # (status, JSON body or None for 204)
Handler = Callable[..., Awaitable[Reply]]


def json_response(status: int, body: Any, headers: dict[str, str] | None = None) -> web.Response:
    if body is None:
        return web.Response(status=status, headers=headers)
    # discord.py only parses JSON if the content type is exactly "application/json" (no charset).
    all_headers = {"Content-Type": "application/json", **(headers or {})}
    return web.Response(status=status, body=json.dumps(body).encode(), headers=all_headers)


def _compile(template: str) -> re.Pattern[str]:
    """A route template such as /channels/{channel_id}/typing, as a regex with named groups."""
    parts = re.split(r"{(\w+)}", template)  # literal, name, literal, name, ..., literal
    regex = "".join(
        re.escape(part) if i % 2 == 0 else f"(?P<{part}>{_PLACEHOLDERS.get(part, _SNOWFLAKE)})"
        for i, part in enumerate(parts)
    )
    return re.compile(regex)


def _not_found() -> ApiError:
    return ApiError(404, 0, "404: Not Found")


class RestApi:
    def __init__(
        self,
        world: World,
        gateway: Gateway,
        *,
        token: str,
        interaction_deadline: float,
        urls: Callable[[], StandInUrls],
        on_change: Callable[[], None],
    ):
        self.world = world
        self.requests: list[RecordedRequest] = []
        self.unknown: list[RecordedRequest] = []
        self.rate_limits: list[RateLimitRule] = []
        self.server_errors: list[ServerErrorRule] = []
        self.delays: list[DelayRule] = []
        self.in_flight = 0  # requests being handled (a delayed answer counts until it is sent)
        self.internal_errors: list[str] = []
        self._token = token
        self.bot_messages = BotMessages(world, gateway)
        self.responses = InteractionResponses(world, self.bot_messages, deadline=interaction_deadline)
        self._urls = urls
        self._on_change = on_change
        self._routes: list[tuple[str, re.Pattern[str], Handler, bool]] = []
        self._add_routes()

    def _route(self, method: str, template: str, handler: Handler, *, auth: bool = True) -> None:
        self._routes.append((method, _compile(template), handler, auth))

    def _add_routes(self) -> None:
        r = self._route
        r("GET", "/users/@me", self._get_me)
        r("GET", "/users/{user_id}", self._get_user)
        r("POST", "/users/@me/channels", self._create_dm)
        r("GET", "/oauth2/applications/@me", self._get_application)
        r("GET", "/applications/@me", self._get_application)
        r("GET", "/gateway", self._get_gateway, auth=False)
        r("GET", "/gateway/bot", self._get_gateway)
        for prefix in ("/applications/{app_id}", "/applications/{app_id}/guilds/{guild_id}"):
            r("GET", prefix + "/commands", self._get_commands)
            r("PUT", prefix + "/commands", self._put_commands)
            r("POST", prefix + "/commands", self._post_command)
        r("GET", "/guilds/{guild_id}", self._get_guild)
        r("GET", "/guilds/{guild_id}/channels", self._get_guild_channels)
        r("GET", "/guilds/{guild_id}/roles", self._get_roles)
        r("GET", "/guilds/{guild_id}/members/{user_id}", self._get_member)
        r("GET", "/channels/{channel_id}", self._get_channel)
        r("POST", "/channels/{channel_id}/typing", self._typing)
        r("GET", "/channels/{channel_id}/messages", self._list_messages)
        r("POST", "/channels/{channel_id}/messages", self._create_message)
        r("GET", "/channels/{channel_id}/messages/{message_id}", self._get_message)
        r("PATCH", "/channels/{channel_id}/messages/{message_id}", self._edit_message)
        r("DELETE", "/channels/{channel_id}/messages/{message_id}", self._delete_message)
        r("PUT", "/channels/{channel_id}/messages/{message_id}/reactions/{emoji}/@me", self._react)
        for method, template, handler in self.responses.routes():
            r(method, template, handler, auth=False)

    # -- plumbing -------------------------------------------------------------------------

    async def handle(self, request: web.Request) -> web.Response:
        self.in_flight += 1
        try:
            return await self._handle(request)
        finally:
            self.in_flight -= 1
            self._on_change()

    async def _handle(self, request: web.Request) -> web.Response:
        call = await self._read(request)
        self.requests.append(call)
        rule = _take(self.rate_limits, call)
        failure = None if rule else _take(self.server_errors, call)
        delay = None if rule or failure else _take(self.delays, call)
        try:
            if rule is not None:
                status, response = 429, self._rate_limited(rule)
            elif failure is not None and not failure.applied:
                status, response = failure.status, self._server_error(failure.status)
            else:
                if delay is not None and not delay.applied:
                    await asyncio.sleep(delay.seconds)
                status, body = await self._dispatch(request, call)
                response = json_response(status, body)
                if failure is not None:  # it took effect; the client never hears so
                    self._on_change()
                    status, response = failure.status, self._server_error(failure.status)
                if delay is not None and delay.applied:
                    self._on_change()
                    await asyncio.sleep(delay.seconds)
        except ApiError as error:
            status, response = error.status, json_response(error.status, error.body())
        except Exception as error:  # a stand-in bug: report it instead of a retried 500
            log.exception("stand-in failed on %s %s", call.method, call.path)
            self.internal_errors.append(f"{call.method} {call.path}: {error!r}")
            message = f"stand-in internal error: {error!r}"
            status, response = 400, json_response(400, {"code": 0, "message": message})
        call.status = status
        # Waiters wake only once the client has the answer on the wire.
        try:
            await response.prepare(request)
            await response.write_eof()
        except ConnectionResetError:  # the client gave up on it (a cancelled request)
            log.info("%s %s: the client left before its answer", call.method, call.path)
        self._on_change()
        return response

    async def _read(self, request: web.Request) -> RecordedRequest:
        path = "/" + request.match_info["tail"]
        call = RecordedRequest(request.method, path, dict(request.query), None)
        if request.content_type.startswith("multipart/"):
            form = await request.post()
            for name, value in form.items():
                if name == "payload_json":
                    call.json = json.loads(value)
                elif isinstance(value, web.FileField):
                    data = value.file.read()
                    content_type = value.content_type or "application/octet-stream"
                    base = self._urls().base
                    call.files.append(self.world.add_file(base, value.filename, data, content_type))
        elif request.can_read_body:
            text = await request.text()
            call.json = json.loads(text) if text else None
        return call

    async def _dispatch(self, request: web.Request, call: RecordedRequest) -> Reply:
        for method, pattern, handler, auth in self._routes:
            match = pattern.fullmatch(call.path)
            if match is None or method != call.method:
                continue
            if auth and request.headers.get("Authorization") != f"Bot {self._token}":
                raise ApiError(401, 0, "401: Unauthorized")
            return await handler(call, **match.groupdict())
        self.unknown.append(call)
        raise _not_found()

    @staticmethod
    def _rate_limited(rule: RateLimitRule) -> web.Response:
        body = {
            "message": "You are being rate limited.",
            "retry_after": rule.retry_after,
            "global": rule.is_global,
        }
        # discord.py treats a 429 without `Via` as a Cloudflare ban and does not retry.
        headers = {
            "Via": "1.1 google",
            "Retry-After": str(max(1, round(rule.retry_after))),
            "X-RateLimit-Scope": "global" if rule.is_global else "user",
        }
        if rule.is_global:
            headers["X-RateLimit-Global"] = "true"
        return json_response(429, body, headers)

    @staticmethod
    def _server_error(status: int) -> web.Response:
        # Cloudflare's own page, not JSON: what discord.py sees from a 502 or 504.
        reason = {500: "Internal Server Error", 502: "Bad Gateway", 503: "Service Unavailable",
                  504: "Gateway Timeout"}.get(status, "Server Error")
        return web.Response(status=status, text=f"<html><body>{status} {reason}</body></html>",
                            content_type="text/html")

    def _channel(self, channel_id: str) -> Channel:
        channel = self.world.channel(int(channel_id))
        if channel is None:
            raise ApiError(404, 10003, "Unknown Channel")
        return channel

    def _message(self, channel_id: str, message_id: str) -> StoredMessage:
        message = self.world.messages.get(int(message_id))
        if message is None or message.deleted or message.channel_id != int(channel_id):
            raise ApiError(404, 10008, "Unknown Message")
        return message

    def _check_can_send(self, channel: Channel, has_files: bool) -> None:
        if channel.guild_id is None:
            return
        perms = self.world.guild.permissions(self.world.bot.id, channel)
        if not perms & Perm.VIEW_CHANNEL:
            raise ApiError(403, 50001, "Missing Access")
        needed = Perm.SEND_MESSAGES | (Perm.ATTACH_FILES if has_files else 0)
        if perms & needed != needed:
            raise ApiError(403, 50013, "Missing Permissions")

    # -- users, application, gateway ------------------------------------------------------

    async def _get_me(self, call: RecordedRequest) -> Reply:
        return 200, dict(self.world.bot.payload(), verified=True, mfa_enabled=False)

    async def _get_user(self, call: RecordedRequest, user_id: str) -> Reply:
        user = self.world.user(int(user_id))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return 200, user.payload()

    async def _create_dm(self, call: RecordedRequest) -> Reply:
        user = self.world.user(int((call.json or {}).get("recipient_id", 0)))
        if user is None:
            raise ApiError(404, 10013, "Unknown User")
        return 200, self.world.dm_channel(user).payload()

    async def _get_application(self, call: RecordedRequest) -> Reply:
        return 200, {
            "id": str(self.world.application_id),
            "name": self.world.bot.name,
            "icon": None,
            "description": "",
            "summary": "",
            "rpc_origins": [],
            "bot_public": True,
            "bot_require_code_grant": False,
            "owner": self.world.owner.user.payload(),
            "team": None,
            "verify_key": "0" * 64,
            "flags": 0,
            "bot": self.world.bot.payload(),
            "interactions_endpoint_url": None,
        }

    async def _get_gateway(self, call: RecordedRequest) -> Reply:
        body: Json = {"url": self._urls().gateway}
        if call.path.endswith("/bot"):
            limit = {"total": 1000, "remaining": 1000, "reset_after": 0, "max_concurrency": 1}
            body.update(shards=1, session_start_limit=limit)
        return 200, body

    # -- application commands ---------------------------------------------------------------

    def _command_list(self, app_id: str, guild_id: str | None) -> list[Json]:
        if int(app_id) != self.world.application_id:
            raise ApiError(403, 50001, "Missing Access")
        if guild_id is None:
            return self.world.global_commands
        return self.world.guild_commands.setdefault(int(guild_id), [])

    async def _get_commands(self, call: RecordedRequest, app_id: str, guild_id: str | None = None):
        return 200, self._command_list(app_id, guild_id)

    async def _put_commands(self, call: RecordedRequest, app_id: str, guild_id: str | None = None):
        existing = {cmd["name"]: cmd for cmd in self._command_list(app_id, guild_id)}
        commands = [self._register(cmd, existing, guild_id) for cmd in call.json or []]
        self._command_list(app_id, guild_id)[:] = commands
        return 200, commands

    async def _post_command(self, call: RecordedRequest, app_id: str, guild_id: str | None = None):
        registered = self._command_list(app_id, guild_id)
        existing = {cmd["name"]: cmd for cmd in registered}
        command = self._register(call.json or {}, existing, guild_id)
        registered[:] = [c for c in registered if c["name"] != command["name"]] + [command]
        return 200, command

    def _register(self, command: Json, existing: dict[str, Json], guild_id: str | None) -> Json:
        name = command.get("name", "")
        kind = command.get("type", 1)
        problems = []
        if kind == 1 and not _COMMAND_NAME.match(name):
            problems.append(f"name {name!r} must match {_COMMAND_NAME.pattern}")
        if kind == 1 and not 1 <= len(command.get("description", "")) <= 100:
            problems.append(f"/{name}: description must be 1-100 characters")
        if len(command.get("options", [])) > 25:
            problems.append(f"/{name}: at most 25 options")
        if problems:
            raise ApiError(400, 50035, "Invalid Form Body", {"_errors": problems})
        previous = existing.get(name)
        registered = dict(
            command,
            id=previous["id"] if previous else str(self.world.ids.next()),
            application_id=str(self.world.application_id),
            version=str(self.world.ids.next()),
            type=kind,
        )
        if guild_id is not None:
            registered["guild_id"] = guild_id
        registered.setdefault("default_member_permissions", None)
        return registered

    # -- guild, channels, messages ------------------------------------------------------------

    def _guild_or_404(self, guild_id: str) -> None:
        if int(guild_id) != self.world.guild.id:
            raise ApiError(404, 10004, "Unknown Guild")

    async def _get_guild(self, call: RecordedRequest, guild_id: str) -> Reply:
        self._guild_or_404(guild_id)
        data = self.world.guild.create_payload(include_members=False)
        for key in ("channels", "members", "presences", "voice_states", "threads"):
            data.pop(key)
        return 200, data

    async def _get_guild_channels(self, call: RecordedRequest, guild_id: str) -> Reply:
        self._guild_or_404(guild_id)
        return 200, [ch.payload() for ch in self.world.guild.channels.values()]

    async def _get_roles(self, call: RecordedRequest, guild_id: str) -> Reply:
        self._guild_or_404(guild_id)
        return 200, [role.payload() for role in self.world.guild.roles.values()]

    async def _get_member(self, call: RecordedRequest, guild_id: str, user_id: str) -> Reply:
        self._guild_or_404(guild_id)
        member = self.world.guild.members.get(int(user_id))
        if member is None:
            raise ApiError(404, 10007, "Unknown Member")
        return 200, member.payload()

    async def _get_channel(self, call: RecordedRequest, channel_id: str) -> Reply:
        return 200, self._channel(channel_id).payload()

    async def _typing(self, call: RecordedRequest, channel_id: str) -> Reply:
        self._channel(channel_id)
        return 204, None

    async def _list_messages(self, call: RecordedRequest, channel_id: str) -> Reply:
        self._channel(channel_id)
        messages = [m for m in self.world.channel_messages(int(channel_id)) if not m.ephemeral]
        if "before" in call.query:
            messages = [m for m in messages if m.id < int(call.query["before"])]
        if "after" in call.query:
            messages = [m for m in messages if m.id > int(call.query["after"])]
        limit = int(call.query.get("limit", 50))
        newest_first = sorted(messages, key=lambda m: m.id, reverse=True)[:limit]
        return 200, [self.world.message_create_payload(m) for m in newest_first]

    async def _create_message(self, call: RecordedRequest, channel_id: str) -> Reply:
        channel = self._channel(channel_id)
        self._check_can_send(channel, bool(call.files))
        body = call.json or {}
        if body.get("enforce_nonce") and body.get("nonce") is not None:
            # Discord returns the message already created with this nonce (a retried send)
            earlier = self.world.message_with_nonce(channel.id, self.world.bot.id, str(body["nonce"]))
            if earlier is not None:
                return 200, self.world.message_create_payload(earlier)
        message = await self.bot_messages.post(channel, body, call.files)
        return 200, self.world.message_create_payload(message)

    async def _get_message(self, call: RecordedRequest, channel_id: str, message_id: str):
        return 200, self.world.message_create_payload(self._message(channel_id, message_id))

    async def _edit_message(self, call: RecordedRequest, channel_id: str, message_id: str):
        message = self._message(channel_id, message_id)
        if message.author.id != self.world.bot.id:
            raise ApiError(403, 50005, "Cannot edit a message authored by another user")
        await self.bot_messages.edit(message, call.json or {}, call.files)
        return 200, self.world.message_create_payload(message)

    async def _delete_message(self, call: RecordedRequest, channel_id: str, message_id: str):
        await self.bot_messages.delete(self._message(channel_id, message_id))
        return 204, None

    async def _react(self, call: RecordedRequest, channel_id: str, message_id: str, emoji: str):
        self._message(channel_id, message_id)
        return 204, None
