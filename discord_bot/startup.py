"""What the bot does once logged in, before it connects (its setup_hook): the slash commands
and persistent buttons registered, the commands synced and the feed polling started by the
process holding shard 0."""

from typing import TYPE_CHECKING

from discord_bot.buttons import BUTTON_TYPES
from discord_bot.commands import COMMANDS
from discord_bot.feed_commands import feed
from discord_bot.timeline_commands import TimelinePage, timeline
from discord_bot.watch_commands import watch

if TYPE_CHECKING:
    from discord_bot.client import NewsBot


async def set_up(bot: "NewsBot") -> None:
    for command in (*COMMANDS, timeline):
        bot.tree.add_command(command)
    if bot.feed_polling is not None:
        bot.tree.add_command(feed)
    if bot.watch_alerts is not None:
        bot.tree.add_command(watch)
    bot.add_dynamic_items(*BUTTON_TYPES, TimelinePage)
    if bot.settings.holds_shard_zero:  # one process of a sharded bot: commands are global
        await bot.tree.sync()
    if bot.feed_polling is not None and bot.settings.holds_shard_zero:
        bot.feed_polling.start()
