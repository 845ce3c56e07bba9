"""The gateway websocket: HELLO/IDENTIFY/READY, heartbeats, dispatches, RESUME."""

from __future__ import annotations

import asyncio
import json
import logging
import uuid
import zlib
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

from aiohttp import WSMsgType, web

from .model import PRIVILEGED_INTENTS, Intent, Json, StandInUrls
from .state import World

log = logging.getLogger(__name__)


class Op:
    DISPATCH = 0
    HEARTBEAT = 1
    IDENTIFY = 2
    PRESENCE = 3
    RESUME = 6
    RECONNECT = 7
    REQUEST_MEMBERS = 8
    INVALID_SESSION = 9
    HELLO = 10
    HEARTBEAT_ACK = 11


class Close:
    UNKNOWN_ERROR = 4000
    DECODE_ERROR = 4002
    AUTHENTICATION_FAILED = 4004
    INVALID_SHARD = 4010
    INVALID_INTENTS = 4013
    DISALLOWED_INTENTS = 4014


REPLAY_BUFFER = 1000


@dataclass
class ReceivedOp:
    """One payload the client sent over the gateway, and which endpoint it came in on."""

    op: int
    d: Any
    path: str


class Connection:
    """One websocket to a client, optionally zlib-stream compressed (one shared context)."""

    def __init__(self, ws: web.WebSocketResponse, request: web.Request, compress: str | None):
        self.ws = ws
        self.path = request.path
        self._transport = request.transport
        self._zlib = zlib.compressobj() if compress == "zlib-stream" else None
        self._lock = asyncio.Lock()

    async def send(self, frame: Json) -> None:
        text = json.dumps(frame, separators=(",", ":"))
        async with self._lock:
            if self._zlib is None:
                await self.ws.send_str(text)
            else:
                data = self._zlib.compress(text.encode()) + self._zlib.flush(zlib.Z_SYNC_FLUSH)
                await self.ws.send_bytes(data)

    def abort(self) -> None:
        """Drop the TCP connection without a websocket close frame."""
        if self._transport is not None:
            self._transport.abort()

    async def close(self, code: int, message: str = "") -> None:
        await self.ws.close(code=code, message=message.encode())


@dataclass
class Session:
    id: str
    intents: int
    shard: list[int] | None
    seq: int = 0
    sent: deque[Json] = field(default_factory=lambda: deque(maxlen=REPLAY_BUFFER))  # for RESUME
    connection: Connection | None = None
    resumable: bool = True


def _wanted(event: str, data: Json, intents: int, bot_id: int) -> Json | None:
    """Apply Discord's intent rules to a dispatch: drop it or strip message content."""
    if event not in ("MESSAGE_CREATE", "MESSAGE_UPDATE"):
        return data
    in_guild = "guild_id" in data
    needed = Intent.GUILD_MESSAGES if in_guild else Intent.DIRECT_MESSAGES
    if not intents & needed:
        return None
    mentioned = any(int(u["id"]) == bot_id for u in data.get("mentions", []))
    by_bot = int(data["author"]["id"]) == bot_id
    if intents & Intent.MESSAGE_CONTENT or not in_guild or mentioned or by_bot:
        return data
    return dict(data, content="", embeds=[], attachments=[], components=[])


class Gateway:
    def __init__(
        self,
        world: World,
        *,
        token: str,
        heartbeat_interval_ms: int,
        allowed_privileged: int,
        urls: Callable[[], StandInUrls],
        on_change: Callable[[], None],
    ):
        self.world = world
        self.received: list[ReceivedOp] = []
        self.connects: list[Json] = []  # {"path": ..., **query} per websocket opened
        self.errors: list[str] = []
        # one session per shard (shard 0 when the client sends no `shard`), as Discord keeps
        # them: a guild's events go to shard (guild_id >> 22) % num_shards, DMs to shard 0
        self.sessions: dict[int, Session] = {}
        self._token = token
        self._heartbeat_ms = heartbeat_interval_ms
        self._allowed_privileged = allowed_privileged
        self._urls = urls
        self._on_change = on_change
        self._connections: set[Connection] = set()
        self._dispatch_lock = asyncio.Lock()

    async def handle(self, request: web.Request) -> web.WebSocketResponse:
        ws = web.WebSocketResponse(max_msg_size=0)
        await ws.prepare(request)
        compress = request.query.get("compress")
        self.connects.append({"path": request.path, **request.query})
        conn = Connection(ws, request, compress)
        problem = self._unsupported(request.query)
        if problem:
            self.errors.append(problem)
            self._on_change()
            await conn.close(Close.DECODE_ERROR, problem)
            return ws
        self._connections.add(conn)
        try:
            await conn.send({"op": Op.HELLO, "d": {"heartbeat_interval": self._heartbeat_ms}})
            async for msg in ws:
                if msg.type is WSMsgType.TEXT:
                    await self._on_frame(conn, json.loads(msg.data))
        except ConnectionResetError:
            pass
        finally:
            self._connections.discard(conn)
            for session in self.sessions.values():
                if session.connection is conn:
                    session.connection = None
        return ws

    @property
    def session(self) -> Session | None:
        """Shard 0's session (the only one of an unsharded client)."""
        return self.sessions.get(0)

    def shard_of(self, guild_id: int | None) -> int:
        """The shard a guild's events go to (Discord's rule); DMs go to shard 0."""
        shards = {session.shard[1] for session in self.sessions.values() if session.shard}
        count = max(shards, default=1)
        return 0 if guild_id is None else (guild_id >> 22) % count

    @staticmethod
    def _unsupported(query: Any) -> str | None:
        if query.get("encoding", "json") != "json":
            return f"unsupported encoding {query.get('encoding')!r} (only json)"
        if query.get("compress") not in (None, "zlib-stream"):
            return (
                f"unsupported compress={query.get('compress')!r}: the stand-in speaks zlib-stream; "
                "discord.py asks for zstd-stream when `zstandard` is installed"
            )
        return None

    async def _on_frame(self, conn: Connection, frame: Json) -> None:
        op, d = frame.get("op"), frame.get("d")
        self.received.append(ReceivedOp(op, d, conn.path))
        self._on_change()
        if op == Op.HEARTBEAT:
            await conn.send({"op": Op.HEARTBEAT_ACK})
        elif op == Op.IDENTIFY:
            await self._identify(conn, d)
        elif op == Op.RESUME:
            await self._resume(conn, d)
        elif op == Op.REQUEST_MEMBERS:
            await self._send_member_chunk(d)

    async def _identify(self, conn: Connection, d: Json) -> None:
        if d.get("token") != self._token:
            await conn.close(Close.AUTHENTICATION_FAILED, "Authentication failed.")
            return
        intents = d.get("intents")
        if intents is None:
            await conn.close(Close.INVALID_INTENTS, "Invalid intent(s).")
            return
        if intents & PRIVILEGED_INTENTS & ~self._allowed_privileged:
            await conn.close(Close.DISALLOWED_INTENTS, "Disallowed intent(s).")
            return
        shard = d.get("shard")
        if shard is not None and not (isinstance(shard, list) and len(shard) == 2
                                      and 0 <= shard[0] < shard[1]):
            await conn.close(Close.INVALID_SHARD, "Invalid shard.")
            return
        session = Session(uuid.uuid4().hex, intents, shard, connection=conn)
        self.sessions[shard[0] if shard else 0] = session
        async with self._dispatch_lock:
            await self._send_dispatch(session, "READY", self._ready_payload(session))
        if self._owns_guild(session):
            guild = self.world.guild.create_payload(include_members=bool(intents & Intent.GUILD_MEMBERS))
            async with self._dispatch_lock:
                await self._send_dispatch(session, "GUILD_CREATE", guild)

    def _owns_guild(self, session: Session) -> bool:
        if not session.shard:
            return True
        shard_id, count = session.shard
        return (self.world.guild.id >> 22) % count == shard_id

    def _ready_payload(self, session: Session) -> Json:
        bot = dict(self.world.bot.payload(), verified=True, mfa_enabled=False)
        data: Json = {
            "v": 10,
            "user": bot,
            "guilds": [{"id": str(self.world.guild.id), "unavailable": True}] * self._owns_guild(session),
            "session_id": session.id,
            "session_type": "normal",
            "resume_gateway_url": self._urls().resume_gateway,
            "application": {"id": str(self.world.application_id), "flags": 0},
            "private_channels": [],
            "presences": [],
            "relationships": [],
            "_trace": ["discord-standin"],
        }
        if session.shard is not None:
            data["shard"] = session.shard
        return data

    async def _resume(self, conn: Connection, d: Json) -> None:
        session = next((s for s in self.sessions.values() if s.id == d.get("session_id")), None)
        valid = (
            session is not None
            and session.resumable
            and d.get("token") == self._token
            and d.get("session_id") == session.id
        )
        if not valid:
            await conn.send({"op": Op.INVALID_SESSION, "d": False})
            return
        async with self._dispatch_lock:
            session.connection = conn
            since = d.get("seq") or 0
            for frame in session.sent:
                if frame["s"] > since:
                    await conn.send(frame)
            await self._send_dispatch(session, "RESUMED", {"_trace": ["discord-standin"]})

    async def _send_member_chunk(self, d: Json) -> None:
        members = list(self.world.guild.members.values())
        if d.get("user_ids"):
            wanted = {int(u) for u in d["user_ids"]}
            members = [m for m in members if m.id in wanted]
        elif d.get("query"):
            members = [m for m in members if m.user.name.startswith(d["query"])]
        chunk: Json = {
            "guild_id": str(self.world.guild.id),
            "members": [m.payload() for m in members],
            "chunk_index": 0,
            "chunk_count": 1,
            "not_found": [],
        }
        if d.get("nonce") is not None:
            chunk["nonce"] = d["nonce"]
        await self.dispatch("GUILD_MEMBERS_CHUNK", chunk)

    async def dispatch(self, event: str, data: Json, *, require_client: bool = True) -> bool:
        """Send a dispatch to the identified client (buffered for RESUME if it is offline).

        Returns False if nobody received it: no session yet (allowed unless `require_client`),
        or the client's intents mean Discord would not send it.
        """
        guild_id = data.get("guild_id") if isinstance(data, dict) else None
        session = self.sessions.get(self.shard_of(int(guild_id) if guild_id else None))
        if session is None:
            if require_client:
                raise RuntimeError(f"cannot dispatch {event}: no client has identified yet")
            return False
        visible = _wanted(event, data, session.intents, self.world.bot.id)
        if visible is None:
            return False
        async with self._dispatch_lock:
            await self._send_dispatch(session, event, visible)
        return True

    async def _send_dispatch(self, session: Session, event: str, data: Json) -> None:
        session.seq += 1
        frame = {"op": Op.DISPATCH, "t": event, "s": session.seq, "d": data}
        session.sent.append(frame)
        if session.connection is None:
            return
        try:
            await session.connection.send(frame)
        except ConnectionResetError:
            session.connection = None

    async def drop(self, *, resumable: bool = True, close_code: int | None = None) -> None:
        """Cut the client's connection; the frames sent meanwhile wait for its RESUME."""
        session = self.session
        if session is None or session.connection is None:
            raise RuntimeError("no connected client to drop")
        conn, session.connection = session.connection, None
        session.resumable = resumable
        if close_code is None:
            conn.abort()
        else:
            await conn.close(close_code)

    async def invalidate_session(self, *, resumable: bool = False) -> None:
        """Send op 9 INVALID_SESSION on the live connection, as Discord may at any time.

        With `resumable=False` the session is gone: the client must IDENTIFY again, and
        what is dispatched before its new READY is lost, as on Discord."""
        session = self._connected_session()
        session.resumable = resumable
        conn = session.connection
        if not resumable:
            session.connection = None
        await conn.send({"op": Op.INVALID_SESSION, "d": resumable})

    async def request_reconnect(self) -> None:
        """Send op 7 RECONNECT: the client should close and RESUME on a new connection."""
        session = self._connected_session()
        await session.connection.send({"op": Op.RECONNECT, "d": None})

    def _connected_session(self) -> Session:
        session = self.session
        if session is None or session.connection is None:
            raise RuntimeError("no connected client")
        return session

    async def close_all(self) -> None:
        for conn in list(self._connections):
            try:
                await conn.close(1001, "stand-in shutting down")
            except ConnectionResetError:
                pass
        self._connections.clear()
