"""What an alarm reports: DescribeAlarms item, DescribeAlarmHistory items and the state-change JSON."""

from __future__ import annotations

import orjson

from trailtui.metrics.alarms import AlarmEvaluator, AlarmState

from .helpers import PERIOD_MS, T0, alarm, series

SNS_TOPIC = "arn:aws:sns:us-east-1:123456789012:security"


def evaluator_through_ok_then_alarm() -> AlarmEvaluator:
    evaluator = AlarmEvaluator(
        alarm(EvaluationPeriods=1, AlarmDescription="storm", AlarmActions=[SNS_TOPIC]),
        created_ms=T0 - PERIOD_MS,
    )
    evaluator.evaluate(series("0", T0 - PERIOD_MS), T0 - PERIOD_MS)
    evaluator.evaluate(series("0 X"), T0)
    return evaluator


def test_history_items_have_the_describe_alarm_history_shape_newest_first() -> None:
    history = evaluator_through_ok_then_alarm().history()

    items = history["AlarmHistoryItems"]
    assert [item["HistorySummary"] for item in items] == [
        "Alarm updated from OK to ALARM",
        "Alarm updated from INSUFFICIENT_DATA to OK",
    ]
    newest = items[0]
    assert {key: value for key, value in newest.items() if key != "HistoryData"} == {
        "AlarmName": "AssumeRoleStorm",
        "AlarmType": "MetricAlarm",
        "Timestamp": "2023-11-14T22:14:00+00:00",
        "HistoryItemType": "StateUpdate",
        "HistorySummary": "Alarm updated from OK to ALARM",
    }


def test_history_data_is_a_json_string_of_old_and_new_state() -> None:
    newest = evaluator_through_ok_then_alarm().history()["AlarmHistoryItems"][0]

    data = orjson.loads(str(newest["HistoryData"]))

    assert data["version"] == "1.0"
    assert data["oldState"]["stateValue"] == "OK"
    assert data["newState"]["stateValue"] == "ALARM"
    assert data["newState"]["stateReason"].startswith("Threshold Crossed: 1 out of the last 1 datapoints")
    assert data["newState"]["stateReasonData"]["evaluatedDatapoints"][0]["value"] == 20.0


def test_the_initial_state_has_no_reason_data_in_history() -> None:
    oldest = evaluator_through_ok_then_alarm().history()["AlarmHistoryItems"][-1]

    assert orjson.loads(str(oldest["HistoryData"]))["oldState"] == {
        "stateValue": "INSUFFICIENT_DATA",
        "stateReason": "Unchecked: Initial alarm creation",
    }


def test_describe_gives_a_describe_alarms_metric_alarm_item() -> None:
    described = evaluator_through_ok_then_alarm().describe()

    assert list(described) == [
        "AlarmName", "AlarmDescription", "ActionsEnabled", "OKActions", "AlarmActions",
        "InsufficientDataActions", "AlarmConfigurationUpdatedTimestamp", "StateValue", "StateReason",
        "StateReasonData", "StateUpdatedTimestamp", "MetricName", "Namespace", "Statistic", "Dimensions",
        "Period", "EvaluationPeriods", "DatapointsToAlarm", "Threshold", "ComparisonOperator",
        "TreatMissingData", "StateTransitionedTimestamp",
    ]  # fmt: skip
    assert described["StateValue"] == "ALARM"
    assert described["AlarmActions"] == [SNS_TOPIC]
    assert described["AlarmConfigurationUpdatedTimestamp"] == "2023-11-14T22:13:00+00:00"
    assert described["StateUpdatedTimestamp"] == "2023-11-14T22:14:00+00:00"
    assert described["StateTransitionedTimestamp"] == "2023-11-14T22:14:00+00:00"
    assert isinstance(described["StateReasonData"], str)
    orjson.dumps(described)


def test_describe_before_the_first_evaluation_shows_an_unchecked_alarm() -> None:
    described = AlarmEvaluator(alarm()).describe()

    assert (described["StateValue"], described["StateReason"]) == (
        "INSUFFICIENT_DATA",
        "Unchecked: Initial alarm creation",
    )
    assert "StateUpdatedTimestamp" not in described
    assert "StateReasonData" not in described


def test_state_change_carries_name_states_reason_and_time() -> None:
    change = evaluator_through_ok_then_alarm().changes[-1]

    assert change.alarm_name == "AssumeRoleStorm"
    assert (change.old_state, change.new_state) == (AlarmState.OK, AlarmState.ALARM)
    assert change.reason.startswith("Threshold Crossed: 1 out of the last 1 datapoints [20.0")
    assert change.timestamp_ms == T0
    assert change.actions == (SNS_TOPIC,)


def test_state_change_json_is_a_cloudwatch_alarm_state_change_event() -> None:
    change = evaluator_through_ok_then_alarm().changes[-1]

    event = orjson.loads(change.to_json())

    assert event["detail-type"] == "CloudWatch Alarm State Change"
    assert event["source"] == "aws.cloudwatch"
    assert event["time"] == "2023-11-14T22:14:00Z"
    detail = event["detail"]
    assert detail["alarmName"] == "AssumeRoleStorm"
    assert detail["state"]["value"] == "ALARM"
    assert detail["state"]["reason"] == change.reason
    assert detail["state"]["timestamp"] == "2023-11-14T22:14:00.000+0000"
    assert orjson.loads(detail["state"]["reasonData"])["threshold"] == 10.0
    assert detail["previousState"]["value"] == "OK"
    assert detail["configuration"] == {
        "description": "storm",
        "metrics": [
            {
                "metricStat": {
                    "metric": {"namespace": "SecurityMetrics", "name": "AssumeRoleCount", "dimensions": {}},
                    "period": 60,
                    "stat": "Sum",
                },
                "returnData": True,
            }
        ],
    }


def test_no_actions_are_reported_when_actions_are_disabled() -> None:
    evaluator = AlarmEvaluator(
        alarm(EvaluationPeriods=1, ActionsEnabled=False, AlarmActions=[SNS_TOPIC]), created_ms=T0
    )

    (change,) = evaluator.evaluate(series("X"), T0)

    assert change.new_state is AlarmState.ALARM
    assert change.actions == ()
