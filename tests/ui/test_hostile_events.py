"""Event strings are hostile: they reach the screen escaped and never as markup, and copies keep them."""

from __future__ import annotations

import orjson
import pytest

from trailtui.ui.screens.event import EventScreen
from trailtui.ui.widgets.event_tree import EventTree

from .conftest import BIDI_USER, HOSTILE_KEY, MARKUP_NAME, NUL_VALUE, OSC52_AGENT, TITLE_HIJACK, TRAIL_EVENTS
from .helpers import column_values, run_query

QUERY = (
    "fields eventName, userAgent, requestParameters.bucketName as bucket, userIdentity.userName as user,"
    " userIdentity.arn as arn | sort @timestamp asc"
)
CONTROLS = ("\x1b", "\x07", "\x00", "\u202e")


def assert_no_controls(text: str) -> None:
    for control in CONTROLS:
        assert control not in text, f"{control!r} reached the screen"


async def test_results_show_hostile_strings_escaped_and_literal(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(200, 40)) as pilot:
        table = await run_query(pilot, QUERY)
        assert column_values(table, "eventName")[2] == MARKUP_NAME
        assert column_values(table, "userAgent")[1] == "\\x1b]52;c;cHduZWQ=\\x07aws-cli/2.0"
        assert column_values(table, "bucket")[3] == "\\x1b]2;pwned\\x07bucket"
        assert column_values(table, "user")[4] == "alice\\u202eexe.txt"
        assert column_values(table, "arn")[4] == "before\\x00after"
        screen = app.export_screenshot()
        assert_no_controls(screen)
        for fragment in (
            "\\x1b]52;c;cHduZWQ=\\x07aws-cli/2.0",
            "[/]Get[link=https://evil.example]Object[/link]",
        ):
            assert fragment in screen


@pytest.mark.parametrize("row", [1, 2, 3, 4])
async def test_the_drill_down_of_a_hostile_event_is_escaped_and_copies_the_original(
    make_app, row: int
) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await run_query(pilot, QUERY)
        for _ in range(row):
            await pilot.press("down")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        screen = app.screen
        assert isinstance(screen, EventScreen)
        tree = screen.query_one(EventTree)
        for node in list(tree.root.children):
            node.expand_all()
        await pilot.pause()
        assert_no_controls(app.export_screenshot())
        await pilot.press("c")
        assert orjson.loads(app.clipboard) == TRAIL_EVENTS[row]


async def test_copying_a_hostile_value_and_path_gives_the_original_and_a_safe_notice(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(160, 48)) as pilot:
        await run_query(pilot, QUERY)
        for _ in range(3):
            await pilot.press("down")
        await pilot.press("enter")
        await app.workers.wait_for_complete()
        await pilot.pause()
        tree = app.screen.query_one(EventTree)
        parameters = next(
            node for node in tree.root.children if node.data and node.data.path == "requestParameters"
        )
        parameters.expand()
        await pilot.pause()
        hostile = next(
            node for node in parameters.children if node.data and node.data.path.endswith(HOSTILE_KEY)
        )
        bucket = next(node for node in parameters.children if node.data and node.data.value == TITLE_HIJACK)
        tree.move_cursor(hostile)
        await pilot.pause()
        await pilot.press("p")
        assert app.clipboard == f"requestParameters.{HOSTILE_KEY}"
        await pilot.press("v")
        assert app.clipboard == "[bold]x"
        tree.move_cursor(bucket)
        await pilot.pause()
        await pilot.press("v")
        assert app.clipboard == TITLE_HIJACK
        await pilot.pause()
        notices = [notification.message for notification in app._notifications]
        assert notices and all(not any(control in notice for control in CONTROLS) for notice in notices)
        assert any("\\x1b]2;key\\x07" in notice for notice in notices)
        assert_no_controls(app.export_screenshot())


def test_the_hostile_fixtures_are_what_they_claim() -> None:
    assert "\x1b]52;" in OSC52_AGENT and "\u202e" in BIDI_USER and "\x00" in NUL_VALUE
