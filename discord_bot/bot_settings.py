"""The Discord layer's settings as plain values (bot.py fills them from config.toml)."""

from dataclasses import dataclass, field

from feeds.feed_settings import FetchLimits


@dataclass(frozen=True)
class BotSettings:
    channels: tuple[int, ...] = ()  # empty: every channel
    cooldown_seconds: float = 5.0
    passages_per_reply: int = 3
    embed_colour: int = 0x2B6CB0
    max_upload_bytes: int = 2_000_000
    fetch: FetchLimits = field(default_factory=FetchLimits)
    defer_after_seconds: float = 1.5
    context_radius: int = 1
    watch_alerts_per_hour: int = 5  # messages per watch; past it, one digest per round
    answer_log_retention_days: int = 90  # questions and votes (with user ids) kept this long
    # Discord's gateway shards: this process connects as `shard_ids` (all when empty) of
    # `shard_count`; the process holding shard 0 syncs the commands and polls the feeds
    shard_count: int = 1
    shard_ids: tuple[int, ...] = ()

    @property
    def holds_shard_zero(self) -> bool:
        return not self.shard_ids or 0 in self.shard_ids
