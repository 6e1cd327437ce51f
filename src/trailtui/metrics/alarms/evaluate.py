"""`AlarmEvaluator`: one alarm evaluated again and again as a replay clock advances.

Input: per-period statistic values, a mapping of period start (epoch ms, a multiple of the alarm's
Period) to value. A period absent from the mapping, or whose value is NaN, has no data (spec §8.6, §8.7:
a period of default-value datapoints is present; a statistic over zero samples is missing). Keys that are
not multiples of the Period are never looked up. Optional sample counts, keyed the same way, feed
`EvaluateLowSampleCountPercentile` and `StateReasonData`; without them an alarm always evaluates.

Decisions (spec §8):
- Evaluation range R = EvaluationPeriods + 2 unless `evaluation_range` says otherwise (§8.1).
- Evaluations happen at each multiple of the Period, once the clock has passed it by `grace_ms`
  (§8.4, §8.5). Each evaluates the R complete periods that end there. CloudWatch slides its windows by a
  minute instead; per-period input keyed by aligned starts cannot express sliding windows, and for
  60-second alarms (most metric-filter alarms) the two are the same.
- The first evaluation is at the first Period boundary at or after creation; earlier periods still count
  through the evaluation range, as CloudWatch reads data from before an alarm existed (§2).
- Time only moves forward: a call whose clock is behind the last evaluation evaluates nothing. Seeking
  back in a replay means a new evaluator.
- Stretches where the evaluation range holds no data are evaluated only at their last boundary: such
  an evaluation decides the same every time, so skipping the others changes nothing a user sees (a test
  checks one long step against many small ones), and a year-long gap costs one evaluation.
- An evaluation that keeps the state still updates the reason, its data and StateUpdatedTimestamp; they
  are written when first read (or when the next transition needs the old status), from the decision kept
  aside, so a long quiet replay formats no text nobody reads.
- `EvaluateLowSampleCountPercentile: ignore` on a `pNN` alarm keeps the state, and the reason, whenever
  a real datapoint the decision counted has fewer samples than spec §4.7 requires (§4.7 says "while a
  period has too few samples" without saying which; we take every counted one).
"""

import math
from bisect import bisect_right
from collections.abc import Mapping, Sequence
from fractions import Fraction

import orjson

from trailtui.metrics.alarms._timefmt import cli_timestamp
from trailtui.metrics.alarms.decision import AlarmState, Decision, PeriodValue, decide
from trailtui.metrics.alarms.definition import AlarmDefinition
from trailtui.metrics.alarms.history import AlarmStatus, StateChange, alarm_history
from trailtui.metrics.alarms.reason import INITIAL_REASON, state_reason, state_reason_data
from trailtui.metrics.alarms.statistic import minimum_significant_samples, percentile_fraction

EXTRA_PERIODS_IN_RANGE = 2


class AlarmEvaluator:
    """Evaluates one alarm as time advances; keeps its state, reason and history."""

    def __init__(
        self,
        definition: AlarmDefinition,
        *,
        created_ms: int | None = None,
        evaluation_range: int | None = None,
        grace_ms: int = 0,
    ) -> None:
        """`created_ms` defaults to the clock of the first `evaluate()`; `grace_ms` delays each evaluation."""
        range_size = evaluation_range
        if range_size is None:
            range_size = definition.evaluation_periods + EXTRA_PERIODS_IN_RANGE
        if range_size < definition.evaluation_periods:
            raise ValueError("evaluation_range must be at least EvaluationPeriods")
        if grace_ms < 0:
            raise ValueError("grace_ms must not be negative")
        self.definition = definition
        self.evaluation_range = range_size
        self.grace_ms = grace_ms
        self._period_ms = definition.period * 1000
        self._minimum_samples = _minimum_samples(definition)
        self._status: AlarmStatus | None = None
        self._kept: tuple[Decision, int] | None = None
        self._created_ms: int | None = None
        self._transitioned_ms: int | None = None
        self._next_due_ms = 0
        self._changes: list[StateChange] = []
        if created_ms is not None:
            self._create(created_ms)

    def _create(self, created_ms: int) -> None:
        self._created_ms = self._transitioned_ms = created_ms
        self._status = AlarmStatus(AlarmState.INSUFFICIENT_DATA, INITIAL_REASON, None, created_ms)
        self._next_due_ms = -(-created_ms // self._period_ms) * self._period_ms

    @property
    def state(self) -> AlarmState:
        return self._status.value if self._status else AlarmState.INSUFFICIENT_DATA

    @property
    def state_reason(self) -> str:
        status = self._settled_status()
        return status.reason if status else INITIAL_REASON

    @property
    def state_reason_data(self) -> str | None:
        """StateReasonData as the JSON string DescribeAlarms returns; None before the first decision."""
        status = self._settled_status()
        return status.reason_data if status else None

    @property
    def state_updated_timestamp(self) -> int | None:
        """When the state or its reason last changed (epoch ms); None before creation."""
        status = self._settled_status()
        return status.timestamp_ms if status else None

    @property
    def state_transitioned_timestamp(self) -> int | None:
        """When the state value last changed (epoch ms); None before creation."""
        return self._transitioned_ms

    @property
    def changes(self) -> tuple[StateChange, ...]:
        """Every transition so far, oldest first."""
        return tuple(self._changes)

    def evaluate(
        self,
        datapoints: Mapping[int, float],
        now_ms: int,
        sample_counts: Mapping[int, float] | None = None,
    ) -> list[StateChange]:
        """Evaluate every Period boundary the clock has passed since the last call; return the transitions."""
        if self._status is None:
            self._create(now_ms)
        last_due_ms = (now_ms - self.grace_ms) // self._period_ms * self._period_ms
        period_starts = sorted(start for start in datapoints if start % self._period_ms == 0)
        changes: list[StateChange] = []
        due_ms = self._next_due_ms
        while due_ms <= last_due_ms:
            periods = self._evaluation_range_at(due_ms, datapoints, sample_counts or {})
            if change := self._evaluate_at(due_ms, periods):
                changes.append(change)
            due_ms = self._following_due(due_ms, periods, period_starts, last_due_ms)
        self._next_due_ms = due_ms
        self._changes.extend(changes)
        return changes

    def _evaluation_range_at(
        self, due_ms: int, datapoints: Mapping[int, float], sample_counts: Mapping[int, float]
    ) -> list[PeriodValue]:
        """The R periods that end at `due_ms`, newest first."""
        starts = (due_ms - age * self._period_ms for age in range(1, self.evaluation_range + 1))
        return [
            PeriodValue(start, _present(datapoints.get(start)), sample_counts.get(start)) for start in starts
        ]

    def _evaluate_at(self, due_ms: int, periods: Sequence[PeriodValue]) -> StateChange | None:
        assert self._status is not None
        decision = decide(periods, self.definition)
        if decision.state is None or self._too_few_samples(decision):
            return None
        if decision.state is self._status.value:
            self._kept = (decision, due_ms)
            return None
        previous = self._settled_status()
        assert previous is not None
        self._status = self._status_of(decision, due_ms, previous.value)
        self._transitioned_ms = due_ms
        return StateChange(self.definition, previous, self._status)

    def _settled_status(self) -> AlarmStatus | None:
        """The current status, its reason written out if the last evaluation kept the state."""
        if self._kept is not None:
            decision, due_ms = self._kept
            self._kept = None
            self._status = self._status_of(decision, due_ms, None)
        return self._status

    def _status_of(self, decision: Decision, due_ms: int, transition_from: AlarmState | None) -> AlarmStatus:
        """The status a decision sets; `transition_from` is the old state on a transition, else None."""
        assert decision.state is not None
        reason_data = orjson.dumps(state_reason_data(decision, self.definition, due_ms)).decode()
        reason = state_reason(decision, self.definition, transition_from)
        return AlarmStatus(decision.state, reason, reason_data, due_ms)

    def _too_few_samples(self, decision: Decision) -> bool:
        minimum = self._minimum_samples
        if minimum is None:
            return False
        counts = [d.sample_count for d in decision.evaluated if d.is_real and d.sample_count is not None]
        return any(count < minimum for count in counts)

    def _following_due(
        self, due_ms: int, periods: Sequence[PeriodValue], period_starts: list[int], last_due_ms: int
    ) -> int:
        """The next boundary worth evaluating: skip ahead while the evaluation range stays empty.

        An empty range decides the same each time, so only the last boundary before data arrives (or
        before the clock) needs evaluating: the start of the next period with data is that boundary.
        """
        following_ms = due_ms + self._period_ms
        if any(period.value is not None for period in periods):
            return following_ms
        next_index = bisect_right(period_starts, due_ms - self._period_ms)
        has_later_data = next_index < len(period_starts)
        last_quiet_ms = period_starts[next_index] if has_later_data else last_due_ms
        return max(following_ms, min(last_quiet_ms, last_due_ms))

    def history(self) -> dict[str, list[dict[str, object]]]:
        """The alarm's DescribeAlarmHistory response (`StateUpdate` items, newest first)."""
        return alarm_history(self._changes)

    def describe(self) -> dict[str, object]:
        """The alarm as a DescribeAlarms `MetricAlarms` item, timestamps as the AWS CLI prints them."""
        item = self.definition.describe_settings()
        if self._created_ms is not None:
            item["AlarmConfigurationUpdatedTimestamp"] = cli_timestamp(self._created_ms)
        item["StateValue"] = str(self.state)
        item["StateReason"] = self.state_reason
        if self.state_reason_data is not None:
            item["StateReasonData"] = self.state_reason_data
        if self.state_updated_timestamp is not None:
            item["StateUpdatedTimestamp"] = cli_timestamp(self.state_updated_timestamp)
        item.update(self.definition.describe_metric())
        if self._transitioned_ms is not None:
            item["StateTransitionedTimestamp"] = cli_timestamp(self._transitioned_ms)
        return item


def _present(value: float | None) -> float | None:
    """A period's value, or None when it has no data (absent, or NaN: a statistic over no samples)."""
    if value is None or math.isnan(value):
        return None
    return float(value)


def _minimum_samples(definition: AlarmDefinition) -> Fraction | None:
    """Samples a period needs before it may change the state, or None when every period may."""
    if definition.evaluate_low_sample_count_percentile != "ignore":
        return None
    percentile = percentile_fraction(definition.extended_statistic)
    if percentile is None:
        return None
    return minimum_significant_samples(percentile)
