"""PutMetricAlarm requests are accepted or refused as CloudWatch does, naming the parameter at fault."""

from __future__ import annotations

from typing import Any

import pytest

from trailtui.metrics.alarms import (
    AlarmDefinition,
    AlarmDefinitionError,
    ComparisonOperator,
    TreatMissingData,
)

from .helpers import alarm, alarm_request


def refusal(**changes: Any) -> AlarmDefinitionError:
    with pytest.raises(AlarmDefinitionError) as caught:
        AlarmDefinition.from_request(alarm_request(**changes))
    return caught.value


def test_a_full_request_is_read_into_the_definition() -> None:
    definition = alarm(
        AlarmDescription="AssumeRole storms",
        ActionsEnabled=False,
        AlarmActions=["arn:aws:sns:us-east-1:123456789012:security"],
        Dimensions=[{"Name": "Account", "Value": "123456789012"}],
        DatapointsToAlarm=2,
        Unit="Count",
        TreatMissingData="notBreaching",
        Tags=[{"Key": "team", "Value": "secops"}],
    )

    assert definition.alarm_description == "AssumeRole storms"
    assert definition.actions_enabled is False
    assert definition.alarm_actions == ("arn:aws:sns:us-east-1:123456789012:security",)
    assert definition.dimensions == (("Account", "123456789012"),)
    assert (definition.evaluation_periods, definition.datapoints_to_alarm) == (3, 2)
    assert definition.comparison_operator is ComparisonOperator.GREATER_THAN_THRESHOLD
    assert definition.treat_missing_data is TreatMissingData.NOT_BREACHING
    assert definition.tags == (("team", "secops"),)


def test_defaults_are_those_of_put_metric_alarm() -> None:
    definition = alarm()

    assert definition.actions_enabled is True
    assert definition.datapoints_to_alarm == definition.evaluation_periods
    assert definition.treat_missing_data is TreatMissingData.MISSING
    assert definition.unit is None
    assert definition.evaluate_low_sample_count_percentile is None


def test_describe_fields_carry_the_definition_in_describe_alarms_shape() -> None:
    definition = alarm(Dimensions=[{"Name": "Account", "Value": "1"}], Unit="Count")

    assert definition.describe_metric() == {
        "MetricName": "AssumeRoleCount",
        "Namespace": "SecurityMetrics",
        "Statistic": "Sum",
        "Dimensions": [{"Name": "Account", "Value": "1"}],
        "Period": 60,
        "Unit": "Count",
        "EvaluationPeriods": 3,
        "DatapointsToAlarm": 3,
        "Threshold": 10.0,
        "ComparisonOperator": "GreaterThanThreshold",
        "TreatMissingData": "missing",
    }


@pytest.mark.parametrize("period", [10, 20, 30, 60, 120, 300, 3600, 86400])
def test_valid_periods(period: int) -> None:
    assert alarm(Period=period, EvaluationPeriods=1).period == period


@pytest.mark.parametrize("period", [1, 15, 45, 90, 61, 0, -60])
def test_invalid_periods_are_refused(period: int) -> None:
    assert refusal(Period=period, EvaluationPeriods=1).parameter == "Period"


def test_period_message_names_the_rule() -> None:
    assert str(refusal(Period=45)) == "Period: must be 10, 20, 30 or a multiple of 60"


@pytest.mark.parametrize(
    ("period", "evaluation_periods", "accepted"),
    [
        (60, 1440, True),
        (60, 1441, False),
        (300, 288, True),
        (300, 289, False),
        (10, 8640, True),
        (10, 8641, False),
        (3600, 168, True),
        (3600, 169, False),
        (86400, 7, True),
        (86400, 8, False),
    ],
)
def test_period_times_evaluation_periods_limits(period: int, evaluation_periods: int, accepted: bool) -> None:
    request = alarm_request(Period=period, EvaluationPeriods=evaluation_periods, DatapointsToAlarm=1)
    if accepted:
        AlarmDefinition.from_request(request)
    else:
        with pytest.raises(AlarmDefinitionError, match=r"^EvaluationPeriods: "):
            AlarmDefinition.from_request(request)


@pytest.mark.parametrize(
    "operator",
    ["LessThanLowerOrGreaterThanUpperThreshold", "LessThanLowerThreshold", "GreaterThanUpperThreshold"],
)
def test_anomaly_band_operators_are_refused_as_unsupported(operator: str) -> None:
    error = refusal(ComparisonOperator=operator)

    assert str(error) == "ComparisonOperator: the local engine does not support anomaly detection alarms"


def test_threshold_metric_id_is_refused_as_anomaly_detection() -> None:
    error = refusal(ThresholdMetricId="ad1", Threshold=None)

    assert "does not support anomaly detection" in str(error)
    assert error.parameter == "ThresholdMetricId"


def test_metric_math_and_promql_alarms_are_refused_as_unsupported() -> None:
    assert "metric math" in str(refusal(Metrics=[{"Id": "m1"}], MetricName=None))
    assert "PromQL" in str(refusal(EvaluationCriteria={}, MetricName=None))


@pytest.mark.parametrize(
    ("changes", "expected_message"),
    [
        ({"AlarmName": None}, "AlarmName: is required"),
        ({"AlarmName": ""}, "AlarmName: length must be between 1 and 255"),
        ({"AlarmName": "x" * 256}, "AlarmName: length must be between 1 and 255"),
        ({"AlarmName": "bad\x1b[31m"}, "AlarmName: must not contain control characters"),
        ({"AlarmDescription": "d" * 1025}, "AlarmDescription: length must be between 0 and 1024"),
        ({"ActionsEnabled": "yes"}, "ActionsEnabled: must be true or false"),
        ({"AlarmActions": ["arn:a"] * 6}, "AlarmActions: must have at most 5 items"),
        ({"OKActions": [""]}, "OKActions: length must be between 1 and 1024"),
        ({"MetricName": None}, "MetricName: is required"),
        ({"Namespace": None}, "Namespace: is required"),
        ({"Dimensions": [{"Name": "a", "Value": "b"}] * 31}, "Dimensions: must have at most 30 items"),
        ({"Dimensions": [{"Name": "a"}]}, "Dimensions.Value: is required"),
        ({"Dimensions": ["a=b"]}, "Dimensions: each item must be an object with Name and Value"),
        ({"Statistic": None}, "Statistic: exactly one of Statistic and ExtendedStatistic is required"),
        (
            {"ExtendedStatistic": "p99"},
            "Statistic: exactly one of Statistic and ExtendedStatistic is required",
        ),
        ({"Statistic": "Median"}, "Statistic: must be one of SampleCount, Average, Sum, Minimum, Maximum"),
        ({"Period": "60"}, "Period: must be an integer"),
        ({"Period": True}, "Period: must be an integer"),
        ({"Period": None}, "Period: is required"),
        ({"EvaluationPeriods": 0}, "EvaluationPeriods: must be at least 1"),
        ({"EvaluationPeriods": None}, "EvaluationPeriods: is required"),
        ({"DatapointsToAlarm": 0}, "DatapointsToAlarm: must be at least 1"),
        ({"DatapointsToAlarm": 4}, "DatapointsToAlarm: must not exceed EvaluationPeriods"),
        ({"Threshold": None}, "Threshold: is required"),
        ({"Threshold": "10"}, "Threshold: must be a number"),
        ({"Threshold": float("inf")}, "Threshold: must be a finite number"),
        ({"ComparisonOperator": None}, "ComparisonOperator: is required"),
        (
            {"ComparisonOperator": "Equals"},
            "ComparisonOperator: must be one of GreaterThanOrEqualToThreshold, ",
        ),
        (
            {"TreatMissingData": "zero"},
            "TreatMissingData: must be one of missing, ignore, breaching, notBreaching",
        ),
        ({"EvaluateLowSampleCountPercentile": "skip"}, "EvaluateLowSampleCountPercentile: must be one of"),
        ({"Unit": "Requests"}, "Unit: must be one of Seconds, "),
        ({"Tags": [{"Key": "k", "Value": "v"}] * 51}, "Tags: must have at most 50 items"),
        ({"Tags": [{"Key": "", "Value": "v"}]}, "Tags.Key: length must be between 1 and 128"),
        ({"Treshold": 1}, "Treshold: unknown parameter"),
    ],
)
def test_invalid_requests_are_refused_naming_the_parameter(
    changes: dict[str, Any], expected_message: str
) -> None:
    assert str(refusal(**changes)).startswith(expected_message)


@pytest.mark.parametrize(
    "statistic", ["p0", "p50", "p90", "p99", "p99.9", "p99.99", "p100", "tm90", "wm10", "IQM", "TM(10%:90%)",
                  "TC(:95%)", "PR(10:)", "PR(:300)", "PR(-5:5.5)"],
)  # fmt: skip
def test_valid_extended_statistics(statistic: str) -> None:
    assert alarm(Statistic=None, ExtendedStatistic=statistic).statistic_name == statistic


@pytest.mark.parametrize(
    "statistic", ["p101", "p99.999", "P99", "p", "tm95", "tm5", "TM(90%:10%)", "TM(:)", "TM(10%:101%)",
                  "PR(5:1)", "iqm", "Median", ""],
)  # fmt: skip
def test_invalid_extended_statistics_are_refused(statistic: str) -> None:
    assert refusal(Statistic=None, ExtendedStatistic=statistic).parameter == "ExtendedStatistic"


def test_extended_statistic_is_described_instead_of_statistic() -> None:
    described = alarm(Statistic=None, ExtendedStatistic="p99").describe_metric()

    assert described["ExtendedStatistic"] == "p99"
    assert "Statistic" not in described
