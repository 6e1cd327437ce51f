"""`trailtui query` and `trailtui event` as a user runs them: real files, real processes for exit codes."""

from __future__ import annotations

import csv
import gzip
import io
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from trailtui.cli import main

EVENTS = [
    {
        "eventTime": "2024-03-01T10:00:00Z",
        "eventName": "CreateKey",
        "eventSource": "kms.amazonaws.com",
        "awsRegion": "eu-west-1",
        "recipientAccountId": "111122223333",
        "userAgent": "aws-cli/2.15",
    },
    {
        "eventTime": "2024-03-01T11:00:00Z",
        "eventName": "AssumeRole",
        "eventSource": "sts.amazonaws.com",
        "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333",
        "userAgent": "evil\x1b]52;c;cHduZWQ=\x07agent",
    },
    {
        "eventTime": "2024-03-01T12:00:00Z",
        "eventName": "AssumeRole",
        "eventSource": "sts.amazonaws.com",
        "awsRegion": "us-east-1",
        "recipientAccountId": "111122223333",
        "userAgent": "boto3",
    },
]


@pytest.fixture
def trail(tmp_path: Path) -> Path:
    folder = tmp_path / "AWSLogs" / "111122223333" / "CloudTrail" / "us-east-1" / "2024" / "03" / "01"
    folder.mkdir(parents=True)
    name = "111122223333_CloudTrail_us-east-1_20240301T1000Z_a1.json.gz"
    (folder / name).write_bytes(gzip.compress(orjson.dumps({"Records": EVENTS})))
    return tmp_path


def run_cli(capsys: pytest.CaptureFixture[str], *arguments: str) -> tuple[int, str, str]:
    code = main(list(arguments))
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_json_output_is_the_get_query_results_shape(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run_cli(
        capsys, "query", "fields eventName | sort @timestamp asc", str(trail), "--format", "json"
    )
    document = orjson.loads(out)
    assert code == 0
    assert document["status"] == "Complete"
    assert document["statistics"]["recordsScanned"] == 3
    first_row = document["results"][0]
    assert first_row[0] == {"field": "eventName", "value": "CreateKey"}
    assert first_row[-1]["field"] == "@ptr"


def test_csv_has_a_header_and_one_line_per_row(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = "stats count(*) as calls by eventName | sort calls desc"
    _, out, _ = run_cli(capsys, "query", query, str(trail), "--format", "csv")
    assert list(csv.DictReader(io.StringIO(out))) == [
        {"eventName": "AssumeRole", "calls": "2"},
        {"eventName": "CreateKey", "calls": "1"},
    ]


def test_ndjson_keeps_event_text_exact(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    query = 'fields userAgent | filter eventName = "AssumeRole" | sort @timestamp asc'
    _, out, _ = run_cli(capsys, "query", query, str(trail), "--format", "ndjson")
    rows = [orjson.loads(line) for line in out.splitlines()]
    assert rows[0]["userAgent"] == "evil\x1b]52;c;cHduZWQ=\x07agent"


def test_table_shows_control_characters_escaped(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "query", "fields userAgent", str(trail))
    assert "\x1b" not in out and "\x07" not in out
    assert "evil\\x1b]52;c;cHduZWQ=\\x07agent" in out


def test_time_range_keeps_the_end_second(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    arguments = ["--start", "2024-03-01T10:30:00Z", "--end", "2024-03-01T11:00:00Z", "--format", "ndjson"]
    _, out, _ = run_cli(capsys, "query", "fields eventName", str(trail), *arguments)
    assert [orjson.loads(line)["eventName"] for line in out.splitlines()] == ["AssumeRole"]


def test_query_file_makes_every_positional_a_path(trail: Path, tmp_path: Path, capsys) -> None:
    query_file = tmp_path / "q.insights"
    query_file.write_text("stats count(*) as n")
    _, out, _ = run_cli(capsys, "query", "--query-file", str(query_file), str(trail), "--format", "ndjson")
    assert orjson.loads(out) == {"n": "3"}


def test_event_prints_the_exact_json_a_ptr_points_to(trail: Path, capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "query", 'filter eventName="CreateKey"', str(trail), "--format", "json")
    ptr = next(cell["value"] for cell in orjson.loads(out)["results"][0] if cell["field"] == "@ptr")
    code, event_json, _ = run_cli(capsys, "event", ptr)
    assert code == 0
    assert event_json == orjson.dumps(EVENTS[0]).decode() + "\n"


def test_no_path_queries_the_demo_trail(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run_cli(capsys, "query", "stats count(*) as n", "--format", "ndjson")
    assert int(orjson.loads(out)["n"]) > 3000


def test_problem_files_get_one_line_each_and_good_records_are_kept(
    trail: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    (trail / "broken.ndjson").write_bytes(orjson.dumps(EVENTS[0]) + b"\n{oops\n")
    (trail / "empty.json").write_bytes(b"")
    code, out, err = run_cli(capsys, "query", "stats count(*) as n", str(trail), "--format", "ndjson")
    assert code == 0
    assert orjson.loads(out) == {"n": "4"}
    assert err.splitlines() == [
        f"{trail / 'broken.ndjson'}: 1 record skipped: invalid JSON at line 2",
        f"{trail / 'empty.json'}: skipped: empty file",
        "trailtui: skipped 1 of 3 files and 1 records",
    ]


def cli_process(*arguments: str, stdin: bytes = b"") -> subprocess.CompletedProcess[bytes]:
    command = [sys.executable, "-m", "trailtui", *arguments]
    return subprocess.run(command, input=stdin, capture_output=True, timeout=60, check=False)


def test_stdin_is_read_for_dash() -> None:
    lines = b"".join(orjson.dumps(event) + b"\n" for event in EVENTS)
    completed = cli_process("query", "stats count(*) as n", "-", "--format", "ndjson", stdin=lines)
    assert completed.returncode == 0
    assert orjson.loads(completed.stdout) == {"n": "3"}


def test_malformed_query_exits_2_with_line_and_column(trail: Path) -> None:
    completed = cli_process("query", "fields eventName\n| stats count(* by x", str(trail))
    assert completed.returncode == 2
    message = completed.stderr.decode()
    assert message.startswith("trailtui: malformed query: line 2:")
    assert "Traceback" not in message
    assert len(message.splitlines()) == 1


def test_bad_time_argument_exits_2() -> None:
    completed = cli_process("query", "fields eventName", "--start", "yesterday-ish")
    assert completed.returncode == 2
    assert b"not a time" in completed.stderr


def test_nothing_readable_exits_1(tmp_path: Path) -> None:
    completed = cli_process("query", "fields eventName", str(tmp_path / "missing.json"))
    assert completed.returncode == 1
    assert completed.stderr.decode().splitlines() == [
        f"{tmp_path / 'missing.json'}: skipped: cannot read: No such file or directory",
        "trailtui: skipped 1 of 1 files and 0 records",
        "trailtui: no input could be read",
    ]


def test_a_literal_star_in_not_equal_is_answered_as_cloudwatch_does_and_flagged(
    trail: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    query = 'fields eventName | filter eventName != "Assume*" | sort @timestamp asc'
    code, out, err = run_cli(capsys, "query", query, str(trail), "--format", "ndjson")
    assert code == 0
    assert [orjson.loads(line)["eventName"] for line in out.splitlines()] == [
        "CreateKey",
        "AssumeRole",
        "AssumeRole",
    ]
    assert err.startswith("trailtui: warning: line 1:40: `!=` compares literally")
