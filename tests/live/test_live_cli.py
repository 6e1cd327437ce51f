"""`trailtui query --live` and `trailtui event --live` as a user runs them, against moto's server."""

from __future__ import annotations

import os
import subprocess
import sys

import orjson
import pytest

from trailtui.cli import main
from trailtui.events.model import Event

from .conftest import REGION, TRAIL_GROUP


def run_trailtui(*arguments: str) -> subprocess.CompletedProcess[str]:
    command = [sys.executable, "-m", "trailtui", *arguments]
    return subprocess.run(
        command, capture_output=True, text=True, env=dict(os.environ), timeout=60, check=False
    )


def test_query_live_prints_the_get_query_results_shape(
    moto_url: str, corpus_groups: dict[str, list[Event]]
) -> None:
    done = run_trailtui(
        "query",
        "--live",
        "--endpoint-url",
        moto_url,
        "--region",
        REGION,
        "--log-group",
        TRAIL_GROUP,
        "fields eventName | limit 5",
        "--format",
        "json",
    )
    assert done.returncode == 0, done.stderr
    results = orjson.loads(done.stdout)
    assert results["status"] == "Complete"
    assert set(results) >= {"queryLanguage", "status", "statistics", "results"}
    assert len(results["results"]) == 5
    assert all({"field", "value"} == set(cell) for row in results["results"] for cell in row)
    assert done.stderr == ""


def test_query_live_says_which_log_group_it_chose(
    moto_url: str, corpus_groups: dict[str, list[Event]], capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = [
        "query",
        "--live",
        "--endpoint-url",
        moto_url,
        "--region",
        REGION,
        "fields @message | limit 1",
    ]
    assert main(arguments) == 0
    expected = f"trailtui: using log group {TRAIL_GROUP}, where trail main-trail sends its events\n"
    assert capsys.readouterr().err == expected


def test_event_live_failure_is_one_line(
    moto_url: str, corpus_groups: dict[str, list[Event]], capsys: pytest.CaptureFixture[str]
) -> None:
    arguments = ["event", "--live", "--endpoint-url", moto_url, "--region", REGION, "CmAKJQoh"]
    assert main(arguments) == 1  # moto has no GetLogRecord
    assert capsys.readouterr().err == "trailtui: logs:GetLogRecord failed: HTTP 500 from the endpoint\n"


def test_live_options_need_live(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--region", REGION, "fields a"]) == 2
    assert capsys.readouterr().err == "trailtui: --region needs --live\n"


def test_live_reads_no_files(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["query", "--live", "--region", REGION, "fields a", "trail.json"]) == 2
    assert capsys.readouterr().err == "trailtui: --live reads the account, not files: remove trail.json\n"


def test_an_unreachable_endpoint_is_one_line(moto_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    endpoint = ["--endpoint-url", "http://127.0.0.1:9", "--region", REGION, "--log-group", TRAIL_GROUP]
    arguments = ["query", "--live", *endpoint, "fields a"]
    assert main(arguments) == 1
    error = capsys.readouterr().err
    assert error.startswith("trailtui: cannot reach http://127.0.0.1:9 (logs:DescribeLogGroups)")
    assert error.count("\n") == 1
