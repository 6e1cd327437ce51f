"""Per-event evaluation of a Contributor Insights rule, compiled once into closures.

`compile_rule(rule)` returns `contribution(event)`, which answers `(keys, value)` when the event matches
every filter and has every key, else None. `keys` is a tuple of strings aligned with `rule.keys`; `value` is
1.0 for `Count` rules and the numeric `ValueOf` for `Sum` rules.

Field semantics (spec §2 and §7; CloudWatch documents none of these, so each is a decision):
- A field is *present* only as a leaf: missing fields, JSON `null`, objects and arrays all read as absent
  (the project's event model treats `null` the same way). `IsPresent: true` asks for a present leaf.
- A filter on an absent field fails, whatever its operator, except `IsPresent: false`; so `NotIn` and
  `NotEqualTo` never match a missing field (§7.2).
- `In`, `NotIn`, `StartsWith` and key values compare the field's JSON text: a number matches `"200"`,
  `true` matches `"true"` (§7.5). Numbers are written in canonical JSON form (`1.50` becomes `1.5`) since the
  event's original text is no longer at hand (§2.4).
- Numeric operators and `ValueOf` accept JSON numbers and strings that spell a JSON number (`"200"`,
  §7.4); other values fail the filter or drop the event (§2.3, §2.5). Booleans are not numbers.
- An event missing any key, or with an object or array as a key value, does not contribute (§7.1, §7.3).
- CLF events are split on spaces; a `"double-quoted"` or `[bracketed]` run is one field without its
  delimiters, as in Common Log Format lines; `-` stays a literal value. Field 1 is the first.
"""

from __future__ import annotations

import re
from collections.abc import Callable, Sequence
from typing import Any

import orjson

from trailtui.contributors.rules import Filter, Rule, parse_json_path
from trailtui.events.model import Event

Keys = tuple[str, ...]
Contribution = tuple[Keys, float]
Evaluator = Callable[[Event], Contribution | None]
BatchEvaluator = Callable[[Sequence[Event]], list[tuple[Event, Contribution]]]
Getter = Callable[[Any], Any]
Predicate = Callable[[Any], bool]

_JSON_NUMBER = re.compile(r"-?(?:0|[1-9]\d*)(?:\.\d+)?(?:[eE][+-]?\d+)?")
_CLF_FIELD = re.compile(r'"([^"]*)"|\[([^\]]*)\]|(\S+)')
MAX_MEMO_ENTRIES = 100_000


def compile_rule(rule: Rule) -> Evaluator:
    """The rule's per-event function: `(keys, value)` for a contributing event, None otherwise."""
    getter_for = _json_getter if rule.log_format == "JSON" else _clf_getter_factory(rule)
    filters = tuple(_compile_filter(entry, getter_for(entry.match)) for entry in rule.filters)
    read_keys = _keys_reader(tuple(getter_for(key) for key in rule.keys))
    read_value = _value_reader(getter_for(rule.value_of)) if rule.value_of else _count_one
    read_document = _read_record if rule.log_format == "JSON" else _read_clf_fields

    def contribution(event: Event) -> Contribution | None:
        document = read_document(event)
        for passes in filters:
            if not passes(document):
                return None
        keys = read_keys(document)
        if keys is None:
            return None
        value = read_value(document)
        if value is None:
            return None
        return keys, value

    return contribution


def compile_rule_batch(rule: Rule) -> BatchEvaluator:
    """The rule over a batch: `(event, contribution)` for each contributing event, in batch order.

    Exactly `compile_rule(rule)` applied to each event, with less work per event for JSON rules:
    - a rule that reads a single top-level field (filters, keys and value alike) is a function of that
      field's value alone, so its contribution is computed once per distinct string value (a bounded memo);
    - otherwise the first filter on a top-level field screens the batch in one comprehension, settling
      string values that fail it; every event that passes is evaluated in full.
    """
    contribution = compile_rule(rule)
    if rule.log_format != "JSON":
        return _each(contribution)
    single = _single_top_level_field(rule)
    if single is not None:
        return _memoized(single, contribution)
    screens = [(name, entry) for entry in rule.filters if (name := _top_level_name(entry.match)) is not None]
    if not screens:
        return _each(contribution)
    screen = _screen(*screens[0])

    def screened(events: Sequence[Event]) -> list[tuple[Event, Contribution]]:
        return [(event, result) for event in screen(events) if (result := contribution(event)) is not None]

    return screened


def _each(contribution: Evaluator) -> BatchEvaluator:
    def each(events: Sequence[Event]) -> list[tuple[Event, Contribution]]:
        return [(event, result) for event in events if (result := contribution(event)) is not None]

    return each


def _top_level_name(path: str) -> str | None:
    steps = parse_json_path(path)
    return steps[0] if len(steps) == 1 and isinstance(steps[0], str) else None


def _single_top_level_field(rule: Rule) -> str | None:
    paths = {*rule.keys, *(entry.match for entry in rule.filters)}
    if rule.value_of:
        paths.add(rule.value_of)
    names = {_top_level_name(path) for path in paths}
    if len(names) != 1:
        return None
    return names.pop()


def _memoized(name: str, contribution: Evaluator) -> BatchEvaluator:
    """Contributions of a rule that reads only `record[name]`, computed once per distinct string value."""
    memo: dict[str, Contribution | None] = {}

    def memoized(events: Sequence[Event]) -> list[tuple[Event, Contribution]]:
        found: list[tuple[Event, Contribution]] = []
        for event in events:
            value = event.record.get(name)
            if value.__class__ is str:
                if value in memo:
                    result = memo[value]
                else:
                    if len(memo) >= MAX_MEMO_ENTRIES:
                        memo.clear()
                    result = memo[value] = contribution(event)
            else:
                result = contribution(event)
            if result is not None:
                found.append((event, result))
        return found

    return memoized


def _screen(name: str, entry: Filter) -> Callable[[Sequence[Event]], list[Event]]:
    """A necessary condition of one filter on a top-level field, over a batch: the events that may pass.

    String values are judged here; any other value (absent ones aside) is left to the full evaluation.
    """
    operand = entry.operand
    if isinstance(operand, tuple) and entry.operator in ("In", "NotIn"):
        strings = frozenset(operand)
        wanted = entry.operator == "In"
        return lambda events: [
            event
            for event in events
            if (value := event.record.get(name)) is not None
            and (value.__class__ is not str or (value in strings) is wanted)
        ]
    if isinstance(operand, tuple):  # StartsWith
        prefixes = operand
        return lambda events: [
            event
            for event in events
            if (value := event.record.get(name)) is not None
            and (value.__class__ is not str or value.startswith(prefixes))
        ]
    if operand is False:  # IsPresent: false passes absent fields, and JSON null, objects and arrays
        return lambda events: [event for event in events if event.record.get(name).__class__ is not str]
    return lambda events: [event for event in events if event.record.get(name) is not None]


def as_text(value: Any) -> str:
    """A leaf's value as the string Contributor Insights compares and shows: JSON text for non-strings."""
    return value if type(value) is str else orjson.dumps(value).decode()


def as_number(value: Any) -> float | None:
    """A leaf's numeric value: JSON numbers and numeric-looking strings; None for anything else."""
    if type(value) is float or type(value) is int:
        return float(value)
    if type(value) is str and _JSON_NUMBER.fullmatch(value):
        return float(value)
    return None


def split_clf(line: str) -> list[str]:
    """The fields of a Common Log Format line (see the module docstring for quoting)."""
    return [quoted or bracketed or bare for quoted, bracketed, bare in _CLF_FIELD.findall(line)]


def _read_record(event: Event) -> Any:
    return event.record


def _read_clf_fields(event: Event) -> Any:
    return split_clf(event.message)


def _count_one(document: Any) -> float:
    return 1.0


def _json_getter(path: str) -> Getter:
    """A function reading the leaf at a JSON property path from a record; None when absent."""
    steps = parse_json_path(path)
    if len(steps) == 1 and isinstance(steps[0], str):
        return _top_level_getter(steps[0])
    if len(steps) == 2 and isinstance(steps[0], str) and isinstance(steps[1], str):
        return _second_level_getter(steps[0], steps[1])

    def nested(record: Any) -> Any:
        node = record
        for step in steps:
            if isinstance(step, str):
                if type(node) is not dict:
                    return None
                node = node.get(step)
            elif type(node) is list and step < len(node):
                node = node[step]
            else:
                return None
        return None if isinstance(node, dict | list) else node

    return nested


def _top_level_getter(name: str) -> Getter:
    def top_level(record: Any) -> Any:
        value = record.get(name)
        return None if isinstance(value, dict | list) else value

    return top_level


def _second_level_getter(parent_name: str, name: str) -> Getter:
    def second_level(record: Any) -> Any:
        parent = record.get(parent_name)
        if type(parent) is not dict:
            return None
        value = parent.get(name)
        return None if isinstance(value, dict | list) else value

    return second_level


def _clf_getter_factory(rule: Rule) -> Callable[[str], Getter]:
    positions = {alias: position for position, alias in rule.fields}

    def clf_getter(field: str) -> Getter:
        index = (positions[field] if field in positions else int(field)) - 1

        def field_at(fields: Any) -> Any:
            return fields[index] if index < len(fields) else None

        return field_at

    return clf_getter


def _compile_filter(entry: Filter, get: Getter) -> Predicate:
    operand = entry.operand
    if isinstance(operand, tuple):
        return _string_filter(entry.operator, operand, get)
    if isinstance(operand, bool):
        return _presence_filter(operand, get)
    return _number_filter(entry.operator, operand, get)


def _string_filter(operator: str, strings: tuple[str, ...], get: Getter) -> Predicate:
    accepted = frozenset(strings)

    def is_in(document: Any) -> bool:
        value = get(document)
        return value is not None and as_text(value) in accepted

    def not_in(document: Any) -> bool:
        value = get(document)
        return value is not None and as_text(value) not in accepted

    def starts_with(document: Any) -> bool:
        value = get(document)
        return value is not None and as_text(value).startswith(strings)

    return {"In": is_in, "NotIn": not_in, "StartsWith": starts_with}[operator]


def _presence_filter(wanted: bool, get: Getter) -> Predicate:
    def is_present(document: Any) -> bool:
        return (get(document) is not None) is wanted

    return is_present


_COMPARISONS: dict[str, Callable[[float, float], bool]] = {
    "EqualTo": float.__eq__,
    "NotEqualTo": float.__ne__,
    "GreaterThan": float.__gt__,
    "LessThan": float.__lt__,
}


def _number_filter(operator: str, operand: float, get: Getter) -> Predicate:
    compare = _COMPARISONS[operator]

    def compares(document: Any) -> bool:
        number = as_number(get(document))
        return number is not None and compare(number, operand)

    return compares


def _keys_reader(getters: tuple[Getter, ...]) -> Callable[[Any], Keys | None]:
    """Reads all keys as text, or None when one is absent; unrolled for the common one- and two-key rules."""
    if len(getters) == 1:
        (get_first,) = getters

        def one_key(document: Any) -> Keys | None:
            value = get_first(document)
            return None if value is None else (as_text(value),)

        return one_key
    if len(getters) == 2:
        get_first, get_second = getters

        def two_keys(document: Any) -> Keys | None:
            first = get_first(document)
            if first is None:
                return None
            second = get_second(document)
            return None if second is None else (as_text(first), as_text(second))

        return two_keys

    def many_keys(document: Any) -> Keys | None:
        values = [get(document) for get in getters]
        return None if None in values else tuple(as_text(value) for value in values)

    return many_keys


def _value_reader(get: Getter) -> Callable[[Any], float | None]:
    def value_of(document: Any) -> float | None:
        return as_number(get(document))

    return value_of
