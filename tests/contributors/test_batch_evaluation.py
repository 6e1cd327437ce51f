"""Batches give what one event at a time gives (rules and rankings): on the corpus, on generated events."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.contributors import Rule
from trailtui.contributors.evaluate import compile_rule, compile_rule_batch
from trailtui.contributors.ranking import PeriodStats, Ranking
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


# ---------------------------------------------------------------- rankings: a batch at once vs one by one


def ranking_state(ranking: Ranking) -> list[Any]:
    state = []
    for start_ms, stats in ranking._buckets.items():
        sketch = stats.contributors
        state.append(
            (
                start_ms,
                stats.sample_count,
                repr(stats.total),
                stats.minimum,
                stats.maximum,
                list(sketch.values.items()),
                sketch.error_bound,
                sketch.unique_count(),
            )
        )
    return state


def observed_one_by_one(ranking: Ranking, events: list[Event]) -> None:
    """The straightforward path: each contributing event observed in its bucket, in batch order."""
    contribution = compile_rule(ranking.rule)
    for event in events:
        result = contribution(event)
        if result is not None:
            start_ms = event.timestamp_ms - event.timestamp_ms % ranking._bucket_ms
            stats = ranking._buckets.get(start_ms)
            if stats is None:
                stats = ranking._buckets[start_ms] = PeriodStats(ranking.capacity)
            stats.observe(*result)


TIMED_RECORDS = st.tuples(records(), st.integers(0, 2 * 60_000))


@settings(max_examples=300, deadline=None)
@given(
    rule=rules(),
    later_rule=st.one_of(st.none(), rules()),
    batches=st.lists(st.lists(TIMED_RECORDS, max_size=60), min_size=1, max_size=4),
    capacity=st.sampled_from([2, 3, 5, 10_000]),
    sort_batches=st.booleans(),
)
def test_rankings_add_batches_as_one_by_one(
    rule: Rule,
    later_rule: Rule | None,
    batches: list[list[tuple[dict[str, Any], int]]],
    capacity: int,
    sort_batches: bool,
) -> None:
    batched, reference = Ranking(rule, capacity=capacity), Ranking(rule, capacity=capacity)
    for number, timed in enumerate(batches):
        if number == 1 and later_rule is not None:
            batched.replace_rule(later_rule)
            reference.replace_rule(later_rule)
        if sort_batches:
            timed = sorted(timed, key=lambda pair: pair[1])
        events = [Event(record, time_ms, "test", 0, "1", "r") for record, time_ms in timed]
        contributed = batched.add_batch(events)
        observed_one_by_one(reference, events)
        assert contributed == len(one_by_one(batched.rule, events))
        assert ranking_state(batched) == ranking_state(reference)


def test_seed_rankings_agree_on_the_corpus(corpus_events: list[Event]) -> None:
    events = sorted(corpus_events, key=lambda event: event.timestamp_ms)
    for name in SEED_RULES:
        batched, reference = Ranking(load_rule(name)), Ranking(load_rule(name))
        for first in range(0, len(events), 500):
            batched.add_batch(events[first : first + 500])
            observed_one_by_one(reference, events[first : first + 500])
        assert ranking_state(batched) == ranking_state(reference)


def test_a_count_ranking_overflowing_its_sketch_in_one_batch_shrinks_as_one_by_one() -> None:
    rule = json_rule(["$.eventName"])
    names = ["A", "B", "A", "C", "D", "A", "E", "B", "F", "A"]
    events = [
        Event({"eventName": name}, 1000 * number, "test", 0, "1", "r") for number, name in enumerate(names)
    ]
    batched, reference = Ranking(rule, capacity=3), Ranking(rule, capacity=3)
    batched.add_batch(events)
    observed_one_by_one(reference, events)
    assert ranking_state(batched) == ranking_state(reference)
    assert reference._buckets[0].contributors.error_bound > 0
