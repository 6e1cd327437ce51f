"""The user's files: history (atomic, a corrupt file set aside), saved queries (the backend's: the packs'
query files and the user's packs folder), keymap, themes, help."""

from __future__ import annotations

from pathlib import Path

import orjson

from trailtui.packs import load_builtin_packs
from trailtui.ui.config import load_config
from trailtui.ui.query_store import QueryHistory
from trailtui.ui.screens.help import HelpScreen
from trailtui.ui.screens.query_picker import QueryPicker
from trailtui.ui.widgets.query_editor import QueryEditor
from trailtui.ui.widgets.results_table import ResultsTable

from .helpers import run_query, settle, type_query

QUERY = "fields eventName | limit 2"


async def test_a_query_run_is_kept_in_the_history_file_and_offered_next_time(
    make_app, private_home: Path
) -> None:
    async with make_app().run_test() as pilot:
        await run_query(pilot, QUERY)
    history_file = private_home / "data" / "trailtui" / "history.json"
    assert [entry["query"] for entry in orjson.loads(history_file.read_bytes())] == [QUERY]
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f3")
        await pilot.pause()
        assert isinstance(app.screen, QueryPicker)
        await pilot.press("enter")
        await pilot.pause()
        assert app.screen.query_one(QueryEditor).text == QUERY


def test_history_keeps_the_newest_first_without_repeats(private_home: Path) -> None:
    history = QueryHistory.default()
    for query in ("a", "b", "a"):
        history.record(query)
    assert [entry.query for entry in QueryHistory.default().entries] == ["a", "b"]
    assert [path.name for path in (private_home / "data" / "trailtui").iterdir()] == ["history.json"]


async def test_a_corrupt_history_is_set_aside_and_reported(make_app, private_home: Path) -> None:
    folder = private_home / "data" / "trailtui"
    folder.mkdir(parents=True)
    (folder / "history.json").write_text('[{"query": ')
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await run_query(pilot, QUERY)
        notices = [n.message for n in app._notifications if "corrupt file" in n.message]
    names = sorted(path.name for path in folder.iterdir())
    assert names[0] == "history.json" and names[1].startswith("history.json.corrupt-")
    assert notices == [
        f"corrupt file {folder / 'history.json'} set aside as {names[1]} (JSONDecodeError);"
        " query history started afresh"
    ]


async def test_ctrl_s_saves_the_query_as_a_file_in_the_user_packs_folder_and_f4_offers_it(
    make_app, private_home: Path
) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        await pilot.press("ctrl+s")
        await pilot.pause()
        await pilot.press(*"two names", "enter")
        await settle(pilot)
        assert any("Saved two names in your packs folder" in n.message for n in app._notifications)
    saved = private_home / "config" / "trailtui" / "packs" / "saved" / "queries"
    assert [path.name for path in saved.iterdir()] == ["two-names.json"]
    assert orjson.loads((saved / "two-names.json").read_bytes()) == {
        "name": "two names",
        "queryString": QUERY,
    }
    assert not (private_home / "config" / "trailtui" / "saved-queries.json").exists()
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueryPicker)
        pack_names = {definition.name for definition in load_builtin_packs().of_kind("query")}
        assert {query.name for query in app.screen.queries} == pack_names | {"two names"}
        chosen = [query.name for query in app.screen.queries].index("two names")
        await pilot.press(*["down"] * chosen, "enter")
        await pilot.pause()
        assert app.screen.query_one(QueryEditor).text == QUERY


async def test_a_query_file_in_the_user_packs_folder_is_a_saved_query(make_app, private_home: Path) -> None:
    folder = private_home / "config" / "trailtui" / "packs" / "mine" / "queries"
    folder.mkdir(parents=True)
    (folder / "denied.json").write_text(
        '{"name": "Denied calls", "queryString": "filter errorCode like /Denied/"}'
    )
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f4")
        await settle(pilot)
        assert isinstance(app.screen, QueryPicker)
        assert ("Denied calls", "filter errorCode like /Denied/") in [
            (query.name, query.query) for query in app.screen.queries
        ]


async def test_an_old_saved_queries_file_is_not_read_and_the_user_is_told(
    make_app, private_home: Path
) -> None:
    old = private_home / "config" / "trailtui" / "saved-queries.json"
    old.parent.mkdir(parents=True)
    old.write_text('[{"query": "fields x", "name": "old", "ran_at": 0}]')
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert any("saved-queries.json is no longer read" in n.message for n in app._notifications)
    assert old.read_text() == '[{"query": "fields x", "name": "old", "ran_at": 0}]'


def write_config(private_home: Path, text: str) -> None:
    folder = private_home / "config" / "trailtui"
    folder.mkdir(parents=True, exist_ok=True)
    (folder / "config.toml").write_text(text)


async def test_the_keymap_in_the_config_file_remaps_an_action(make_app, private_home: Path) -> None:
    write_config(private_home, '[keymap]\n"query.run" = "f12"\n')
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.query_one(ResultsTable).row_count == 0
        await pilot.press("f12")
        await settle(pilot)
        assert app.screen.query_one(ResultsTable).row_count == 2


async def test_help_lists_every_action_with_its_remapped_keys(make_app, private_home: Path) -> None:
    write_config(private_home, '[keymap]\n"event.copy_json" = "y"\n')
    app = make_app()
    async with app.run_test(size=(120, 90)) as pilot:
        await pilot.press("f1")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        shown = app.export_screenshot()
        assert "event.copy_json" in shown and "Copy&#160;the&#160;event" in shown
        await pilot.press("escape")
        assert not isinstance(app.screen, HelpScreen)


def test_a_broken_config_file_is_reported_and_left_in_place(private_home: Path) -> None:
    write_config(private_home, "[keymap\n")
    config = load_config()
    assert config.keymap == {} and "not read" in config.problems[0]
    assert (private_home / "config" / "trailtui" / "config.toml").exists()


async def test_themes_ship_and_the_config_picks_one(make_app, private_home: Path) -> None:
    write_config(private_home, 'theme = "trailtui-high-contrast"\n')
    app = make_app()
    async with app.run_test():
        assert app.theme == "trailtui-high-contrast"
        assert {"trailtui-dark", "trailtui-light", "trailtui-high-contrast"} <= set(app.available_themes)


async def test_a_users_own_theme_is_loaded_and_a_broken_one_reported(make_app, private_home: Path) -> None:
    themes = private_home / "config" / "trailtui" / "themes"
    themes.mkdir(parents=True)
    (themes / "mine.toml").write_text('name = "mine"\nprimary = "#ff8700"\ndark = true\n')
    (themes / "broken.toml").write_text('name = "broken"\n')
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        assert "mine" in app.available_themes and "broken" not in app.available_themes
        assert any("broken.toml" in n.message for n in app._notifications)


async def test_the_command_palette_runs_actions_and_switches_themes(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, QUERY)
        await pilot.press("ctrl+p")
        await pilot.pause()
        await pilot.press(*"Run the query")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await settle(pilot)
        assert app.screen.query_one(ResultsTable).row_count == 2
        await pilot.press("ctrl+p")
        await pilot.press(*"theme")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause(0.5)
        await pilot.press(*"trailtui-light")
        await pilot.pause(0.5)
        await pilot.press("enter")
        await pilot.pause()
        assert app.theme == "trailtui-light"


async def test_f6_maximises_the_focused_pane_and_restores_it(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, QUERY)
        await pilot.press("f6")
        assert app.screen.maximized is app.screen.query_one(ResultsTable)
        await pilot.press("f6")
        assert app.screen.maximized is None
        await pilot.press("ctrl+e", "f6")
        assert app.screen.maximized is app.screen.query_one(QueryEditor)
