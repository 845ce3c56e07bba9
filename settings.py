"""config.toml read once, checked, and turned into plain values for the rest of the program."""

import tomllib
from dataclasses import dataclass, fields
from pathlib import Path

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


# (section, key): (type, lowest, highest); a float range also accepts integers.
_RANGES = {
    ("index", "batch_size"): (int, 1, 1024),
    ("retrieval", "k"): (int, 1, 25),
    ("retrieval", "candidates"): (int, 10, 1000),
    ("retrieval", "dense_weight"): (float, 0, 10),
    ("retrieval", "sentence_weight"): (float, 0, 10),
    ("retrieval", "keyword_weight"): (float, 0, 10),
    ("retrieval", "context_share"): (float, 0, 1),
    ("retrieval", "min_similarity"): (float, 0, 1),
    ("retrieval", "min_keyword_coverage"): (float, 0, 1),
    ("retrieval", "min_similarity_with_keywords"): (float, 0, 1),
    ("retrieval", "passage_min_similarity"): (float, 0, 1),
    ("retrieval", "max_question_chars"): (int, 10, 20000),
}
_PATHS = {("index", "dir"), ("index", "articles")}
_LISTS = {("retrieval", "keyword_columns"): (3, 0, 10)}


def load_settings(path: Path = DEFAULT_CONFIG) -> Settings:
    try:
        raw = tomllib.loads(path.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise ConfigError(f"{path}: no such config file") from None
    except tomllib.TOMLDecodeError as error:
        raise ConfigError(f"{path.name}: not valid TOML ({error})") from None
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
    )


def _checked_values(raw: dict, file_name: str) -> dict:
    known_sections = {section for section, _ in [*_RANGES, *_PATHS, *_LISTS]}
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
