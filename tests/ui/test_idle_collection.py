"""Full garbage collections in the console's own process run while the user is idle (ui/idle_collection)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest

from trailtui.ui.idle_collection import (
    IDLE_INTERVAL_S,
    IDLE_S,
    MAX_INTERVAL_S,
    NO_AUTOMATIC_FULL_COLLECTION,
    IdleCollector,
)


@pytest.fixture
def collector_state() -> Iterator[None]:
    """The process's collector as it was: taking over freezes the heap and changes the thresholds."""
    thresholds = gc.get_threshold()
    yield
    gc.unfreeze()
    gc.set_threshold(*thresholds)


def test_no_full_collection_while_keys_arrive_until_the_longest_interval() -> None:
    collector = IdleCollector(last_input_s=0.0, last_full_s=0.0)
    now = 0.0
    while now < MAX_INTERVAL_S - 0.5:
        now += 0.2
        collector.input_seen(now)
        assert not collector.due(now + 0.1), f"due {now:.1f} s into typing"
    assert collector.due(MAX_INTERVAL_S)


def test_a_full_collection_once_idle_and_not_again_until_the_idle_interval() -> None:
    collector = IdleCollector(last_input_s=0.0, last_full_s=0.0)
    assert not collector.due(IDLE_S / 2)
    assert not collector.due(IDLE_INTERVAL_S - 0.1), "idle, but a full collection ran just before"
    assert collector.due(IDLE_INTERVAL_S)
    full_before = gc.get_stats()[2]["collections"]
    assert collector.collect_if_due(IDLE_INTERVAL_S)
    assert gc.get_stats()[2]["collections"] == full_before + 1
    assert not collector.collect_if_due(IDLE_INTERVAL_S + IDLE_S), "idle still, but it just ran"


async def test_the_console_process_takes_over_full_collections(make_app, collector_state: None) -> None:
    app = make_app()
    app.manage_collection = True
    async with app.run_test() as pilot:
        await pilot.pause(0.1)
        assert gc.get_threshold()[2] == NO_AUTOMATIC_FULL_COLLECTION
        assert gc.get_freeze_count() > 0
        collector = app._collector
        assert collector is not None
        before = collector.last_input_s
        await pilot.press("a")
        assert collector.last_input_s > before


async def test_other_apps_leave_the_collector_alone(make_app) -> None:
    thresholds = gc.get_threshold()
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("a")
        assert app._collector is None
    assert gc.get_threshold() == thresholds
