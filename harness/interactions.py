"""INTERACTION_CREATE payloads, with options typed and `resolved` filled as Discord does."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from .messages import Attachment
from .model import Channel, Json, Member, Role, User
from .state import World

SUB_COMMAND, SUB_COMMAND_GROUP = 1, 2
STRING, INTEGER, BOOLEAN, USER, CHANNEL, ROLE, MENTIONABLE, NUMBER, ATTACHMENT = range(3, 12)
ATTACHMENT_SIZE_LIMIT = 25 * 1024 * 1024


class CommandUnavailable(LookupError):
    """The user could not invoke this in the real Discord client (unknown, hidden, bad options)."""


def _snowflake(value: Any) -> int:
    return value.id if hasattr(value, "id") else int(value)


@dataclass
class _Resolver:
    """Collects the `resolved` section while option values are converted."""

    world: World
    guild_id: int | None
    invoker_id: int
    resolved: dict[str, Json] = field(default_factory=dict)

    def add(self, kind: str, key: int, payload: Json) -> None:
        self.resolved.setdefault(kind, {})[str(key)] = payload

    def user(self, value: Any) -> str:
        user = value.user if isinstance(value, Member) else value
        user_id = _snowflake(user)
        user = user if isinstance(user, User) else self.world.user(user_id)
        if user is None:
            raise CommandUnavailable(f"unknown user {user_id}")
        self.add("users", user_id, user.payload())
        member = self.world.guild.members.get(user_id) if self.guild_id else None
        if member is not None:
            perms = self.world.guild.permissions(user_id)
            self.add("members", user_id, member.payload(with_user=False, permissions=perms))
        return str(user_id)

    def channel(self, value: Any) -> str:
        channel = self.world.channel(_snowflake(value))
        if channel is None:
            raise CommandUnavailable(f"unknown channel {value!r}")
        perms = self.world.guild.permissions(self.invoker_id, channel)
        self.add("channels", channel.id, dict(channel.payload(), permissions=str(perms)))
        return str(channel.id)

    def role(self, value: Any) -> str:
        role = self.world.guild.roles.get(_snowflake(value))
        if role is None:
            raise CommandUnavailable(f"unknown role {value!r}")
        self.add("roles", role.id, role.payload())
        return str(role.id)

    def mentionable(self, value: Any) -> str:
        if isinstance(value, Role) or _snowflake(value) in self.world.guild.roles:
            return self.role(value)
        return self.user(value)

    def attachment(self, value: Any) -> str:
        if not isinstance(value, Attachment):
            raise CommandUnavailable("attachment options take standin.upload(...) objects")
        self.add("attachments", value.id, value.payload())
        return str(value.id)

    def convert(self, schema: Json, value: Any) -> Any:
        kind = schema["type"]
        if kind == STRING:
            value = str(value)
        elif kind == INTEGER:
            value = int(value)
        elif kind == NUMBER:
            value = float(value)
        elif kind == BOOLEAN:
            value = bool(value)
        else:
            by_kind = {
                USER: self.user,
                CHANNEL: self.channel,
                ROLE: self.role,
                MENTIONABLE: self.mentionable,
                ATTACHMENT: self.attachment,
            }
            return by_kind[kind](value)
        choices = schema.get("choices")
        if choices and value not in [c["value"] for c in choices]:
            raise CommandUnavailable(f"{value!r} is not a choice of option {schema['name']!r}")
        return value


def find_command(world: World, name: str, guild_id: int | None) -> tuple[Json, int | None]:
    """The registered command a user typing `/name` would pick, and its guild (None: global)."""
    root = name.split()[0]
    for command, command_guild in world.commands_for(guild_id):
        if command["name"] == root and command.get("type", 1) == 1:
            return command, command_guild
    registered = [cmd["name"] for cmd, _ in world.commands_for(guild_id)]
    raise CommandUnavailable(f"/{root} is not registered (did the bot sync?); known: {registered}")


def _check_visible(world: World, command: Json, user_id: int, guild_id: int | None) -> None:
    required = command.get("default_member_permissions")
    if guild_id is None:
        contexts = command.get("contexts")
        if command.get("dm_permission") is False or (contexts is not None and 1 not in contexts):
            raise CommandUnavailable(f"/{command['name']} is not available in DMs")
        return
    if required is not None:
        needed = int(required)
        if world.guild.permissions(user_id) & needed != needed:
            raise CommandUnavailable(f"/{command['name']} is hidden from this user (permissions)")


def command_data(
    world: World,
    name: str,
    options: dict[str, Any],
    *,
    user: User,
    guild_id: int | None,
    focused: str | None = None,
) -> Json:
    """The `data` of an APPLICATION_COMMAND (or, with `focused`, AUTOCOMPLETE) interaction."""
    command, command_guild = find_command(world, name, guild_id)
    _check_visible(world, command, user.id, guild_id)
    resolver = _Resolver(world, guild_id, user.id)
    leaf_schema = command.get("options", [])
    path_options: list[Json] = []
    container = path_options
    for part in name.split()[1:]:
        schema = next((o for o in leaf_schema if o["name"] == part), None)
        if schema is None or schema["type"] not in (SUB_COMMAND, SUB_COMMAND_GROUP):
            raise CommandUnavailable(f"/{name}: no subcommand {part!r}")
        node: Json = {"name": part, "type": schema["type"], "options": []}
        container.append(node)
        container = node["options"]
        leaf_schema = schema.get("options", [])
    container.extend(_leaf_options(resolver, leaf_schema, options, focused, name))
    data: Json = {
        "id": command["id"],
        "name": command["name"],
        "type": 1,
        "options": path_options,
    }
    if resolver.resolved:
        data["resolved"] = resolver.resolved
    if command_guild is not None:
        data["guild_id"] = str(command_guild)
    return data


def _leaf_options(
    resolver: _Resolver,
    schema: list[Json],
    options: dict[str, Any],
    focused: str | None,
    name: str,
) -> list[Json]:
    by_name = {o["name"]: o for o in schema}
    unknown = set(options) - set(by_name)
    if unknown:
        raise CommandUnavailable(f"/{name} has no option(s) {sorted(unknown)}")
    if focused is None:
        missing = [o["name"] for o in schema if o.get("required") and o["name"] not in options]
        if missing:
            raise CommandUnavailable(f"/{name} needs option(s) {missing}")
    result = []
    for option_name, value in options.items():
        option_schema = by_name[option_name]
        entry: Json = {"name": option_name, "type": option_schema["type"]}
        if option_name == focused:
            if not option_schema.get("autocomplete"):
                raise CommandUnavailable(f"option {option_name!r} has no autocomplete")
            entry.update(value=str(value), focused=True)
        else:
            entry["value"] = resolver.convert(option_schema, value)
        result.append(entry)
    return result


def base_payload(
    world: World,
    *,
    interaction_id: int,
    token: str,
    kind: int,
    data: Json,
    user: User,
    channel: Channel,
) -> Json:
    """Fields every INTERACTION_CREATE carries; guild interactions get `member`, DMs `user`."""
    payload: Json = {
        "id": str(interaction_id),
        "application_id": str(world.application_id),
        "type": kind,
        "data": data,
        "token": token,
        "version": 1,
        "locale": "en-US",
        "entitlements": [],
        "attachment_size_limit": ATTACHMENT_SIZE_LIMIT,
        "channel_id": str(channel.id),
    }
    if channel.guild_id is None:
        payload.update(
            user=user.payload(),
            channel=channel.payload(),
            context=1,
            authorizing_integration_owners={"0": str(user.id)},
            app_permissions=str(world.guild.permissions(world.bot.id)),
        )
        return payload
    member = world.guild.members.get(user.id)
    if member is None:
        raise CommandUnavailable(f"{user.name} is not a member of the guild")
    perms = world.guild.permissions(user.id, channel)
    channel_data = dict(channel.payload(), permissions=str(perms))
    payload.update(
        guild_id=str(channel.guild_id),
        guild={"id": str(channel.guild_id), "locale": "en-US", "features": []},
        guild_locale="en-US",
        member=member.payload(permissions=perms),
        channel=channel_data,
        context=0,
        authorizing_integration_owners={"0": str(channel.guild_id)},
        app_permissions=str(world.guild.permissions(world.bot.id, channel)),
    )
    return payload
