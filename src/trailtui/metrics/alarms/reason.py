"""State reasons: the `StateReason` text and `StateReasonData` object of spec §5.1.

The text follows the observed formats; the UI must show it, never parse it. Decisions where nothing was
observed (spec §8.10):
- "out of the last {N} datapoints" is always plural, as observed (`1 out of the last 1 datapoints`);
- the brackets list the real datapoints that support the new state, newest first;
- missing periods filled by `breaching`/`notBreaching` are told after the threshold:
  `... the threshold (1.0) and 2 missing datapoints were treated as [Breaching] (minimum ...)`, or, when no
  real datapoint supports the state, `no datapoints were received for 2 periods and 2 missing datapoints
  were treated as [Breaching].`;
- an evaluation that keeps the state writes the short form without "out of the last" and "(minimum ...)";
- `INSUFFICIENT_DATA` counts N unknown datapoints;
- `StateReasonData.statistic` holds the extended statistic for percentile alarms; `startDate` is the start
  of the oldest evaluated period; `recentDatapoints` holds the evaluated real values, oldest first.
"""

import math
from collections.abc import Sequence
from decimal import Decimal

from trailtui.metrics.alarms._timefmt import payload_timestamp, reason_timestamp
from trailtui.metrics.alarms.decision import AlarmState, Decision, EvaluatedDatapoint
from trailtui.metrics.alarms.definition import AlarmDefinition

INITIAL_REASON = "Unchecked: Initial alarm creation"

_FILL_NAMES = {True: "Breaching", False: "NonBreaching"}


def java_double(value: float) -> str:
    """`value` as Java's `Double.toString` prints it: `10.0`, `15.398333333333332`, `1.0E7`."""
    if math.isnan(value):
        return "NaN"
    if math.isinf(value):
        return "Infinity" if value > 0 else "-Infinity"
    if value == 0 or 1e-3 <= abs(value) < 1e7:
        return repr(value)
    sign, digits, exponent = Decimal(repr(value)).normalize().as_tuple()
    fraction = "".join(map(str, digits[1:])) or "0"
    return f"{'-' if sign else ''}{digits[0]}.{fraction}E{int(exponent) + len(digits) - 1}"


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def _was_were(number: int) -> str:
    return "was" if number == 1 else "were"


def state_reason(decision: Decision, definition: AlarmDefinition, transition_from: AlarmState | None) -> str:
    """The StateReason text; `transition_from` is the old state on a transition, `None` when it is kept."""
    if decision.state is AlarmState.INSUFFICIENT_DATA:
        unknown = len(decision.evaluated)
        return f"Insufficient Data: {_count(unknown, 'datapoint')} {_was_were(unknown)} unknown."
    supports_alarm = decision.state is AlarmState.ALARM
    supporting = [datapoint for datapoint in decision.evaluated if datapoint.breaching is supports_alarm]
    real = [datapoint for datapoint in supporting if datapoint.is_real]
    filled = len(supporting) - len(real)
    if not real:
        return f"Threshold Crossed: {_only_filled(filled, supports_alarm)}."
    comparison = _comparison(real, definition, supports_alarm)
    fills = f" and {_fills(filled, supports_alarm)}" if filled else ""
    if transition_from is None:
        return f"Threshold Crossed: {_count(len(real), 'datapoint')} {comparison}{fills}."
    minimum = _minimum_for(supports_alarm, definition)
    return (
        f"Threshold Crossed: {len(real)} out of the last {definition.evaluation_periods} datapoints "
        f"{comparison}{fills} (minimum {_count(minimum, 'datapoint')} for {transition_from} -> "
        f"{decision.state} transition)."
    )


def _comparison(real: Sequence[EvaluatedDatapoint], definition: AlarmDefinition, breaching: bool) -> str:
    listed = ", ".join(_listed(datapoint) for datapoint in real)
    negation = "" if breaching else "not "
    return (
        f"[{listed}] {_was_were(len(real))} {negation}{definition.comparison_operator.phrase} "
        f"the threshold ({java_double(definition.threshold)})"
    )


def _listed(datapoint: EvaluatedDatapoint) -> str:
    value = "" if datapoint.value is None else java_double(datapoint.value)
    return f"{value} ({reason_timestamp(datapoint.start_ms)})"


def _fills(filled: int, breaching: bool) -> str:
    return f"{_count(filled, 'missing datapoint')} {_was_were(filled)} treated as [{_FILL_NAMES[breaching]}]"


def _only_filled(filled: int, breaching: bool) -> str:
    return f"no datapoints were received for {_count(filled, 'period')} and {_fills(filled, breaching)}"


def _minimum_for(supports_alarm: bool, definition: AlarmDefinition) -> int:
    if supports_alarm:
        return definition.datapoints_to_alarm
    return definition.evaluation_periods - definition.datapoints_to_alarm + 1


def state_reason_data(decision: Decision, definition: AlarmDefinition, query_ms: int) -> dict[str, object]:
    """The StateReasonData object (serialised as a JSON string where AWS returns one)."""
    evaluated = decision.evaluated
    start_ms = evaluated[-1].start_ms if evaluated else query_ms
    data: dict[str, object] = {
        "version": "1.0",
        "queryDate": payload_timestamp(query_ms),
        "startDate": payload_timestamp(start_ms),
    }
    if definition.unit is not None:
        data["unit"] = definition.unit
    data["statistic"] = definition.statistic_name
    data["period"] = definition.period
    data["recentDatapoints"] = [d.value for d in reversed(evaluated) if d.value is not None]
    data["threshold"] = definition.threshold
    data["evaluatedDatapoints"] = [_evaluated_datapoint(datapoint) for datapoint in evaluated]
    return data


def _evaluated_datapoint(datapoint: EvaluatedDatapoint) -> dict[str, object]:
    item: dict[str, object] = {"timestamp": payload_timestamp(datapoint.start_ms)}
    if datapoint.sample_count is not None:
        item["sampleCount"] = float(datapoint.sample_count)
    if datapoint.value is not None:
        item["value"] = datapoint.value
    return item
