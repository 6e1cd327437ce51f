"""`trailtui alarms --live`: DescribeAlarms (moto) and DescribeAlarmHistory (a Stubber, as moto lacks it) in
the local answer's shape; a missing alarm and its filter created only with --yes."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson
import pytest

from trailtui.cli import main
from trailtui.events.model import Event

from .conftest import TRAIL_GROUP
from .live_cli import Account, PartialStubber, patched_account, write_json


@pytest.fixture
def account(
    moto_url: str,
    corpus_groups: dict[str, list[Event]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Account:
    return patched_account(moto_url, monkeypatch, tmp_path)


def alarm_body(name: str) -> dict[str, Any]:
    return {
        "AlarmName": name,
        "MetricName": "CliAlarmMetric",
        "Namespace": "CliLive",
        "Statistic": "Sum",
        "Period": 300,
        "EvaluationPeriods": 1,
        "Threshold": 1.0,
        "ComparisonOperator": "GreaterThanOrEqualToThreshold",
    }


def history_item(name: str, when: datetime, summary: str, kind: str = "StateUpdate") -> dict[str, Any]:
    return {
        "AlarmName": name,
        "AlarmType": "MetricAlarm",
        "Timestamp": when,
        "HistoryItemType": kind,
        "HistorySummary": summary,
        "HistoryData": "{}",
    }


NOW = datetime.now(UTC).replace(microsecond=0)


def stub_history(account: Account, name: str, items: list[dict[str, Any]]) -> PartialStubber:
    stubber = PartialStubber(account.clients.cloudwatch, "DescribeAlarmHistory")
    expected = {"ScanBy": "TimestampDescending", "AlarmName": name}
    stubber.add_response("describe_alarm_history", {"AlarmHistoryItems": items}, expected)
    return stubber


HISTORY = [
    history_item("cli-alarm", NOW - timedelta(minutes=10), "Alarm updated from ALARM to OK"),
    history_item("cli-alarm", NOW - timedelta(hours=2), 'Alarm "cli-alarm" updated', "ConfigurationUpdate"),
    history_item("cli-alarm", NOW - timedelta(hours=3), "Alarm updated from INSUFFICIENT_DATA to ALARM"),
]


def test_the_alarm_and_its_state_changes_have_the_local_shape(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account.clients.cloudwatch.put_metric_alarm(**alarm_body("cli-alarm"))
    account.clients.cloudwatch.put_metric_alarm(**alarm_body("cli-alarm-other"))
    path = write_json(tmp_path / "a.json", alarm_body("cli-alarm"))
    with stub_history(account, "cli-alarm", HISTORY):
        assert main(["alarms", path, *account.live("--format", "json")]) == 0
    answer = orjson.loads(capsys.readouterr().out)
    assert set(answer) == {"MetricAlarms", "AlarmHistoryItems"}
    [alarm] = answer["MetricAlarms"]
    assert (alarm["AlarmName"], alarm["Threshold"]) == ("cli-alarm", 1.0)
    assert alarm["StateUpdatedTimestamp"].endswith("+00:00")
    assert [item["HistorySummary"] for item in answer["AlarmHistoryItems"]] == [
        "Alarm updated from ALARM to OK",
        "Alarm updated from INSUFFICIENT_DATA to ALARM",
    ]
    assert answer["AlarmHistoryItems"][0]["Timestamp"] == (NOW - timedelta(minutes=10)).isoformat()


def test_the_table_and_a_time_range_narrowing_the_history(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    account.clients.cloudwatch.put_metric_alarm(**alarm_body("cli-alarm"))
    path = write_json(tmp_path / "a.json", alarm_body("cli-alarm"))
    with stub_history(account, "cli-alarm", HISTORY):
        assert main(["alarms", path, *account.live("--since", "1h")]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 4
    assert lines[2].endswith("Alarm updated from ALARM to OK")
    assert lines[3].startswith("cli-alarm: OK (")  # moto starts alarms in OK


def test_a_missing_alarm_is_refused_without_yes(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_json(tmp_path / "a.json", alarm_body("cli-absent-alarm"))
    assert main(["alarms", path, *account.live()]) == 2
    assert capsys.readouterr().err == (
        "trailtui: no alarm named 'cli-absent-alarm' in the account: pass --yes to create it "
        "(PutMetricAlarm)\n"
    )
    alarms = account.clients.cloudwatch.describe_alarms(AlarmNames=["cli-absent-alarm"])["MetricAlarms"]
    assert alarms == []


def test_yes_creates_the_alarm_and_its_missing_filter(
    account: Account, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    filter_body = {
        "filterName": "cli-alarm-filter",
        "filterPattern": '{ $.errorCode = "AccessDenied" }',
        "metricTransformations": [
            {"metricName": "CliAlarmMetric", "metricNamespace": "CliLive", "metricValue": "1"}
        ],
    }
    alarm = write_json(tmp_path / "a.json", alarm_body("cli-new-alarm"))
    live = account.live("--log-group", TRAIL_GROUP, "--yes", "--format", "json")
    with stub_history(account, "cli-new-alarm", []):
        code = main(["alarms", alarm, "--filter", write_json(tmp_path / "f.json", filter_body), *live])
    captured = capsys.readouterr()
    assert code == 0, captured.err
    assert captured.err.splitlines() == [
        f"trailtui: created metric filter cli-alarm-filter on {TRAIL_GROUP}: it publishes "
        "CliLive/CliAlarmMetric for events from now on",
        "trailtui: created alarm cli-new-alarm: CloudWatch evaluates it from now on",
    ]
    answer = orjson.loads(captured.out)
    assert [alarm["AlarmName"] for alarm in answer["MetricAlarms"]] == ["cli-new-alarm"]
    assert answer["AlarmHistoryItems"] == []
    filters = account.clients.logs.describe_metric_filters(logGroupName=TRAIL_GROUP)["metricFilters"]
    assert "cli-alarm-filter" in {item["filterName"] for item in filters}
