"""Test harness: a local Discord stand-in that the real discord.py client connects to."""

from .connect import point_discord_py_at, running_client
from .gateway import Op
from .interactions import CommandUnavailable
from .limits import ApiError
from .messages import Attachment, InteractionRecord, StoredMessage
from .model import Channel, Intent, Member, MessageFlag, Perm, Role, StandInUrls, User
from .rest import RecordedRequest
from .standin import DEFAULT_TOKEN, DiscordStandIn

__all__ = [
    "DEFAULT_TOKEN",
    "ApiError",
    "Attachment",
    "Channel",
    "CommandUnavailable",
    "DiscordStandIn",
    "Intent",
    "InteractionRecord",
    "Member",
    "MessageFlag",
    "Op",
    "Perm",
    "RecordedRequest",
    "Role",
    "StandInUrls",
    "StoredMessage",
    "User",
    "point_discord_py_at",
    "running_client",
]
