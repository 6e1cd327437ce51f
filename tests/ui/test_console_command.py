"""`trailtui [PATH ...]` starts the console; its options are checked before any screen is drawn."""

from __future__ import annotations

import pytest

from trailtui.cli import COMMANDS
from trailtui.cli.console_command import build_console, is_console_invocation, run_console
from trailtui.ui.app import TrailApp

from .helpers import column_values, run_query, settle


@pytest.mark.parametrize(
    ("arguments", "console"),
    [
        ([], True),
        (["trail/"], True),
        (["--query", "fields x"], True),
        (["query", "x"], False),
        (["--help"], False),
    ],
)
def test_the_console_runs_unless_a_sub_command_is_named(arguments: list[str], console: bool) -> None:
    assert is_console_invocation(arguments, list(COMMANDS)) is console


def test_speed_and_follow_set_the_replay(trail) -> None:
    app = build_console([str(trail), "--speed", "4", "--follow"])
    assert isinstance(app, TrailApp)
    assert app.backend.replay is not None
    assert app.backend.replay.status().speed == 4.0
    assert app.backend.replay.status().following is True


def test_without_speed_the_replay_runs_as_fast_as_possible(trail) -> None:
    app = build_console([str(trail)])
    assert isinstance(app, TrailApp)
    assert app.backend.replay is not None
    assert app.backend.replay.status().speed is None


@pytest.mark.parametrize("speed", ["0.5", "20000"])
def test_a_speed_out_of_range_is_a_usage_error(speed: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_console(["--speed", speed]) == 2
    assert "--speed must be between 1 and 10000" in capsys.readouterr().err


def test_an_unreadable_query_file_is_a_usage_error(tmp_path, capsys: pytest.CaptureFixture[str]) -> None:
    assert run_console(["--query-file", str(tmp_path / "missing.q")]) == 2
    assert "cannot read --query-file" in capsys.readouterr().err


async def test_a_header_click_sorts_by_that_column(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 30)) as pilot:
        table = await run_query(pilot, "fields sourceIPAddress as ip, eventName | sort @timestamp desc")
        await pilot.click("ResultsTable", offset=(3, 0))
        await settle(pilot)
        assert column_values(table, "ip")[0] == "198.51.100.1"
