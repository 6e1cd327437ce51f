"""A metric alarm's definition, built from a PutMetricAlarm request and validated as CloudWatch validates it.

Only static-threshold alarms on one metric run locally. Metric-math (`Metrics`), anomaly-detection
(`ThresholdMetricId` and the band operators) and PromQL (`EvaluationCriteria`) alarms are refused with a
message saying the local engine does not support them. Beyond the API model, `Namespace` is required with
`MetricName`: a local metric is found by namespace and name. Unknown parameters are refused, as the AWS
SDKs refuse them before sending.
"""

import operator
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from enum import StrEnum

from trailtui.metrics.alarms import _fields
from trailtui.metrics.alarms.errors import AlarmDefinitionError
from trailtui.metrics.alarms.statistic import STATISTICS, is_valid_extended_statistic

UNITS = (
    "Seconds", "Microseconds", "Milliseconds", "Bytes", "Kilobytes", "Megabytes", "Gigabytes", "Terabytes",
    "Bits", "Kilobits", "Megabits", "Gigabits", "Terabits", "Percent", "Count", "Bytes/Second",
    "Kilobytes/Second", "Megabytes/Second", "Gigabytes/Second", "Terabytes/Second", "Bits/Second",
    "Kilobits/Second", "Megabits/Second", "Gigabits/Second", "Terabits/Second", "Count/Second", "None",
)  # fmt: skip

HIGH_RESOLUTION_PERIODS = (10, 20, 30)
MAX_EVALUATION_SPAN_SECONDS = 7 * 24 * 3600
MAX_SHORT_PERIOD_SPAN_SECONDS = 24 * 3600
SHORT_PERIOD_LIMIT_SECONDS = 3600

_ANOMALY_BAND_OPERATORS = (
    "LessThanLowerOrGreaterThanUpperThreshold",
    "LessThanLowerThreshold",
    "GreaterThanUpperThreshold",
)
_NO_ANOMALY_DETECTION = "the local engine does not support anomaly detection alarms"

_PARAMETERS = frozenset(
    {
        "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
        "InsufficientDataActions", "MetricName", "Namespace", "Statistic", "ExtendedStatistic", "Dimensions",
        "Period", "Unit", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
        "TreatMissingData", "EvaluateLowSampleCountPercentile", "Metrics", "Tags", "ThresholdMetricId",
        "EvaluationCriteria", "EvaluationInterval",
    }
)  # fmt: skip


class ComparisonOperator(StrEnum):
    """A static-threshold comparison; the statistic value is always the left operand."""

    GREATER_THAN_OR_EQUAL_TO_THRESHOLD = "GreaterThanOrEqualToThreshold"
    GREATER_THAN_THRESHOLD = "GreaterThanThreshold"
    LESS_THAN_THRESHOLD = "LessThanThreshold"
    LESS_THAN_OR_EQUAL_TO_THRESHOLD = "LessThanOrEqualToThreshold"

    def breaches(self, value: float, threshold: float) -> bool:
        """Whether `value <op> threshold` holds; NaN never breaches."""
        return _COMPARISONS[self](value, threshold)

    @property
    def phrase(self) -> str:
        """The words state reasons use for this comparison: `greater than or equal to`."""
        return _PHRASES[self]


_COMPARISONS: dict[ComparisonOperator, Callable[[float, float], bool]] = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD: operator.ge,
    ComparisonOperator.GREATER_THAN_THRESHOLD: operator.gt,
    ComparisonOperator.LESS_THAN_THRESHOLD: operator.lt,
    ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD: operator.le,
}
_PHRASES = {
    ComparisonOperator.GREATER_THAN_OR_EQUAL_TO_THRESHOLD: "greater than or equal to",
    ComparisonOperator.GREATER_THAN_THRESHOLD: "greater than",
    ComparisonOperator.LESS_THAN_THRESHOLD: "less than",
    ComparisonOperator.LESS_THAN_OR_EQUAL_TO_THRESHOLD: "less than or equal to",
}


class TreatMissingData(StrEnum):
    """How periods without data count when there are too few real datapoints (spec §4.3)."""

    MISSING = "missing"
    IGNORE = "ignore"
    BREACHING = "breaching"
    NOT_BREACHING = "notBreaching"


@dataclass(frozen=True, slots=True)
class AlarmDefinition:
    """A validated static-threshold metric alarm; field names follow PutMetricAlarm in snake_case."""

    alarm_name: str
    metric_name: str
    namespace: str
    period: int
    evaluation_periods: int
    datapoints_to_alarm: int
    threshold: float
    comparison_operator: ComparisonOperator
    statistic: str | None = None
    extended_statistic: str | None = None
    alarm_description: str | None = None
    actions_enabled: bool = True
    ok_actions: tuple[str, ...] = ()
    alarm_actions: tuple[str, ...] = ()
    insufficient_data_actions: tuple[str, ...] = ()
    dimensions: tuple[tuple[str, str], ...] = ()
    unit: str | None = None
    treat_missing_data: TreatMissingData = TreatMissingData.MISSING
    evaluate_low_sample_count_percentile: str | None = None
    tags: tuple[tuple[str, str], ...] = ()

    @classmethod
    def from_request(cls, request: Mapping[str, object]) -> "AlarmDefinition":
        """Build from a PutMetricAlarm request; raise `AlarmDefinitionError` where CloudWatch refuses it."""
        _refuse_unsupported_alarm_kinds(request)
        _refuse_unknown_parameters(request)
        period = _period(request)
        evaluation_periods = _fields.required_int(request, "EvaluationPeriods", minimum=1)
        _check_evaluation_span(period, evaluation_periods)
        statistic, extended_statistic = _statistic(request)
        return cls(
            alarm_name=_alarm_name(request),
            alarm_description=_fields.optional_text(request, "AlarmDescription", max_length=1024),
            actions_enabled=_fields.optional_bool(request, "ActionsEnabled", default=True),
            ok_actions=_fields.action_arns(request, "OKActions"),
            alarm_actions=_fields.action_arns(request, "AlarmActions"),
            insufficient_data_actions=_fields.action_arns(request, "InsufficientDataActions"),
            metric_name=_fields.required_text(request, "MetricName", max_length=255),
            namespace=_fields.required_text(request, "Namespace", max_length=255),
            dimensions=_fields.dimensions(request),
            statistic=statistic,
            extended_statistic=extended_statistic,
            period=period,
            unit=_fields.optional_choice(request, "Unit", UNITS),
            evaluation_periods=evaluation_periods,
            datapoints_to_alarm=_datapoints_to_alarm(request, evaluation_periods),
            threshold=_fields.required_number(request, "Threshold"),
            comparison_operator=_comparison_operator(request),
            treat_missing_data=_treat_missing_data(request),
            evaluate_low_sample_count_percentile=_fields.optional_choice(
                request, "EvaluateLowSampleCountPercentile", ("evaluate", "ignore")
            ),
            tags=_fields.tags(request),
        )

    @property
    def statistic_name(self) -> str:
        """The statistic or extended statistic, whichever the alarm uses."""
        return self.statistic or self.extended_statistic or ""

    @property
    def effective_treat_missing_data(self) -> TreatMissingData:
        """`TreatMissingData` as evaluation applies it: `AWS/DynamoDB` alarms always behave as `ignore`."""
        if self.namespace == "AWS/DynamoDB":
            return TreatMissingData.IGNORE
        return self.treat_missing_data

    def describe_settings(self) -> dict[str, object]:
        """The DescribeAlarms fields that come before the state: name, description, actions."""
        settings: dict[str, object] = {"AlarmName": self.alarm_name}
        if self.alarm_description is not None:
            settings["AlarmDescription"] = self.alarm_description
        settings["ActionsEnabled"] = self.actions_enabled
        settings["OKActions"] = list(self.ok_actions)
        settings["AlarmActions"] = list(self.alarm_actions)
        settings["InsufficientDataActions"] = list(self.insufficient_data_actions)
        return settings

    def describe_metric(self) -> dict[str, object]:
        """The DescribeAlarms fields that come after the state: the metric and how it is judged."""
        metric: dict[str, object] = {"MetricName": self.metric_name, "Namespace": self.namespace}
        if self.statistic is not None:
            metric["Statistic"] = self.statistic
        else:
            metric["ExtendedStatistic"] = self.extended_statistic
        metric["Dimensions"] = [{"Name": name, "Value": value} for name, value in self.dimensions]
        metric["Period"] = self.period
        if self.unit is not None:
            metric["Unit"] = self.unit
        metric["EvaluationPeriods"] = self.evaluation_periods
        metric["DatapointsToAlarm"] = self.datapoints_to_alarm
        metric["Threshold"] = self.threshold
        metric["ComparisonOperator"] = str(self.comparison_operator)
        metric["TreatMissingData"] = str(self.treat_missing_data)
        if self.evaluate_low_sample_count_percentile is not None:
            metric["EvaluateLowSampleCountPercentile"] = self.evaluate_low_sample_count_percentile
        return metric


def _refuse_unsupported_alarm_kinds(request: Mapping[str, object]) -> None:
    if "ThresholdMetricId" in request or request.get("ComparisonOperator") in _ANOMALY_BAND_OPERATORS:
        parameter = "ThresholdMetricId" if "ThresholdMetricId" in request else "ComparisonOperator"
        raise AlarmDefinitionError(parameter, _NO_ANOMALY_DETECTION)
    if "Metrics" in request:
        raise AlarmDefinitionError("Metrics", "the local engine does not support metric math alarms")
    if "EvaluationCriteria" in request or "EvaluationInterval" in request:
        raise AlarmDefinitionError("EvaluationCriteria", "the local engine does not support PromQL alarms")


def _refuse_unknown_parameters(request: Mapping[str, object]) -> None:
    unknown = sorted(str(name) for name in request if name not in _PARAMETERS)
    if unknown:
        raise AlarmDefinitionError(unknown[0], "unknown parameter")


def _alarm_name(request: Mapping[str, object]) -> str:
    name = _fields.required_text(request, "AlarmName", max_length=255)
    _fields.refuse_control_characters(name, "AlarmName")
    return name


def _statistic(request: Mapping[str, object]) -> tuple[str | None, str | None]:
    if ("Statistic" in request) == ("ExtendedStatistic" in request):
        raise AlarmDefinitionError("Statistic", "exactly one of Statistic and ExtendedStatistic is required")
    if "Statistic" in request:
        return _fields.optional_choice(request, "Statistic", STATISTICS), None
    extended = _fields.required_text(request, "ExtendedStatistic", max_length=255)
    if not is_valid_extended_statistic(extended):
        raise AlarmDefinitionError("ExtendedStatistic", f"{extended!r} is not a valid extended statistic")
    return None, extended


def _period(request: Mapping[str, object]) -> int:
    period = _fields.required_int(request, "Period", minimum=1)
    if period not in HIGH_RESOLUTION_PERIODS and period % 60:
        raise AlarmDefinitionError("Period", "must be 10, 20, 30 or a multiple of 60")
    return period


def _check_evaluation_span(period: int, evaluation_periods: int) -> None:
    span = period * evaluation_periods
    if span > MAX_EVALUATION_SPAN_SECONDS:
        raise AlarmDefinitionError("EvaluationPeriods", "Period × EvaluationPeriods must not exceed 7 days")
    if period < SHORT_PERIOD_LIMIT_SECONDS and span > MAX_SHORT_PERIOD_SPAN_SECONDS:
        raise AlarmDefinitionError(
            "EvaluationPeriods",
            "Period × EvaluationPeriods must not exceed 1 day when Period is under 1 hour",
        )


def _datapoints_to_alarm(request: Mapping[str, object], evaluation_periods: int) -> int:
    datapoints = _fields.optional_int(request, "DatapointsToAlarm", minimum=1)
    if datapoints is None:
        return evaluation_periods
    if datapoints > evaluation_periods:
        raise AlarmDefinitionError("DatapointsToAlarm", "must not exceed EvaluationPeriods")
    return datapoints


def _comparison_operator(request: Mapping[str, object]) -> ComparisonOperator:
    choice = _fields.optional_choice(request, "ComparisonOperator", [str(op) for op in ComparisonOperator])
    if choice is None:
        raise AlarmDefinitionError("ComparisonOperator", "is required")
    return ComparisonOperator(choice)


def _treat_missing_data(request: Mapping[str, object]) -> TreatMissingData:
    choice = _fields.optional_choice(request, "TreatMissingData", [str(mode) for mode in TreatMissingData])
    return TreatMissingData(choice or TreatMissingData.MISSING)
