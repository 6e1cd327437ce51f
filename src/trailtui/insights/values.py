"""Values in Logs Insights expressions: durations, timestamps, coercion, ordering and rendering.

Missing fields and JSON null are both `None`. Booleans are Python bools (rendered `1`/`0`).
Maps and lists (from `jsonParse`) are Python dicts and lists.

Decisions on points the AWS documentation leaves open (spec §8 and §12):
- Numeric strings: optional surrounding whitespace, optional sign, digits with an optional fraction and
  exponent (`" 42 "`, `"-1.5e3"`). `nan`, `inf`, hex and empty strings are not numbers.
- `compare`: numeric when both sides are numbers or numeric-looking, else by Unicode code point of the
  rendered texts. A boolean equals `"true"`/`"false"` (any case) and `1`/`0`. Maps, lists and missing
  values never compare (`None`).
- Sub-day durations are capped at the natural size of their unit (spec §9.3) and aligned on the Unix epoch
  in UTC; `d` is uncapped and epoch-aligned; `w` buckets start on Monday 00:00 UTC (multiples counted from
  Monday 1969-12-29); `mo`/`q`/`y` are calendar buckets (multiples counted from January of year 0, so
  `1q` starts on Jan/Apr/Jul/Oct 1 and `10y` on 2020, 2030…). `dateceil` of a value on a boundary is the
  value itself.
- Natural sort: a number value matches `^-?\\d+(\\.\\d+)?$`; equal numbers (`01`, `1`) are ordered by
  their text. Missing values get a key after every present value (the caller keeps them last when sorting
  descending).
- Rendering: integral floats print without `.0` (`2.0` → `"2"`), other floats in Python's shortest form;
  non-finite floats as `NaN`, `Infinity`, `-Infinity`.
"""

from __future__ import annotations

import json
import math
import re
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from decimal import Decimal
from functools import lru_cache
from typing import Any

import orjson

from trailtui.bounded_regex import BoundedRegex

DURATION_UNITS = ("ms", "s", "m", "h", "d", "w", "mo", "q", "y")

CALENDAR_UNITS = ("w", "mo", "q", "y")

MS_PER_UNIT = {"ms": 1, "s": 1_000, "m": 60_000, "h": 3_600_000, "d": 86_400_000, "w": 604_800_000}

UNIT_AMOUNT_CAPS = {"ms": 1000, "s": 60, "m": 60, "h": 24}

MONTHS_PER_UNIT = {"mo": 1, "q": 3, "y": 12}

EPOCH = datetime(1970, 1, 1, tzinfo=UTC)

FIRST_MONDAY_BEFORE_EPOCH_MS = -3 * MS_PER_UNIT["d"]


@dataclass(frozen=True, slots=True)
class Duration:
    """A duration literal such as `5m` or `1h`: an amount of one canonical unit (see DURATION_UNITS)."""

    amount: float
    unit: str


class Timestamp(int):
    """Epoch milliseconds; an int for arithmetic and comparison, rendered as `YYYY-MM-DD HH:MM:SS.mmm` UTC."""

    __slots__ = ()

    def __repr__(self) -> str:
        return f"Timestamp({int(self)})"

    def __str__(self) -> str:
        return format_timestamp(int(self))


@dataclass(frozen=True, slots=True)
class QueryContext:
    """What time-aware functions need: the query window (epoch ms, inclusive) and the query start time."""

    start_ms: int | None
    end_ms: int | None
    now_ms: int


# --- durations and time buckets -------------------------------------------------------------------


def is_calendar_unit(unit: str) -> bool:
    """True for units whose buckets follow the calendar (`w`, `mo`, `q`, `y`), not a fixed length."""
    return unit in CALENDAR_UNITS


def capped_amount(duration: Duration) -> float:
    """The amount after the documented unit caps: `300s` counts as `60s`, `90m` as `60m`."""
    cap = UNIT_AMOUNT_CAPS.get(duration.unit)
    return duration.amount if cap is None else min(duration.amount, cap)


def duration_ms(duration: Duration) -> int:
    """Length in milliseconds of a fixed-length duration (ms…d, and w as 7 days), unit caps applied.

    Raises ValueError for `mo`, `q`, `y` (no fixed length), unknown units and non-positive amounts.
    """
    if duration.unit in MONTHS_PER_UNIT:
        raise ValueError(f"'{duration.unit}' is a calendar unit without a fixed length in milliseconds")
    if duration.unit not in MS_PER_UNIT:
        raise ValueError(f"unknown duration unit '{duration.unit}'")
    length = round(capped_amount(duration) * MS_PER_UNIT[duration.unit])
    if length <= 0:
        raise ValueError(f"duration must be positive, got {duration.amount}{duration.unit}")
    return length


def floor_timestamp(epoch_ms: int, duration: Duration) -> int:
    """Start of the bucket of `duration` that contains `epoch_ms` (see module docstring for alignment)."""
    if duration.unit in MONTHS_PER_UNIT:
        return _floor_to_months(epoch_ms, _months_in(duration))
    origin = FIRST_MONDAY_BEFORE_EPOCH_MS if duration.unit == "w" else 0
    length = duration_ms(duration)
    return origin + (epoch_ms - origin) // length * length


def ceil_timestamp(epoch_ms: int, duration: Duration) -> int:
    """Smallest bucket boundary at or after `epoch_ms`."""
    floor = floor_timestamp(epoch_ms, duration)
    if floor == epoch_ms:
        return floor
    if duration.unit in MONTHS_PER_UNIT:
        return _add_months(floor, _months_in(duration))
    return floor + duration_ms(duration)


def _months_in(duration: Duration) -> int:
    months = round(duration.amount * MONTHS_PER_UNIT[duration.unit])
    if months <= 0:
        raise ValueError(f"duration must be at least one month, got {duration.amount}{duration.unit}")
    return months


def _floor_to_months(epoch_ms: int, months: int) -> int:
    moment = EPOCH + timedelta(milliseconds=epoch_ms)
    month_index = moment.year * 12 + moment.month - 1
    return _month_start_ms(month_index // months * months)


def _add_months(month_start_ms: int, months: int) -> int:
    moment = EPOCH + timedelta(milliseconds=month_start_ms)
    return _month_start_ms(moment.year * 12 + moment.month - 1 + months)


def _month_start_ms(month_index: int) -> int:
    year, month_zero_based = divmod(month_index, 12)
    start = datetime(year, month_zero_based + 1, 1, tzinfo=UTC)
    return (start - EPOCH) // timedelta(milliseconds=1)


def format_timestamp(epoch_ms: int) -> str:
    """`YYYY-MM-DD HH:MM:SS.mmm` in UTC; out-of-range values fall back to the plain number."""
    try:
        moment = EPOCH + timedelta(milliseconds=epoch_ms)
    except OverflowError:
        return str(epoch_ms)
    return f"{moment:%Y-%m-%d %H:%M:%S}.{epoch_ms % 1000:03d}"


# --- coercion and comparison ----------------------------------------------------------------------

INTEGER_TEXT = re.compile(r"\s*[-+]?\d+\s*")
DECIMAL_TEXT = re.compile(r"\s*[-+]?(\d+\.?\d*|\.\d+)([eE][-+]?\d+)?\s*")


def to_number(value: Any) -> int | float | None:
    """The number a value stands for: ints and floats as they are, bools as 1/0, numeric strings parsed.

    Anything else (missing, maps, lists, non-numeric text) gives None.
    """
    if isinstance(value, bool):
        return int(value)
    if isinstance(value, int):
        return int(value)
    if isinstance(value, float):
        return value
    if isinstance(value, str):
        if INTEGER_TEXT.fullmatch(value):
            return _parse_integer(value)
        if DECIMAL_TEXT.fullmatch(value):
            return float(value)
    return None


def _parse_integer(text: str) -> int | float:
    """An int, or a float for integers longer than Python's int-parsing digit limit."""
    try:
        return int(text)
    except ValueError:
        return float(text)


def truthy(value: Any) -> bool:
    """Whether a value counts as true for `filter`, `if` and `case`.

    Missing, maps and lists are false; booleans are themselves; numbers and numeric strings are true
    when non-zero; the string `true` (any case) is true and every other string false.
    """
    if value is None or isinstance(value, dict | list):
        return False
    if _is_boolean_word(value):
        return bool(value.lower() == "true")
    number = to_number(value)
    return number is not None and number != 0


def to_text(value: Any) -> str | None:
    """The string a string function sees: the rendered scalar; None for missing values, maps and lists."""
    if value is None or isinstance(value, dict | list):
        return None
    return render(value)


def compare(left: Any, right: Any) -> int | None:
    """-1, 0 or 1; None when either side is missing, a map or a list (such comparisons are false)."""
    if _is_incomparable(left) or _is_incomparable(right):
        return None
    left, right = _boolean_words_as_booleans(left, right)
    left_number, right_number = to_number(left), to_number(right)
    if left_number is not None and right_number is not None:
        return _sign(left_number, right_number)
    return _sign(render(left), render(right))


def equals(left: Any, right: Any) -> bool:
    """Equality as `=` sees it; False whenever either side is missing."""
    return compare(left, right) == 0


def _is_incomparable(value: Any) -> bool:
    return value is None or isinstance(value, dict | list)


def _boolean_words_as_booleans(left: Any, right: Any) -> tuple[Any, Any]:
    if isinstance(left, bool) and _is_boolean_word(right):
        return left, right.lower() == "true"
    if isinstance(right, bool) and _is_boolean_word(left):
        return left.lower() == "true", right
    return left, right


def _is_boolean_word(value: Any) -> bool:
    return isinstance(value, str) and value.lower() in ("true", "false")


def _sign(left: Any, right: Any) -> int:
    return (left > right) - (left < right)


# --- natural sort (spec §4.5) ---------------------------------------------------------------------

NUMBER_VALUE_TEXT = re.compile(r"-?\d+(\.\d+)?")
DIGIT_OR_OTHER_RUNS = re.compile(r"\d+|\D+")
DIGIT_RUN_RANK = ord("0")


def natural_sort_key(value: Any) -> tuple[Any, ...]:
    """Key for the "updated natural sort": non-numbers first, by runs; then numbers; missing last."""
    if value is None:
        return (2,)
    text = render(value)
    assert text is not None
    if NUMBER_VALUE_TEXT.fullmatch(text):
        return (1, Decimal(text), text)
    return (0, tuple(_run_key(run) for run in DIGIT_OR_OTHER_RUNS.findall(text)))


def _run_key(run: str) -> tuple[int, int, str]:
    """Digit runs compare by length then value; other runs by code point; mixed kinds by first character.

    Every digit run ranks as `0` against a non-digit run, whose first character is never a digit, so the
    first element alone orders runs of different kinds exactly as comparing their first characters would.
    """
    if run[0].isdigit():
        return (DIGIT_RUN_RANK, len(run), run)
    return (ord(run[0]), 0, run)


# --- rendering ------------------------------------------------------------------------------------


def render(value: Any) -> str | None:
    """The string GetQueryResults shows for a value; None means the field is omitted from the row."""
    if value is None:
        return None
    if isinstance(value, str):
        return value
    if isinstance(value, bool):
        return "1" if value else "0"
    if isinstance(value, Timestamp):
        return format_timestamp(int(value))
    if isinstance(value, int):
        return str(value)
    if isinstance(value, float):
        return render_float(value)
    if isinstance(value, dict | list):
        return json_text(value)
    return str(value)


def json_text(value: Any) -> str:
    """Compact JSON text of a map, list or scalar (integers beyond 64 bits included)."""
    try:
        return orjson.dumps(value, default=str).decode()
    except TypeError:
        return json.dumps(value, separators=(",", ":"), ensure_ascii=False, default=str)


def render_float(number: float) -> str:
    """Shortest round-trip text, without `.0` for integral values; Java-style names for non-finite values."""
    if math.isnan(number):
        return "NaN"
    if math.isinf(number):
        return "Infinity" if number > 0 else "-Infinity"
    if number.is_integer() and abs(number) < 1e21:
        return str(int(number))
    return repr(number)


# --- regular expressions --------------------------------------------------------------------------

UNSUPPORTED_GROUP_OPENERS = {
    "(?=": "lookahead",
    "(?!": "negative lookahead",
    "(?<=": "lookbehind",
    "(?<!": "negative lookbehind",
    "(?P=": "named backreference",
}


@lru_cache(maxsize=512)
def compile_regex(pattern: str) -> BoundedRegex:
    """Compile a Logs Insights regex, keeping to the RE2/Hyperscan-portable subset, matching in bounded time.

    `(?<name>...)` becomes `(?P<name>...)`. Backreferences and lookarounds raise ValueError, as does any
    pattern Python or RE2 cannot compile. `\\d \\w \\s` are ASCII classes (see `trailtui.bounded_regex`).
    """
    try:
        return BoundedRegex(_translate_regex(pattern))
    except re.error as error:
        raise ValueError(f"invalid regular expression /{pattern}/: {error}") from None


def _translate_regex(pattern: str) -> str:
    pieces: list[str] = []
    position = 0
    in_class = False
    while position < len(pattern):
        char = pattern[position]
        if char == "\\":
            escaped = pattern[position : position + 2]
            if not in_class and len(escaped) == 2 and escaped[1] in "123456789":
                raise ValueError(f"backreference {escaped} is not supported in /{pattern}/")
            pieces.append(escaped)
            position += len(escaped)
            continue
        if in_class:
            in_class = char != "]"
        elif char == "[":
            in_class = True
            if pattern.startswith("]", position + 1) or pattern.startswith("^]", position + 1):
                closing_offset = pattern.index("]", position + 1) + 1
                pieces.append(pattern[position:closing_offset])
                position = closing_offset
                continue
        elif char == "(":
            _reject_unsupported_group(pattern, position)
            if pattern.startswith("(?<", position):
                pieces.append("(?P<")
                position += 3
                continue
        pieces.append(char)
        position += 1
    return "".join(pieces)


def _reject_unsupported_group(pattern: str, position: int) -> None:
    for opener, feature in UNSUPPORTED_GROUP_OPENERS.items():
        if pattern.startswith(opener, position):
            raise ValueError(f"{feature} '{opener}' is not supported in /{pattern}/")
