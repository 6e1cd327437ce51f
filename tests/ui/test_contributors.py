"""Contributor Insights in the console: the chosen rule's top contributors from the replay, switching
rules, editing a rule (refused with its JSON location, or saved), and hostile keys shown escaped."""

from __future__ import annotations

from textual.widgets import Select, Static, TextArea

from trailtui.ui.screens.rule_editor import RuleEditorScreen
from trailtui.ui.widgets.contributors_pane import ContributorsPane
from trailtui.ui.widgets.contributors_table import ContributorsTable

from .conftest import MARKUP_NAME
from .helpers import main_screen, poll_now, replay_to_end, settle, show_tab


def rows_of(table: ContributorsTable) -> list[list[str]]:
    return [[cell.plain for cell in table.get_row_at(index)] for index in range(table.row_count)]


async def choose_rule(pilot, name: str) -> None:
    main_screen(pilot.app).query_one("#rule-picker", Select).value = name
    await pilot.pause()
    await poll_now(pilot)


async def test_the_chosen_rules_contributors_show_value_share_and_unique_count(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "contributors")
        await choose_rule(pilot, "access-denied-by-principal")
        rows = rows_of(app.screen.query_one(ContributorsTable))
        assert [row[1:3] for row in rows] == [["1", "50.0%"], ["1", "50.0%"]]
        assert {row[5] for row in rows} == {"GetUser", "DeleteUser"}
        summary = str(app.screen.query_one("#contributors-summary", Static).render())
        assert "≈2 unique contributors" in summary


async def test_switching_the_rule_shows_the_other_rules_ranking(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(120, 40)) as pilot:
        await replay_to_end(pilot)
        await choose_rule(pilot, "access-denied-by-principal")
        await choose_rule(pilot, "top-api-calls-excluding-assumerole")
        rows = rows_of(app.screen.query_one(ContributorsTable))
        assert rows[0][1:3] == ["3", "50.0%"] and rows[0][4] == "ListUsers"
        assert "AssumeRole" not in {row[4] for row in rows}
        assert app.screen.query_one(ContributorsTable).key_labels == ["$.eventName"]


async def test_hostile_contributor_keys_are_shown_escaped(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(160, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "contributors")
        await choose_rule(pilot, "top-api-calls-excluding-assumerole")
        keys = [row[4] for row in rows_of(app.screen.query_one(ContributorsTable))]
        assert MARKUP_NAME in keys
        shown = app.export_screenshot()
        assert "[/]Get[link=https://evil.example]Object[/link]".replace(" ", "&#160;") in shown


async def test_a_refused_rule_edit_shows_the_reason_and_puts_the_cursor_at_its_location(
    make_live_app,
) -> None:
    app = make_live_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "contributors")
        await choose_rule(pilot, "top-api-calls-excluding-assumerole")
        await pilot.press("e")
        await pilot.pause()
        editor_screen = app.screen
        assert isinstance(editor_screen, RuleEditorScreen)
        editor = editor_screen.query_one("#rule-json", TextArea)
        editor.text = editor.text.replace('"$.eventName"', '"eventName"', 1)
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is editor_screen
        error = str(editor_screen.query_one("#rule-error", Static).render())
        assert error.startswith("at Contribution.Keys[0]:")
        row, column = editor.cursor_location
        assert editor.document.get_line(row)[column:].startswith('"eventName"')


async def test_a_rule_with_broken_json_is_refused_at_its_line_and_column(make_live_app) -> None:
    app = make_live_app()
    async with app.run_test(size=(100, 40)) as pilot:
        await replay_to_end(pilot)
        await show_tab(pilot, "contributors")
        await pilot.press("n")
        await pilot.pause()
        editor_screen = app.screen
        editor_screen.query_one("#rule-name").value = "broken"
        editor = editor_screen.query_one("#rule-json", TextArea)
        editor.text = '{\n  "Schema": {"Name": "CloudWatchLogRule", "Version": 1},\n  "LogFormat" "JSON"\n}'
        await pilot.press("ctrl+s")
        await settle(pilot)
        error = str(editor_screen.query_one("#rule-error", Static).render())
        assert error.startswith("at line 3, column 15:")
        assert editor.cursor_location == (2, 14)


async def test_a_new_rule_is_saved_chosen_and_ranks_the_events_replayed_after(make_live_app) -> None:
    app = make_live_app(paused=True)
    async with app.run_test(size=(120, 40)) as pilot:
        await show_tab(pilot, "contributors")
        await pilot.press("n")
        await pilot.pause()
        editor_screen = app.screen
        editor_screen.query_one("#rule-name").value = "by-region"
        editor = editor_screen.query_one("#rule-json", TextArea)
        editor.text = editor.text.replace('"$.sourceIPAddress"', '"$.awsRegion"').replace(
            '"Filters": [{"Match": "$.eventName", "In": ["ConsoleLogin"]}]', '"Filters": []'
        )
        await pilot.press("ctrl+s")
        await settle(pilot)
        assert app.screen is main_screen(app)
        pane = app.screen.query_one(ContributorsPane)
        assert pane.rule_name == "by-region"
        await pilot.press("space")
        await replay_to_end(pilot)
        [row] = rows_of(app.screen.query_one(ContributorsTable))
        assert row[1:3] == ["8", "100.0%"] and row[4] == "eu-west-1"
