"""The query editor: highlighting from the language's tables, error marking, completion, pickers, the
query it starts with, and runs that wait for the keys typed before them."""

from __future__ import annotations

from textual.widgets.text_area import Selection

from trailtui.packs import load_builtin_packs
from trailtui.ui.query_store import sample_queries
from trailtui.ui.query_syntax import completions, highlight_lines
from trailtui.ui.screens.query_picker import QueryPicker
from trailtui.ui.widgets.completion_list import CompletionList
from trailtui.ui.widgets.query_editor import DEFAULT_QUERY, QueryEditor
from trailtui.ui.widgets.results_table import ResultsTable
from trailtui.ui.widgets.status_line import StatusLine

from .helpers import main_screen, run_query, settle, type_query


def classes(text: str) -> list[tuple[str, str]]:
    lines = text.splitlines()
    return [
        (lines[row][start:end], name)
        for row, pieces in highlight_lines(text).items()
        for start, end, name in pieces
    ]


def test_highlighting_names_commands_functions_keywords_fields_and_literals() -> None:
    pieces = classes(
        'stats count(*) as n by bin(5m) # per 5 minutes\n| filter @message like /Deny/ and x="y"'
    )
    assert (
        ("stats", "command") in pieces and ("count", "function") in pieces and ("bin", "function") in pieces
    )
    assert (
        ("as", "keyword") in pieces
        and ("5m", "number") in pieces
        and ("# per 5 minutes", "comment") in pieces
    )
    assert ("filter", "command") in pieces and ("@message", "system-field") in pieces
    assert ("/Deny/", "regex") in pieces and ('"y"', "string") in pieces and ("x", "field") in pieces


def test_a_command_word_used_as_a_field_is_a_field() -> None:
    assert ("filter", "field") in classes("fields filter")


def test_text_after_a_lexical_error_is_marked() -> None:
    assert classes('filter x = "open')[-1] == ('"open', "error")


def test_completions_come_from_the_tables_and_the_fields_seen() -> None:
    assert completions("fi", []) == ["fields", "filter", "filterindex"]
    assert "count_distinct" in completions("count", [])
    assert completions("userId", ["userIdentity.arn"]) == ["userIdentity.arn"]


async def test_a_malformed_query_is_marked_at_its_line_and_column(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "fields eventName\n| filtr x")
        editor = app.screen.query_one(QueryEditor)
        error = app.screen.query_one("#query-error")
        assert error.display and "line 2:3" in str(error.render())
        assert app.focused is editor
        assert editor.selection == Selection.cursor((1, 2))
        assert editor.get_line(1).get_style_at_offset(app.console, 3).underline
        assert app.screen.query_one(StatusLine).query_state.status == "Malformed"


async def test_typing_after_an_error_inserts_and_keeps_the_marked_text(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "fields eventName\n| filtr x")
        await pilot.press("e")
        assert app.screen.query_one(QueryEditor).text == "fields eventName\n| efiltr x"


async def test_the_error_mark_goes_with_the_next_edit(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "fields eventName\n| filtr x")
        editor = app.screen.query_one(QueryEditor)
        editor.insert("#", (0, 0))
        await pilot.pause()
        assert not editor.get_line(1).get_style_at_offset(app.console, 3).underline


async def test_ctrl_n_offers_completions_and_enter_takes_one(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, "fi")
        await pilot.press("ctrl+n")
        offered = app.screen.query_one(CompletionList)
        assert offered.display and app.focused is offered and offered.option_count == 3
        await pilot.press("down", "enter")
        editor = app.screen.query_one(QueryEditor)
        assert editor.text == "filter" and app.focused is editor


async def test_a_single_completion_is_inserted_at_once(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await type_query(pilot, "stats count_dis")
        await pilot.press("ctrl+n")
        assert app.screen.query_one(QueryEditor).text == "stats count_distinct"


async def test_field_names_from_results_complete(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await run_query(pilot, "fields sourceIPAddress")
        await type_query(pilot, "fields sourceIP")
        await pilot.press("ctrl+n")
        assert app.screen.query_one(QueryEditor).text == "fields sourceIPAddress"


async def test_f2_offers_the_built_in_packs_saved_queries(make_app) -> None:
    pack = sorted(load_builtin_packs().of_kind("query"), key=lambda definition: definition.name.lower())
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f2")
        await pilot.pause()
        assert isinstance(app.screen, QueryPicker)
        assert [query.name for query in app.screen.queries] == [definition.name for definition in pack]
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one(QueryEditor).text == pack[1].body["queryString"]
        assert len(pack) == 4


async def test_every_sample_query_runs(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        for sample in sample_queries():
            await run_query(pilot, sample.query)
            await settle(pilot)
            assert app.screen.query_one(StatusLine).query_state.status == "Complete", sample.name


async def test_without_a_query_the_editor_starts_with_the_latest_events_query_selected(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        editor = app.screen.query_one(QueryEditor)
        assert editor.text == DEFAULT_QUERY
        assert editor.selected_text == DEFAULT_QUERY
        await pilot.press("f5")
        await settle(pilot)
        assert app.screen.query_one(StatusLine).query_state.status == "Complete"
        assert app.screen.query_one(ResultsTable).row_count == 6


async def test_typing_over_the_starting_query_replaces_it(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        await pilot.press(*"fields x")
        assert app.screen.query_one(QueryEditor).text == "fields x"


async def test_a_run_sees_every_key_typed_before_it(make_app) -> None:
    """Keys queue in the editor while ctrl+r, a priority binding, is handled at once by the app: the run
    must wait for them (over SSH a burst of keys and ctrl+r arrive together)."""
    query = "stats count(*) as calls by eventName | sort calls desc"
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.pause()
        editor = app.screen.query_one(QueryEditor)
        for character in query:
            editor.post_message(_key(character))
        main_screen(app).action_run_query()  # what ctrl+r runs, while the keys still wait in the queue
        await settle(pilot)
        assert editor.text == query
        assert app.screen.query_one(StatusLine).query_state.status == "Complete"
        assert "calls" in app.screen.query_one(ResultsTable).columns_shown


def _key(character: str):
    from textual import events

    key = {
        " ": "space",
        "(": "left_parenthesis",
        ")": "right_parenthesis",
        "*": "asterisk",
        "|": "vertical_line",
    }
    return events.Key(key.get(character, character), character)
