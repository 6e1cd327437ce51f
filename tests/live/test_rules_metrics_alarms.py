"""Contributor Insights, metric filters, metric data and alarms through the live backend: moto's server
where it implements the call, a Stubber for GetInsightRuleReport, TestMetricFilter, DescribeAlarmHistory."""

from __future__ import annotations

from datetime import UTC, datetime

import orjson
import pytest
from botocore.stub import Stubber

from trailtui.backends.aws import AwsBackend
from trailtui.backends.base import BackendError, RuleReportRequest

from .conftest import TRAIL_GROUP, backend_on

RULE = orjson.dumps(
    {
        "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
        "LogGroupNames": [TRAIL_GROUP],
        "LogFormat": "JSON",
        "Contribution": {"Keys": ["$.eventName"], "Filters": []},
        "AggregateOn": "Count",
    }
).decode()
FILTER = {
    "filterName": "AssumeRoleDuration",
    "filterPattern": '{$.eventName="AssumeRole"}',
    "metricTransformations": [
        {
            "metricName": "AssumeRoleDuration",
            "metricNamespace": "SecurityMetrics",
            "metricValue": "$.requestParameters.durationSeconds",
            "defaultValue": 0.0,
        }
    ],
}
ALARM = {
    "AlarmName": "assume-role-duration-high",
    "MetricName": "AssumeRoleDuration",
    "Namespace": "SecurityMetrics",
    "Statistic": "Maximum",
    "Period": 300,
    "EvaluationPeriods": 1,
    "Threshold": 3600.0,
    "ComparisonOperator": "GreaterThanThreshold",
}
T0 = datetime(2023, 11, 14, 22, 10, tzinfo=UTC)
T0_MS = int(T0.timestamp() * 1000)


async def test_every_write_is_refused_while_read_only(moto_url: str) -> None:
    backend = backend_on(moto_url, (TRAIL_GROUP,), read_only=True)
    writes = [
        ("PutInsightRule", backend.put_insight_rule("r", RULE)),
        ("PutMetricFilter", backend.put_metric_filter(FILTER)),
        ("PutMetricAlarm", backend.put_metric_alarm(ALARM)),
    ]
    for api, write in writes:
        with pytest.raises(
            BackendError, match=f"^{api} refused: read-only; confirm in the console or pass --yes"
        ):
            await write
    assert backend.caller.health.calls == 0
    await backend.close()


async def test_a_rule_put_is_listed(live_backend: AwsBackend) -> None:
    await live_backend.put_insight_rule("top-api-calls", RULE)
    rules = (await live_backend.describe_insight_rules())["InsightRules"]
    rule = next(rule for rule in rules if rule["Name"] == "top-api-calls")
    assert rule["State"] == "ENABLED"
    assert orjson.loads(rule["Definition"]) == orjson.loads(RULE)


async def test_a_rule_report_has_the_local_reports_times(
    stubbed_cloudwatch: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_cloudwatch
    report = {
        "KeyLabels": ["$.eventName"],
        "AggregationStatistic": "Count",
        "AggregateValue": 3.0,
        "ApproximateUniqueCount": 2,
        "Contributors": [
            {
                "Keys": ["AssumeRole"],
                "ApproximateAggregateValue": 2.0,
                "Datapoints": [{"Timestamp": T0, "ApproximateValue": 2.0}],
            }
        ],
        "MetricDatapoints": [{"Timestamp": T0, "UniqueContributors": 2.0, "SampleCount": 3.0, "Sum": 3.0}],
    }
    expected_request = {
        "RuleName": "top-api-calls",
        "StartTime": T0,
        "EndTime": datetime(2023, 11, 14, 23, 10, tzinfo=UTC),
        "Period": 300,
        "MaxContributorCount": 10,
        "OrderBy": "Sum",
        "Metrics": [
            "UniqueContributors",
            "MaxContributorValue",
            "SampleCount",
            "Sum",
            "Minimum",
            "Maximum",
            "Average",
        ],
    }
    stubber.add_response("get_insight_rule_report", report, expected_request)
    answer = await backend.get_insight_rule_report(
        RuleReportRequest("top-api-calls", T0_MS, T0_MS + 3_600_000)
    )
    assert answer["Contributors"][0]["Datapoints"] == [
        {"Timestamp": "2023-11-14T22:10:00Z", "ApproximateValue": 2.0}
    ]
    assert answer["MetricDatapoints"][0]["Timestamp"] == "2023-11-14T22:10:00Z"
    assert answer["KeyLabels"] == ["$.eventName"]


async def test_a_metric_filter_put_is_listed_for_the_log_group(live_backend: AwsBackend) -> None:
    await live_backend.put_metric_filter(FILTER)
    filters = (await live_backend.describe_metric_filters())["metricFilters"]
    listed = next(item for item in filters if item["filterName"] == "AssumeRoleDuration")
    assert listed["logGroupName"] == TRAIL_GROUP
    assert listed["filterPattern"] == FILTER["filterPattern"]
    assert listed["metricTransformations"] == FILTER["metricTransformations"]


async def test_test_metric_filter_answers_the_matches(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    messages = ['{"eventName":"AssumeRole"}', '{"eventName":"CreateKey"}']
    matches = [{"eventNumber": 1, "eventMessage": messages[0], "extractedValues": {}}]
    stubber.add_response(
        "test_metric_filter",
        {"matches": matches},
        {"filterPattern": '{$.eventName="AssumeRole"}', "logEventMessages": messages},
    )
    assert await backend.test_metric_filter('{$.eventName="AssumeRole"}', messages) == {"matches": matches}


async def test_metric_data_comes_back_newest_first_with_utc_times(live_backend: AwsBackend) -> None:
    now = datetime.now(UTC).replace(second=0, microsecond=0)
    points = [{"MetricName": "Probe", "Timestamp": now.replace(minute=m), "Value": float(m)} for m in (1, 2)]
    live_backend.clients.cloudwatch.put_metric_data(Namespace="Live", MetricData=points)
    query = {
        "Id": "probe",
        "MetricStat": {
            "Metric": {"Namespace": "Live", "MetricName": "Probe"},
            "Period": 60,
            "Stat": "Maximum",
        },
    }
    start_ms = int(now.replace(minute=0).timestamp() * 1000)
    answer = await live_backend.get_metric_data([query], start_ms, start_ms + 3_600_000)
    [result] = answer["MetricDataResults"]
    assert result["Id"] == "probe"
    assert result["Values"] == [2.0, 1.0]
    assert result["Timestamps"] == [now.replace(minute=2), now.replace(minute=1)]
    assert all(stamp.tzinfo == UTC for stamp in result["Timestamps"])


async def test_an_alarm_put_is_described_with_cli_timestamps(live_backend: AwsBackend) -> None:
    await live_backend.put_metric_alarm(ALARM)
    alarms = (await live_backend.describe_alarms())["MetricAlarms"]
    alarm = next(alarm for alarm in alarms if alarm["AlarmName"] == ALARM["AlarmName"])
    assert alarm["Threshold"] == 3600.0
    assert alarm["StateValue"] in {"OK", "INSUFFICIENT_DATA"}
    stamp = alarm["StateUpdatedTimestamp"]
    assert datetime.fromisoformat(stamp).utcoffset() is not None and stamp.endswith("+00:00")


async def test_alarm_history_is_newest_first_with_cli_timestamps(
    stubbed_cloudwatch: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_cloudwatch
    item = {
        "AlarmName": "assume-role-duration-high",
        "AlarmType": "MetricAlarm",
        "Timestamp": datetime(2023, 11, 14, 22, 14, 42, 817000, tzinfo=UTC),
        "HistoryItemType": "StateUpdate",
        "HistorySummary": "Alarm updated from OK to ALARM",
        "HistoryData": "{}",
    }
    expected_request = {"ScanBy": "TimestampDescending", "AlarmName": "assume-role-duration-high"}
    stubber.add_response("describe_alarm_history", {"AlarmHistoryItems": [item]}, expected_request)
    answer = await backend.describe_alarm_history("assume-role-duration-high")
    assert answer == {"AlarmHistoryItems": [{**item, "Timestamp": "2023-11-14T22:14:42.817000+00:00"}]}
