"""The tail in the console: one escaped line per replayed event, filtered with a filter pattern (a
malformed one marked at its column), paused and resumed, and enter opening the event."""

from __future__ import annotations

import orjson
from textual.widgets import Input, Static

from trailtui.ui.screens.event import EventScreen
from trailtui.ui.widgets.tail_pane import TailPane
from trailtui.ui.widgets.tail_view import TailView

from .conftest import OSC52_AGENT
from .helpers import replay_to_end, settle, show_tab
from .live_trail import LIVE_EVENTS


def names(view: TailView) -> list[str]:
    return [line.event_name for line in view.lines]


async def filter_tail(pilot, pattern: str) -> None:
    await pilot.press("slash")
    pilot.app.screen.query_one("#tail-filter", Input).value = pattern
    await pilot.press("enter")
    await pilot.pause()


async def test_the_tail_shows_one_line_per_replayed_event(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(220, 30)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "tail")
        view = app.screen.query_one(TailView)
        assert names(view) == [event["eventName"] for event in LIVE_EVENTS]
        line = view.lines[2]
        assert (line.account, line.region, line.principal, line.source_ip, line.error) == (
            "111122223333",
            "eu-west-1",
            "arn:aws:iam::111122223333:user/bob",
            "203.0.113.20",
            "AccessDenied",
        )


async def test_a_filter_pattern_keeps_only_matching_lines(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "tail")
        await filter_tail(pilot, '{ $.errorCode = "AccessDenied" }')
        view = app.screen.query_one(TailView)
        assert names(view) == ["GetUser", "DeleteUser"]
        assert app.focused is view
        await filter_tail(pilot, "")
        assert len(view.lines) == len(LIVE_EVENTS)


async def test_a_malformed_filter_is_marked_at_its_column(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "tail")
        await filter_tail(pilot, '{ $.errorCode = "AccessDenied" ')
        error = app.screen.query_one("#tail-filter-error", Static)
        assert error.display
        shown = str(error.render())
        caret = shown.index("^")
        assert shown[caret:].startswith("^ column 31:")
        assert caret == 30
        assert len(app.screen.query_one(TailView).lines) == len(LIVE_EVENTS)


async def test_a_paused_tail_holds_its_view_and_shows_what_came_on_resume(make_live_app) -> None:
    app = make_live_app(paused=True)
    async with app.run_test(size=(120, 30)) as pilot:
        await show_tab(pilot, "tail")
        await pilot.press("p")
        pane = app.screen.query_one(TailPane)
        assert pane.paused
        await pilot.press("space")
        await replay_to_end(pilot)
        view = app.screen.query_one(TailView)
        assert view.lines == type(view.lines)()
        assert pane.arrived_while_paused == len(LIVE_EVENTS)
        assert "PAUSED, 8 new" in pane.border_subtitle
        await pilot.press("p")
        assert len(view.lines) == len(LIVE_EVENTS)


async def test_enter_on_a_tail_line_opens_its_event(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 30)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "tail")
        await pilot.press("up", "up", "up", "enter")
        await settle(pilot)
        screen = app.screen
        assert isinstance(screen, EventScreen)
        assert screen.message_text is not None
        assert orjson.loads(screen.message_text) == LIVE_EVENTS[4]
        assert "userAgent" in screen.field_names
        await pilot.press("escape")
        assert app.screen.query_one(TailView).following is False


async def test_hostile_tail_lines_are_escaped_on_screen(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(240, 30)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "tail")
        shown = app.export_screenshot()
        assert "\\x1b]52;c;cHduZWQ=\\x07aws-cli/2.0".replace(" ", "&#160;") in shown
        assert "[/]Get[link=https://evil.example]Object[/link]"[:24] in shown
        assert "\x1b" not in shown and OSC52_AGENT not in shown
