"""The query editor: highlighting from the language's tables, error marking, completion, pickers."""

from __future__ import annotations

from trailtui.ui.query_syntax import completions, highlight_lines
from trailtui.ui.samples import SAMPLE_QUERIES
from trailtui.ui.widgets.completion_list import CompletionList
from trailtui.ui.widgets.query_editor import QueryEditor
from trailtui.ui.widgets.status_line import StatusLine

from .helpers import run_query, settle, type_query


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
        assert (editor.selection.start, editor.selection.end) == ((1, 2), (1, 7))
        assert editor.get_line(1).get_style_at_offset(app.console, 3).underline
        assert app.screen.query_one(StatusLine).query_state.status == "Malformed"


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


async def test_f2_offers_the_four_sample_queries(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        await pilot.press("f2")
        await pilot.pause()
        await pilot.press("down", "enter")
        await pilot.pause()
        assert app.screen.query_one(QueryEditor).text == SAMPLE_QUERIES[1].query
        assert len(SAMPLE_QUERIES) == 4


async def test_every_sample_query_runs(make_app) -> None:
    app = make_app()
    async with app.run_test() as pilot:
        for sample in SAMPLE_QUERIES:
            await run_query(pilot, sample.query)
            await settle(pilot)
            assert app.screen.query_one(StatusLine).query_state.status == "Complete", sample.name
