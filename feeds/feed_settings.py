"""The feed side's settings as plain values (bot.py fills them from config.toml).

Kept free of aiohttp and feedparser so that reading the settings costs a command nothing.
"""

from dataclasses import dataclass
from datetime import timedelta

# 2 ** 40 minutes is far past any cap; a larger power would overflow a float.
_LARGEST_DOUBLING = 40


@dataclass(frozen=True)
class FetchLimits:
    """What /ingest url: and the feed polls may fetch."""

    allow_private_addresses: bool = False
    max_bytes: int = 3_000_000
    timeout_seconds: float = 10.0


@dataclass(frozen=True)
class FeedSettings:
    poll_interval_minutes: float = 30.0
    jitter_share: float = 0.1
    per_host_delay_seconds: float = 1.0
    backoff_base_minutes: float = 5.0
    backoff_max_minutes: float = 720.0

    def backoff(self, failures: int) -> timedelta:
        """How long a feed that failed `failures` times in a row waits before its next try."""
        doublings = min(max(failures - 1, 0), _LARGEST_DOUBLING)
        minutes = min(self.backoff_base_minutes * 2**doublings, self.backoff_max_minutes)
        return timedelta(minutes=minutes)
