"""The one registry of the console's actions: it makes the key bindings (each with a stable id the
user's `[keymap]` can remap), the help screen and the command palette's commands."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

from textual.binding import Binding, BindingType

Scope = Literal[
    "app", "main", "editor", "results", "contributors", "metrics", "tail", "tail-view", "event", "confirm"
]

SCOPE_TITLES: dict[Scope, str] = {
    "app": "Everywhere",
    "main": "Main screen",
    "editor": "Query editor",
    "results": "Results",
    "contributors": "Contributors",
    "metrics": "Metrics",
    "tail": "Tail",
    "tail-view": "Tail lines",
    "event": "Event",
    "confirm": "Confirming a write",
}


@dataclass(frozen=True, slots=True)
class ActionSpec:
    """One action: its binding id and default keys, the Textual action it runs, and how it is described."""

    binding_id: str
    keys: str
    action: str
    label: str
    help: str
    scope: Scope
    show: bool = True
    priority: bool = False


ACTIONS: tuple[ActionSpec, ...] = (
    ActionSpec("app.help", "f1", "help", "Help", "Show every key and what it does", "app"),
    ActionSpec("app.theme", "f9", "change_theme", "Theme", "Pick a colour theme", "app", show=False),
    ActionSpec("app.quit", "ctrl+q", "quit", "Quit", "Quit trailtui", "app", show=False, priority=True),
    ActionSpec(
        "query.run", "f5,ctrl+r", "run_query", "Run", "Run the query in the editor", "main", priority=True
    ),
    ActionSpec("query.cancel", "escape", "cancel_query", "Cancel", "Stop the running query", "main"),
    ActionSpec(
        "query.samples", "f2", "pick_sample", "Samples", "Insert a sample query", "main", priority=True
    ),
    ActionSpec(
        "query.history", "f3", "pick_history", "History", "Insert a query run before", "main", priority=True
    ),
    ActionSpec("query.saved", "f4", "pick_saved", "Saved", "Insert a saved query", "main", priority=True),
    ActionSpec(
        "query.save", "ctrl+s", "save_query", "Save", "Save the query under a name", "main", show=False
    ),
    ActionSpec(
        "pane.maximize",
        "f6",
        "toggle_maximize",
        "Max",
        "Maximise or restore the focused pane",
        "main",
        priority=True,
    ),
    ActionSpec(
        "results.chart",
        "f7",
        "toggle_chart",
        "Chart",
        "Show the results as a chart or a table",
        "main",
        priority=True,
    ),
    ActionSpec(
        "results.timezone",
        "f8",
        "toggle_timezone",
        "UTC/local",
        "Show times in UTC or local time",
        "main",
        priority=True,
    ),
    ActionSpec(
        "pane.editor",
        "ctrl+e",
        "focus_editor",
        "Editor",
        "Focus the query editor",
        "main",
        show=False,
        priority=True,
    ),
    ActionSpec(
        "pane.results",
        "ctrl+o",
        "focus_results",
        "Results",
        "Focus the results",
        "main",
        show=False,
        priority=True,
    ),
    ActionSpec("tab.next", "f10", "next_tab", "Tab", "Show the next pane tab", "main", priority=True),
    ActionSpec("tab.query", "alt+1", "show_tab('query')", "Query", "Show the query tab", "main", show=False),
    ActionSpec(
        "tab.contributors",
        "alt+2",
        "show_tab('contributors')",
        "Contributors",
        "Show the Contributor Insights tab",
        "main",
        show=False,
    ),
    ActionSpec(
        "tab.metrics",
        "alt+3",
        "show_tab('metrics')",
        "Metrics",
        "Show metrics and alarms",
        "main",
        show=False,
    ),
    ActionSpec("tab.tail", "alt+4", "show_tab('tail')", "Tail", "Show the live tail", "main", show=False),
    ActionSpec("replay.pause", "space", "toggle_replay", "Pause", "Pause or resume the replay", "main"),
    ActionSpec(
        "replay.faster",
        "plus,equals_sign",
        "replay_faster",
        "Faster",
        "Replay twice as fast (up to 10,000x, then as fast as possible)",
        "main",
        show=False,
    ),
    ActionSpec(
        "replay.slower",
        "minus",
        "replay_slower",
        "Slower",
        "Replay half as fast (down to 1x)",
        "main",
        show=False,
    ),
    ActionSpec(
        "replay.seek",
        "ctrl+g",
        "seek_replay",
        "Seek",
        "Move the replay to a time (ISO 8601, epoch seconds, -15m)",
        "main",
        show=False,
        priority=True,
    ),
    ActionSpec(
        "live.log_groups",
        "ctrl+l",
        "pick_log_groups",
        "Log groups",
        "Choose the log group a live account's queries and tail read (DescribeLogGroups)",
        "main",
        show=False,
    ),
    ActionSpec(
        "editor.complete", "ctrl+n", "complete", "Complete", "Complete the word at the cursor", "editor"
    ),
    ActionSpec("results.open", "enter", "open_event", "Open", "Open the event of the row", "results"),
    ActionSpec("results.sort", "s", "sort_column", "Sort", "Sort by the column under the cursor", "results"),
    ActionSpec("results.up", "up", "cursor_up", "Row up", "Previous row", "results", show=False),
    ActionSpec("results.down", "down", "cursor_down", "Row down", "Next row", "results", show=False),
    ActionSpec(
        "results.left",
        "left",
        "cursor_left",
        "Column left",
        "Previous column (the one s sorts)",
        "results",
        show=False,
    ),
    ActionSpec(
        "results.right",
        "right",
        "cursor_right",
        "Column right",
        "Next column (the one s sorts)",
        "results",
        show=False,
    ),
    ActionSpec(
        "results.page_up", "pageup", "page_up", "Page up", "A page of rows back", "results", show=False
    ),
    ActionSpec(
        "results.page_down", "pagedown", "page_down", "Page down", "A page of rows on", "results", show=False
    ),
    ActionSpec(
        "results.first", "home,ctrl+home", "first_row", "First row", "The first row", "results", show=False
    ),
    ActionSpec("results.last", "end,ctrl+end", "last_row", "Last row", "The last row", "results", show=False),
    ActionSpec(
        "rules.pick", "r", "pick_rule", "Rule", "Choose the Contributor Insights rule", "contributors"
    ),
    ActionSpec("rules.edit", "e", "edit_rule", "Edit rule", "Edit the rule's JSON", "contributors"),
    ActionSpec("rules.new", "n", "new_rule", "New rule", "Add a Contributor Insights rule", "contributors"),
    ActionSpec("metrics.filter", "m", "pick_filter", "Metric", "Choose the metric filter", "metrics"),
    ActionSpec(
        "metrics.statistic", "s", "next_statistic", "Statistic", "Graph the next statistic", "metrics"
    ),
    ActionSpec("metrics.period", "d", "next_period", "Period", "Graph with the next period", "metrics"),
    ActionSpec(
        "metrics.add",
        "a",
        "add_from_pack",
        "Add from pack",
        "Add a pack's metric filter and its alarms (a live account asks before each write)",
        "metrics",
    ),
    ActionSpec(
        "metrics.view_logs", "l", "view_logs", "View logs", "Query the events of the datapoint", "metrics"
    ),
    ActionSpec("tail.filter", "slash", "focus_filter", "Filter", "Filter the tail with a pattern", "tail"),
    ActionSpec(
        "tail.pause", "p", "toggle_tail", "Pause tail", "Stop or restart the tail's scrolling", "tail"
    ),
    ActionSpec("tail.open", "enter", "open_event", "Open", "Open the event of the line", "tail-view"),
    ActionSpec("tail.up", "up", "cursor_up", "Up", "Previous line", "tail-view", show=False),
    ActionSpec("tail.down", "down", "cursor_down", "Down", "Next line", "tail-view", show=False),
    ActionSpec("tail.page_up", "pageup", "page_up", "Page up", "A page back", "tail-view", show=False),
    ActionSpec("tail.page_down", "pagedown", "page_down", "Page down", "A page on", "tail-view", show=False),
    ActionSpec("tail.first", "home", "first_line", "First", "The oldest line kept", "tail-view", show=False),
    ActionSpec(
        "tail.follow",
        "end",
        "follow",
        "Follow",
        "The newest line, and keep following",
        "tail-view",
        show=False,
    ),
    ActionSpec("event.copy_json", "c", "copy_event", "Copy JSON", "Copy the event's exact JSON", "event"),
    ActionSpec(
        "event.copy_value", "v", "copy_value", "Copy value", "Copy the value under the cursor", "event"
    ),
    ActionSpec(
        "event.copy_path", "p", "copy_path", "Copy path", "Copy the field path under the cursor", "event"
    ),
    ActionSpec("event.back", "escape", "back", "Back", "Back to the results", "event"),
    ActionSpec("confirm.yes", "y", "confirm", "Write", "Confirm the write to the account", "confirm"),
    ActionSpec("confirm.no", "n,escape", "cancel", "Cancel", "Write nothing", "confirm"),
)


def bindings(scope: Scope) -> list[BindingType]:
    """The Binding of every action in `scope`, each with its id."""
    return [
        Binding(
            spec.keys, spec.action, spec.label, show=spec.show, id=spec.binding_id, priority=spec.priority
        )
        for spec in ACTIONS
        if spec.scope == scope
    ]


def effective_keys(spec: ActionSpec, keymap: dict[str, str]) -> str:
    """The keys that run `spec` once the user's keymap is applied."""
    return keymap.get(spec.binding_id, spec.keys)
