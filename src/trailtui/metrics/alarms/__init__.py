"""CloudWatch metric alarms, evaluated locally over per-period metric values (spec/alarms.md).

Build an `AlarmDefinition` from a PutMetricAlarm request, feed an `AlarmEvaluator` the per-period values
as the replay clock advances, and read its `StateChange`s, `describe()` and `history()` in AWS shapes.
"""

from trailtui.metrics.alarms.decision import AlarmState
from trailtui.metrics.alarms.definition import AlarmDefinition, ComparisonOperator, TreatMissingData
from trailtui.metrics.alarms.errors import AlarmDefinitionError
from trailtui.metrics.alarms.evaluate import AlarmEvaluator
from trailtui.metrics.alarms.history import AlarmStatus, StateChange

__all__ = [
    "AlarmDefinition",
    "AlarmDefinitionError",
    "AlarmEvaluator",
    "AlarmState",
    "AlarmStatus",
    "ComparisonOperator",
    "StateChange",
    "TreatMissingData",
]
