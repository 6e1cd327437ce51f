"""`compile_rule_batch` gives what `compile_rule` gives event by event: on the corpus, on generated events."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.contributors import Rule
from trailtui.contributors.evaluate import compile_rule, compile_rule_batch
from trailtui.events.model import Event

from .helpers import json_rule, load_rule

SEED_RULES = [
    "access-denied-by-principal",
    "throttled-apis-and-callers",
    "top-api-calls-excluding-assumerole",
]


def one_by_one(rule: Rule, events: list[Event]) -> list[tuple[Event, Any]]:
    contribution = compile_rule(rule)
    return [(event, result) for event in events if (result := contribution(event)) is not None]


def make_event(record: dict[str, Any]) -> Event:
    return Event(record, 0, "test", 0, "123456789012", "us-east-1")


@pytest.mark.parametrize("name", SEED_RULES)
def test_seed_rules_agree_on_the_corpus(corpus_events: list[Event], name: str) -> None:
    rule = load_rule(name)
    batch = compile_rule_batch(rule)
    expected = one_by_one(rule, corpus_events)
    assert expected or name == "throttled-apis-and-callers"  # the corpus has no throttled call
    got = [
        pair
        for first in range(0, len(corpus_events), 300)
        for pair in batch(corpus_events[first : first + 300])
    ]
    assert got == expected


VALUES = st.one_of(
    st.sampled_from(["AssumeRole", "GetUser", "AccessDenied", "200", "1.5", "true", "", "Get"]),
    st.sampled_from([200, 1.5, True, False, None, -3, 0]),
    st.just({"a": "GetUser"}),
    st.just(["GetUser"]),
)
PATHS = ["$.eventName", "$.errorCode", "$.user.name", "$.items[0]"]
STRINGS = st.lists(
    st.sampled_from(["AssumeRole", "GetUser", "AccessDenied", "200", "1.5", "true", "Get"]),
    min_size=1,
    max_size=3,
)


@st.composite
def filters(draw: st.DrawFn) -> dict[str, Any]:
    operator = draw(st.sampled_from(["In", "NotIn", "StartsWith", "IsPresent", "EqualTo", "GreaterThan"]))
    operand: Any
    if operator in ("In", "NotIn", "StartsWith"):
        operand = draw(STRINGS)
    elif operator == "IsPresent":
        operand = draw(st.booleans())
    else:
        operand = draw(st.sampled_from([0, 200, 1.5]))
    return {"Match": draw(st.sampled_from(PATHS)), operator: operand}


@st.composite
def rules(draw: st.DrawFn) -> Rule:
    keys = draw(st.lists(st.sampled_from(PATHS), min_size=1, max_size=2, unique=True))
    value_of = draw(st.sampled_from([None, None, "$.eventName", "$.items[0]"]))
    return json_rule(keys, draw(st.lists(filters(), max_size=3)), value_of)


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in ("eventName", "errorCode"):
        if draw(st.booleans()):
            record[key] = draw(VALUES)
    if draw(st.booleans()):
        record["user"] = {"name": draw(VALUES)} if draw(st.booleans()) else draw(VALUES)
    if draw(st.booleans()):
        record["items"] = draw(st.lists(VALUES, max_size=2))
    return record


@settings(max_examples=400, deadline=None)
@given(rule=rules(), batches=st.lists(st.lists(records(), max_size=10), min_size=1, max_size=3))
def test_batches_agree_with_one_by_one(rule: Rule, batches: list[list[dict[str, Any]]]) -> None:
    batch = compile_rule_batch(rule)
    for records_of_batch in batches:
        events = [make_event(record) for record in records_of_batch]
        assert batch(events) == one_by_one(rule, events)


def test_a_single_field_rule_is_memoized_per_value_and_still_exact() -> None:
    rule = json_rule(["$.eventName"], [{"Match": "$.eventName", "NotIn": ["AssumeRole"]}])
    batch = compile_rule_batch(rule)
    events = [make_event({"eventName": name}) for name in ["GetUser", "AssumeRole", "GetUser", 7, None, True]]
    expected = one_by_one(rule, events)
    assert batch(events) == expected == batch(events)
    assert [keys for _, (keys, _) in expected] == [("GetUser",), ("GetUser",), ("7",), ("true",)]
