"""State changes and the alarm history, in the shapes AWS gives them.

A `StateChange` is one transition. `history_item()` is its DescribeAlarmHistory `StateUpdate` item and
`to_json()` is the JSON an `--on-alarm` command receives: the EventBridge "CloudWatch Alarm State Change"
event (spec §5). Locally there is no account, Region or alarm ARN, so the event leaves out `id`,
`account`, `region` and `resources`, and its metric has no generated `id`.

Timestamps: fields the AWS CLI prints (history `Timestamp`) are ISO-8601 as the CLI prints them
(`2024-07-16T13:14:00+00:00`); JSON that CloudWatch itself writes (`HistoryData`, the event's states) keeps
CloudWatch's `2024-07-16T13:14:00.000+0000`.
"""

from collections.abc import Sequence
from dataclasses import dataclass

import orjson

from trailtui.metrics.alarms._timefmt import cli_timestamp, event_time, payload_timestamp
from trailtui.metrics.alarms.decision import AlarmState
from trailtui.metrics.alarms.definition import AlarmDefinition


@dataclass(frozen=True, slots=True)
class AlarmStatus:
    """An alarm's state at one moment: value, reason, reason data (a JSON string) and when it was set."""

    value: AlarmState
    reason: str
    reason_data: str | None
    timestamp_ms: int

    def history_state(self) -> dict[str, object]:
        state: dict[str, object] = {"stateValue": str(self.value), "stateReason": self.reason}
        if self.reason_data is not None:
            state["stateReasonData"] = orjson.loads(self.reason_data)
        return state

    def event_state(self) -> dict[str, object]:
        state: dict[str, object] = {"value": str(self.value), "reason": self.reason}
        if self.reason_data is not None:
            state["reasonData"] = self.reason_data
        state["timestamp"] = payload_timestamp(self.timestamp_ms)
        return state


@dataclass(frozen=True, slots=True)
class StateChange:
    """One transition of an alarm from `previous` to `current`."""

    definition: AlarmDefinition
    previous: AlarmStatus
    current: AlarmStatus

    @property
    def alarm_name(self) -> str:
        return self.definition.alarm_name

    @property
    def old_state(self) -> AlarmState:
        return self.previous.value

    @property
    def new_state(self) -> AlarmState:
        return self.current.value

    @property
    def reason(self) -> str:
        return self.current.reason

    @property
    def timestamp_ms(self) -> int:
        return self.current.timestamp_ms

    @property
    def actions(self) -> tuple[str, ...]:
        """The actions this change would run in AWS: the new state's, when actions are enabled.

        Locally they are only reported (spec §8.11); nothing calls AWS.
        """
        if not self.definition.actions_enabled:
            return ()
        return {
            AlarmState.OK: self.definition.ok_actions,
            AlarmState.ALARM: self.definition.alarm_actions,
            AlarmState.INSUFFICIENT_DATA: self.definition.insufficient_data_actions,
        }[self.new_state]

    def history_item(self) -> dict[str, object]:
        """This change as a DescribeAlarmHistory `StateUpdate` item."""
        data = {
            "version": "1.0",
            "oldState": self.previous.history_state(),
            "newState": self.current.history_state(),
        }
        return {
            "AlarmName": self.alarm_name,
            "AlarmType": "MetricAlarm",
            "Timestamp": cli_timestamp(self.timestamp_ms),
            "HistoryItemType": "StateUpdate",
            "HistorySummary": f"Alarm updated from {self.old_state} to {self.new_state}",
            "HistoryData": orjson.dumps(data).decode(),
        }

    def to_event(self) -> dict[str, object]:
        """This change as an EventBridge "CloudWatch Alarm State Change" event."""
        return {
            "version": "0",
            "detail-type": "CloudWatch Alarm State Change",
            "source": "aws.cloudwatch",
            "time": event_time(self.timestamp_ms),
            "detail": {
                "alarmName": self.alarm_name,
                "state": self.current.event_state(),
                "previousState": self.previous.event_state(),
                "configuration": _event_configuration(self.definition),
            },
        }

    def to_json(self) -> str:
        """The event of `to_event()` as one line of JSON, for a UI or an `--on-alarm` command."""
        return orjson.dumps(self.to_event()).decode()


def _event_configuration(definition: AlarmDefinition) -> dict[str, object]:
    metric = {
        "namespace": definition.namespace,
        "name": definition.metric_name,
        "dimensions": dict(definition.dimensions),
    }
    metric_stat = {"metric": metric, "period": definition.period, "stat": definition.statistic_name}
    configuration: dict[str, object] = {}
    if definition.alarm_description is not None:
        configuration["description"] = definition.alarm_description
    configuration["metrics"] = [{"metricStat": metric_stat, "returnData": True}]
    return configuration


def alarm_history(changes: Sequence[StateChange]) -> dict[str, list[dict[str, object]]]:
    """The DescribeAlarmHistory response for `changes` (oldest first), newest first as AWS lists them."""
    return {"AlarmHistoryItems": [change.history_item() for change in reversed(changes)]}
