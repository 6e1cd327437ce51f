"""Opening an event from a result row, and copying its JSON, a value or a field path exactly; a copy too big
for a terminal's clipboard saved to a private file instead, and the notification saying where."""

from __future__ import annotations

import stat
from pathlib import Path

import orjson
from textual.widgets.tree import TreeNode

from trailtui.backends.local import LocalBackend
from trailtui.ui.app import TrailApp
from trailtui.ui.clipboard import TERMINAL_CLIPBOARD_MAX_BYTES
from trailtui.ui.config import load_config
from trailtui.ui.screens.event import EventScreen
from trailtui.ui.screens.main import MainScreen
from trailtui.ui.widgets.event_tree import EventField, EventTree

from .conftest import TRAIL_EVENTS
from .helpers import run_query, settle

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


def big_event(size: int, **fields: object) -> dict[str, object]:
    """An event whose compact JSON is exactly `size` bytes (a long user agent fills it)."""
    event: dict[str, object] = {**TRAIL_EVENTS[0], "userAgent": "", **fields}
    event["userAgent"] = "A" * (size - len(orjson.dumps(event)))
    assert len(orjson.dumps(event)) == size
    return event


def app_over(tmp_path: Path, event: dict[str, object]) -> TrailApp:
    path = tmp_path / "big" / "111122223333_CloudTrail_us-east-1_20240301T1000Z_big.json"
    path.parent.mkdir()
    path.write_bytes(orjson.dumps({"Records": [event]}))
    return TrailApp(LocalBackend([str(path)]), config=load_config())


async def test_c_on_an_event_too_big_for_a_terminal_clipboard_saves_its_exact_json_privately(
    tmp_path: Path, private_home: Path
) -> None:
    event = big_event(TERMINAL_CLIPBOARD_MAX_BYTES + 1, eventID="evil/../\x1b]2;x\x07-id")
    app = app_over(tmp_path, event)
    async with app.run_test() as pilot:
        await open_event(pilot, 0)
        await pilot.press("c")
        await settle(pilot)
        notices = [notification.message for notification in app._notifications]
    folder = private_home / "data" / "trailtui" / "copied"
    saved = folder / "evil2x-id.json"
    assert [path.name for path in folder.iterdir()] == [saved.name]
    assert saved.read_bytes() == orjson.dumps(event)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600 and stat.S_IMODE(folder.stat().st_mode) == 0o700
    assert app.clipboard == "", "nothing went to the terminal's clipboard"
    assert notices == [
        "The event's JSON is 768 KB, over the 767 KB a terminal clipboard takes; "
        f"saved to {saved}; `trailtui event` with its @ptr prints it too"
    ]


async def test_v_on_a_value_too_big_for_a_terminal_clipboard_saves_the_value(
    tmp_path: Path, private_home: Path
) -> None:
    event = {**TRAIL_EVENTS[0], "userAgent": "A" * 800_000}
    app = app_over(tmp_path, event)
    async with app.run_test() as pilot:
        screen = await open_event(pilot, 0)
        await put_cursor_on(pilot, screen.query_one(EventTree), "userAgent")
        await pilot.press("v")
        await settle(pilot)
        notices = [notification.message for notification in app._notifications]
    saved = private_home / "data" / "trailtui" / "copied" / f"{event['eventID']}.userAgent.txt"
    assert saved.read_text() == event["userAgent"]
    assert notices == [
        f"The value of userAgent is 782 KB, over the 767 KB a terminal clipboard takes; saved to {saved}"
    ]


async def test_an_event_at_the_limit_still_goes_to_the_terminal(tmp_path: Path, private_home: Path) -> None:
    event = big_event(TERMINAL_CLIPBOARD_MAX_BYTES)
    app = app_over(tmp_path, event)
    async with app.run_test() as pilot:
        await open_event(pilot, 0)
        await pilot.press("c")
        await settle(pilot)
    assert app.clipboard == orjson.dumps(event).decode()
    assert not (private_home / "data" / "trailtui" / "copied").exists()


async def test_a_copy_that_cannot_be_saved_says_why(tmp_path: Path, private_home: Path) -> None:
    (private_home / "data" / "trailtui").mkdir(parents=True)
    (private_home / "data" / "trailtui" / "copied").write_text("a file where the folder goes")
    app = app_over(tmp_path, big_event(TERMINAL_CLIPBOARD_MAX_BYTES + 1))
    async with app.run_test() as pilot:
        await open_event(pilot, 0)
        await pilot.press("c")
        await settle(pilot)
        [notice] = [n for n in app._notifications if "terminal clipboard" in n.message]
    assert notice.severity == "error"
    assert "; could not save it to " in notice.message and notice.message.count("File exists") == 1
