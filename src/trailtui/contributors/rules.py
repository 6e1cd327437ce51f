"""Contributor Insights rule bodies: parse and validate one exactly as `PutInsightRule` accepts it.

`parse_rule` takes the rule definition (JSON text, bytes or an already parsed mapping) and returns a frozen
`Rule`, or raises `RuleError` naming the reason and the JSON location of the offending value
(`Contribution.Filters[1].In: must be a non-empty array of at most 10 values`).

Decisions where AWS's behaviour is not documented (spec §1 and §7), made strict so that a rule accepted
here is never refused by CloudWatch for a reason we could have seen:
- unknown keys are rejected at every level (top level, `Schema`, `Contribution`, each filter);
- `ValueOf` is required with `AggregateOn: Sum` and refused with `Count`;
- `Fields` is refused in JSON rules (it only means something for CLF);
- JSON paths are `$` followed by `.name` and `[index]` steps; wildcards and quoted bracket names
  (`$.['a.b']`) are rejected, as no escape is documented;
- the filter operators are exactly the eight the spec lists; `NotStartsWith`, `GreaterThanOrEqualTo` and
  friends do not exist in CloudWatch and are rejected as unknown operators.
"""

from __future__ import annotations

import math
import re
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any

import orjson

SCHEMA_NAME = "CloudWatchLogRule"
SCHEMA_VERSION = 1
MAX_DEFINITION_CHARS = 8192
MAX_KEYS = 4
MAX_FILTERS = 4
MAX_FILTER_STRINGS = 10
MAX_RULE_NAME_CHARS = 128
LOG_FORMATS = ("JSON", "CLF")
AGGREGATIONS = ("Count", "Sum")
RULE_STATES = ("ENABLED", "DISABLED")
STRING_LIST_OPERATORS = ("In", "NotIn", "StartsWith")
NUMBER_OPERATORS = ("EqualTo", "NotEqualTo", "GreaterThan", "LessThan")
BOOLEAN_OPERATORS = ("IsPresent",)
OPERATORS = STRING_LIST_OPERATORS + NUMBER_OPERATORS + BOOLEAN_OPERATORS

TOP_LEVEL_KEYS = (
    "Schema",
    "LogGroupNames",
    "LogGroupARNs",
    "LogFormat",
    "Fields",
    "Contribution",
    "AggregateOn",
)
CONTRIBUTION_KEYS = ("Keys", "ValueOf", "Filters")
SCHEMA_KEYS = ("Name", "Version")

_PATH_NAME = r"[^.\[\]\s*'\"]+"
_JSON_PATH = re.compile(rf"\$(?:\.{_PATH_NAME}|\[[0-9]+\])+")
_PATH_STEP = re.compile(rf"\.({_PATH_NAME})|\[([0-9]+)\]")
_CLF_POSITION = re.compile(r"[1-9][0-9]*")
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}\*?")
_LOG_GROUP_ARN = re.compile(
    r"arn:aws[a-z-]*:logs:[a-z0-9-]+:(?:\d{12}|\*):log-group[:/][.\-_/#A-Za-z0-9]{1,512}\*?"
)
_RULE_NAME = re.compile(r"[\x20-\x7e]+")

PathStep = str | int
FieldCheck = Callable[[object, str], str]


class RuleError(ValueError):
    """A rule definition CloudWatch would refuse; `location` is the JSON path of the offending value."""

    def __init__(self, location: str, reason: str) -> None:
        super().__init__(f"{location}: {reason}")
        self.location = location
        self.reason = reason


@dataclass(frozen=True, slots=True)
class Filter:
    """One `{"Match": path, <Operator>: operand}` object of `Contribution.Filters`.

    `operand` is a tuple of strings (In, NotIn, StartsWith), a float (numeric operators) or a bool
    (IsPresent).
    """

    match: str
    operator: str
    operand: tuple[str, ...] | float | bool


@dataclass(frozen=True, slots=True)
class Rule:
    """A validated rule body. `definition` is the body as given (parsed), for display and round trips."""

    log_format: str
    keys: tuple[str, ...]
    filters: tuple[Filter, ...]
    aggregate_on: str
    value_of: str | None
    log_group_names: tuple[str, ...]
    log_group_arns: tuple[str, ...]
    fields: tuple[tuple[int, str], ...]
    definition: Mapping[str, Any]

    def matches_log_group(self, name: str) -> bool:
        """Whether the rule evaluates events of this log group (by name; a trailing `*` is a prefix)."""
        return any(_name_matches(pattern, name) for pattern in self.log_group_names)


def _name_matches(pattern: str, name: str) -> bool:
    if pattern.endswith("*"):
        return name.startswith(pattern[:-1])
    return name == pattern


def parse_rule(definition: str | bytes | Mapping[str, Any]) -> Rule:
    """Validate a rule body and return it as a `Rule`; raise `RuleError` if PutInsightRule would refuse it."""
    body = _load_definition(_definition_text(definition))
    if not isinstance(body, Mapping):
        raise RuleError("RuleDefinition", "must be a JSON object")
    _reject_unknown_keys(body, TOP_LEVEL_KEYS, "")
    _check_schema(body)
    log_format = _one_of(_required(body, "LogFormat", ""), LOG_FORMATS, "LogFormat")
    aggregate_on = _one_of(_required(body, "AggregateOn", ""), AGGREGATIONS, "AggregateOn")
    names, arns = _log_groups(body)
    fields = _clf_fields(body, log_format)
    contribution = _required(body, "Contribution", "")
    if not isinstance(contribution, Mapping):
        raise RuleError("Contribution", "must be an object")
    _reject_unknown_keys(contribution, CONTRIBUTION_KEYS, "Contribution.")
    field_check = _field_checker(log_format, fields)
    return Rule(
        log_format=log_format,
        keys=_keys(contribution, field_check),
        filters=_filters(contribution, field_check),
        aggregate_on=aggregate_on,
        value_of=_value_of(contribution, aggregate_on, field_check),
        log_group_names=names,
        log_group_arns=arns,
        fields=fields,
        definition=body,
    )


def validate_rule_name(name: object) -> str:
    """A `RuleName` as PutInsightRule accepts it: 1–128 printable ASCII characters."""
    if (
        not isinstance(name, str)
        or not name
        or len(name) > MAX_RULE_NAME_CHARS
        or not _RULE_NAME.fullmatch(name)
    ):
        raise RuleError("RuleName", f"must be 1 to {MAX_RULE_NAME_CHARS} printable ASCII characters")
    return name


def validate_rule_state(state: object) -> str:
    """A `RuleState`: ENABLED or DISABLED."""
    return _one_of(state, RULE_STATES, "RuleState")


def parse_json_path(path: str) -> tuple[PathStep, ...]:
    """The steps of a valid JSON property path: `$.users[1].name` → ("users", 1, "name")."""
    return tuple(name if name else int(index) for name, index in _PATH_STEP.findall(path))


def _definition_text(definition: str | bytes | Mapping[str, Any]) -> str:
    """The body as the text PutInsightRule would receive; a mapping is serialised as compact JSON."""
    if isinstance(definition, str):
        return definition
    if isinstance(definition, bytes):
        return definition.decode("utf-8", "replace")
    try:
        return orjson.dumps(definition).decode()
    except orjson.JSONEncodeError as error:
        raise RuleError("RuleDefinition", f"is not JSON-serialisable ({error})") from None


def _load_definition(text: str) -> Any:
    if not text:
        raise RuleError("RuleDefinition", "must not be empty")
    if len(text) > MAX_DEFINITION_CHARS:
        raise RuleError("RuleDefinition", f"must be at most {MAX_DEFINITION_CHARS} characters")
    if not text.isascii():
        raise RuleError("RuleDefinition", "must contain ASCII characters only")
    try:
        return orjson.loads(text)
    except orjson.JSONDecodeError as error:
        raise RuleError("RuleDefinition", f"is not valid JSON ({error})") from None


def _reject_unknown_keys(body: Mapping[Any, Any], known: tuple[str, ...], prefix: str) -> None:
    for key in body:
        if key not in known:
            raise RuleError(f"{prefix}{key}", f"unknown key; expected one of {', '.join(known)}")


def _required(body: Mapping[str, Any], key: str, prefix: str) -> Any:
    if key not in body:
        raise RuleError(f"{prefix}{key}", "is required")
    return body[key]


def _one_of(value: object, allowed: tuple[str, ...], location: str) -> str:
    if not isinstance(value, str) or value not in allowed:
        raise RuleError(location, f"must be one of {', '.join(allowed)}")
    return value


def _check_schema(body: Mapping[str, Any]) -> None:
    schema = _required(body, "Schema", "")
    if not isinstance(schema, Mapping):
        raise RuleError("Schema", f'must be {{"Name": "{SCHEMA_NAME}", "Version": {SCHEMA_VERSION}}}')
    _reject_unknown_keys(schema, SCHEMA_KEYS, "Schema.")
    if _required(schema, "Name", "Schema.") != SCHEMA_NAME:
        raise RuleError("Schema.Name", f"must be {SCHEMA_NAME}")
    version = _required(schema, "Version", "Schema.")
    if isinstance(version, bool) or version != SCHEMA_VERSION:
        raise RuleError("Schema.Version", f"must be {SCHEMA_VERSION}")


def _log_groups(body: Mapping[str, Any]) -> tuple[tuple[str, ...], tuple[str, ...]]:
    has_names, has_arns = "LogGroupNames" in body, "LogGroupARNs" in body
    if has_names == has_arns:
        raise RuleError("LogGroupNames", "specify exactly one of LogGroupNames or LogGroupARNs")
    if has_names:
        return _string_array(body["LogGroupNames"], "LogGroupNames", _LOG_GROUP_NAME, "a log group name"), ()
    return (), _string_array(body["LogGroupARNs"], "LogGroupARNs", _LOG_GROUP_ARN, "a log group ARN")


def _string_array(value: object, location: str, pattern: re.Pattern[str], what: str) -> tuple[str, ...]:
    if not isinstance(value, list) or not value:
        raise RuleError(location, "must be a non-empty array of strings")
    for position, entry in enumerate(value):
        if not isinstance(entry, str) or not pattern.fullmatch(entry):
            raise RuleError(f"{location}[{position}]", f"must be {what} (a trailing * makes it a prefix)")
    return tuple(value)


def _clf_fields(body: Mapping[str, Any], log_format: str) -> tuple[tuple[int, str], ...]:
    if "Fields" not in body:
        return ()
    fields = body["Fields"]
    if log_format != "CLF":
        raise RuleError("Fields", "is only allowed with LogFormat CLF")
    if not isinstance(fields, Mapping):
        raise RuleError("Fields", 'must be an object mapping positions to aliases, like {"4": "IpAddress"}')
    aliases: list[tuple[int, str]] = []
    for position, alias in fields.items():
        if not isinstance(position, str) or not _CLF_POSITION.fullmatch(position):
            raise RuleError(f"Fields.{position}", "must be a 1-based field position")
        if not isinstance(alias, str) or not alias:
            raise RuleError(f"Fields.{position}", "must be a non-empty alias string")
        aliases.append((int(position), alias))
    return tuple(aliases)


def _field_checker(log_format: str, fields: tuple[tuple[int, str], ...]) -> FieldCheck:
    """A function validating one field reference (`Keys`, `ValueOf`, `Match`) for this log format."""
    aliases = {alias for _, alias in fields}

    def check_json_path(value: object, location: str) -> str:
        if not isinstance(value, str) or not _JSON_PATH.fullmatch(value):
            raise RuleError(location, "must be a JSON property path like $.userIdentity.arn (no wildcards)")
        return value

    def check_clf_field(value: object, location: str) -> str:
        if not isinstance(value, str) or not (_CLF_POSITION.fullmatch(value) or value in aliases):
            raise RuleError(location, "must be a 1-based CLF field position or an alias from Fields")
        return value

    return check_json_path if log_format == "JSON" else check_clf_field


def _keys(contribution: Mapping[str, Any], field_check: FieldCheck) -> tuple[str, ...]:
    keys = _required(contribution, "Keys", "Contribution.")
    if not isinstance(keys, list) or not 1 <= len(keys) <= MAX_KEYS:
        raise RuleError("Contribution.Keys", f"must be an array of 1 to {MAX_KEYS} keys")
    return tuple(field_check(key, f"Contribution.Keys[{position}]") for position, key in enumerate(keys))


def _value_of(contribution: Mapping[str, Any], aggregate_on: str, field_check: FieldCheck) -> str | None:
    if "ValueOf" not in contribution:
        if aggregate_on == "Sum":
            raise RuleError("Contribution.ValueOf", "is required when AggregateOn is Sum")
        return None
    if aggregate_on != "Sum":
        raise RuleError("Contribution.ValueOf", "is only allowed when AggregateOn is Sum")
    return field_check(contribution["ValueOf"], "Contribution.ValueOf")


def _filters(contribution: Mapping[str, Any], field_check: FieldCheck) -> tuple[Filter, ...]:
    filters = contribution.get("Filters", [])
    if not isinstance(filters, list) or len(filters) > MAX_FILTERS:
        raise RuleError("Contribution.Filters", f"must be an array of at most {MAX_FILTERS} filters")
    return tuple(
        _filter(entry, f"Contribution.Filters[{position}]", field_check)
        for position, entry in enumerate(filters)
    )


def _filter(entry: object, location: str, field_check: FieldCheck) -> Filter:
    if not isinstance(entry, Mapping):
        raise RuleError(location, "must be an object with Match and one operator")
    match = field_check(_required(entry, "Match", f"{location}."), f"{location}.Match")
    operators = [key for key in entry if key != "Match"]
    for key in operators:
        if key not in OPERATORS:
            raise RuleError(f"{location}.{key}", f"unknown operator; expected one of {', '.join(OPERATORS)}")
    if len(operators) != 1:
        raise RuleError(location, f"must have exactly one operator, found {len(operators)}")
    operator = operators[0]
    return Filter(match, operator, _operand(operator, entry[operator], f"{location}.{operator}"))


def _operand(operator: str, value: object, location: str) -> tuple[str, ...] | float | bool:
    if operator in STRING_LIST_OPERATORS:
        strings = tuple(value) if isinstance(value, list) else ()
        if not 1 <= len(strings) <= MAX_FILTER_STRINGS or not all(isinstance(item, str) for item in strings):
            raise RuleError(location, f"must be a non-empty array of at most {MAX_FILTER_STRINGS} strings")
        return strings
    if operator in NUMBER_OPERATORS:
        if isinstance(value, bool) or not isinstance(value, int | float) or not math.isfinite(value):
            raise RuleError(location, "must be a number")
        return float(value)
    if not isinstance(value, bool):
        raise RuleError(location, "must be true or false")
    return value
