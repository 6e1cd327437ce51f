"""A query the engine stops at one of its limits: the console's notification says why."""

from __future__ import annotations

import pytest

from trailtui.insights import steps
from trailtui.ui.widgets.status_line import StatusLine

from .helpers import run_query


async def test_the_console_says_why_a_stats_stopped(make_app, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "MAX_GROUPS", 2)
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "stats count(*) by @message")
        status = app.screen.query_one(StatusLine)
        for _ in range(100):
            if status.query_state.status == "Failed":
                break
            await pilot.pause(0.05)
        notices = [str(notification.message) for notification in app._notifications]
        assert (
            "The query ended: Failed: stats made more than 2 groups: group by a field with fewer distinct "
            "values, or query a shorter time range"
        ) in notices, notices
