"""Everything the fake Discord knows: one bot, one guild, DMs, messages, interactions."""

from __future__ import annotations

from dataclasses import dataclass, field
from urllib.parse import quote

from .messages import Attachment, InteractionRecord, MessageChange, StoredMessage
from .model import (
    EVERYONE_PERMISSIONS,
    Channel,
    ChannelType,
    Guild,
    Json,
    Member,
    Overwrite,
    Perm,
    Role,
    Snowflakes,
    User,
)


@dataclass
class World:
    """Everything the fake Discord knows. Built by `World.default()`."""

    ids: Snowflakes
    bot: User
    application_id: int
    guild: Guild
    owner: Member
    admin: Member
    member: Member
    dm_channels: dict[int, Channel] = field(default_factory=dict)  # by recipient id
    messages: dict[int, StoredMessage] = field(default_factory=dict)
    message_log: list[MessageChange] = field(default_factory=list)
    interactions: dict[int, InteractionRecord] = field(default_factory=dict)
    files: dict[int, Attachment] = field(default_factory=dict)
    global_commands: list[Json] = field(default_factory=list)
    guild_commands: dict[int, list[Json]] = field(default_factory=dict)
    nonces: dict[tuple[int, int, str], int] = field(default_factory=dict)  # -> message id

    @classmethod
    def default(cls) -> World:
        ids = Snowflakes()
        bot = User(ids.next(), "newsbot", bot=True)
        guild_id = ids.next()
        owner = Member(User(ids.next(), "owner"))
        admin_role = Role(ids.next(), "Admin", Perm.MANAGE_GUILD, position=2)
        bot_role = Role(ids.next(), "newsbot", EVERYONE_PERMISSIONS, position=1, bot_id=bot.id)
        everyone = Role(guild_id, "@everyone", EVERYONE_PERMISSIONS)
        admin = Member(User(ids.next(), "alice"), [admin_role.id])
        member = Member(User(ids.next(), "bob"))
        guild = Guild(guild_id, "Stand-in Guild", owner_id=owner.id)
        guild.roles = {r.id: r for r in (everyone, bot_role, admin_role)}
        guild.members = {m.id: m for m in (Member(bot, [bot_role.id]), owner, admin, member)}
        readonly = Overwrite(guild_id, deny=Perm.SEND_MESSAGES)
        for position, (name, overwrites) in enumerate(
            [("general", []), ("news", []), ("bot-log", []), ("announcements", [readonly])]
        ):
            channel = Channel(ids.next(), name, guild_id=guild_id, position=position)
            channel.overwrites = list(overwrites)
            guild.channels[channel.id] = channel
        return cls(ids, bot, ids.next(), guild, owner, admin, member)

    def channel(self, channel_id: int) -> Channel | None:
        channel = self.guild.channels.get(channel_id)
        if channel is not None:
            return channel
        return next((c for c in self.dm_channels.values() if c.id == channel_id), None)

    def channel_named(self, name: str) -> Channel:
        for channel in self.guild.channels.values():
            if channel.name == name:
                return channel
        raise KeyError(f"no channel named {name!r}")

    def user(self, user_id: int) -> User | None:
        member = self.guild.members.get(user_id)
        if member is not None:
            return member.user
        for channel in self.dm_channels.values():
            for user in channel.recipients:
                if user.id == user_id:
                    return user
        return None

    def add_member(self, name: str) -> Member:
        """A new plain member of the guild (@everyone permissions only)."""
        member = Member(User(self.ids.next(), name))
        self.guild.members[member.id] = member
        return member

    def message_with_nonce(self, channel_id: int, author_id: int, nonce: str) -> StoredMessage | None:
        """The author's message in the channel created with `nonce` (Discord's `enforce_nonce`)."""
        message_id = self.nonces.get((channel_id, author_id, nonce))
        return None if message_id is None else self.messages.get(message_id)

    def dm_channel(self, user: User) -> Channel:
        channel = self.dm_channels.get(user.id)
        if channel is None:
            channel = Channel(self.ids.next(), "", ChannelType.DM, recipients=[user])
            self.dm_channels[user.id] = channel
        return channel

    def add_file(self, base_url: str, filename: str, data: bytes, content_type: str) -> Attachment:
        file_id = self.ids.next()
        url = f"{base_url}/attachments/{file_id}/{quote(filename)}"
        attachment = Attachment(file_id, filename, data, content_type, url)
        self.files[file_id] = attachment
        return attachment

    def add_message(self, message: StoredMessage) -> None:
        self.messages[message.id] = message
        if message.nonce is not None:
            self.nonces[(message.channel_id, message.author.id, message.nonce)] = message.id
        self.message_log.append(MessageChange("create", message.snapshot()))

    def log_change(self, kind: str, message: StoredMessage) -> None:
        self.message_log.append(MessageChange(kind, message.snapshot()))

    def channel_messages(self, channel_id: int) -> list[StoredMessage]:
        return [m for m in self.messages.values() if m.channel_id == channel_id and not m.deleted]

    def commands_for(self, guild_id: int | None) -> list[tuple[Json, int | None]]:
        """Registered commands visible in a context, guild ones first: (command, guild_id)."""
        found = [(cmd, guild_id) for cmd in self.guild_commands.get(guild_id or 0, [])]
        return found + [(cmd, None) for cmd in self.global_commands]

    def message_create_payload(self, message: StoredMessage) -> Json:
        """MESSAGE_CREATE/UPDATE data: the message plus guild member info Discord attaches."""
        data = message.payload()
        if message.guild_id is None:
            return data
        author = self.guild.members.get(message.author.id)
        if author is not None:
            data["member"] = author.payload(with_user=False)
        data["mentions"] = [self._mention_payload(user) for user in message.mentions]
        return data

    def _mention_payload(self, user: User) -> Json:
        data = user.payload()
        member = self.guild.members.get(user.id)
        if member is not None:
            data["member"] = member.payload(with_user=False)
        return data
