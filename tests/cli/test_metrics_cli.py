"""`trailtui metrics` and `trailtui test-pattern`: AssumeRole filter vs plain Python, shapes, exit codes."""

from __future__ import annotations

from collections import defaultdict
from datetime import datetime
from pathlib import Path
from typing import Any

import orjson
import pytest

from small_trails import event, run_trailtui, write_trail
from trailtui.cli import main
from trailtui.events.model import Event

HOUR_MS = 3_600_000
MINUTE_MS = 60_000


def cli_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main([*arguments, "--format", "json"]) == 0
    return orjson.loads(capsys.readouterr().out)


def assume_role(minute: float, duration: Any) -> dict[str, Any]:
    parameters = {} if duration is None else {"durationSeconds": duration}
    return event(minute, "AssumeRole", eventSource="sts.amazonaws.com", requestParameters=parameters)


SMALL_TRAIL = [
    assume_role(0, 900),
    assume_role(1, "3600"),
    event(2, "GetUser"),
    assume_role(6, 43200),
    assume_role(7, None),
]


def test_metric_data_is_the_get_metric_data_shape(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    data = cli_json(capsys, "metrics", "--pack", "assume-role-duration", str(trail), "--stat", "Maximum")
    assert data == {
        "MetricDataResults": [
            {
                "Id": "m1",
                "Label": "AssumeRoleDuration",
                "Timestamps": ["2024-03-01T10:05:00+00:00", "2024-03-01T10:00:00+00:00"],
                "Values": [43200.0, 3600.0],
                "StatusCode": "Complete",
            }
        ],
        "Messages": [],
    }


def test_metric_table_lists_datapoints_oldest_first(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    assert main(["metrics", "--pack", "assume-role-duration", str(trail), "--stat", "SampleCount"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split() for line in lines[2:]] == [
        ["2024-03-01T10:00:00Z", "AssumeRoleDuration", "3"],
        ["2024-03-01T10:05:00Z", "AssumeRoleDuration", "2"],
    ]


def test_an_invalid_metric_filter_exits_2_naming_the_field(tmp_path: Path) -> None:
    request = tmp_path / "filter.json"
    request.write_bytes(
        orjson.dumps(
            {
                "filterName": "broken",
                "filterPattern": '{$.eventName="AssumeRole"}',
                "logGroupName": "CloudTrail/DefaultLogGroup",
                "metricTransformations": [{"metricName": "X", "metricNamespace": "Y"}],
            }
        )
    )
    result = run_trailtui("metrics", str(request), str(write_trail(tmp_path / "trail", SMALL_TRAIL)))
    assert result.returncode == 2
    assert "metricTransformations[0].metricValue" in result.stderr


def test_a_bad_statistic_exits_2(tmp_path: Path) -> None:
    result = run_trailtui("metrics", "--pack", "assume-role-duration", str(tmp_path), "--stat", "Median")
    assert result.returncode == 2
    assert "--stat" in result.stderr


def as_number(value: Any) -> float | None:
    if isinstance(value, bool):
        return None
    if isinstance(value, int | float):
        return float(value)
    try:
        return float(value) if isinstance(value, str) else None
    except ValueError:
        return None


def hourly_maximum_by_hand(events: list[Event]) -> dict[int, float]:
    """AssumeRole durations, with 0 published for each minute that had events but no duration."""
    values_by_minute: dict[int, list[float]] = defaultdict(list)
    minutes_with_events = set()
    for item in events:
        minute = item.timestamp_ms - item.timestamp_ms % MINUTE_MS
        minutes_with_events.add(minute)
        if item.record.get("eventName") == "AssumeRole":
            parameters = item.record.get("requestParameters")
            duration = as_number(parameters.get("durationSeconds")) if isinstance(parameters, dict) else None
            if duration is not None:
                values_by_minute[minute].append(duration)
    hourly: dict[int, float] = {}
    for minute in minutes_with_events:
        hour = minute - minute % HOUR_MS
        value = max(values_by_minute[minute], default=0.0)
        hourly[hour] = max(hourly.get(hour, value), value)
    return hourly


def test_assume_role_duration_over_the_corpus_equals_a_plain_computation(
    corpus_dir: Path, corpus_events: list[Event], capsys: pytest.CaptureFixture[str]
) -> None:
    expected = hourly_maximum_by_hand(corpus_events)
    data = cli_json(
        capsys,
        "metrics",
        "--pack",
        "assume-role-duration",
        str(corpus_dir),
        "--period",
        "1h",
        "--stat",
        "Maximum",
    )
    [result] = data["MetricDataResults"]
    found = {
        int(datetime.fromisoformat(moment).timestamp() * 1000): value
        for moment, value in zip(result["Timestamps"], result["Values"], strict=True)
    }
    assert found == expected
    assert max(found.values()) == 3600.0


# ---------------------------------------------------------------- test-pattern


def test_test_pattern_answers_in_the_test_metric_filter_shape(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(
        tmp_path / "trail", [event(minute, "GetUser" if minute % 7 else "DeleteUser") for minute in range(60)]
    )
    answer = cli_json(capsys, "test-pattern", '{$.eventName = "Delete*"}', str(trail))
    assert [match["eventNumber"] for match in answer["matches"]] == list(range(0, 60, 7))
    first = answer["matches"][0]
    assert set(first) == {"eventNumber", "eventMessage", "extractedValues"}
    assert orjson.loads(first["eventMessage"])["eventName"] == "DeleteUser"
    assert first["extractedValues"] == {}


def test_test_pattern_with_a_pack_filter_and_the_table(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    assert main(["test-pattern", "--pack", "assume-role-duration", str(trail), "--format", "table"]) == 0
    out = capsys.readouterr().out
    assert out.splitlines()[-1] == "4 of 5 events match"


def test_a_malformed_pattern_exits_2_saying_where(tmp_path: Path) -> None:
    result = run_trailtui(
        "test-pattern", "{$.eventName = }", str(write_trail(tmp_path / "trail", SMALL_TRAIL))
    )
    assert result.returncode == 2
    assert "filterPattern" in result.stderr


def test_test_pattern_on_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_bytes(b"")
    result = run_trailtui("test-pattern", "AccessDenied", str(tmp_path / "empty.json"))
    assert result.returncode == 1
