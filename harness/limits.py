"""Discord's documented size limits, checked the way the API rejects requests (HTTP 400)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

Json = dict[str, Any]

CONTENT_MAX = 2000
EMBEDS_MAX = 10
EMBED_TOTAL_MAX = 6000
EMBED_FIELD_LIMITS = {"title": 256, "description": 4096}
EMBED_FIELDS_MAX = 25
ACTION_ROWS_MAX = 5
ROW_ITEMS_MAX = 5
CUSTOM_ID_MAX = 100
BUTTON_LABEL_MAX = 80
CHOICES_MAX = 25
CHOICE_TEXT_MAX = 100


class ApiError(Exception):
    """An error response in Discord's JSON shape ({"code", "message", "errors"})."""

    def __init__(self, status: int, code: int, message: str, errors: Json | None = None):
        super().__init__(f"{status} {code} {message} {errors or ''}")
        self.status, self.code, self.message, self.errors = status, code, message, errors

    def body(self) -> Json:
        data: Json = {"code": self.code, "message": self.message}
        if self.errors:
            data["errors"] = self.errors
        return data


@dataclass
class _Problems:
    errors: Json = field(default_factory=dict)

    def add(self, path: str, code: str, message: str) -> None:
        node = self.errors
        for part in path.split("."):
            node = node.setdefault(part, {})
        node.setdefault("_errors", []).append({"code": code, "message": message})

    def too_long(self, path: str, value: Any, limit: int) -> None:
        if isinstance(value, str) and len(value) > limit:
            self.add(path, "BASE_TYPE_MAX_LENGTH", f"Must be {limit} or fewer in length.")

    def raise_if_any(self) -> None:
        if self.errors:
            raise ApiError(400, 50035, "Invalid Form Body", self.errors)


def invalid_form(path: str, code: str, message: str) -> ApiError:
    """A 400 "Invalid Form Body" error about one field (dotted `path`)."""
    problems = _Problems()
    problems.add(path, code, message)
    return ApiError(400, 50035, "Invalid Form Body", problems.errors)


def check_message(body: Json, *, has_files: bool, editing: bool = False) -> None:
    """Raise ApiError if Discord would reject this message create/edit body."""
    problems = _Problems()
    problems.too_long("content", body.get("content"), CONTENT_MAX)
    _check_embeds(problems, body.get("embeds") or [])
    _check_components(problems, body.get("components") or [])
    problems.raise_if_any()
    has_body = any(body.get(k) for k in ("content", "embeds", "components", "sticker_ids", "poll"))
    if not editing and not has_body and not has_files:
        raise ApiError(400, 50006, "Cannot send an empty message")


def _embed_text_length(embed: Json) -> int:
    parts = [embed.get("title"), embed.get("description")]
    parts += [(embed.get("footer") or {}).get("text"), (embed.get("author") or {}).get("name")]
    for f in embed.get("fields") or []:
        parts += [f.get("name"), f.get("value")]
    return sum(len(p) for p in parts if isinstance(p, str))


def _check_embeds(problems: _Problems, embeds: list[Json]) -> None:
    if len(embeds) > EMBEDS_MAX:
        problems.add("embeds", "BASE_TYPE_MAX_LENGTH", f"Must be {EMBEDS_MAX} or fewer in length.")
    for i, embed in enumerate(embeds):
        for key, limit in EMBED_FIELD_LIMITS.items():
            problems.too_long(f"embeds.{i}.{key}", embed.get(key), limit)
        problems.too_long(f"embeds.{i}.footer.text", (embed.get("footer") or {}).get("text"), 2048)
        problems.too_long(f"embeds.{i}.author.name", (embed.get("author") or {}).get("name"), 256)
        fields = embed.get("fields") or []
        if len(fields) > EMBED_FIELDS_MAX:
            problems.add(f"embeds.{i}.fields", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer.")
        for j, f in enumerate(fields):
            problems.too_long(f"embeds.{i}.fields.{j}.name", f.get("name"), 256)
            problems.too_long(f"embeds.{i}.fields.{j}.value", f.get("value"), 1024)
    if sum(_embed_text_length(e) for e in embeds) > EMBED_TOTAL_MAX:
        problems.add("embeds", "MAX_EMBED_SIZE_EXCEEDED", "Embed size exceeds maximum size of 6000")


def _check_components(problems: _Problems, rows: list[Json]) -> None:
    if all(row.get("type") == 1 for row in rows) and len(rows) > ACTION_ROWS_MAX:
        problems.add("components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer in length.")
    for i, row in enumerate(rows):
        items = row.get("components") or []
        if row.get("type") == 1 and len(items) > ROW_ITEMS_MAX:
            problems.add(f"components.{i}.components", "BASE_TYPE_MAX_LENGTH", "Must be 5 or fewer.")
        for j, item in enumerate(items):
            path = f"components.{i}.components.{j}"
            problems.too_long(f"{path}.custom_id", item.get("custom_id"), CUSTOM_ID_MAX)
            problems.too_long(f"{path}.label", item.get("label"), BUTTON_LABEL_MAX)


def check_choices(choices: list[Json]) -> None:
    """Raise ApiError if an autocomplete result would be rejected."""
    problems = _Problems()
    if len(choices) > CHOICES_MAX:
        problems.add("data.choices", "BASE_TYPE_MAX_LENGTH", "Must be 25 or fewer in length.")
    for i, choice in enumerate(choices):
        name = choice.get("name")
        if not isinstance(name, str) or not name:
            problems.add(f"data.choices.{i}.name", "BASE_TYPE_REQUIRED", "This field is required")
        problems.too_long(f"data.choices.{i}.name", name, CHOICE_TEXT_MAX)
        problems.too_long(f"data.choices.{i}.value", choice.get("value"), CHOICE_TEXT_MAX)
    problems.raise_if_any()
