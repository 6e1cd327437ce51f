"""Readers for the fields of a PutMetricAlarm request, each refusing what CloudWatch refuses.

Every reader raises `AlarmDefinitionError` naming the field, so a user sees which parameter to fix.
"""

import math
import unicodedata
from collections.abc import Collection, Mapping

from trailtui.metrics.alarms.errors import AlarmDefinitionError

Request = Mapping[str, object]

MAX_ACTIONS = 5
MAX_ACTION_LENGTH = 1024
MAX_DIMENSIONS = 30
MAX_TAGS = 50


def required_text(request: Request, name: str, max_length: int) -> str:
    if name not in request:
        raise AlarmDefinitionError(name, "is required")
    return _text(request[name], name, min_length=1, max_length=max_length)


def optional_text(request: Request, name: str, max_length: int) -> str | None:
    if name not in request:
        return None
    return _text(request[name], name, min_length=0, max_length=max_length)


def _text(value: object, name: str, min_length: int, max_length: int) -> str:
    if not isinstance(value, str):
        raise AlarmDefinitionError(name, "must be a string")
    if not min_length <= len(value) <= max_length:
        raise AlarmDefinitionError(name, f"length must be between {min_length} and {max_length}")
    return value


def refuse_control_characters(text: str, name: str) -> None:
    if any(unicodedata.category(character) == "Cc" for character in text):
        raise AlarmDefinitionError(name, "must not contain control characters")


def optional_bool(request: Request, name: str, default: bool) -> bool:
    value = request.get(name, default)
    if not isinstance(value, bool):
        raise AlarmDefinitionError(name, "must be true or false")
    return value


def required_int(request: Request, name: str, minimum: int) -> int:
    if name not in request:
        raise AlarmDefinitionError(name, "is required")
    return _int(request[name], name, minimum)


def optional_int(request: Request, name: str, minimum: int) -> int | None:
    if name not in request:
        return None
    return _int(request[name], name, minimum)


def _int(value: object, name: str, minimum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise AlarmDefinitionError(name, "must be an integer")
    if value < minimum:
        raise AlarmDefinitionError(name, f"must be at least {minimum}")
    return value


def required_number(request: Request, name: str) -> float:
    if name not in request:
        raise AlarmDefinitionError(name, "is required")
    value = request[name]
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise AlarmDefinitionError(name, "must be a number")
    if not math.isfinite(value):
        raise AlarmDefinitionError(name, "must be a finite number")
    return float(value)


def optional_choice(request: Request, name: str, choices: Collection[str]) -> str | None:
    if name not in request:
        return None
    value = request[name]
    if not isinstance(value, str) or value not in choices:
        raise AlarmDefinitionError(name, f"must be one of {', '.join(choices)}")
    return value


def action_arns(request: Request, name: str) -> tuple[str, ...]:
    arns = _list(request, name, MAX_ACTIONS)
    return tuple(_text(arn, name, min_length=1, max_length=MAX_ACTION_LENGTH) for arn in arns)


def dimensions(request: Request) -> tuple[tuple[str, str], ...]:
    items = _list(request, "Dimensions", MAX_DIMENSIONS)
    return tuple(_pair(item, "Dimensions", ("Name", 1, 255), ("Value", 1, 1024)) for item in items)


def tags(request: Request) -> tuple[tuple[str, str], ...]:
    items = _list(request, "Tags", MAX_TAGS)
    return tuple(_pair(item, "Tags", ("Key", 1, 128), ("Value", 0, 256)) for item in items)


def _list(request: Request, name: str, max_items: int) -> list[object]:
    value = request.get(name, [])
    if not isinstance(value, list | tuple):
        raise AlarmDefinitionError(name, "must be a list")
    if len(value) > max_items:
        raise AlarmDefinitionError(name, f"must have at most {max_items} items")
    return list(value)


def _pair(
    item: object, name: str, first: tuple[str, int, int], second: tuple[str, int, int]
) -> tuple[str, str]:
    if not isinstance(item, Mapping):
        raise AlarmDefinitionError(name, f"each item must be an object with {first[0]} and {second[0]}")
    return _member(item, name, *first), _member(item, name, *second)


def _member(item: Mapping[str, object], name: str, key: str, min_length: int, max_length: int) -> str:
    if key not in item:
        raise AlarmDefinitionError(f"{name}.{key}", "is required")
    return _text(item[key], f"{name}.{key}", min_length, max_length)
