"""Messages and interactions as the stand-in stores them, and their JSON shapes."""

from __future__ import annotations

import copy
import re
from dataclasses import dataclass, field

from .model import Json, MessageFlag, User, now_iso


@dataclass
class Attachment:
    """A file the stand-in stores and serves over HTTP at `url`."""

    id: int
    filename: str
    data: bytes
    content_type: str
    url: str

    def payload(self) -> Json:
        return {
            "id": str(self.id),
            "filename": self.filename,
            "size": len(self.data),
            "url": self.url,
            "proxy_url": self.url,
            "content_type": self.content_type,
        }


MESSAGE_FIELDS = ("content", "embeds", "components", "allowed_mentions", "message_reference")
_USER_MENTION = re.compile(r"<@!?(\d+)>")
_ROLE_MENTION = re.compile(r"<@&(\d+)>")


@dataclass
class StoredMessage:
    """A message "in the channel", as the stand-in stores it (bot- or user-authored)."""

    id: int
    channel_id: int
    guild_id: int | None
    author: User
    content: str = ""
    embeds: list[Json] = field(default_factory=list)
    components: list[Json] = field(default_factory=list)
    allowed_mentions: Json | None = None  # exactly what the client sent; None = key absent
    message_reference: Json | None = None
    flags: int = 0
    attachments: list[Attachment] = field(default_factory=list)
    mentions: list[User] = field(default_factory=list)
    interaction_metadata: Json | None = None  # on responses to interactions
    type: int = 0
    timestamp: str = field(default_factory=now_iso)
    edited_timestamp: str | None = None
    deleted: bool = False
    nonce: str | None = None  # as the client sent it, for `enforce_nonce`

    @property
    def ephemeral(self) -> bool:
        return bool(self.flags & MessageFlag.EPHEMERAL)

    @property
    def loading(self) -> bool:
        return bool(self.flags & MessageFlag.LOADING)

    def apply(self, body: Json, files: list[Attachment]) -> None:
        """Apply a create/edit request body (fields present replace the stored ones)."""
        for key in MESSAGE_FIELDS:
            if key in body:
                value = body[key]
                if key in ("embeds", "components"):
                    value = value or []
                setattr(self, key, "" if key == "content" and value is None else value)
        if "flags" in body and body["flags"] is not None:
            # EPHEMERAL/LOADING are decided by the interaction flow, not editable.
            sticky = self.flags & int(MessageFlag.EPHEMERAL | MessageFlag.LOADING)
            self.flags = (int(body["flags"]) & ~int(MessageFlag.LOADING)) | sticky
        if "attachments" in body and body["attachments"] is not None:
            kept = {str(a.get("id")) for a in body["attachments"]}
            self.attachments = [a for a in self.attachments if str(a.id) in kept]
        self.attachments.extend(files)

    def find_component(self, custom_id: str) -> Json | None:
        return _find_component(self.components, custom_id)

    def pinged(self) -> Json:
        """Who Discord would notify, given the content and `allowed_mentions`."""
        rules = self.allowed_mentions
        parse = set(rules.get("parse", [])) if rules else {"users", "roles", "everyone"}
        users = [int(u) for u in _USER_MENTION.findall(self.content)]
        roles = [int(r) for r in _ROLE_MENTION.findall(self.content)]
        allowed_users = {int(u) for u in (rules or {}).get("users", [])}
        allowed_roles = {int(r) for r in (rules or {}).get("roles", [])}
        return {
            "users": [u for u in users if "users" in parse or u in allowed_users],
            "roles": [r for r in roles if "roles" in parse or r in allowed_roles],
            "everyone": "everyone" in parse and ("@everyone" in self.content or "@here" in self.content),
        }

    def snapshot(self) -> StoredMessage:
        return copy.deepcopy(self)

    def payload(self) -> Json:
        data: Json = {
            "id": str(self.id),
            "channel_id": str(self.channel_id),
            "author": self.author.payload(),
            "content": self.content,
            "timestamp": self.timestamp,
            "edited_timestamp": self.edited_timestamp,
            "tts": False,
            "mention_everyone": False,
            "mentions": [user.payload() for user in self.mentions],
            "mention_roles": [],
            "attachments": [a.payload() for a in self.attachments],
            "embeds": self.embeds,
            "components": self.components,
            "pinned": False,
            "type": self.type,
            "flags": self.flags,
        }
        if self.guild_id is not None:
            data["guild_id"] = str(self.guild_id)
        if self.message_reference:
            data["message_reference"] = self.message_reference
        if self.interaction_metadata is not None:
            data["interaction_metadata"] = self.interaction_metadata
        if self.nonce is not None:
            data["nonce"] = self.nonce
        return data


def _find_component(components: list[Json], custom_id: str) -> Json | None:
    for component in components:
        if component.get("custom_id") == custom_id:
            return component
        for key in ("components", "accessory"):
            children = component.get(key)
            if isinstance(children, dict):
                children = [children]
            found = _find_component(children or [], custom_id)
            if found is not None:
                return found
    return None


@dataclass
class InteractionRecord:
    """One interaction the stand-in dispatched, and everything the bot answered to it."""

    id: int
    token: str
    type: int
    user: User
    channel_id: int
    guild_id: int | None
    payload: Json
    created_at: float  # loop time, for the 3 s acknowledgement deadline
    message: StoredMessage | None = None  # the message a component sits on
    callbacks: list[Json] = field(default_factory=list)
    original: StoredMessage | None = None
    followups: list[StoredMessage] = field(default_factory=list)
    choices: list[Json] | None = None
    modal: Json | None = None
    rejected_callbacks: list[Json] = field(default_factory=list)  # late or duplicate acks

    @property
    def acknowledged(self) -> bool:
        return bool(self.callbacks)

    @property
    def callback_types(self) -> list[int]:
        return [cb["type"] for cb in self.callbacks]

    @property
    def deferred(self) -> bool:
        return any(t in (5, 6) for t in self.callback_types)

    @property
    def visible_messages(self) -> list[StoredMessage]:
        """Original response (once no longer "thinking") and followups, in order."""
        messages = [self.original] if self.original and not self.original.loading else []
        messages += self.followups
        return [m for m in messages if not m.deleted]

    @property
    def reply(self) -> StoredMessage | None:
        """The most recent visible message of the response."""
        visible = self.visible_messages
        return visible[-1] if visible else None

    @property
    def answered(self) -> bool:
        """True once the user sees a final answer: a message, choices or a modal."""
        return bool(self.visible_messages) or self.choices is not None or self.modal is not None


@dataclass
class MessageChange:
    kind: str  # "create" | "edit" | "delete"
    message: StoredMessage  # snapshot at the time of the change
