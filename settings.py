"""config.toml read once, checked, and turned into plain values for the rest of the program."""

import re
import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

from discord_bot.bot_settings import BotSettings
from feeds.feed_settings import FeedSettings, FetchLimits
from retrieval.search import SearchSettings

DEFAULT_CONFIG = Path(__file__).resolve().parent / "config.toml"


class ConfigError(Exception):
    """A bad config.toml; the message names the key and what it may be."""


@dataclass(frozen=True)
class Settings:
    index_dir: Path
    articles_dir: Path
    batch_size: int
    search: SearchSettings
    discord: BotSettings = BotSettings()
    quantized_encoder: bool = False
    feeds: FeedSettings = FeedSettings()


# Settings a later version replaced: (section, key) -> what replaced it.
_REPLACED = {
    ("retrieval", "watch_min_lead"): "retrieval.watch_min_score_lead (a lead in fused score, not cosine)",
}
# (section, key): (type, lowest, highest); a float range also accepts integers.
_RANGES = {
    ("index", "batch_size"): (int, 1, 1024),
    ("retrieval", "k"): (int, 1, 25),
    ("retrieval", "candidates"): (int, 10, 1000),
    ("retrieval", "title_weight"): (float, 0, 20),
    ("retrieval", "article_weight"): (float, 0, 20),
    ("retrieval", "context_share"): (float, 0, 1),
    ("retrieval", "min_similarity"): (float, 0, 1),
    ("retrieval", "min_answer_probability"): (float, 0, 1),
    ("retrieval", "min_answer_probability_in_article"): (float, 0, 1),
    ("retrieval", "keyword_postings_budget"): (int, 100, 100_000_000),
    ("retrieval", "min_keyword_coverage"): (float, 0, 1),
    ("retrieval", "passage_min_similarity"): (float, 0, 1),
    ("retrieval", "neighbour_share"): (float, 0, 2),
    ("retrieval", "neighbour_max_chars"): (int, 0, 4000),
    ("retrieval", "max_question_chars"): (int, 10, 20000),
    ("retrieval", "recency_weight"): (float, 0, 10),
    ("retrieval", "recency_half_life_days"): (float, 0.5, 3650),
    ("retrieval", "watch_min_probability"): (float, 0, 1),
    ("retrieval", "watch_min_score_lead"): (float, 0, 50),
    ("retrieval", "timeline_min_similarity"): (float, 0, 1),
    ("retrieval", "timeline_min_similarity_with_words"): (float, 0, 1),
    ("discord", "cooldown_seconds"): (float, 0, 3600),
    ("discord", "passages_per_reply"): (int, 1, 10),
    ("discord", "max_upload_bytes"): (int, 1000, 25_000_000),
    ("discord", "fetch_timeout_seconds"): (float, 1, 60),
    ("discord", "fetch_max_bytes"): (int, 1000, 50_000_000),
    ("discord", "defer_after_seconds"): (float, 0, 2.5),
    ("discord", "context_radius"): (int, 1, 5),
    ("discord", "watch_alerts_per_hour"): (int, 1, 60),
    ("discord", "answer_log_retention_days"): (int, 1, 3650),
    ("discord", "shard_count"): (int, 1, 100_000),
    ("feeds", "poll_interval_minutes"): (float, 1, 10080),
    ("feeds", "jitter_share"): (float, 0, 0.5),
    ("feeds", "per_host_delay_seconds"): (float, 0, 60),
    ("feeds", "backoff_base_minutes"): (float, 1, 1440),
    ("feeds", "backoff_max_minutes"): (float, 1, 10080),
}
_BOOLEANS = {("discord", "allow_private_urls"), ("index", "quantized_encoder")}
_COLOURS = {("discord", "embed_colour")}
_ID_LISTS = {("discord", "channels")}
_SHARD_LISTS = {("discord", "shard_ids")}
_PATHS = {("index", "dir"), ("index", "articles")}
_LISTS = {
    ("retrieval", "keyword_columns"): (3, 0, 10),
    ("retrieval", "paraphrase_weights"): (5, 0, 10),
    ("retrieval", "word_match_weights"): (5, 0, 10),
    ("retrieval", "answer_model"): (7, -100, 100),
}


def load_settings(path: Path = DEFAULT_CONFIG) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except UnicodeDecodeError:
        raise ConfigError(f"{path.name}: not UTF-8 text; save it as UTF-8") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name}: not valid TOML ({error})") from None
    except OSError as error:  # a folder, no read permission…
        raise ConfigError(f"{path}: cannot read the config file ({error.strerror or error})") from None
    values = _checked_values(raw, path.name)
    base = path.resolve().parent
    index = values.get("index", {})
    search_fields = {f.name for f in fields(SearchSettings)}
    retrieval = {k: v for k, v in values.get("retrieval", {}).items() if k in search_fields}
    return Settings(
        index_dir=base / index.get("dir", "index_data"),
        articles_dir=base / index.get("articles", "data/articles"),
        batch_size=index.get("batch_size", 32),
        search=SearchSettings(**retrieval),
        discord=_bot_settings(values.get("discord", {}), path.name),
        quantized_encoder=index.get("quantized_encoder", False),
        feeds=_feed_settings(values.get("feeds", {}), path.name),
    )


def _bot_settings(values: dict, file_name: str = "config.toml") -> BotSettings:
    fetch = FetchLimits(
        allow_private_addresses=values.pop("allow_private_urls", False),
        max_bytes=values.pop("fetch_max_bytes", FetchLimits.max_bytes),
        timeout_seconds=values.pop("fetch_timeout_seconds", FetchLimits.timeout_seconds),
    )
    settings = BotSettings(fetch=fetch, **values)
    outside = [s for s in settings.shard_ids if s >= settings.shard_count]
    if outside:
        raise ConfigError(f"{file_name}: discord.shard_ids {list(settings.shard_ids)} name shards past "
                          f"discord.shard_count ({settings.shard_count}): shards are numbered 0 to "
                          f"{settings.shard_count - 1}")
    return settings


def _feed_settings(values: dict, file_name: str) -> FeedSettings:
    feeds = FeedSettings(**values)
    if feeds.backoff_base_minutes > feeds.backoff_max_minutes:
        raise ConfigError(
            f"{file_name}: feeds.backoff_base_minutes ({feeds.backoff_base_minutes:g}) must not be "
            f"more than feeds.backoff_max_minutes ({feeds.backoff_max_minutes:g})"
        )
    return feeds


def _checked_values(raw: dict, file_name: str) -> dict:
    known_sections = {
        section for section, _ in [*_RANGES, *_PATHS, *_LISTS, *_BOOLEANS, *_COLOURS, *_ID_LISTS,
                                   *_SHARD_LISTS]
    }
    checked: dict[str, dict] = {}
    for section, table in raw.items():
        if section not in known_sections or not isinstance(table, dict):
            raise ConfigError(f"{file_name}: unknown section [{section}]")
        for key, value in table.items():
            checked.setdefault(section, {})[key] = _checked(section, key, value, file_name)
    return checked


def _checked(section: str, key: str, value, file_name: str):
    name = f"{file_name}: {section}.{key}"
    if (section, key) in _PATHS:
        if not isinstance(value, str) or not value.strip():
            raise ConfigError(f"{name} must be a folder path in quotes, got {value!r}")
        return value
    if (section, key) in _LISTS:
        length, low, high = _LISTS[(section, key)]
        if (
            not isinstance(value, list) or len(value) != length
            or not all(_is_number(v) and low <= v <= high for v in value)
        ):
            raise ConfigError(
                f"{name} must be a list of {length} numbers from {low} to {high}, got {value!r}"
            )
        return tuple(float(v) for v in value)
    if (section, key) in _BOOLEANS:
        if not isinstance(value, bool):
            raise ConfigError(f"{name} must be true or false, got {value!r}")
        return value
    if (section, key) in _COLOURS:
        if not isinstance(value, str) or not re.fullmatch(r"#[0-9a-fA-F]{6}", value):
            raise ConfigError(f'{name} must be a colour like "#2b6cb0", got {value!r}')
        return int(value[1:], 16)
    if (section, key) in _ID_LISTS:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v > 0 for v in value
        ):
            raise ConfigError(f"{name} must be a list of channel ids (numbers), got {value!r}")
        return tuple(value)
    if (section, key) in _SHARD_LISTS:
        if not isinstance(value, list) or not all(
            isinstance(v, int) and not isinstance(v, bool) and v >= 0 for v in value
        ) or len(set(value)) != len(value):
            raise ConfigError(f"{name} must be a list of distinct shard numbers (0, 1, …), got {value!r}")
        return tuple(value)
    if (section, key) in _REPLACED:
        raise ConfigError(
            f"{name} was replaced by {_REPLACED[(section, key)]}; see the comments in config.toml")
    if (section, key) not in _RANGES:
        raise ConfigError(f"{name} is not a known setting; see the comments in config.toml")
    kind, low, high = _RANGES[(section, key)]
    valid_type = isinstance(value, int) and not isinstance(value, bool) if kind is int else _is_number(value)
    if not valid_type or not low <= value <= high:
        what = "a whole number" if kind is int else "a number"
        raise ConfigError(f"{name} must be {what} from {low} to {high}, got {value!r}")
    return kind(value)


def _is_number(value) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool)
