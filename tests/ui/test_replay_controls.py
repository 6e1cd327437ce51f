"""The replay controls: space pauses and resumes, + and - double and halve the speed (1x to 10,000x, then
as fast as possible), ctrl+g seeks; the replay line shows each change."""

from __future__ import annotations

import pytest
from textual.widgets import Input, Static

from trailtui.ui.replay_clock import faster, slower
from trailtui.ui.screens.seek import SeekScreen
from trailtui.ui.time_input import MomentError, parse_moment
from trailtui.ui.widgets.replay_line import ReplayLine

from .helpers import poll_now, replay_to_end, show_tab
from .live_trail import PERIOD_START_MS


def line_text(app) -> str:
    return str(app.screen.query_one(ReplayLine).render())


async def test_pause_and_speed_changes_show_in_the_replay_line(make_live_app) -> None:
    app = make_live_app(speed=2)
    async with app.run_test(size=(120, 30)) as pilot:
        await show_tab(pilot, "tail")
        await pilot.press("space")
        await poll_now(pilot)
        assert line_text(app).startswith("paused")
        assert "2x speed" in line_text(app)
        await pilot.press("plus")
        await poll_now(pilot)
        assert "4x speed" in line_text(app)
        await pilot.press("minus", "minus", "minus")
        await poll_now(pilot)
        assert "1x speed" in line_text(app)
        await pilot.press("space")
        await poll_now(pilot)
        assert line_text(app).startswith("replaying")


def test_speeds_step_by_two_within_1_to_10000_then_max() -> None:
    assert faster(4.0) == 8.0
    assert faster(8192.0) == 10_000.0
    assert faster(10_000.0) is None
    assert faster(None) is None
    assert slower(None) == 10_000.0
    assert slower(1.0) == 1.0


async def test_seek_moves_the_replay_clock(make_live_app) -> None:
    app = make_live_app(paused=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await show_tab(pilot, "tail")
        await pilot.press("ctrl+g")
        await pilot.pause()
        assert isinstance(app.screen, SeekScreen)
        app.screen.query_one(Input).value = "yesterday"
        await pilot.press("enter")
        assert "not a time" in str(app.screen.query_one("#seek-error", Static).render())
        app.screen.query_one(Input).value = "2024-03-01T10:01:00Z"
        await pilot.press("enter")
        await pilot.press("space")
        await replay_to_end(pilot)
        assert app.backend.replay.status().events_delivered == 2
        assert "10:01:30" in line_text(app)


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ("-15m", PERIOD_START_MS - 900_000),
        ("+1h", PERIOD_START_MS + 3_600_000),
        ("30s", PERIOD_START_MS - 30_000),
        ("2024-03-01T10:00:00Z", PERIOD_START_MS),
        ("2024-03-01 11:00:00+01:00", PERIOD_START_MS),
        ("1709287200", PERIOD_START_MS),
    ],
)
def test_seek_times_accept_iso_epoch_and_relative_forms(text: str, expected: int) -> None:
    assert parse_moment(text, PERIOD_START_MS) == expected


def test_a_seek_time_that_names_no_moment_is_refused() -> None:
    with pytest.raises(MomentError):
        parse_moment("soon", PERIOD_START_MS)
