"""The state one evaluation decides from the periods of the evaluation range (spec §4.2–§4.6).

This is the reconstructed procedure of spec §4.6, which reproduces every documented row of §4.5. Two of
its outcomes are decisions of ours (spec §8.2, §8.3):
- the premature-alarm rule applies only under `missing` and only when every real datapoint in the range
  breaches; the documented table (`0 - X - -`, M = 2 → OK) wins over the prose;
- under `missing`, breaching datapoints too recent for the premature rule (`- - - - X`, M = 3) keep the
  current state, as `ignore` does.
"""

from collections.abc import Sequence
from dataclasses import dataclass
from enum import StrEnum

from trailtui.metrics.alarms.definition import AlarmDefinition, TreatMissingData


class AlarmState(StrEnum):
    """The three states of a metric alarm."""

    OK = "OK"
    ALARM = "ALARM"
    INSUFFICIENT_DATA = "INSUFFICIENT_DATA"


@dataclass(frozen=True, slots=True)
class PeriodValue:
    """One period of the evaluation range: its start and statistic value, `None` when it has no data."""

    start_ms: int
    value: float | None
    sample_count: float | None = None


@dataclass(frozen=True, slots=True)
class EvaluatedDatapoint:
    """A period the decision counted: a real value, a filled missing period, or (for no data) unknown."""

    start_ms: int
    value: float | None
    sample_count: float | None
    breaching: bool | None

    @property
    def is_real(self) -> bool:
        return self.value is not None


@dataclass(frozen=True, slots=True)
class Decision:
    """The outcome of one evaluation: a state, or `None` to keep the current one, and what was counted."""

    state: AlarmState | None
    evaluated: tuple[EvaluatedDatapoint, ...]
    """Newest first."""


def decide(periods: Sequence[PeriodValue], definition: AlarmDefinition) -> Decision:
    """Decide the alarm state from the evaluation range, `periods` newest first."""
    real = [_judge(period, period.value, definition) for period in periods if period.value is not None]
    if len(real) >= definition.evaluation_periods:
        return _by_count(real[: definition.evaluation_periods], definition.datapoints_to_alarm)
    return _with_too_few_datapoints(periods, real, definition)


def _judge(period: PeriodValue, value: float, definition: AlarmDefinition) -> EvaluatedDatapoint:
    breaching = definition.comparison_operator.breaches(value, definition.threshold)
    return EvaluatedDatapoint(period.start_ms, value, period.sample_count, breaching)


def _by_count(evaluated: Sequence[EvaluatedDatapoint], datapoints_to_alarm: int) -> Decision:
    breaching_count = sum(1 for datapoint in evaluated if datapoint.breaching)
    state = AlarmState.ALARM if breaching_count >= datapoints_to_alarm else AlarmState.OK
    return Decision(state, tuple(evaluated))


def _with_too_few_datapoints(
    periods: Sequence[PeriodValue], real: list[EvaluatedDatapoint], definition: AlarmDefinition
) -> Decision:
    treatment = definition.effective_treat_missing_data
    fills_needed = definition.evaluation_periods - len(real)
    if treatment in (TreatMissingData.BREACHING, TreatMissingData.NOT_BREACHING):
        fills = _newest_missing(periods, fills_needed, treatment is TreatMissingData.BREACHING)
        evaluated = sorted(real + fills, key=lambda datapoint: datapoint.start_ms, reverse=True)
        return _by_count(evaluated, definition.datapoints_to_alarm)
    breaching_count = sum(1 for datapoint in real if datapoint.breaching)
    if breaching_count >= definition.datapoints_to_alarm:
        return Decision(AlarmState.ALARM, tuple(real))
    if treatment is TreatMissingData.MISSING and _premature_alarm(periods, real, definition):
        return Decision(AlarmState.ALARM, tuple(real))
    if breaching_count < len(real):
        return Decision(AlarmState.OK, tuple(real))
    if treatment is TreatMissingData.MISSING and not real:
        unknown = _newest_missing(periods, definition.evaluation_periods, breaching=None)
        return Decision(AlarmState.INSUFFICIENT_DATA, tuple(unknown))
    return Decision(None, tuple(real))


def _newest_missing(
    periods: Sequence[PeriodValue], count: int, breaching: bool | None
) -> list[EvaluatedDatapoint]:
    missing = [period for period in periods if period.value is None][:count]
    return [EvaluatedDatapoint(period.start_ms, None, None, breaching) for period in missing]


def _premature_alarm(
    periods: Sequence[PeriodValue], real: list[EvaluatedDatapoint], definition: AlarmDefinition
) -> bool:
    """Sparse, only-breaching data alarms once its oldest breach in the last N periods is M periods old."""
    if not real or not all(datapoint.breaching for datapoint in real):
        return False
    last_n = periods[: definition.evaluation_periods]
    ages_with_data = [age for age, period in enumerate(last_n, start=1) if period.value is not None]
    return bool(ages_with_data) and ages_with_data[-1] >= definition.datapoints_to_alarm
