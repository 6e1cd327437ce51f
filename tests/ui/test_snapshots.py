"""What the console looks like: the query screen, the contributors, metrics and tail tabs at 80x24 and
160x48, and the drill-down. Each waits for the replay to end and polls, so the screens do not depend on
timing."""

from __future__ import annotations

from pathlib import Path

import pytest

from trailtui.backends.local import LocalBackend
from trailtui.ui.app import TrailApp
from trailtui.ui.config import Config
from trailtui.ui.widgets.query_editor import QueryEditor

from .helpers import replay_to_end, run_query, settle, show_tab

QUERY = "fields @timestamp, eventName, sourceIPAddress, userAgent\n| sort @timestamp asc\n| limit 20"


class StoppedClock:
    """A monotonic clock that never moves, so the elapsed time shown is the same in every run."""

    @staticmethod
    def monotonic() -> float:
        return 0.0


@pytest.fixture
def snapshot_app(trail: Path, monkeypatch: pytest.MonkeyPatch) -> TrailApp:
    monkeypatch.setattr("trailtui.ui.screens.main.time", StoppedClock)
    backend = LocalBackend([str(trail)])
    backend.description = "local: test trail"
    return TrailApp(backend, config=Config())


async def run_the_query(pilot) -> None:
    await replay_to_end(pilot)
    await run_query(pilot, QUERY)


@pytest.fixture
def live_snapshot_app(live_trail: Path, monkeypatch: pytest.MonkeyPatch) -> TrailApp:
    monkeypatch.setattr("trailtui.ui.screens.main.time", StoppedClock)
    backend = LocalBackend([str(live_trail)])
    backend.description = "local: live trail"
    return TrailApp(backend, config=Config())


def on_tab(tab: str, *keys: str):
    async def run_before(pilot) -> None:
        await replay_to_end(pilot)
        await show_tab(pilot, tab)
        await pilot.press(*keys)
        await replay_to_end(pilot)
        pilot.app.clear_notifications()
        await pilot.pause()

    return run_before


@pytest.mark.parametrize("size", [(80, 24), (160, 48)], ids=["80x24", "160x48"])
@pytest.mark.parametrize("tab", ["contributors", "metrics", "tail"])
def test_live_tabs(snap_compare, live_snapshot_app: TrailApp, tab: str, size: tuple[int, int]) -> None:
    assert snap_compare(live_snapshot_app, terminal_size=size, run_before=on_tab(tab))


def test_query_screen_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_the_query)


def test_query_screen_160x48(snap_compare, snapshot_app: TrailApp) -> None:
    assert snap_compare(snapshot_app, terminal_size=(160, 48), run_before=run_the_query)


def test_malformed_query_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await replay_to_end(pilot)
        pilot.app.screen.query_one(QueryEditor).cursor_blink = False
        await run_query(pilot, "fields eventName\n| filtr x")

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_before)


def test_drill_down_120x40(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await replay_to_end(pilot)
        await run_query(pilot, QUERY)
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=run_before)


def test_chart_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await replay_to_end(pilot)
        await run_query(pilot, "stats count(*) as calls by bin(1m)")
        await pilot.press("f7")

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_before)
