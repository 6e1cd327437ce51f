"""`trailtui alarms`: transitions on the replay clock, DescribeAlarms and history shapes, --on-alarm."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from small_trails import event, run_trailtui, write_trail
from trailtui.cli import main

ROOT = {"type": "Root", "arn": "arn:aws:iam::111122223333:root"}
ROOT_AT_TEN_THEN_QUIET = [
    event(1, "GetUser"),
    event(2, "ConsoleLogin", userIdentity=ROOT, eventType="AwsConsoleSignIn"),
    event(3, "ListUsers", userIdentity=ROOT, eventType="AwsApiCall"),
    *(event(minute, "GetUser") for minute in range(10, 40, 3)),
]


def test_root_usage_alarm_fires_then_clears(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", ROOT_AT_TEN_THEN_QUIET)
    assert main(["alarms", "--pack", "cis-root-account-usage", str(trail), "--format", "json"]) == 0
    answer = orjson.loads(capsys.readouterr().out)
    assert [item["HistorySummary"] for item in answer["AlarmHistoryItems"]] == [
        "Alarm updated from ALARM to OK",
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
    ]
    assert answer["AlarmHistoryItems"][1]["Timestamp"] == "2024-03-01T10:05:00+00:00"
    [alarm] = answer["MetricAlarms"]
    assert (alarm["AlarmName"], alarm["StateValue"], alarm["MetricName"]) == (
        "cis-root-account-usage",
        "OK",
        "RootAccountUsage",
    )


def test_table_shows_transitions_and_the_final_state(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(tmp_path / "trail", ROOT_AT_TEN_THEN_QUIET)
    assert main(["alarms", "--pack", "cis-root-account-usage", str(trail)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert "INSUFFICIENT_DATA to ALARM" in lines[2]
    assert "ALARM to OK" in lines[3]
    assert lines[-1].startswith("cis-root-account-usage: OK (Threshold Crossed")


def test_on_alarm_runs_the_command_with_the_alarm_json_on_stdin(tmp_path: Path) -> None:
    trail = write_trail(tmp_path / "trail", ROOT_AT_TEN_THEN_QUIET)
    received = tmp_path / "received.ndjson"
    result = run_trailtui(
        "alarms", "--pack", "cis-root-account-usage", str(trail), "--on-alarm", f"cat >> '{received}'"
    )
    assert result.returncode == 0, result.stderr
    [payload] = [orjson.loads(line) for line in received.read_text().splitlines()]
    assert payload["detail-type"] == "CloudWatch Alarm State Change"
    assert payload["detail"]["alarmName"] == "cis-root-account-usage"
    assert payload["detail"]["state"]["value"] == "ALARM"
    assert payload["detail"]["previousState"]["value"] == "INSUFFICIENT_DATA"


def write_json(path: Path, body: dict[str, Any]) -> Path:
    path.write_bytes(orjson.dumps(body))
    return path


def test_alarm_and_filter_files(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", [event(minute, "GetUser") for minute in range(12)])
    metric_filter = write_json(
        tmp_path / "filter.json",
        {
            "filterName": "get-user",
            "filterPattern": '{$.eventName = "GetUser"}',
            "logGroupName": "CloudTrail/DefaultLogGroup",
            "metricTransformations": [
                {"metricName": "GetUserCalls", "metricNamespace": "Test", "metricValue": "1"}
            ],
        },
    )
    alarm = write_json(
        tmp_path / "alarm.json",
        {
            "AlarmName": "busy",
            "MetricName": "GetUserCalls",
            "Namespace": "Test",
            "Statistic": "Sum",
            "Period": 300,
            "EvaluationPeriods": 1,
            "Threshold": 5,
            "ComparisonOperator": "GreaterThanOrEqualToThreshold",
        },
    )
    assert main(["alarms", str(alarm), "--filter", str(metric_filter), str(trail), "--format", "json"]) == 0
    answer = orjson.loads(capsys.readouterr().out)
    assert (
        answer["AlarmHistoryItems"][-1]["HistorySummary"] == "Alarm updated from INSUFFICIENT_DATA to ALARM"
    )


def test_an_alarm_no_filter_publishes_for_exits_2(tmp_path: Path) -> None:
    alarm = write_json(
        tmp_path / "alarm.json",
        {
            "AlarmName": "orphan",
            "MetricName": "Nothing",
            "Namespace": "Nowhere",
            "Statistic": "Sum",
            "Period": 60,
            "EvaluationPeriods": 1,
            "Threshold": 1,
            "ComparisonOperator": "GreaterThanThreshold",
        },
    )
    result = run_trailtui("alarms", str(alarm), str(tmp_path))
    assert result.returncode == 2
    assert "no pack metric filter publishes Nowhere/Nothing" in result.stderr


def test_an_invalid_alarm_exits_2_naming_the_parameter(tmp_path: Path) -> None:
    alarm = write_json(tmp_path / "alarm.json", {"AlarmName": "bad", "MetricName": "RootAccountUsage"})
    result = run_trailtui(
        "alarms",
        str(alarm),
        "--filter-pack",
        "cis-root-account-usage",
        str(write_trail(tmp_path / "t", ROOT_AT_TEN_THEN_QUIET)),
    )
    assert result.returncode == 2
    assert result.stderr.startswith("trailtui: invalid alarm: ")
