"""Reports have exactly the GetInsightRuleReport response shape, and rank and bucket as the spec decides."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from typing import Any

import orjson
import pytest

from trailtui.contributors import Ranking, ReportError, build_report
from trailtui.contributors.report import METRICS, iso_timestamp
from trailtui.events.model import Event

from .helpers import json_rule, make_event

START = "2026-01-05T00:00:00Z"
START_MS = 1_767_571_200_000
MINUTE_MS = 60_000


def call(arn: str, name: str, minute: int, duration: float = 1.0) -> Event:
    record = {
        "eventName": name,
        "userIdentity": {"arn": arn},
        "requestParameters": {"durationSeconds": duration},
    }
    return make_event(record, START_MS + minute * MINUTE_MS)


def count_ranking(events: list[Event]) -> Ranking:
    ranking = Ranking(json_rule(["$.userIdentity.arn", "$.eventName"]))
    ranking.add_batch(events)
    return ranking


def report_for(ranking: Ranking, minutes: int = 15, period: int = 300, **options: Any) -> dict[str, Any]:
    end = datetime.fromisoformat(START) + timedelta(minutes=minutes)
    return build_report(ranking, START, end, period, **options)


SAMPLE = [
    call("alice", "GetObject", 0),
    call("alice", "GetObject", 1),
    call("alice", "GetObject", 6),
    call("bob", "PutObject", 2),
    call("bob", "PutObject", 3),
    call("bob", "PutObject", 4),
    call("carol", "ListBuckets", 12),
]


def test_the_report_has_exactly_the_response_keys_and_types() -> None:
    report = report_for(count_ranking(SAMPLE))
    assert list(report) == [
        "KeyLabels",
        "AggregationStatistic",
        "AggregateValue",
        "ApproximateUniqueCount",
        "Contributors",
        "MetricDatapoints",
    ]
    assert report["KeyLabels"] == ["$.userIdentity.arn", "$.eventName"]
    assert report["AggregationStatistic"] == "Count"
    assert type(report["AggregateValue"]) is float
    assert type(report["ApproximateUniqueCount"]) is int
    for contributor in report["Contributors"]:
        assert list(contributor) == ["Keys", "ApproximateAggregateValue", "Datapoints"]
        assert all(type(key) is str for key in contributor["Keys"])
        assert type(contributor["ApproximateAggregateValue"]) is float
        for point in contributor["Datapoints"]:
            assert list(point) == ["Timestamp", "ApproximateValue"]
            assert type(point["Timestamp"]) is str
            assert type(point["ApproximateValue"]) is float
    for point in report["MetricDatapoints"]:
        assert list(point) == ["Timestamp", *METRICS]
        assert all(type(point[metric]) is float for metric in METRICS)


def test_the_report_is_plain_json_with_iso_timestamps() -> None:
    report = report_for(count_ranking(SAMPLE))
    assert orjson.loads(orjson.dumps(report)) == report
    assert [point["Timestamp"] for point in report["MetricDatapoints"]] == [
        "2026-01-05T00:00:00Z",
        "2026-01-05T00:05:00Z",
        "2026-01-05T00:10:00Z",
    ]


def test_iso_timestamps_show_milliseconds_only_when_present() -> None:
    assert iso_timestamp(START_MS) == "2026-01-05T00:00:00Z"
    assert iso_timestamp(START_MS + 250) == "2026-01-05T00:00:00.250Z"


def test_values_of_a_count_rule() -> None:
    report = report_for(count_ranking(SAMPLE))
    assert report["AggregateValue"] == 7.0
    assert report["ApproximateUniqueCount"] == 3
    assert report["Contributors"] == [
        {
            "Keys": ["alice", "GetObject"],
            "ApproximateAggregateValue": 3.0,
            "Datapoints": [
                {"Timestamp": "2026-01-05T00:00:00Z", "ApproximateValue": 2.0},
                {"Timestamp": "2026-01-05T00:05:00Z", "ApproximateValue": 1.0},
            ],
        },
        {
            "Keys": ["bob", "PutObject"],
            "ApproximateAggregateValue": 3.0,
            "Datapoints": [{"Timestamp": "2026-01-05T00:00:00Z", "ApproximateValue": 3.0}],
        },
        {
            "Keys": ["carol", "ListBuckets"],
            "ApproximateAggregateValue": 1.0,
            "Datapoints": [{"Timestamp": "2026-01-05T00:10:00Z", "ApproximateValue": 1.0}],
        },
    ]


def test_metric_datapoints_of_a_count_rule() -> None:
    first, second, third = report_for(count_ranking(SAMPLE))["MetricDatapoints"]
    assert first == {
        "Timestamp": "2026-01-05T00:00:00Z",
        "UniqueContributors": 2.0,
        "MaxContributorValue": 3.0,
        "SampleCount": 5.0,
        "Sum": 5.0,
        "Minimum": 1.0,
        "Maximum": 1.0,
        "Average": 1.0,
    }
    assert second["UniqueContributors"] == 1.0
    assert third["SampleCount"] == 1.0


def test_metric_datapoints_of_a_sum_rule_average_over_observations() -> None:
    """Spec §7.8: Average is Sum / SampleCount; Minimum and Maximum are single observations."""
    ranking = Ranking(json_rule(["$.userIdentity.arn"], value_of="$.requestParameters.durationSeconds"))
    ranking.add_batch(
        [call("a", "AssumeRole", 0, 900), call("a", "AssumeRole", 1, 3600), call("b", "AssumeRole", 2, 300)]
    )
    report = report_for(ranking, minutes=5)
    assert report["AggregationStatistic"] == "Sum"
    assert report["AggregateValue"] == 4800.0
    (point,) = report["MetricDatapoints"]
    assert point == {
        "Timestamp": "2026-01-05T00:00:00Z",
        "UniqueContributors": 2.0,
        "MaxContributorValue": 4500.0,
        "SampleCount": 3.0,
        "Sum": 4800.0,
        "Minimum": 300.0,
        "Maximum": 3600.0,
        "Average": 1600.0,
    }


def test_aggregation_statistic_keeps_the_rules_casing() -> None:
    """Spec §7.10: `Count`/`Sum` as in the rule's AggregateOn (the AWS CLI example prints `Sum`)."""
    assert report_for(count_ranking(SAMPLE))["AggregationStatistic"] == "Count"


def test_periods_without_events_report_zeros() -> None:
    report = report_for(count_ranking([call("alice", "GetObject", 12)]))
    assert report["MetricDatapoints"][0] == {
        "Timestamp": "2026-01-05T00:00:00Z",
        **dict.fromkeys(METRICS, 0.0),
    }


def test_only_requested_metrics_are_returned() -> None:
    report = report_for(count_ranking(SAMPLE), metrics=["SampleCount", "UniqueContributors"])
    assert list(report["MetricDatapoints"][0]) == ["Timestamp", "SampleCount", "UniqueContributors"]
    assert all(
        list(point) == ["Timestamp"]
        for point in report_for(count_ranking(SAMPLE), metrics=[])["MetricDatapoints"]
    )


def test_order_by_sum_ranks_by_window_total_and_maximum_by_best_period() -> None:
    """Spec §7.7: OrderBy=Maximum ranks by a contributor's largest single-period value."""
    steady = [call("steady", "GetObject", minute) for minute in (0, 5, 10)]
    bursty = [call("bursty", "GetObject", 7)] * 2
    ranking = count_ranking(steady + bursty)
    by_sum = report_for(ranking, order_by="Sum")["Contributors"]
    by_maximum = report_for(ranking, order_by="Maximum")["Contributors"]
    assert [entry["Keys"][0] for entry in by_sum] == ["steady", "bursty"]
    assert [entry["Keys"][0] for entry in by_maximum] == ["bursty", "steady"]
    assert by_maximum[0]["ApproximateAggregateValue"] == 2.0


def test_order_by_defaults_to_sum() -> None:
    ranking = count_ranking(SAMPLE)
    assert report_for(ranking) == report_for(ranking, order_by="Sum")


def test_ties_go_to_the_smaller_key_tuple() -> None:
    ranking = count_ranking([call("b", "X", 0), call("a", "Y", 0), call("a", "X", 0)])
    assert [entry["Keys"] for entry in report_for(ranking)["Contributors"]] == [
        ["a", "X"],
        ["a", "Y"],
        ["b", "X"],
    ]


def test_max_contributor_count_keeps_the_top_n() -> None:
    events = [call(f"user{n}", "GetObject", 0) for n in range(30) for _ in range(n + 1)]
    ranking = count_ranking(events)
    assert len(report_for(ranking)["Contributors"]) == 10
    top = report_for(ranking, max_contributor_count=3)["Contributors"]
    assert [entry["Keys"][0] for entry in top] == ["user29", "user28", "user27"]
    assert len(report_for(ranking, max_contributor_count=100)["Contributors"]) == 30


def test_the_window_holds_periods_starting_in_start_inclusive_end_exclusive() -> None:
    """Spec §7.6: periods are epoch-aligned; a period is in [StartTime, EndTime) by its start."""
    ranking = count_ranking([call("a", "X", 0), call("a", "X", 5), call("a", "X", 10)])
    report = report_for(ranking, minutes=10)
    assert [point["Timestamp"] for point in report["MetricDatapoints"]] == [
        "2026-01-05T00:00:00Z",
        "2026-01-05T00:05:00Z",
    ]
    assert report["AggregateValue"] == 2.0


def test_an_unaligned_start_begins_at_the_next_period() -> None:
    ranking = count_ranking([call("a", "X", 0), call("a", "X", 5)])
    report = build_report(ranking, "2026-01-05T00:01:00Z", "2026-01-05T00:10:00Z", 300)
    assert [point["Timestamp"] for point in report["MetricDatapoints"]] == ["2026-01-05T00:05:00Z"]
    assert report["AggregateValue"] == 1.0


def test_times_may_be_aware_or_naive_datetimes_or_iso_strings() -> None:
    ranking = count_ranking(SAMPLE)
    expected = report_for(ranking)
    aware = datetime(2026, 1, 5, 1, 0, tzinfo=timezone(timedelta(hours=1)))
    naive = datetime(2026, 1, 5, 0, 0)
    assert build_report(ranking, aware, "2026-01-05T00:15:00+00:00", 300) == expected
    assert build_report(ranking, naive, datetime(2026, 1, 5, 0, 15, tzinfo=UTC), 300) == expected


def test_an_empty_ranking_reports_no_contributors() -> None:
    report = report_for(count_ranking([]))
    assert report["Contributors"] == []
    assert report["AggregateValue"] == 0.0
    assert report["ApproximateUniqueCount"] == 0
    assert len(report["MetricDatapoints"]) == 3


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"end": START}, "EndTime must be later than StartTime"),
        ({"period": 0}, "Period must be at least 1"),
        ({"period": 90}, "Period must be a multiple of 60"),
        ({"max_contributor_count": 0}, "MaxContributorCount must be 1 to 100"),
        ({"max_contributor_count": 101}, "MaxContributorCount must be 1 to 100"),
        ({"order_by": "Average"}, "OrderBy must be one of Sum, Maximum"),
        ({"metrics": ["P99"]}, "Metrics must be among"),
        ({"start": "yesterday"}, "StartTime is not an ISO-8601 time"),
        ({"start": 1767571200}, "StartTime must be a datetime or an ISO-8601 string"),
    ],
)
def test_invalid_requests_raise_invalid_parameter_value(arguments: dict[str, Any], message: str) -> None:
    start = arguments.pop("start", START)
    end = arguments.pop("end", "2026-01-05T00:15:00Z")
    period = arguments.pop("period", 300)
    with pytest.raises(ReportError) as caught:
        build_report(count_ranking(SAMPLE), start, end, period, **arguments)
    assert caught.value.code == "InvalidParameterValue"
    assert message in str(caught.value)
