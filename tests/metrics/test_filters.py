"""Metric filters: PutMetricFilter validation, datapoints from events, default values, TestMetricFilter."""

from __future__ import annotations

import copy
from collections import Counter
from datetime import UTC, datetime
from typing import Any

import pytest

from trailtui.metrics import testing
from trailtui.metrics.filters import MAX_DIMENSION_COMBINATIONS, MetricFilter, MetricFilterError
from trailtui.metrics.series import MetricKey, MetricSeries

from .helpers import corpus_events, dig, make_event

MINUTE = 60_000

ASSUME_ROLE_DURATION: dict[str, Any] = {
    "filterName": "AssumeRoleDuration",
    "filterPattern": '{$.eventName="AssumeRole"}',
    "logGroupName": "CloudTrail/DefaultLogGroup",
    "metricTransformations": [
        {
            "metricName": "AssumeRoleDuration",
            "metricNamespace": "SecurityMetrics",
            "metricValue": "$.requestParameters.durationSeconds",
            "defaultValue": 0,
        }
    ],
}
DURATION_KEY = MetricKey("SecurityMetrics", "AssumeRoleDuration")


def request(**changes: Any) -> dict[str, Any]:
    """The AssumeRole request with top-level changes; `transformation=` merges into the transformation."""
    built = copy.deepcopy(ASSUME_ROLE_DURATION)
    transformation = built["metricTransformations"][0]
    transformation.update(changes.pop("transformation", {}))
    for key in [key for key, value in transformation.items() if value is None]:
        del transformation[key]
    built.update(changes)
    return built


# ---------------------------------------------------------------- validation


INVALID = [
    (request(logGroupName=""), "logGroupName: must be 1-512 characters"),
    (request(logGroupName="bad group!"), "logGroupName: only letters, digits"),
    (request(filterName="a:b"), "filterName: cannot contain ':'"),
    (request(filterName="x" * 513), "filterName: must be 1-512 characters"),
    (request(filterPattern="x" * 1025), "filterPattern: must be 0-1,024 characters"),
    (request(filterPattern='{($.eventName = "AssumeRole"}'), "filterPattern: column 29: expected ')'"),
    (request(filterPattern=None), "filterPattern: must be a string"),
    (request(metricTransformations=[]), "metricTransformations: must be a list of exactly one"),
    (
        request(metricTransformations=ASSUME_ROLE_DURATION["metricTransformations"] * 2),
        "metricTransformations: must be a list of exactly one",
    ),
    (
        request(transformation={"metricName": "a*b"}),
        "metricTransformations[0].metricName: cannot contain '*'",
    ),
    (request(transformation={"metricName": "x" * 256}), "metricTransformations[0].metricName: must be 1-255"),
    (request(transformation={"metricNamespace": "a$b"}), "metricTransformations[0].metricNamespace: cannot"),
    (
        request(transformation={"metricValue": "x" * 101}),
        "metricTransformations[0].metricValue: must be 1-100",
    ),
    (
        request(transformation={"metricValue": "latency"}),
        "metricTransformations[0].metricValue: expected a number",
    ),
    (
        request(transformation={"metricValue": "$.a[*]"}),
        "metricTransformations[0].metricValue: a selector cannot",
    ),
    (request(transformation={"metricValue": "$.a."}), "metricTransformations[0].metricValue: column 4"),
    (
        request(transformation={"defaultValue": "0"}),
        "metricTransformations[0].defaultValue: must be a finite",
    ),
    (
        request(transformation={"defaultValue": True}),
        "metricTransformations[0].defaultValue: must be a finite",
    ),
    (
        request(transformation={"dimensions": {"User": "$.userIdentity.arn"}}),
        "metricTransformations[0].defaultValue: a filter with dimensions cannot have a default value",
    ),
    (
        request(emitSystemFieldDimensions=["@aws.region"]),
        "metricTransformations[0].defaultValue: a filter with dimensions cannot",
    ),
    (
        request(
            transformation={
                "defaultValue": None,
                "dimensions": {"a": "$.a", "b": "$.b", "c": "$.c", "d": "$.d"},
            }
        ),
        "metricTransformations[0].dimensions: at most 3 dimensions",
    ),
    (
        request(
            transformation={"defaultValue": None, "dimensions": {"a": "$.a", "b": "$.b", "c": "$.c"}},
            emitSystemFieldDimensions=["@aws.account"],
        ),
        "metricTransformations[0].dimensions: at most 3 dimensions, emitSystemFieldDimensions included",
    ),
    (
        request(transformation={"defaultValue": None, "dimensions": {"User": "userIdentity"}}),
        "metricTransformations[0].dimensions.User: expected a selector",
    ),
    (
        request(filterPattern="ERROR", transformation={"defaultValue": None, "dimensions": {"User": "$.a"}}),
        "metricTransformations[0].dimensions: only JSON and space-delimited patterns",
    ),
    (request(filterPattern="ERROR"), "metricTransformations[0].metricValue: expected a number (only JSON"),
    (
        request(filterPattern="[ip, bytes]", transformation={"metricValue": "$size"}),
        "metricTransformations[0].metricValue: the pattern has no field named 'size'",
    ),
    (
        request(filterPattern="[ip, bytes]"),
        "metricTransformations[0].metricValue: expected a number or a field",
    ),
    (
        request(transformation={"unit": "Hours"}),
        "metricTransformations[0].unit: 'Hours' is not a StandardUnit",
    ),
    (request(emitSystemFieldDimensions=["@aws.zone"]), "emitSystemFieldDimensions: must be a list of"),
    (request(fieldSelectionCriteria="x" * 2001), "fieldSelectionCriteria: must be 0-2,000 characters"),
    (request(applyOnTransformedLogs="yes"), "applyOnTransformedLogs: must be a boolean"),
    (request(filterNam="typo"), "filterNam: unknown parameter"),
    (
        request(transformation={"metricUnit": "Count"}),
        "metricTransformations[0].metricUnit: unknown parameter",
    ),
    ({k: v for k, v in ASSUME_ROLE_DURATION.items() if k != "filterName"}, "filterName: required"),
]


@pytest.mark.parametrize(("body", "message"), INVALID)
def test_invalid_request_is_refused_naming_the_field(body: dict[str, Any], message: str) -> None:
    with pytest.raises(MetricFilterError) as raised:
        MetricFilter.from_request(body)
    assert str(raised.value).startswith(message)


def test_valid_request_round_trips_through_to_request() -> None:
    body = request(
        filterPattern="[ip, user, bytes]",
        transformation={
            "metricValue": "$bytes",
            "defaultValue": None,
            "dimensions": {"User": "$user"},
            "unit": "Bytes",
        },
        emitSystemFieldDimensions=["@aws.region"],
        fieldSelectionCriteria='@aws.region = "us-east-1"',
    )
    metric_filter = MetricFilter.from_request(body)
    assert MetricFilter.from_request(metric_filter.to_request()).to_request() == metric_filter.to_request()
    assert metric_filter.to_request()["metricTransformations"][0]["dimensions"] == {"User": "$user"}


def test_empty_pattern_is_allowed() -> None:
    assert MetricFilter.from_request(request(filterPattern="", transformation={"metricValue": "1"}))


# ---------------------------------------------------------------- datapoints


def test_literal_value_counts_matches_per_minute() -> None:
    metric_filter = MetricFilter.from_request(
        request(
            filterPattern="{ $.eventName = ConsoleLogin }",
            transformation={"metricValue": "1", "defaultValue": None},
        )
    )
    events = [make_event({"eventName": "ConsoleLogin"}, at) for at in (0, 30_000, MINUTE + 1)]
    metric_filter.apply([*events, make_event({"eventName": "Other"}, 5)])
    key = metric_filter.metric_key()
    assert metric_filter.series.datapoints(key, "Sum") == [(0, 2.0), (MINUTE, 1.0)]


def test_missing_or_non_numeric_value_gives_no_datapoint() -> None:
    metric_filter = MetricFilter.from_request(request(transformation={"defaultValue": None}))
    for record in (
        {"eventName": "AssumeRole"},
        {"eventName": "AssumeRole", "requestParameters": {"durationSeconds": "soon"}},
        {"eventName": "AssumeRole", "requestParameters": {"durationSeconds": True}},
        {"eventName": "AssumeRole", "requestParameters": {"durationSeconds": {"s": 1}}},
    ):
        assert metric_filter.datapoint(make_event(record)) is None
    numeric_string = {"eventName": "AssumeRole", "requestParameters": {"durationSeconds": "900"}}
    assert metric_filter.datapoint(make_event(numeric_string)) == (DURATION_KEY, 900.0)


def test_default_value_is_one_datapoint_per_minute_without_datapoints() -> None:
    metric_filter = MetricFilter.from_request(request(transformation={"defaultValue": 5}))
    other = {"eventName": "GetObject"}
    unusable = {"eventName": "AssumeRole"}
    used = {"eventName": "AssumeRole", "requestParameters": {"durationSeconds": 900}}
    metric_filter.apply(
        [
            make_event(other, 0),
            make_event(other, 1),
            make_event(unusable, MINUTE),
            make_event(used, 2 * MINUTE),
            make_event(other, 2 * MINUTE + 1),
            make_event(other, 4 * MINUTE),
        ]
    )
    series = metric_filter.series
    assert series.datapoints(DURATION_KEY, "SampleCount") == [
        (0, 1),
        (MINUTE, 1),
        (2 * MINUTE, 1),
        (4 * MINUTE, 1),
    ]
    assert series.datapoints(DURATION_KEY, "Sum") == [(0, 5), (MINUTE, 5), (2 * MINUTE, 900), (4 * MINUTE, 5)]


def test_json_dimensions_split_the_metric() -> None:
    metric_filter = MetricFilter.from_request(
        request(
            transformation={
                "metricValue": "1",
                "defaultValue": None,
                "dimensions": {"Type": "$.userIdentity.type"},
            }
        )
    )
    records = [
        {"eventName": "AssumeRole", "userIdentity": {"type": "IAMUser"}},
        {"eventName": "AssumeRole", "userIdentity": {"type": "IAMUser"}},
        {"eventName": "AssumeRole", "userIdentity": {"type": "AWSService"}},
        {"eventName": "AssumeRole", "userIdentity": {}},
    ]
    metric_filter.apply(make_event(record) for record in records)
    series = metric_filter.series
    assert series.keys() == [
        MetricKey("SecurityMetrics", "AssumeRoleDuration", (("Type", "AWSService"),)),
        MetricKey("SecurityMetrics", "AssumeRoleDuration", (("Type", "IAMUser"),)),
    ]
    assert series.datapoints(series.keys()[1], "Sum") == [(0, 2.0)]


def test_system_field_dimensions_come_from_the_event() -> None:
    metric_filter = MetricFilter.from_request(
        request(
            transformation={"defaultValue": None, "metricValue": "1"},
            emitSystemFieldDimensions=["@aws.account"],
        )
    )
    point = metric_filter.datapoint(make_event({"eventName": "AssumeRole"}))
    assert point is not None
    assert point[0].dimensions == (("@aws.account", "123456789012"),)


def test_space_delimited_value_and_dimension_come_from_fields() -> None:
    metric_filter = MetricFilter.from_request(
        request(
            filterPattern="[ip, user, status = 2*, bytes]",
            transformation={
                "metricValue": "$bytes",
                "defaultValue": None,
                "dimensions": {"Status": "$status"},
            },
        )
    )
    metric_filter.apply(
        [
            make_event({}, message="1.2.3.4 bob 200 512"),
            make_event({}, message="1.2.3.4 bob 204 100"),
            make_event({}, message="1.2.3.4 bob 404 999"),
        ]
    )
    key = metric_filter.metric_key({"Status": "200"})
    assert metric_filter.series.datapoints(key, "Sum") == [(0, 512.0)]


def test_positional_field_value() -> None:
    metric_filter = MetricFilter.from_request(
        request(filterPattern="[..., last]", transformation={"metricValue": "$1", "defaultValue": None})
    )
    assert metric_filter.datapoint(make_event({}, message="7 x")) == (metric_filter.metric_key(), 7.0)


def test_too_many_dimension_combinations_disable_the_filter() -> None:
    metric_filter = MetricFilter.from_request(
        request(
            filterPattern="{ $.n = * }",
            transformation={"metricValue": "1", "defaultValue": None, "dimensions": {"N": "$.n"}},
        )
    )
    metric_filter.apply(make_event({"n": number}) for number in range(MAX_DIMENSION_COMBINATIONS + 5))
    assert len(metric_filter.series.keys()) == MAX_DIMENSION_COMBINATIONS
    assert metric_filter.disabled_reason is not None
    assert metric_filter.datapoint(make_event({"n": 0})) is None


# ---------------------------------------------------------------- the use case, on the real corpus


def plain_duration_maximum_per_minute() -> dict[int, float]:
    """Maximum durationSeconds of AssumeRole events per minute; 0 for minutes with events but no value."""
    maximum: dict[int, float] = {}
    for event in corpus_events():
        minute = event.timestamp_ms // MINUTE * MINUTE
        maximum.setdefault(minute, 0.0)
        duration = dig(event.record, "requestParameters", "durationSeconds")
        if event.record.get("eventName") == "AssumeRole" and isinstance(duration, int | str):
            maximum[minute] = max(maximum[minute], float(duration))
    return maximum


def test_assume_role_duration_maximum_over_the_corpus() -> None:
    metric_filter = MetricFilter.from_request(ASSUME_ROLE_DURATION, MetricSeries())
    metric_filter.apply(corpus_events())
    expected = plain_duration_maximum_per_minute()
    assert dict(metric_filter.series.datapoints(DURATION_KEY, "Maximum")) == expected
    assert max(expected.values()) == 3600


def test_assume_role_duration_as_get_metric_data() -> None:
    metric_filter = MetricFilter.from_request(ASSUME_ROLE_DURATION)
    metric_filter.apply(corpus_events())
    query = {
        "Id": "duration",
        "MetricStat": {
            "Metric": {"Namespace": "SecurityMetrics", "MetricName": "AssumeRoleDuration"},
            "Period": 300,
            "Stat": "Maximum",
        },
    }
    start = datetime(2023, 7, 10, 11, 40, tzinfo=UTC)
    end = datetime(2023, 7, 10, 12, 40, tzinfo=UTC)
    response = metric_filter.series.get_metric_data([query], start, end)
    result = response["MetricDataResults"][0]
    expected: Counter[int] = Counter()
    for minute, value in plain_duration_maximum_per_minute().items():
        if start.timestamp() * 1000 <= minute < end.timestamp() * 1000:
            period = minute // 300_000 * 300_000
            expected[period] = max(expected[period], int(value))
    newest_first = sorted(expected.items(), reverse=True)
    assert [int(moment.timestamp() * 1000) for moment in result["Timestamps"]] == [p for p, _ in newest_first]
    assert result["Values"] == [v for _, v in newest_first]
    assert result["Label"] == "AssumeRoleDuration" and result["StatusCode"] == "Complete"
    assert response["Messages"] == []


# ---------------------------------------------------------------- TestMetricFilter


def test_test_metric_filter_on_json_messages() -> None:
    messages = [
        '{"eventName":"AssumeRole"}',
        "not json",
        '{"eventName":"GetObject"}',
        '{"eventName":"AssumeRole"}',
    ]
    response = testing.test_metric_filter('{ $.eventName = "AssumeRole" }', messages)
    assert [match["eventNumber"] for match in response["matches"]] == [0, 3]
    assert all(match["extractedValues"] == {} for match in response["matches"])


@pytest.mark.parametrize("messages", [[], ["x"] * 51])
def test_test_metric_filter_needs_one_to_fifty_messages(messages: list[str]) -> None:
    with pytest.raises(MetricFilterError, match="logEventMessages"):
        testing.test_metric_filter("ERROR", messages)


def test_test_metric_filter_reports_a_bad_pattern() -> None:
    with pytest.raises(MetricFilterError, match=r"^filterPattern: column 3: "):
        testing.test_metric_filter("{ a }", ["x"])
