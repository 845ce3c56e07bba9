"""The per-member cooldown between questions (`discord.cooldown_seconds`)."""

import math
import time

from discord_bot.error_replies import UserMistake

# Past this many members' cooldowns remembered, the expired ones are dropped.
COOLDOWN_ENTRIES_KEPT = 1000


class Cooldowns:
    def __init__(self):
        self._last_question_at: dict[int, float] = {}

    def check(self, user_id: int, wait: float) -> None:
        """Start the member's cooldown of `wait` seconds, or raise a UserMistake saying how
        long is left of the one running."""
        now = time.monotonic()
        if len(self._last_question_at) > COOLDOWN_ENTRIES_KEPT:
            self._last_question_at = {u: t for u, t in self._last_question_at.items() if now - t < wait}
        last = self._last_question_at.get(user_id)
        if last is not None and now - last < wait:
            seconds = math.ceil(wait - (now - last))
            raise UserMistake(f"One moment, please: you can ask again in {seconds} s.")
        self._last_question_at[user_id] = now
