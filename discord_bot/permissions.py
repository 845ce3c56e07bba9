"""Who may use a command, and where: the channels the bot answers in (`discord.channels`),
and the Manage Server and Manage Messages permissions, checked by the bot itself since a
server's command permissions can be changed."""

from collections.abc import Callable

import discord

from discord_bot.error_replies import UserMistake


def allowed(require: Callable[[discord.Interaction], None], interaction: discord.Interaction) -> bool:
    """Whether `require` (require_admin, require_moderator) lets the interaction's member
    through: autocompletes offer nothing to those who may not use the command."""
    try:
        require(interaction)
    except UserMistake:
        return False
    return True


def require_admin(interaction: discord.Interaction) -> None:
    """Manage Server, checked here: a server's command permissions can be changed."""
    if interaction.guild is None:
        raise UserMistake("Admin commands work in a server, not in direct messages.")
    if not interaction.permissions.manage_guild:
        raise UserMistake("Only members with the Manage Server permission can do that.")


def require_moderator(interaction: discord.Interaction) -> None:
    """Manage Messages in this channel, or Manage Server, checked here as for admins."""
    if interaction.guild is None:
        raise UserMistake("Watches work in a server's channels, not in direct messages.")
    permissions = interaction.permissions
    if not (permissions.manage_messages or permissions.manage_guild):
        raise UserMistake(
            "Only members with the Manage Messages or Manage Server permission can do that.")


def require_allowed_channel(interaction: discord.Interaction, channels: tuple[int, ...]) -> None:
    """A server channel the bot answers in (`channels`; none: every one); any DM."""
    if interaction.guild is not None and not channel_allowed(interaction.channel, channels):
        raise UserMistake("I only answer in " + ", ".join(f"<#{c}>" for c in channels))


def channel_allowed(channel, channels: tuple[int, ...]) -> bool:
    """Whether the bot answers in `channel`: one of `channels` or a thread in one of them."""
    return not channels or channel.id in channels or getattr(channel, "parent_id", None) in channels
