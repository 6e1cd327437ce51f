"""FilterIndex gives what applying each filter to each event gives, on the corpus and on generated events.

The reference is the straightforward path: every filter, in order, tests every event of the batch and
publishes its datapoint or (with a default value) its default, event by event.
"""

from __future__ import annotations

from collections.abc import Sequence
from typing import Any

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.events.model import Event
from trailtui.metrics.filter_index import FilterIndex
from trailtui.metrics.filters import MetricFilter
from trailtui.metrics.patterns import FilterPattern, PatternError, parse_pattern
from trailtui.metrics.patterns.json_matcher import compile_selector, required_keys, selector_text
from trailtui.metrics.patterns.syntax import JsonPattern
from trailtui.metrics.series import MetricSeries
from trailtui.packs import load_builtin_packs

from .helpers import make_event

STATISTICS = ("SampleCount", "Sum", "Average", "Minimum", "Maximum", "p50", "p99")

EXTRA_FILTERS: list[dict[str, Any]] = [
    {"filterPattern": "", "metricValue": "1"},
    {"filterPattern": "", "metricValue": "1", "defaultValue": 7},
    {"filterPattern": "AssumeRole", "metricValue": "1", "defaultValue": 0},
    {"filterPattern": '{$.eventName = "Get*"}', "metricValue": "1", "defaultValue": 0},
    {"filterPattern": "{$.eventName = GetUser || $.errorCode = AccessDenied}", "metricValue": "1"},
    {
        "filterPattern": "{$.eventName = Decrypt && $.eventName = GetUser}",
        "metricValue": "1",
        "defaultValue": 3,
    },
    {
        "filterPattern": "{$.eventName = Decrypt || $.eventName = GenerateDataKey}",
        "metricValue": "1",
        "dimensions": {"source": "$.eventSource"},
    },
    {
        "filterPattern": "{$.eventSource = kms.amazonaws.com && $.eventName = Decrypt}",
        "metricValue": "$.requestParameters.durationSeconds",
        "defaultValue": 1.5,
    },
    {
        "filterPattern": "{$.eventName = AssumeRole}",
        "metricValue": "$.requestParameters.durationSeconds",
        "emitSystemFieldDimensions": ["@aws.region"],
    },
]


def filter_request(name: str, pattern: str, value: str, **transformation: Any) -> dict[str, Any]:
    extra = {key: transformation.pop(key) for key in ("emitSystemFieldDimensions",) if key in transformation}
    return {
        "filterName": name,
        "filterPattern": pattern,
        "logGroupName": "CloudTrail/DefaultLogGroup",
        "metricTransformations": [
            {"metricName": name, "metricNamespace": "Test", "metricValue": value, **transformation}
        ],
        **extra,
    }


def corpus_requests() -> list[dict[str, Any]]:
    requests = [definition.body for definition in load_builtin_packs().of_kind("metric-filter")]
    for number, extra in enumerate(EXTRA_FILTERS):
        body = dict(extra)
        requests.append(
            filter_request(f"extra-{number}", body.pop("filterPattern"), body.pop("metricValue"), **body)
        )
    return requests


def reference_apply(metric_filter: MetricFilter, events: Sequence[Event]) -> None:
    """The straightforward path: each event tested, its datapoint or its default published at once."""
    default_value = metric_filter.transformation.default_value
    for event in events:
        point = metric_filter.datapoint(event)
        if point is not None:
            metric_filter.series.add(point[0], event.timestamp_ms, point[1])
        elif default_value is not None:
            metric_filter.series.add_default(metric_filter.metric_key(), event.timestamp_ms, default_value)


def series_state(series: MetricSeries) -> dict[Any, Any]:
    keys = series.keys()
    state: dict[Any, Any] = {"keys": keys}
    for key in keys:
        for statistic in STATISTICS:
            for period in (60, 300):
                state[key, statistic, period] = series.datapoints(key, statistic, period)
    return state


def both_ways(requests: Sequence[dict[str, Any]], batches: Sequence[Sequence[Event]]) -> tuple[Any, Any]:
    reference_series, indexed_series = MetricSeries(), MetricSeries()
    reference = [MetricFilter.from_request(request, reference_series) for request in requests]
    indexed = [MetricFilter.from_request(request, indexed_series) for request in requests]
    index = FilterIndex(indexed)
    for batch in batches:
        for metric_filter in reference:
            reference_apply(metric_filter, batch)
        index.apply(batch)
    disabled = [(f.disabled_reason for f in reference), (f.disabled_reason for f in indexed)]
    return (
        (series_state(reference_series), list(disabled[0])),
        (series_state(indexed_series), list(disabled[1])),
    )


def test_the_packs_index_on_event_name() -> None:
    requests = [definition.body for definition in load_builtin_packs().of_kind("metric-filter")]
    index = FilterIndex(MetricFilter.from_request(request) for request in requests)
    assert index.selector is not None and str(index.selector.steps) == "(Key(name='eventName'),)"
    assert len(index.indexed_names) == len(requests) - 2  # unauthorized API calls, root account usage
    assert "assume-role-duration" in index.indexed_names


@pytest.mark.parametrize("batch_size", [1, 97, 1000])
def test_index_equals_reference_on_the_corpus(corpus_events: list[Event], batch_size: int) -> None:
    events = sorted(corpus_events, key=lambda event: event.timestamp_ms)
    batches = [events[first : first + batch_size] for first in range(0, len(events), batch_size)]
    reference, indexed = both_ways(corpus_requests(), batches)
    assert indexed == reference
    assert len(reference[0]["keys"]) > 5


def test_index_equals_reference_on_the_corpus_out_of_time_order(corpus_events: list[Event]) -> None:
    batches = [corpus_events[first : first + 250] for first in range(0, len(corpus_events), 250)]
    reference, indexed = both_ways(corpus_requests(), batches)
    assert indexed == reference


def test_required_equalities_hold_for_every_corpus_match(corpus_events: list[Event]) -> None:
    for request in corpus_requests():
        pattern = FilterPattern.parse(request["filterPattern"])
        requirements = pattern.required_equalities()
        for event in pattern.matching(corpus_events):
            for selector, texts in requirements.items():
                assert selector_text(compile_selector(selector)(event.record)) in texts


# ---------------------------------------------------------------- generated patterns and events

NAMES = ["Decrypt", "GetUser", "AssumeRole", "1", "true", "1.5", "null", ""]
SCALARS = st.one_of(
    st.sampled_from(NAMES),
    st.sampled_from([1, 0, True, False, None, 1.5, -2, 1e300]),
    st.just({"x": "Decrypt"}),
    st.just(["Decrypt"]),
)
SELECTORS = ["$.eventName", "$.errorCode", "$.user.type", "$.items[0]", "$.items[*]", "$.user.*"]
OPERATORS = ["=", "!="]
LITERALS = [
    "Decrypt",
    "GetUser",
    "AssumeRole",
    "1",
    '"1"',
    "true",
    '"true"',
    "1.5",
    '"1.5"',
    '"Get*"',
    '"*"',
    "null",
    '""',
    "-2",
]


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    record: dict[str, Any] = {}
    for key in ("eventName", "errorCode"):
        if draw(st.booleans()):
            record[key] = draw(SCALARS)
    if draw(st.booleans()):
        record["user"] = {"type": draw(SCALARS)} if draw(st.booleans()) else draw(SCALARS)
    if draw(st.booleans()):
        record["items"] = draw(st.lists(SCALARS, max_size=2))
    if draw(st.booleans()):
        record["durationSeconds"] = draw(st.sampled_from([3600, "900", 1.5, "x", None, -1]))
    return record


def conditions(depth: int) -> st.SearchStrategy[str]:
    leaf = st.one_of(
        st.builds(
            lambda selector, operator, literal: f"{selector} {operator} {literal}",
            st.sampled_from(SELECTORS),
            st.sampled_from(OPERATORS),
            st.sampled_from(LITERALS),
        ),
        st.builds(
            lambda selector, literal: f"{selector} = {literal}",
            st.sampled_from(SELECTORS),
            st.sampled_from(["Decrypt", '"1"', '"true"', '"1.5"', '""']),
        ),
        st.builds(lambda selector: f"{selector} NOT EXISTS", st.sampled_from(SELECTORS)),
        st.builds(lambda selector: f"{selector} IS NULL", st.sampled_from(SELECTORS)),
    )
    if depth == 0:
        return leaf
    inner = conditions(depth - 1)
    return st.one_of(
        leaf,
        st.builds(lambda a, b: f"({a}) || ({b})", inner, inner),
        st.builds(lambda a, b: f"({a}) && ({b})", inner, inner),
        st.builds(lambda a, b, c: f"{a} || {b} || {c}", leaf, leaf, leaf),
    )


@st.composite
def filter_requests(draw: st.DrawFn) -> list[dict[str, Any]]:
    requests = []
    for number in range(draw(st.integers(1, 5))):
        pattern = "{" + draw(conditions(2)) + "}"
        try:
            FilterPattern.parse(pattern)
        except PatternError:
            pattern = "{$.eventName = Decrypt}"
        value = draw(st.sampled_from(["1", "$.durationSeconds"]))
        extra: dict[str, Any] = {}
        if draw(st.booleans()):
            extra["defaultValue"] = draw(st.sampled_from([0, 2.5]))
        elif draw(st.booleans()):
            extra["dimensions"] = {"name": draw(st.sampled_from(["$.eventName", "$.errorCode"]))}
        requests.append(filter_request(f"f{number}", pattern, value, **extra))
    return requests


@settings(max_examples=300, deadline=None)
@given(
    requests=filter_requests(),
    batches=st.lists(
        st.lists(st.tuples(records(), st.integers(0, 4 * 60_000)), max_size=12), min_size=1, max_size=4
    ),
)
def test_index_equals_reference_on_generated_events(
    requests: list[dict[str, Any]], batches: list[list[tuple[dict[str, Any], int]]]
) -> None:
    event_batches = [
        [make_event(record, timestamp_ms) for record, timestamp_ms in batch] for batch in batches
    ]
    reference, indexed = both_ways(requests, event_batches)
    assert indexed == reference


def test_numbers_and_booleans_are_candidates_by_their_json_text() -> None:
    requests = [
        filter_request("one", '{$.eventName = "1" || $.eventName = "true"}', "1"),
        filter_request("two", '{$.eventName = "1.5" || $.eventName = "1"}', "1", defaultValue=0),
    ]
    records = [{"eventName": value} for value in (1, True, 1.5, "1", "true", None, [1], {"a": 1}, False, 2)]
    batch = [make_event(record, 1000 * number) for number, record in enumerate(records)]
    reference, indexed = both_ways(requests, [batch])
    assert indexed == reference
    sums = {key.name: reference[0][key, "Sum", 60] for key in reference[0]["keys"]}
    assert sums == {"one": [(0, 4.0)], "two": [(0, 3.0)]}


@settings(max_examples=500, deadline=None)
@given(condition=conditions(2), record=records())
def test_required_equalities_are_necessary(condition: str, record: dict[str, Any]) -> None:
    try:
        pattern = FilterPattern.parse("{" + condition + "}")
    except PatternError:
        return
    if pattern.matches(make_event(record)):
        for selector, texts in pattern.required_equalities().items():
            assert selector_text(compile_selector(selector)(record)) in texts


@settings(max_examples=500, deadline=None)
@given(condition=conditions(2), batch=st.lists(records(), max_size=8))
def test_screened_matching_equals_matching_one_by_one(condition: str, batch: list[dict[str, Any]]) -> None:
    try:
        pattern = FilterPattern.parse("{" + condition + "}")
    except PatternError:
        return
    events = [make_event(record) for record in batch]
    assert list(pattern.matching(events)) == [event for event in events if pattern.matches(event)]
    for event in events:
        if pattern.matches(event):
            syntax = parse_pattern("{" + condition + "}")
            assert isinstance(syntax, JsonPattern)
            assert required_keys(syntax.expression) <= event.record.keys()


def test_screened_matching_equals_matching_one_by_one_on_the_corpus(corpus_events: list[Event]) -> None:
    for request in corpus_requests():
        pattern = FilterPattern.parse(request["filterPattern"])
        expected = [event for event in corpus_events if pattern.matches(event)]
        assert list(pattern.matching(corpus_events)) == expected
