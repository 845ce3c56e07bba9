"""The fake Discord's guild entities (users, roles, members, channels) and their JSON shapes."""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from datetime import UTC, datetime
from enum import IntFlag
from typing import Any

DISCORD_EPOCH_MS = 1_420_070_400_000
Json = dict[str, Any]


class Perm(IntFlag):
    """The permission bits the stand-in's default world uses."""

    ADMINISTRATOR = 1 << 3
    MANAGE_GUILD = 1 << 5
    ADD_REACTIONS = 1 << 6
    VIEW_CHANNEL = 1 << 10
    SEND_MESSAGES = 1 << 11
    MANAGE_MESSAGES = 1 << 13
    EMBED_LINKS = 1 << 14
    ATTACH_FILES = 1 << 15
    READ_MESSAGE_HISTORY = 1 << 16
    MENTION_EVERYONE = 1 << 17
    USE_APPLICATION_COMMANDS = 1 << 31
    SEND_MESSAGES_IN_THREADS = 1 << 38


ALL_PERMISSIONS = (1 << 51) - 1
EVERYONE_PERMISSIONS = (
    Perm.VIEW_CHANNEL
    | Perm.SEND_MESSAGES
    | Perm.ADD_REACTIONS
    | Perm.EMBED_LINKS
    | Perm.ATTACH_FILES
    | Perm.READ_MESSAGE_HISTORY
    | Perm.USE_APPLICATION_COMMANDS
    | Perm.SEND_MESSAGES_IN_THREADS
)


class Intent(IntFlag):
    GUILDS = 1 << 0
    GUILD_MEMBERS = 1 << 1
    GUILD_PRESENCES = 1 << 8
    GUILD_MESSAGES = 1 << 9
    DIRECT_MESSAGES = 1 << 12
    MESSAGE_CONTENT = 1 << 15


PRIVILEGED_INTENTS = Intent.GUILD_MEMBERS | Intent.GUILD_PRESENCES | Intent.MESSAGE_CONTENT


class MessageFlag(IntFlag):
    SUPPRESS_EMBEDS = 1 << 2
    EPHEMERAL = 1 << 6
    LOADING = 1 << 7


class ChannelType:
    GUILD_TEXT = 0
    DM = 1


@dataclass(frozen=True)
class StandInUrls:
    """Where a stand-in listens. `base` is e.g. "http://127.0.0.1:12345"."""

    base: str

    @property
    def api(self) -> str:
        """What discord.py's `Route.BASE` must be."""
        return f"{self.base}/api/v10"

    @property
    def gateway(self) -> str:
        return self.base.replace("http://", "ws://", 1) + "/gateway"

    @property
    def resume_gateway(self) -> str:
        """Handed out in READY; a separate path so tests can tell resumes apart."""
        return self.base.replace("http://", "ws://", 1) + "/resume"


def now_iso() -> str:
    return datetime.now(UTC).isoformat()


class Snowflakes:
    """Increasing, realistic ids (the timestamp part drives discord.py's `created_at`)."""

    def __init__(self) -> None:
        self._last = 0

    def next(self) -> int:
        candidate = (int(time.time() * 1000) - DISCORD_EPOCH_MS) << 22
        self._last = max(self._last + 1, candidate)
        return self._last


@dataclass
class User:
    id: int
    name: str
    bot: bool = False

    @property
    def mention(self) -> str:
        return f"<@{self.id}>"

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "username": self.name,
            "global_name": None if self.bot else self.name.title(),
            "discriminator": "0",
            "avatar": None,
            "bot": self.bot,
            "public_flags": 0,
            "flags": 0,
        }


@dataclass
class Role:
    id: int
    name: str
    permissions: int
    position: int = 0
    bot_id: int | None = None  # set for the role Discord manages for a bot

    @property
    def mention(self) -> str:
        return f"<@&{self.id}>"

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "name": self.name,
            "permissions": str(int(self.permissions)),
            "position": self.position,
            "color": 0,
            "colors": {"primary_color": 0, "secondary_color": None, "tertiary_color": None},
            "hoist": False,
            "managed": self.bot_id is not None,
            "mentionable": False,
            "icon": None,
            "unicode_emoji": None,
            "flags": 0,
        }
        if self.bot_id is not None:
            data["tags"] = {"bot_id": str(self.bot_id)}
        return data


@dataclass
class Member:
    user: User
    role_ids: list[int] = field(default_factory=list)
    joined_at: str = field(default_factory=now_iso)

    @property
    def id(self) -> int:
        return self.user.id

    @property
    def mention(self) -> str:
        return self.user.mention

    def payload(self, *, with_user: bool = True, permissions: int | None = None) -> Json:
        data: Json = {
            "roles": [str(role_id) for role_id in self.role_ids],
            "nick": None,
            "avatar": None,
            "joined_at": self.joined_at,
            "premium_since": None,
            "deaf": False,
            "mute": False,
            "pending": False,
            "flags": 0,
        }
        if with_user:
            data["user"] = self.user.payload()
        if permissions is not None:
            data["permissions"] = str(permissions)
        return data


@dataclass
class Overwrite:
    target_id: int
    is_member: bool = False
    allow: int = 0
    deny: int = 0

    def payload(self) -> Json:
        return {
            "id": str(self.target_id),
            "type": 1 if self.is_member else 0,
            "allow": str(int(self.allow)),
            "deny": str(int(self.deny)),
        }


@dataclass
class Channel:
    id: int
    name: str
    type: int = ChannelType.GUILD_TEXT
    guild_id: int | None = None
    position: int = 0
    topic: str | None = None
    overwrites: list[Overwrite] = field(default_factory=list)
    recipients: list[User] = field(default_factory=list)  # DM channels only

    @property
    def mention(self) -> str:
        return f"<#{self.id}>"

    def payload(self) -> Json:
        if self.type == ChannelType.DM:
            return {
                "id": str(self.id),
                "type": self.type,
                "last_message_id": None,
                "recipients": [user.payload() for user in self.recipients],
            }
        return {
            "id": str(self.id),
            "type": self.type,
            "guild_id": str(self.guild_id),
            "name": self.name,
            "position": self.position,
            "parent_id": None,
            "topic": self.topic,
            "nsfw": False,
            "rate_limit_per_user": 0,
            "last_message_id": None,
            "permission_overwrites": [ow.payload() for ow in self.overwrites],
        }


def _apply_overwrite(perms: int, allow: int, deny: int) -> int:
    return (perms & ~int(deny)) | int(allow)


@dataclass
class Guild:
    id: int
    name: str
    owner_id: int
    roles: dict[int, Role] = field(default_factory=dict)
    channels: dict[int, Channel] = field(default_factory=dict)
    members: dict[int, Member] = field(default_factory=dict)

    def permissions(self, user_id: int, channel: Channel | None = None) -> int:
        """Discord's permission algorithm: base role permissions, then channel overwrites."""
        member = self.members.get(user_id)
        if member is None:
            return 0
        if user_id == self.owner_id:
            return ALL_PERMISSIONS
        perms = int(self.roles[self.id].permissions)
        for role_id in member.role_ids:
            perms |= int(self.roles[role_id].permissions)
        if perms & Perm.ADMINISTRATOR:
            return ALL_PERMISSIONS
        if channel is None:
            return int(perms)
        overwrites = {(ow.is_member, ow.target_id): ow for ow in channel.overwrites}
        everyone = overwrites.get((False, self.id))
        if everyone:
            perms = _apply_overwrite(perms, everyone.allow, everyone.deny)
        role_ows = [overwrites[(False, rid)] for rid in member.role_ids if (False, rid) in overwrites]
        allow = deny = 0
        for ow in role_ows:
            allow |= int(ow.allow)
            deny |= int(ow.deny)
        perms = _apply_overwrite(perms, allow, deny)
        own = overwrites.get((True, user_id))
        if own:
            perms = _apply_overwrite(perms, own.allow, own.deny)
        return perms

    def create_payload(self, *, include_members: bool) -> Json:
        """GUILD_CREATE data. Without the members intent Discord only sends the bot's member."""
        members = list(self.members.values())
        if not include_members:
            members = [m for m in members if m.user.bot]
        return {
            "id": str(self.id),
            "name": self.name,
            "owner_id": str(self.owner_id),
            "unavailable": False,
            "member_count": len(self.members),
            "large": False,
            "joined_at": now_iso(),
            "icon": None,
            "description": None,
            "features": [],
            "preferred_locale": "en-US",
            "verification_level": 0,
            "default_message_notifications": 0,
            "explicit_content_filter": 0,
            "mfa_level": 0,
            "nsfw_level": 0,
            "premium_tier": 0,
            "afk_timeout": 300,
            "system_channel_id": None,
            "roles": [role.payload() for role in self.roles.values()],
            "channels": [ch.payload() for ch in self.channels.values()],
            "members": [m.payload() for m in members],
            "presences": [],
            "voice_states": [],
            "threads": [],
            "stage_instances": [],
            "guild_scheduled_events": [],
            "soundboard_sounds": [],
            "emojis": [],
            "stickers": [],
        }
