"""The scalar functions of Logs Insights (spec §9.1–9.7), as one table keyed by lowercase name.

Every implementation receives evaluated arguments (`None` = missing) and returns a value (`None` = missing
result). None of them raises on bad data: a value of the wrong kind gives a missing result, or `False` for
predicates. Predicates return bools, which render as `1`/`0` and count as 1/0 in arithmetic, so they also
serve the functions documented as returning the numbers 1/0 (`isempty`, `strcontains`…).

Decisions on points the documentation leaves open:
- A map or list counts as missing for string, number and date functions (spec §7.3).
- `concat` skips missing arguments; it is missing only when every argument is.
- `round` rounds half away from zero (`round(2.5)` = 3, `round(-2.5)` = -3); with `d` ≤ 0 it returns an
  integer. `greatest`/`least` ignore missing arguments and compare as `compare()` does.
- `toInt`/`toLong` truncate toward zero and are missing outside the 32-/64-bit signed range.
- `substr` clamps `start` and `len` to the string; a negative `len` gives `""`.
- `replace` with an empty search string returns the input unchanged; `split` on `""` gives characters.
- `regexReplace` replacement text may refer to groups as `$1` or `${name}`; a backslash escapes the next
  character; an invalid or unsupported pattern gives a missing result.
- `urlencode` is form encoding (space → `+`); `base64decode`/`hexToAscii` are missing unless the bytes are
  valid UTF-8.
- `isPrivateIP` is RFC 1918 (IPv4) plus RFC 4193 unique-local `fc00::/7` (IPv6). `isReservedIP` is any
  other IANA special-purpose address (loopback, link-local, multicast, documentation, shared CGN space,
  `0.0.0.0/8`, `240.0.0.0/4`, …). `isPublicIP` is a valid address that is neither.
- `parseDate` takes Java `DateTimeFormatter` letters (yyyy MM dd HH mm ss SSS XXX …) and returns epoch
  milliseconds as a plain number; a date without an offset is read in `tz` (default UTC).
- `formatDate`/`strftime` take C `strftime` directives; `tz` is `UTC`, an offset such as `+05:30` or an
  IANA zone name. An unknown zone gives a missing result.
- `jsonStringify` accepts maps and lists only; `jsonArrayContains` compares elements with `=` semantics
  (case-sensitive text, `"1"` equals `1`).
- `isNumeric` is false for booleans; `messageSize` is the UTF-8 byte length of the rendered value.
"""

from __future__ import annotations

import base64
import binascii
import hashlib
import ipaddress
import math
import re
import urllib.parse
from collections.abc import Callable
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta, timezone, tzinfo
from decimal import ROUND_HALF_UP, Decimal, InvalidOperation
from functools import lru_cache
from typing import Any
from zoneinfo import ZoneInfo

import orjson

from trailtui.insights.values import (
    EPOCH,
    Duration,
    QueryContext,
    Timestamp,
    ceil_timestamp,
    compare,
    compile_regex,
    equals,
    floor_timestamp,
    json_text,
    to_number,
    to_text,
    truthy,
)

Number = int | float
IpAddress = ipaddress.IPv4Address | ipaddress.IPv6Address


@dataclass(frozen=True)
class ScalarFunction:
    """One scalar function: its documented spelling, arity, implementation and a one-line doc."""

    name: str
    min_args: int
    max_args: int | None
    implementation: Callable[..., Any]
    doc: str
    needs_context: bool = False
    returns_boolean: bool = False


# --- numeric (§9.1) -------------------------------------------------------------------------------

INT32_RANGE = (-(2**31), 2**31 - 1)
INT64_RANGE = (-(2**63), 2**63 - 1)
EARTH_RADIUS_KM = 6371.0


def _finite_number(value: Any) -> Number | None:
    number = to_number(value)
    if number is None or (isinstance(number, float) and not math.isfinite(number)):
        return None
    return number


def _abs(value: Any) -> Number | None:
    number = to_number(value)
    return None if number is None else abs(number)


def _ceil(value: Any) -> int | None:
    number = _finite_number(value)
    return None if number is None else math.ceil(number)


def _floor(value: Any) -> int | None:
    number = _finite_number(value)
    return None if number is None else math.floor(number)


ROUND_PLACES_LIMIT = 400
"""Beyond ±400 places, rounding a double changes nothing (or gives 0): the bound keeps Decimal in range."""


def _round(value: Any, decimals: Any = 0) -> Number | None:
    number = _finite_number(value)
    places = _finite_number(decimals)
    if number is None or places is None:
        return None
    places = max(-ROUND_PLACES_LIMIT, min(ROUND_PLACES_LIMIT, int(places)))
    try:
        rounded = Decimal(repr(number)).quantize(Decimal(1).scaleb(-places), rounding=ROUND_HALF_UP)
    except InvalidOperation:
        return number
    return int(rounded) if places <= 0 else float(rounded)


def _present_arguments(arguments: tuple[Any, ...]) -> list[Any]:
    return [value for value in arguments if value is not None and not isinstance(value, dict | list)]


def _greatest(*arguments: Any) -> Any:
    return _extreme(arguments, wanted_sign=1)


def _least(*arguments: Any) -> Any:
    return _extreme(arguments, wanted_sign=-1)


def _extreme(arguments: tuple[Any, ...], wanted_sign: int) -> Any:
    best: Any = None
    for value in _present_arguments(arguments):
        candidate = _number_or_value(value)
        if best is None or compare(candidate, best) == wanted_sign:
            best = candidate
    return best


def _number_or_value(value: Any) -> Any:
    number = to_number(value)
    return value if number is None or isinstance(value, bool) else number


def _log(value: Any) -> float | None:
    number = to_number(value)
    return math.log(number) if number is not None and number > 0 else None


def _sqrt(value: Any) -> float | None:
    number = to_number(value)
    return math.sqrt(number) if number is not None and number >= 0 else None


def _haversine(lat1: Any, lon1: Any, lat2: Any, lon2: Any) -> float | None:
    coordinates = [_finite_number(value) for value in (lat1, lon1, lat2, lon2)]
    if any(value is None for value in coordinates):
        return None
    phi1, lambda1, phi2, lambda2 = (math.radians(float(value or 0)) for value in coordinates)
    half_chord = (
        math.sin((phi2 - phi1) / 2) ** 2
        + math.cos(phi1) * math.cos(phi2) * math.sin((lambda2 - lambda1) / 2) ** 2
    )
    return 2 * EARTH_RADIUS_KM * math.asin(math.sqrt(min(1.0, half_chord)))


def _to_number(value: Any) -> Number | None:
    return to_number(value)


def _to_int(value: Any) -> int | None:
    return _truncated_within(value, INT32_RANGE)


def _to_long(value: Any) -> int | None:
    return _truncated_within(value, INT64_RANGE)


def _truncated_within(value: Any, bounds: tuple[int, int]) -> int | None:
    number = _finite_number(value)
    if number is None:
        return None
    whole = int(number)
    return whole if bounds[0] <= whole <= bounds[1] else None


def _to_double(value: Any) -> float | None:
    number = to_number(value)
    return None if number is None else float(number)


# --- string (§9.2, §9.7) --------------------------------------------------------------------------


def _isempty(value: Any) -> bool:
    return value is None or value == ""


def _isblank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and value.strip() == "")


def _concat(*arguments: Any) -> str | None:
    texts = [text for text in map(to_text, arguments) if text is not None]
    return "".join(texts) if texts else None


def _ltrim(value: Any, characters: Any = None) -> str | None:
    text = to_text(value)
    return None if text is None else text.lstrip(to_text(characters))


def _rtrim(value: Any, characters: Any = None) -> str | None:
    text = to_text(value)
    return None if text is None else text.rstrip(to_text(characters))


def _trim(value: Any, characters: Any = None) -> str | None:
    text = to_text(value)
    return None if text is None else text.strip(to_text(characters))


def _strlen(value: Any) -> int | None:
    text = to_text(value)
    return None if text is None else len(text)


def _toupper(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else text.upper()


def _tolower(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else text.lower()


def _substr(value: Any, start: Any, length: Any = None) -> str | None:
    text = to_text(value)
    first = _finite_number(start)
    if text is None or first is None:
        return None
    begin = min(max(int(first), 0), len(text))
    if length is None:
        return text[begin:]
    count = _finite_number(length)
    if count is None:
        return None
    return text[begin : begin + max(int(count), 0)]


def _replace(value: Any, search: Any, replacement: Any) -> str | None:
    text, needle, substitute = to_text(value), to_text(search), to_text(replacement)
    if text is None or needle is None or substitute is None:
        return None
    return text if needle == "" else text.replace(needle, substitute)


GROUP_REFERENCE = re.compile(r"\\(.)|\$(\d+)|\$\{(\w+)\}", re.DOTALL)


def _regex_replace(value: Any, pattern: Any, replacement: Any) -> str | None:
    text, pattern_text, template = to_text(value), to_text(pattern), to_text(replacement)
    if text is None or pattern_text is None or template is None:
        return None
    try:
        regex = compile_regex(pattern_text)
    except ValueError:
        return None
    return regex.sub(lambda match: _expand_replacement(template, match), text)


def _expand_replacement(template: str, match: re.Match[str]) -> str:
    def substitute(reference: re.Match[str]) -> str:
        escaped, number, name = reference.groups()
        if escaped is not None:
            return str(escaped)
        try:
            return match.group(int(number) if number is not None else name) or ""
        except IndexError:
            return ""

    return GROUP_REFERENCE.sub(substitute, template)


def _strcontains(value: Any, part: Any, case_insensitive: Any = False) -> bool:
    text, needle = to_text(value), to_text(part)
    if text is None or needle is None:
        return False
    if truthy(case_insensitive):
        return needle.casefold() in text.casefold()
    return needle in text


def _starts_with(value: Any, prefix: Any) -> bool:
    text, start = to_text(value), to_text(prefix)
    return text is not None and start is not None and text.startswith(start)


def _ends_with(value: Any, suffix: Any) -> bool:
    text, end = to_text(value), to_text(suffix)
    return text is not None and end is not None and text.endswith(end)


def _split(value: Any, delimiter: Any) -> list[str] | None:
    text, separator = to_text(value), to_text(delimiter)
    if text is None or separator is None:
        return None
    return list(text) if separator == "" else text.split(separator)


def _urlencode(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else urllib.parse.quote_plus(text, safe="")


def _urldecode(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else urllib.parse.unquote_plus(text, errors="replace")


def _base64encode(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else base64.b64encode(text.encode()).decode("ascii")


def _base64decode(value: Any) -> str | None:
    text = to_text(value)
    if text is None:
        return None
    compact = "".join(text.split())
    try:
        raw = base64.b64decode(compact + "=" * (-len(compact) % 4), validate=True)
        return raw.decode()
    except (binascii.Error, ValueError):
        return None


HEX_DIGITS = re.compile(r"(?:0[xX])?([0-9a-fA-F]*)")


def _hex_to_ascii(value: Any) -> str | None:
    text = to_text(value)
    match = HEX_DIGITS.fullmatch(text.strip()) if text is not None else None
    if match is None or len(match.group(1)) % 2:
        return None
    try:
        return bytes.fromhex(match.group(1)).decode()
    except ValueError:
        return None


SIGNED_HEX = re.compile(r"\s*([-+]?)(?:0[xX])?([0-9a-fA-F]+)\s*")


def _hex_to_dec(value: Any) -> int | None:
    text = to_text(value)
    match = SIGNED_HEX.fullmatch(text) if text is not None else None
    if match is None:
        return None
    sign, digits = match.groups()
    magnitude = int(digits, 16)
    return -magnitude if sign == "-" else magnitude


def _dec_to_hex(value: Any) -> str | None:
    number = _finite_number(value)
    if number is None:
        return None
    whole = int(number)
    return f"-0x{-whole:x}" if whole < 0 else f"0x{whole:x}"


def _md5(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else hashlib.md5(text.encode(), usedforsecurity=False).hexdigest()


def _sha256(value: Any) -> str | None:
    text = to_text(value)
    return None if text is None else hashlib.sha256(text.encode()).hexdigest()


# --- datetime (§9.3) ------------------------------------------------------------------------------


def epoch_ms(value: Any) -> int | None:
    """Epoch milliseconds of a Timestamp, a number of milliseconds, or an ISO-8601 text (UTC if no offset)."""
    if isinstance(value, bool) or value is None:
        return None
    number = _finite_number(value)
    if number is not None:
        return int(number)
    if isinstance(value, str):
        return _iso_epoch_ms(value)
    return None


def _iso_epoch_ms(text: str) -> int | None:
    try:
        moment = datetime.fromisoformat(text.strip())
    except ValueError:
        return None
    return _to_epoch_ms(moment, UTC)


def _to_epoch_ms(moment: datetime, default_zone: tzinfo) -> int:
    if moment.tzinfo is None:
        moment = moment.replace(tzinfo=default_zone)
    return (moment - EPOCH) // timedelta(milliseconds=1)


def _bucket(value: Any, period: Any, rounding: Callable[[int, Duration], int]) -> Timestamp | None:
    moment = epoch_ms(value)
    if moment is None or not isinstance(period, Duration):
        return None
    try:
        return Timestamp(rounding(moment, period))
    except (ValueError, OverflowError):
        return None


def _bin(timestamp: Any, period: Any) -> Timestamp | None:
    return _bucket(timestamp, period, floor_timestamp)


def _datefloor(timestamp: Any, period: Any) -> Timestamp | None:
    return _bucket(timestamp, period, floor_timestamp)


def _dateceil(timestamp: Any, period: Any) -> Timestamp | None:
    return _bucket(timestamp, period, ceil_timestamp)


def _from_millis(value: Any) -> Timestamp | None:
    number = _finite_number(value)
    return None if number is None or isinstance(value, bool) else Timestamp(int(number))


def _to_millis(value: Any) -> int | None:
    return epoch_ms(value)


def _now(context: QueryContext) -> int:
    return context.now_ms // 1000


def _query_start_time(context: QueryContext) -> int | None:
    return context.start_ms


def _query_end_time(context: QueryContext) -> int | None:
    return context.end_ms


def _query_time_range(context: QueryContext) -> int | None:
    if context.start_ms is None or context.end_ms is None:
        return None
    return context.end_ms - context.start_ms


@lru_cache(maxsize=64)
def _zone(name: str) -> tzinfo | None:
    """UTC, a fixed offset (`+05:30`, `-0800`, `Z`) or an IANA zone; None when unknown."""
    if name.upper() in ("UTC", "Z", "GMT"):
        return UTC
    offset = re.fullmatch(r"(?:UTC|GMT)?([-+])(\d{1,2}):?(\d{2})?", name.strip())
    if offset is not None:
        sign, hours, minutes = offset.groups()
        delta = timedelta(hours=int(hours), minutes=int(minutes or 0))
        return timezone(-delta if sign == "-" else delta) if delta < timedelta(hours=24) else None
    try:
        return ZoneInfo(name)
    except (ValueError, OSError, KeyError):
        return None


def _zone_argument(zone_name: Any) -> tzinfo | None:
    if zone_name is None:
        return UTC
    text = to_text(zone_name)
    return None if text is None else _zone(text)


def _format_date(timestamp: Any, pattern: Any, zone_name: Any = None) -> str | None:
    moment_ms, directives, zone = epoch_ms(timestamp), to_text(pattern), _zone_argument(zone_name)
    if moment_ms is None or directives is None or zone is None:
        return None
    try:
        return (EPOCH + timedelta(milliseconds=moment_ms)).astimezone(zone).strftime(directives)
    except (ValueError, OverflowError):
        return None


JAVA_PATTERN_TOKENS = re.compile(r"'[^']*'|([A-Za-z])\1*|.", re.DOTALL)
JAVA_TO_STRPTIME = {
    "yyyy": "%Y", "uuuu": "%Y", "yy": "%y", "uu": "%y",
    "MMMM": "%B", "MMM": "%b", "MM": "%m", "M": "%m",
    "dd": "%d", "d": "%d", "HH": "%H", "H": "%H", "hh": "%I", "h": "%I",
    "mm": "%M", "m": "%M", "ss": "%S", "s": "%S", "a": "%p",
    "EEEE": "%A", "EEE": "%a", "E": "%a", "DDD": "%j", "D": "%j",
    "z": "%Z", "zzz": "%Z",
}  # fmt: skip
JAVA_OFFSET_LETTERS = "XZx"


@lru_cache(maxsize=64)
def java_pattern_to_strptime(pattern: str) -> str:
    """Java DateTimeFormatter pattern → `strptime` format; ValueError on unsupported letters."""
    pieces = []
    for token in JAVA_PATTERN_TOKENS.finditer(pattern):
        text = token.group(0)
        if text.startswith("'"):
            pieces.append(text[1:-1].replace("%", "%%") or "'")
        elif token.group(1) is None:
            pieces.append(text.replace("%", "%%"))
        elif text[0] in JAVA_OFFSET_LETTERS:
            pieces.append("%z")
        elif text[0] == "S":
            pieces.append("%f")
        elif text in JAVA_TO_STRPTIME:
            pieces.append(JAVA_TO_STRPTIME[text])
        else:
            raise ValueError(f"unsupported date pattern letters '{text}' in '{pattern}'")
    return "".join(pieces)


def _parse_date(value: Any, pattern: Any, zone_name: Any = None) -> int | None:
    text, java_pattern, zone = to_text(value), to_text(pattern), _zone_argument(zone_name)
    if text is None or java_pattern is None or zone is None:
        return None
    try:
        moment = datetime.strptime(text, java_pattern_to_strptime(java_pattern))
        return _to_epoch_ms(moment, zone)
    except (ValueError, OverflowError):
        return None


# --- general and conditional (§9.4) ---------------------------------------------------------------


def _ispresent(value: Any) -> bool:
    return value is not None


def _coalesce(*arguments: Any) -> Any:
    return next((value for value in arguments if value is not None), None)


def _if(condition: Any, when_true: Any, when_false: Any = None) -> Any:
    return when_true if truthy(condition) else when_false


def _case(*arguments: Any) -> Any:
    pairs_end = len(arguments) - len(arguments) % 2
    for index in range(0, pairs_end, 2):
        if truthy(arguments[index]):
            return arguments[index + 1]
    return arguments[-1] if len(arguments) % 2 else None


def _is_numeric(value: Any) -> bool:
    return not isinstance(value, bool) and to_number(value) is not None


def _message_size(value: Any) -> int | None:
    text = to_text(value) if not isinstance(value, dict | list) else json_text(value)
    return None if text is None else len(text.encode())


# --- JSON (§9.5) ----------------------------------------------------------------------------------


def _json_parse(value: Any) -> dict[str, Any] | list[Any] | None:
    if isinstance(value, dict | list):
        return value
    if not isinstance(value, str):
        return None
    try:
        parsed = orjson.loads(value)
    except orjson.JSONDecodeError:
        return None
    return parsed if isinstance(parsed, dict | list) else None


def _json_stringify(value: Any) -> str | None:
    return json_text(value) if isinstance(value, dict | list) else None


def _json_array(value: Any) -> list[Any] | None:
    parsed = _json_parse(value)
    return parsed if isinstance(parsed, list) else None


def _json_array_size(value: Any) -> int | None:
    array = _json_array(value)
    return None if array is None else len(array)


def _json_array_contains(value: Any, wanted: Any) -> bool:
    array = _json_array(value)
    return array is not None and any(equals(element, wanted) for element in array)


# --- IP addresses (§9.6) --------------------------------------------------------------------------

PRIVATE_NETWORKS = tuple(
    ipaddress.ip_network(cidr) for cidr in ("10.0.0.0/8", "172.16.0.0/12", "192.168.0.0/16", "fc00::/7")
)
RESERVED_NETWORKS = tuple(
    ipaddress.ip_network(cidr)
    for cidr in (
        "0.0.0.0/8", "100.64.0.0/10", "127.0.0.0/8", "169.254.0.0/16", "192.0.0.0/24", "192.0.2.0/24",
        "192.88.99.0/24", "198.18.0.0/15", "198.51.100.0/24", "203.0.113.0/24", "224.0.0.0/4",
        "240.0.0.0/4", "255.255.255.255/32",
        "::/128", "::1/128", "::ffff:0:0/96", "64:ff9b::/96", "64:ff9b:1::/48", "100::/64",
        "2001::/23", "2001:db8::/32", "2002::/16", "3fff::/20", "fe80::/10", "ff00::/8",
    )
)  # fmt: skip


def parse_ip(value: Any) -> IpAddress | None:
    """The address a string holds, or None (service names such as `ec2.amazonaws.com` included)."""
    if not isinstance(value, str):
        return None
    try:
        return ipaddress.ip_address(value.strip())
    except ValueError:
        return None


@lru_cache(maxsize=256)
def parse_network(cidr: str) -> ipaddress.IPv4Network | ipaddress.IPv6Network | None:
    """A CIDR block (host bits allowed), or None."""
    try:
        return ipaddress.ip_network(cidr.strip(), strict=False)
    except ValueError:
        return None


def _is_valid_ip(value: Any) -> bool:
    return parse_ip(value) is not None


def _is_valid_ipv4(value: Any) -> bool:
    return isinstance(parse_ip(value), ipaddress.IPv4Address)


def _is_valid_ipv6(value: Any) -> bool:
    return isinstance(parse_ip(value), ipaddress.IPv6Address)


def _in_subnet(value: Any, cidr: Any, version: int | None) -> bool:
    address = parse_ip(value)
    network = parse_network(cidr) if isinstance(cidr, str) else None
    if address is None or network is None or address.version != network.version:
        return False
    return (version is None or address.version == version) and address in network


def _is_ip_in_subnet(value: Any, cidr: Any) -> bool:
    return _in_subnet(value, cidr, version=None)


def _is_ipv4_in_subnet(value: Any, cidr: Any) -> bool:
    return _in_subnet(value, cidr, version=4)


def _is_ipv6_in_subnet(value: Any, cidr: Any) -> bool:
    return _in_subnet(value, cidr, version=6)


def _ipv4_to_number(value: Any) -> int | None:
    address = parse_ip(value)
    return int(address) if isinstance(address, ipaddress.IPv4Address) else None


def _in_any(address: IpAddress, networks: tuple[Any, ...]) -> bool:
    return any(address.version == network.version and address in network for network in networks)


def _is_private_ip(value: Any) -> bool:
    address = parse_ip(value)
    return address is not None and _in_any(address, PRIVATE_NETWORKS)


def _is_reserved_ip(value: Any) -> bool:
    address = parse_ip(value)
    return address is not None and _in_any(address, RESERVED_NETWORKS)


def _is_public_ip(value: Any) -> bool:
    address = parse_ip(value)
    return (
        address is not None
        and not _in_any(address, PRIVATE_NETWORKS)
        and not _in_any(address, RESERVED_NETWORKS)
    )


# --- the table ------------------------------------------------------------------------------------


def _predicate(
    name: str, min_args: int, max_args: int | None, implementation: Callable[..., Any], doc: str
) -> ScalarFunction:
    return ScalarFunction(name, min_args, max_args, implementation, doc, returns_boolean=True)


def _contextual(name: str, implementation: Callable[..., Any], doc: str) -> ScalarFunction:
    return ScalarFunction(name, 0, 0, implementation, doc, needs_context=True)


_DEFINITIONS = (
    ScalarFunction("abs", 1, 1, _abs, "Absolute value of a number."),
    ScalarFunction("ceil", 1, 1, _ceil, "Round up to the nearest integer."),
    ScalarFunction("floor", 1, 1, _floor, "Round down to the nearest integer."),
    ScalarFunction("round", 1, 2, _round, "Round to the nearest integer, or to d decimals: round(a [, d])."),
    ScalarFunction("greatest", 1, None, _greatest, "Largest of the arguments."),
    ScalarFunction("least", 1, None, _least, "Smallest of the arguments."),
    ScalarFunction("log", 1, 1, _log, "Natural logarithm."),
    ScalarFunction("sqrt", 1, 1, _sqrt, "Square root."),
    ScalarFunction("haversine", 4, 4, _haversine, "Great-circle distance in km between two lat/lon points."),
    ScalarFunction("toNumber", 1, 1, _to_number, "Convert a string to a number."),
    ScalarFunction("toInt", 1, 1, _to_int, "Convert to a 32-bit integer (truncates)."),
    ScalarFunction("toLong", 1, 1, _to_long, "Convert to a 64-bit integer (truncates)."),
    ScalarFunction("toDouble", 1, 1, _to_double, "Convert to a floating-point number."),
    _predicate("isempty", 1, 1, _isempty, "1 if the field is missing or an empty string."),
    _predicate("isblank", 1, 1, _isblank, "1 if the field is missing, empty or only whitespace."),
    ScalarFunction("concat", 1, None, _concat, "Concatenate strings."),
    ScalarFunction("ltrim", 1, 2, _ltrim, "Remove leading whitespace, or the given characters."),
    ScalarFunction("rtrim", 1, 2, _rtrim, "Remove trailing whitespace, or the given characters."),
    ScalarFunction("trim", 1, 2, _trim, "Remove leading and trailing whitespace, or the given characters."),
    ScalarFunction("strlen", 1, 1, _strlen, "Length in Unicode code points."),
    ScalarFunction("toupper", 1, 1, _toupper, "Convert to upper case."),
    ScalarFunction("tolower", 1, 1, _tolower, "Convert to lower case."),
    ScalarFunction("substr", 2, 3, _substr, "Substring from a zero-based start: substr(s, start [, len])."),
    ScalarFunction("replace", 3, 3, _replace, "Replace every literal occurrence: replace(s, search, repl)."),
    ScalarFunction("regexReplace", 3, 3, _regex_replace, "Replace every regex match ($1 refers to a group)."),
    _predicate("strcontains", 2, 3, _strcontains, "1 if s contains sub; third argument: ignore case."),
    _predicate("startsWith", 2, 2, _starts_with, "1 if the string starts with the prefix."),
    _predicate("endsWith", 2, 2, _ends_with, "1 if the string ends with the suffix."),
    ScalarFunction("split", 2, 2, _split, "List of the substrings between delimiters."),
    ScalarFunction("urlencode", 1, 1, _urlencode, "URL-encode (form encoding)."),
    ScalarFunction("urldecode", 1, 1, _urldecode, "URL-decode."),
    ScalarFunction("base64encode", 1, 1, _base64encode, "Base64 of the UTF-8 bytes."),
    ScalarFunction("base64decode", 1, 1, _base64decode, "Decode Base64 to UTF-8 text."),
    ScalarFunction("hexToAscii", 1, 1, _hex_to_ascii, "Decode hexadecimal bytes to text."),
    ScalarFunction("hexToDec", 1, 1, _hex_to_dec, "Hexadecimal text to a number."),
    ScalarFunction("decToHex", 1, 1, _dec_to_hex, "Number to hexadecimal text (0x prefix, truncates)."),
    ScalarFunction("md5", 1, 1, _md5, "MD5 hash, lowercase hex."),
    ScalarFunction("sha256", 1, 1, _sha256, "SHA-256 hash, lowercase hex."),
    ScalarFunction("bin", 2, 2, _bin, "@timestamp rounded down to the period: bin(period)."),
    ScalarFunction("datefloor", 2, 2, _datefloor, "Timestamp rounded down to the period."),
    ScalarFunction("dateceil", 2, 2, _dateceil, "Timestamp rounded up to the period."),
    ScalarFunction("fromMillis", 1, 1, _from_millis, "Epoch milliseconds to a timestamp."),
    ScalarFunction("toMillis", 1, 1, _to_millis, "Timestamp to epoch milliseconds."),
    _contextual("now", _now, "Query start time in epoch seconds."),
    ScalarFunction("parseDate", 2, 3, _parse_date, "Parse a date with a Java pattern to epoch ms."),
    ScalarFunction("formatDate", 2, 3, _format_date, "Format a timestamp with strftime directives."),
    ScalarFunction("strftime", 2, 3, _format_date, "Alias of formatDate."),
    _contextual("queryStartTime", _query_start_time, "Start of the query time range, epoch ms."),
    _contextual("queryEndTime", _query_end_time, "End of the query time range, epoch ms."),
    _contextual("queryTimeRange", _query_time_range, "Length of the query time range in ms."),
    _predicate("ispresent", 1, 1, _ispresent, "True if the field exists."),
    ScalarFunction("coalesce", 1, None, _coalesce, "First argument that is not missing."),
    ScalarFunction("if", 2, 3, _if, "a if the condition is true, else b: if(cond, a, b)."),
    ScalarFunction("case", 2, 21, _case, "Value of the first true condition: case(c1, v1, ..., [default])."),
    _predicate("isNumeric", 1, 1, _is_numeric, "True if the value parses as a number."),
    ScalarFunction("messageSize", 1, 1, _message_size, "Size of the value in UTF-8 bytes."),
    ScalarFunction("jsonParse", 1, 1, _json_parse, "Parse a JSON string into a map or list."),
    ScalarFunction("jsonStringify", 1, 1, _json_stringify, "Map or list to JSON text."),
    ScalarFunction("jsonArraySize", 1, 1, _json_array_size, "Number of elements in a JSON array."),
    _predicate("jsonArrayContains", 2, 2, _json_array_contains, "True if the JSON array contains the value."),
    _predicate("isValidIp", 1, 1, _is_valid_ip, "True for a valid IPv4 or IPv6 address."),
    _predicate("isValidIpV4", 1, 1, _is_valid_ipv4, "True for a valid IPv4 address."),
    _predicate("isValidIpV6", 1, 1, _is_valid_ipv6, "True for a valid IPv6 address."),
    _predicate("isIpInSubnet", 2, 2, _is_ip_in_subnet, "True if the address is in the CIDR block."),
    _predicate("isIpv4InSubnet", 2, 2, _is_ipv4_in_subnet, "True if the IPv4 address is in the CIDR block."),
    _predicate("isIpv6InSubnet", 2, 2, _is_ipv6_in_subnet, "True if the IPv6 address is in the CIDR block."),
    ScalarFunction("ipv4ToNumber", 1, 1, _ipv4_to_number, "IPv4 address as an unsigned 32-bit number."),
    _predicate("isPrivateIP", 1, 1, _is_private_ip, "True for a private address (RFC 1918, IPv6 ULA)."),
    _predicate("isPublicIP", 1, 1, _is_public_ip, "True for an address neither private nor reserved."),
    _predicate("isReservedIP", 1, 1, _is_reserved_ip, "True for an IANA special-purpose address."),
)

SCALAR_FUNCTIONS: dict[str, ScalarFunction] = {function.name.lower(): function for function in _DEFINITIONS}
