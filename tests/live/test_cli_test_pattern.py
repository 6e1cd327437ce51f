"""`trailtui test-pattern --live`: the first 50 events of the time range from FilterLogEvents (moto), tested
by TestMetricFilter (a Stubber, as moto lacks it)."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from small_trails import event, write_trail
from trailtui.cli import main
from trailtui.events.model import Event

from .conftest import TRAIL_GROUP
from .live_cli import Account, PartialStubber, patched_account

PATTERN = '{ $.eventName = "AssumeRole" }'


@pytest.fixture
def account(
    moto_url: str,
    corpus_groups: dict[str, list[Event]],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> Account:
    return patched_account(moto_url, monkeypatch, tmp_path)


def first_events(account: Account, start_s: int, end_s: int) -> list[dict[str, Any]]:
    """What the account holds in [start_s, end_s] (whole seconds), oldest first."""
    params: dict[str, Any] = {"logGroupName": TRAIL_GROUP, "startTime": start_s * 1000}
    params["endTime"] = end_s * 1000 + 999
    events: list[dict[str, Any]] = []
    while True:
        page = account.clients.logs.filter_log_events(**params)
        events += page["events"]
        if not page.get("nextToken"):
            return events
        params["nextToken"] = page["nextToken"]


def window(account: Account) -> tuple[int, int]:
    """A range of whole seconds holding more than 50 of the corpus events, well inside the group."""
    stamps = [event["timestamp"] for event in first_events(account, 0, 2**40)[:400]]
    return stamps[20] // 1000, stamps[300] // 1000


def test_the_first_fifty_events_of_the_range_are_tested(
    account: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    start_s, end_s = window(account)
    sample = first_events(account, start_s, end_s)[:50]
    messages = [event["message"] for event in sample]
    assert len(messages) == 50
    matches = [
        {"eventNumber": 0, "eventMessage": messages[0], "extractedValues": {}},
        {"eventNumber": 7, "eventMessage": messages[7], "extractedValues": {"$1": "x"}},
    ]
    stubber = PartialStubber(account.clients.logs, "TestMetricFilter")
    expected = {"filterPattern": PATTERN, "logEventMessages": messages}
    stubber.add_response("test_metric_filter", {"matches": matches}, expected)
    range_options = ["--start", str(start_s), "--end", str(end_s), "--log-group", TRAIL_GROUP]
    with stubber:
        assert main(["test-pattern", PATTERN, *account.live(*range_options, "--format", "table")]) == 0
    captured = capsys.readouterr()
    assert captured.err == ""
    lines = captured.out.splitlines()
    names = [orjson.loads(messages[number])["eventName"] for number in (0, 7)]
    assert lines[2].split()[0] == "0" and names[0] in lines[2]
    assert lines[3].split()[0] == "7" and names[1] in lines[3] and lines[3].endswith("$1=x")
    assert lines[-1] == "2 of 50 events match"
    stubber.assert_no_pending_responses()


def test_the_json_is_the_test_metric_filter_answer(
    account: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    start_s, end_s = window(account)
    stubber = PartialStubber(account.clients.logs, "TestMetricFilter")
    stubber.add_response("test_metric_filter", {"matches": []})
    with stubber:
        arguments = ["test-pattern", PATTERN, *account.live("--start", str(start_s), "--end", str(end_s))]
        assert main(arguments) == 0
    assert orjson.loads(capsys.readouterr().out) == {"matches": []}


def test_an_empty_range_is_one_line(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    empty = ["--start", "2001-01-01T00:00:00Z", "--end", "2001-01-01T01:00:00Z", "--log-group", TRAIL_GROUP]
    assert main(["test-pattern", PATTERN, *account.live(*empty)]) == 1
    assert capsys.readouterr().err == (
        "trailtui: no events in the log groups in the time range (widen it with --since or --start)\n"
    )


def test_a_pattern_aws_rejects_is_a_usage_error(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    start_s, end_s = window(account)
    stubber = PartialStubber(account.clients.logs, "TestMetricFilter")
    stubber.add_client_error(
        "test_metric_filter",
        service_error_code="InvalidParameterException",
        service_message="Invalid metric filter pattern",
    )
    arguments = ["test-pattern", "{ $.x = ", *account.live("--start", str(start_s), "--end", str(end_s))]
    with stubber:
        assert main([*arguments, "--log-group", TRAIL_GROUP]) == 2
    assert capsys.readouterr().err == (
        "trailtui: logs:TestMetricFilter failed: InvalidParameterException: Invalid metric filter pattern\n"
    )


def test_without_live_the_time_range_narrows_the_files_events(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(
        tmp_path / "trail", [event(1, "GetUser"), event(5, "AssumeRole"), event(9, "ListUsers")]
    )
    window = ["--start", "2024-03-01T10:04:00Z", "--end", "2024-03-01T10:10:00Z", "--format", "table"]
    assert main(["test-pattern", "{ $.eventName = * }", str(trail), *window]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert [line.split()[2] for line in lines[2:-1]] == ["AssumeRole", "ListUsers"]
    assert lines[-1] == "2 of 2 events match"
    assert main(["test-pattern", "{ $.eventName = * }", str(trail), "--end", "2024-03-01T09:00:00Z"]) == 1
    assert capsys.readouterr().err == "trailtui: no events could be read in the time range\n"
