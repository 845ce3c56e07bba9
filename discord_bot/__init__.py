"""The Discord face of the bot: slash commands, mentions, DMs, buttons, admin commands."""
