"""`trailtui contributors`: the seed rules against plain Counters, report shape, periods, exit codes."""

from __future__ import annotations

from collections import Counter
from pathlib import Path
from typing import Any

import orjson
import pytest

from small_trails import event, run_trailtui, write_trail
from trailtui.cli import main
from trailtui.events.model import Event

DENIED = {"errorCode": "AccessDenied"}
SMALL_TRAIL = [
    event(0, "GetUser"),
    event(1, "GetUser"),
    event(2, "ListRoles"),
    event(3, "AssumeRole", eventSource="sts.amazonaws.com"),
    event(4, "AssumeRole", eventSource="sts.amazonaws.com"),
    event(4.5, "AssumeRole", eventSource="sts.amazonaws.com"),
    event(12, "GetUser", **DENIED),
    event(13, "DeleteRole", **DENIED),
]


def cli_json(capsys: pytest.CaptureFixture[str], *arguments: str) -> dict[str, Any]:
    assert main([*arguments, "--format", "json"]) == 0
    return orjson.loads(capsys.readouterr().out)


def test_table_ranks_the_top_api_calls_without_assume_role(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    assert main(["contributors", "--pack", "top-api-calls-excluding-assumerole", str(trail)]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert lines[0].split() == ["rank", "$.eventName", "Count"]
    assert [line.split() for line in lines[2:5]] == [
        ["1", "GetUser", "3"],
        ["2", "DeleteRole", "1"],
        ["3", "ListRoles", "1"],
    ]
    assert lines[-1] == "5 in all (Count), 3 distinct contributors"


def test_json_is_the_get_insight_rule_report_for_each_period(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    report = cli_json(capsys, "contributors", "--pack", "access-denied-by-principal", str(trail))
    assert list(report) == [
        "KeyLabels",
        "AggregationStatistic",
        "AggregateValue",
        "ApproximateUniqueCount",
        "Contributors",
        "MetricDatapoints",
    ]
    assert report["KeyLabels"] == ["$.userIdentity.arn", "$.eventName"]
    assert [point["Timestamp"] for point in report["MetricDatapoints"]] == [
        "2024-03-01T10:00:00Z",
        "2024-03-01T10:05:00Z",
        "2024-03-01T10:10:00Z",
    ]
    assert [point["Sum"] for point in report["MetricDatapoints"]] == [0.0, 0.0, 2.0]


def test_period_top_and_order_by_reach_the_report(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    report = cli_json(
        capsys,
        "contributors",
        "--pack",
        "top-api-calls-excluding-assumerole",
        str(trail),
        "--period",
        "1h",
        "--top",
        "1",
        "--order-by",
        "Maximum",
    )
    assert len(report["MetricDatapoints"]) == 1
    assert [entry["Keys"] for entry in report["Contributors"]] == [["GetUser"]]


def test_time_range_bounds_the_replay(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    report = cli_json(
        capsys,
        "contributors",
        "--pack",
        "top-api-calls-excluding-assumerole",
        str(trail),
        "--start",
        "2024-03-01T10:00:00Z",
        "--end",
        "2024-03-01T10:09:59Z",
    )
    assert report["AggregateValue"] == 3.0


def test_a_rule_file_is_named_after_its_file(tmp_path: Path, capsys: pytest.CaptureFixture[str]) -> None:
    trail = write_trail(tmp_path / "trail", SMALL_TRAIL)
    rule = tmp_path / "by-source-ip.json"
    rule.write_bytes(
        orjson.dumps(
            {
                "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
                "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
                "LogFormat": "JSON",
                "Contribution": {"Keys": ["$.sourceIPAddress"], "Filters": []},
                "AggregateOn": "Count",
            }
        )
    )
    report = cli_json(capsys, "contributors", str(rule), str(trail))
    assert report["Contributors"][0]["Keys"] == ["203.0.113.7"]
    assert report["AggregateValue"] == float(len(SMALL_TRAIL))


def test_a_rule_cloudwatch_refuses_exits_2_saying_where(tmp_path: Path) -> None:
    rule = tmp_path / "bad.json"
    rule.write_bytes(
        orjson.dumps(
            {
                "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
                "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
                "LogFormat": "JSON",
                "Contribution": {"Keys": [], "Filters": []},
                "AggregateOn": "Count",
            }
        )
    )
    result = run_trailtui("contributors", str(rule), str(write_trail(tmp_path / "trail", SMALL_TRAIL)))
    assert result.returncode == 2
    assert "Contribution.Keys" in result.stderr
    assert len(result.stderr.splitlines()) == 1
    assert result.stdout == ""


def test_an_unknown_pack_rule_exits_2(tmp_path: Path) -> None:
    result = run_trailtui("contributors", "--pack", "no-such-rule", str(tmp_path))
    assert result.returncode == 2
    assert "no rule named 'no-such-rule'" in result.stderr


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    (tmp_path / "notes.json").write_text("this is not CloudTrail")
    result = run_trailtui(
        "contributors", "--pack", "access-denied-by-principal", str(tmp_path / "notes.json")
    )
    assert result.returncode == 1
    assert "notes.json: skipped: not CloudTrail" in result.stderr
    assert result.stderr.endswith("trailtui: no events could be read\n"), result.stderr


def test_files_without_events_are_said_to_be(tmp_path: Path) -> None:
    (tmp_path / "empty.json").write_text('{"Records": []}')
    result = run_trailtui("contributors", "--pack", "access-denied-by-principal", str(tmp_path))
    assert result.returncode == 1
    assert result.stderr == "trailtui: the files read hold no events\n", result.stderr


# ---------------------------------------------------------------- the seed rules over the real corpus


def arn_of(record: dict[str, Any]) -> Any:
    identity = record.get("userIdentity")
    return identity.get("arn") if isinstance(identity, dict) else None


def top_api_calls(records: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter(
        (r["eventName"],)
        for r in records
        if isinstance(r.get("eventName"), str) and r["eventName"] != "AssumeRole"
    )


def throttled_apis(records: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter(
        (r["eventName"], arn_of(r))
        for r in records
        if r.get("errorCode") == "Client.RequestLimitExceeded"
        and isinstance(arn_of(r), str)
        and "eventName" in r
    )


def access_denied(records: list[dict[str, Any]]) -> Counter[tuple[Any, ...]]:
    return Counter(
        (arn_of(r), r["eventName"])
        for r in records
        if r.get("errorCode") in ("AccessDenied", "UnauthorizedOperation")
        and isinstance(arn_of(r), str)
        and "eventName" in r
    )


@pytest.mark.parametrize(
    ("rule", "plain_count"),
    [
        ("top-api-calls-excluding-assumerole", top_api_calls),
        ("throttled-apis-and-callers", throttled_apis),
        ("access-denied-by-principal", access_denied),
    ],
)
def test_seed_rule_over_the_corpus_equals_a_plain_counter(
    rule: str,
    plain_count: Any,
    corpus_dir: Path,
    corpus_events: list[Event],
    capsys: pytest.CaptureFixture[str],
) -> None:
    expected = plain_count([event.record for event in corpus_events])
    report = cli_json(
        capsys, "contributors", "--pack", rule, str(corpus_dir), "--period", "365d", "--top", "100"
    )
    ranked = sorted(expected.items(), key=lambda item: (-item[1], item[0]))[:100]
    assert [(entry["Keys"], entry["ApproximateAggregateValue"]) for entry in report["Contributors"]] == [
        (list(keys), float(count)) for keys, count in ranked
    ]
    assert report["AggregateValue"] == float(expected.total())
    assert report["ApproximateUniqueCount"] == len(expected)
