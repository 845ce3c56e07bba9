"""The Discord layer's settings as plain values (bot.py fills them from config.toml)."""

from dataclasses import dataclass, field


@dataclass(frozen=True)
class FetchLimits:
    """What /ingest url: may fetch."""

    allow_private_addresses: bool = False
    max_bytes: int = 3_000_000
    timeout_seconds: float = 10.0


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
