"""Spec §4.5: every documented row of the missing-data tables (R = 5, N = 3, newest on the right).

"keep" is the documented "keep state": the alarm stays in whatever state it was in, shown here from both
OK and ALARM.
"""

from __future__ import annotations

import orjson
import pytest

from trailtui.metrics.alarms import AlarmState, TreatMissingData

from .helpers import T0, alarm, evaluator_in_state, series

OK, ALARM, INSUFFICIENT = AlarmState.OK, AlarmState.ALARM, AlarmState.INSUFFICIENT_DATA
KEEP = "keep"
MODES = (
    TreatMissingData.MISSING,
    TreatMissingData.IGNORE,
    TreatMissingData.BREACHING,
    TreatMissingData.NOT_BREACHING,
)

GOLDEN_ROWS = [
    # datapoints, M, fills needed, (missing, ignore, breaching, notBreaching)
    ("0 - X - X", 3, 0, (OK, OK, OK, OK)),
    ("0 - - - -", 3, 2, (OK, OK, OK, OK)),
    ("- - - - -", 3, 3, (INSUFFICIENT, KEEP, ALARM, OK)),
    ("0 X X - X", 3, 0, (ALARM, ALARM, ALARM, ALARM)),
    ("- - X - -", 3, 2, (ALARM, KEEP, ALARM, OK)),
    ("0 - X - X", 2, 0, (ALARM, ALARM, ALARM, ALARM)),
    ("0 0 X 0 X", 2, 0, (ALARM, ALARM, ALARM, ALARM)),
    ("0 - X - -", 2, 1, (OK, OK, ALARM, OK)),
    ("- - - - 0", 2, 2, (OK, OK, ALARM, OK)),
    ("- - - X -", 2, 2, (ALARM, KEEP, ALARM, OK)),
]

CASES = [
    pytest.param(pattern, m, mode, expected, prior, id=f"{pattern}|M={m}|{mode}|from {prior}")
    for pattern, m, _fills, outcomes in GOLDEN_ROWS
    for mode, expected in zip(MODES, outcomes, strict=True)
    for prior in (OK, ALARM)
]


@pytest.mark.parametrize(("pattern", "datapoints_to_alarm", "mode", "expected", "prior"), CASES)
def test_documented_row(
    pattern: str, datapoints_to_alarm: int, mode: TreatMissingData, expected: object, prior: AlarmState
) -> None:
    definition = alarm(DatapointsToAlarm=datapoints_to_alarm, TreatMissingData=str(mode))
    evaluator = evaluator_in_state(definition, prior)

    evaluator.evaluate(series(pattern), T0)

    assert evaluator.state is (prior if expected == KEEP else expected)


def test_fills_needed_column_is_the_number_of_filled_periods_evaluated() -> None:
    for pattern, m, fills_needed, _outcomes in GOLDEN_ROWS:
        evaluator = evaluator_in_state(alarm(DatapointsToAlarm=m, TreatMissingData="breaching"), OK)
        evaluator.evaluate(series(pattern), T0)
        assert evaluator.state_reason_data is not None
        evaluated = orjson.loads(evaluator.state_reason_data)["evaluatedDatapoints"]
        filled = [datapoint for datapoint in evaluated if "value" not in datapoint]
        assert len(filled) == fills_needed, pattern


def test_one_good_datapoint_and_two_breaching_fills_is_ok_until_the_good_point_leaves_the_range() -> None:
    definition = alarm(TreatMissingData="breaching")
    evaluator = evaluator_in_state(definition, OK)
    datapoints = series("0 - - - -")

    evaluator.evaluate(datapoints, T0)
    assert evaluator.state is OK

    evaluator.evaluate(datapoints, T0 + 60_000)
    assert evaluator.state is ALARM
