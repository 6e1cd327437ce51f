"""Opening an event from a result row, and copying its JSON, a value or a field path exactly."""

from __future__ import annotations

import orjson
from textual.widgets.tree import TreeNode

from trailtui.ui.screens.event import EventScreen
from trailtui.ui.screens.main import MainScreen
from trailtui.ui.widgets.event_tree import EventField, EventTree

from .conftest import TRAIL_EVENTS
from .helpers import run_query

QUERY = "fields @timestamp, eventName | sort @timestamp asc"


async def open_event(pilot, row: int) -> EventScreen:
    await run_query(pilot, QUERY)
    for _ in range(row):
        await pilot.press("down")
    await pilot.press("enter")
    screen = pilot.app.screen
    assert isinstance(screen, EventScreen)
    await pilot.app.workers.wait_for_complete()
    await pilot.pause()
    return screen


async def put_cursor_on(pilot, tree: EventTree, path: str) -> TreeNode[EventField]:
    """Unfold the ancestors of a field path and put the tree's cursor on its node."""
    node = tree.root
    for depth in range(1, path.count(".") + 2):
        wanted = ".".join(path.split(".")[:depth])
        node.expand()
        node = next(child for child in node.children if child.data and child.data.path == wanted)
    await pilot.pause()
    tree.move_cursor(node)
    await pilot.pause()
    return node


async def test_enter_opens_the_event_of_the_row_as_a_tree(make_app) -> None:
    app = make_app()
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await open_event(pilot, 1)
        tree = screen.query_one(EventTree)
        assert app.focused is tree
        assert tree.root.data is not None and tree.root.data.value == TRAIL_EVENTS[1]
        keys = [child.data.path for child in tree.root.children if child.data]
        assert keys == list(TRAIL_EVENTS[1])


async def test_c_copies_the_events_exact_json(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_event(pilot, 0)
        await pilot.press("c")
        record = await app.backend.get_log_record(screen.ptr)
        assert app.clipboard == record["@message"]
        assert orjson.loads(app.clipboard) == TRAIL_EVENTS[0]


async def test_v_copies_the_value_and_p_the_path_under_the_cursor(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_event(pilot, 0)
        tree = screen.query_one(EventTree)
        await put_cursor_on(pilot, tree, "userIdentity.sessionContext.sessionIssuer.arn")
        await pilot.press("v")
        assert app.clipboard == "arn:aws:iam::111122223333:role/Admin"
        await pilot.press("p")
        assert app.clipboard == "userIdentity.sessionContext.sessionIssuer.arn"


async def test_v_on_an_object_copies_it_as_json(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        screen = await open_event(pilot, 0)
        tree = screen.query_one(EventTree)
        await put_cursor_on(pilot, tree, "requestParameters")
        await pilot.press("v")
        assert orjson.loads(app.clipboard) == {"bucketName": "bucket-1"}


async def test_copying_says_what_was_copied(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await open_event(pilot, 0)
        await pilot.press("c")
        await pilot.pause()
        notices = [notification.message for notification in app._notifications]
        assert any("Copied the event's JSON" in notice and "OSC 52" in notice for notice in notices)


async def test_escape_goes_back_to_the_results_and_teaches_completion_the_fields(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await open_event(pilot, 0)
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "userIdentity.sessionContext.sessionIssuer.arn" in app.screen.query_one("#editor").known_fields


async def test_a_stats_row_has_no_event_to_open(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "stats count(*) by eventName")
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
