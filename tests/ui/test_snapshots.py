"""What the console looks like: the query screen at 80x24 and 160x48, and the drill-down."""

from __future__ import annotations

from pathlib import Path

import pytest

from trailtui.backends.local import LocalBackend
from trailtui.ui.app import TrailApp
from trailtui.ui.config import Config

from .helpers import run_query, settle

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
    await run_query(pilot, QUERY)


def test_query_screen_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_the_query)


def test_query_screen_160x48(snap_compare, snapshot_app: TrailApp) -> None:
    assert snap_compare(snapshot_app, terminal_size=(160, 48), run_before=run_the_query)


def test_malformed_query_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await run_query(pilot, "fields eventName\n| filtr x")

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_before)


def test_drill_down_120x40(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await run_query(pilot, QUERY)
        await pilot.press("down", "enter")
        await settle(pilot)

    assert snap_compare(snapshot_app, terminal_size=(120, 40), run_before=run_before)


def test_chart_80x24(snap_compare, snapshot_app: TrailApp) -> None:
    async def run_before(pilot) -> None:
        await run_query(pilot, "stats count(*) as calls by bin(1m)")
        await pilot.press("f7")

    assert snap_compare(snapshot_app, terminal_size=(80, 24), run_before=run_before)
