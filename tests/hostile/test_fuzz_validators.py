"""Property tests the other suites lack: the alarm and metric-filter validators on arbitrary requests, and
the readers on arbitrary bytes. Every input gives a result or the validator's own error, never another
exception; the readers never raise at all and keep what they read consistent."""

from __future__ import annotations

import gzip
import json
from typing import Any

import orjson
from hypothesis import given, settings
from hypothesis import strategies as st

from trailtui.backends.base import BackendError
from trailtui.backends.local_definitions import checked_alarm, checked_metric_filter
from trailtui.events.readers import read_bytes

SCALARS = st.one_of(st.none(), st.booleans(), st.integers(), st.floats(allow_nan=True), st.text(max_size=20))
JSON_VALUES = st.recursive(
    SCALARS,
    lambda children: (
        st.lists(children, max_size=4) | st.dictionaries(st.text(max_size=12), children, max_size=4)
    ),
    max_leaves=12,
)

VALID_ALARM: dict[str, Any] = {
    "AlarmName": "a",
    "MetricName": "M",
    "Namespace": "N",
    "Statistic": "Sum",
    "Period": 60,
    "EvaluationPeriods": 1,
    "Threshold": 1,
    "ComparisonOperator": "GreaterThanOrEqualToThreshold",
}
VALID_FILTER: dict[str, Any] = {
    "filterName": "f",
    "filterPattern": '{ $.eventName = "AssumeRole" }',
    "logGroupName": "CloudTrail/DefaultLogGroup",
    "metricTransformations": [
        {"metricName": "M", "metricNamespace": "N", "metricValue": "$.requestParameters.durationSeconds"}
    ],
}


def _mutated(valid: dict[str, Any]) -> Any:
    return st.builds(
        lambda changes, dropped: {
            **{key: value for key, value in valid.items() if key not in dropped},
            **changes,
        },
        st.dictionaries(st.sampled_from([*valid, "Extra", "Dimensions", "Unit"]), JSON_VALUES, max_size=3),
        st.sets(st.sampled_from(list(valid)), max_size=2),
    )


@settings(max_examples=300, deadline=None)
@given(st.one_of(_mutated(VALID_ALARM), st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=5)))
def test_an_alarm_request_of_any_shape_is_accepted_or_refused_cleanly(request: dict[str, Any]) -> None:
    try:
        checked_alarm(request)
    except BackendError as error:
        assert str(error).startswith("invalid alarm: ")


@settings(max_examples=300, deadline=None)
@given(st.one_of(_mutated(VALID_FILTER), st.dictionaries(st.text(max_size=12), JSON_VALUES, max_size=5)))
def test_a_metric_filter_request_of_any_shape_is_accepted_or_refused_cleanly(request: dict[str, Any]) -> None:
    try:
        checked_metric_filter(request)
    except BackendError as error:
        assert str(error).startswith("invalid metric filter: ")


GOOD_RECORD = orjson.dumps({"eventName": "Good", "eventTime": "2024-03-01T10:00:00Z"})
BYTES = st.one_of(
    st.binary(max_size=300),
    st.builds(lambda junk: b'{"Records": [' + GOOD_RECORD + b"," + junk + b"]}", st.binary(max_size=60)),
    st.builds(lambda junk: GOOD_RECORD + b"\n" + junk + b"\n" + GOOD_RECORD, st.binary(max_size=60)),
    st.builds(
        lambda junk, cut: gzip.compress(GOOD_RECORD + junk)[:cut], st.binary(max_size=40), st.integers(0, 200)
    ),
    st.builds(lambda value: json.dumps(value).encode(), JSON_VALUES),
)


@settings(max_examples=400, deadline=None)
@given(BYTES, st.sampled_from(["trail.json", "trail.json.gz", "x.ndjson", "-"]))
def test_the_readers_never_raise_on_any_bytes(data: bytes, path: str) -> None:
    reading = read_bytes(path, data)
    line = reading.problem_line()
    assert line is None or "\n" not in line
    for event in reading.events:
        assert isinstance(event.record, dict)
        assert orjson.loads(event.message) == event.record
        event.message.encode("utf-8")
