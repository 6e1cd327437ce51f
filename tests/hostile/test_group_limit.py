"""Runaway `stats`: one group a record over more than `MAX_GROUPS` records fails the query in one line,
through the CLI (a real process, the scan in worker processes); the console's notification is tested in
tests/ui/test_query_limit.py."""

from __future__ import annotations

from pathlib import Path

from small_trails import run_trailtui
from trailtui.insights import steps

LINE = '{"eventTime":"2024-03-01T10:00:00Z","eventName":"GetObject","requestID":"req-%07d"}\n'


def test_the_cli_says_why_a_stats_by_a_unique_field_stopped(tmp_path: Path) -> None:
    path = tmp_path / "unique.ndjson"
    path.write_text("".join(LINE % n for n in range(steps.MAX_GROUPS + 1)))
    result = run_trailtui("query", "stats count(*) by requestID", str(path))
    assert result.returncode == 1
    assert result.stdout == ""
    assert result.stderr == (
        f"trailtui: query failed: stats made more than {steps.MAX_GROUPS:,} groups: group by a field "
        "with fewer distinct values, or query a shorter time range\n"
    ), result.stderr
