"""Space-delimited patterns: split a message into fields, line them up with the slots, test the conditions.

Decisions (spec §5, §9.10):
- Fields are separated by spaces (runs of spaces count as one; tabs belong to fields). A field that begins
  with `"` runs to the next `"`, one that begins with `[` to the next `]`; the delimiters are dropped. An
  unclosed one runs to the end of the message.
- Without `...`: the message must have at least as many fields as the pattern has slots. Extra fields are
  absorbed by the last slot when it is unconstrained (a bare name or an empty slot): it receives the raw
  rest of the message from where its field begins. Otherwise extra fields mean no match.
- With `...` (anywhere, once): slots before it take the first fields, slots after it the last fields, and
  it covers the fields in between (possibly none).
- `[]` matches every message and extracts every field.
- Extracted values are keyed `$name` for named slots and `$<1-based position>` for everything else, in
  field order.
"""

from __future__ import annotations

from collections.abc import Callable

from trailtui.metrics.patterns.syntax import (
    And,
    AnyFields,
    EmptySlot,
    Expression,
    FieldComparison,
    NamedField,
    Or,
    SpaceDelimitedPattern,
)
from trailtui.metrics.patterns.values import compile_value_test

Field = tuple[str, int]  # (value, offset of the field's first character in the message)
FieldTest = Callable[[str], bool]
Binder = Callable[[str], "dict[str, str] | None"]


def split_fields(message: str) -> list[Field]:
    """The fields of a message, each with the offset where it starts."""
    fields: list[Field] = []
    position = 0
    length = len(message)
    while position < length:
        if message[position] == " ":
            position += 1
            continue
        opener = message[position]
        if opener in '"[':
            close = message.find('"' if opener == '"' else "]", position + 1)
            end = length if close < 0 else close
            fields.append((message[position + 1 : end], position))
            position = end + 1
        else:
            end = message.find(" ", position)
            end = length if end < 0 else end
            fields.append((message[position:end], position))
            position = end
    return fields


class _SlotPlan:
    """One slot, ready to bind: its key (None for positional) and its test (None when unconstrained)."""

    __slots__ = ("key", "test")

    def __init__(self, key: str | None, test: FieldTest | None) -> None:
        self.key = key
        self.test = test


def compile_space_delimited(pattern: SpaceDelimitedPattern) -> Binder:
    """A function from a message to its extracted values, or None when the pattern does not match."""
    slots = pattern.slots
    ellipsis = next((index for index, slot in enumerate(slots) if isinstance(slot, AnyFields)), None)
    if not slots:
        return _bind_all
    if ellipsis is None:
        return _fixed_binder([_plan(slot) for slot in slots])
    before = [_plan(slot) for slot in slots[:ellipsis]]
    after = [_plan(slot) for slot in slots[ellipsis + 1 :]]
    return _ellipsis_binder(before, after)


def _plan(slot: NamedField | EmptySlot | AnyFields) -> _SlotPlan:
    if isinstance(slot, NamedField):
        test = None if slot.condition is None else _compile_condition(slot.condition)
        return _SlotPlan("$" + slot.name, test)
    return _SlotPlan(None, None)


def _compile_condition(condition: Expression) -> FieldTest:
    match condition:
        case FieldComparison(_, operator, value):
            return compile_value_test(operator, value)
        case And(operands):
            tests = [_compile_condition(operand) for operand in operands]
            return lambda text: all(test(text) for test in tests)
        case Or(operands):
            tests = [_compile_condition(operand) for operand in operands]
            return lambda text: any(test(text) for test in tests)
    raise TypeError(f"not a field condition: {condition!r}")


def _bind_all(message: str) -> dict[str, str]:
    return {f"${number}": value for number, (value, _) in enumerate(split_fields(message), 1)}


def _fixed_binder(plans: list[_SlotPlan]) -> Binder:
    last = plans[-1]
    last_absorbs = last.test is None

    def bind(message: str) -> dict[str, str] | None:
        fields = split_fields(message)
        if len(fields) < len(plans) or (len(fields) > len(plans) and not last_absorbs):
            return None
        if len(fields) > len(plans):
            fields[len(plans) - 1] = (message[fields[len(plans) - 1][1] :].rstrip(" "), 0)
        return _bind_run(plans, fields, 1, {})

    return bind


def _ellipsis_binder(before: list[_SlotPlan], after: list[_SlotPlan]) -> Binder:
    def bind(message: str) -> dict[str, str] | None:
        fields = split_fields(message)
        middle_end = len(fields) - len(after)
        if middle_end < len(before):
            return None
        extracted = _bind_run(before, fields[: len(before)], 1, {})
        if extracted is None:
            return None
        for number in range(len(before) + 1, middle_end + 1):
            extracted[f"${number}"] = fields[number - 1][0]
        return _bind_run(after, fields[middle_end:], middle_end + 1, extracted)

    return bind


def _bind_run(
    plans: list[_SlotPlan], fields: list[Field], first_number: int, extracted: dict[str, str]
) -> dict[str, str] | None:
    for number, (plan, (value, _)) in enumerate(zip(plans, fields, strict=False), first_number):
        if plan.test is not None and not plan.test(value):
            return None
        extracted[plan.key or f"${number}"] = value
    return extracted
