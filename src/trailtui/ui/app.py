"""The trailtui console: a Textual app over one Backend, with the user's keymap, themes and files."""

from __future__ import annotations

import time
from collections.abc import Iterable
from typing import ClassVar

from textual import events, on
from textual.app import App, SystemCommand
from textual.screen import Screen

from trailtui.backends.base import Backend
from trailtui.ui.actions import bindings
from trailtui.ui.commands import ActionCommands
from trailtui.ui.config import Config, load_config
from trailtui.ui.idle_collection import CHECK_INTERVAL_S, IdleCollector, take_over_full_collections
from trailtui.ui.pending_keys import AfterPendingKeys
from trailtui.ui.query_store import QueryHistory, retired_saved_notice
from trailtui.ui.result_rows import TimeZoneName
from trailtui.ui.screens.help import HelpScreen
from trailtui.ui.screens.main import MainScreen
from trailtui.ui.themes import DEFAULT_THEME, load_themes


class TrailApp(App[None]):
    """Investigate CloudTrail: Logs Insights queries and a drill-down into any event."""

    TITLE = "trailtui"
    CSS_PATH = "app.tcss"
    BINDINGS: ClassVar = bindings("app")
    COMMANDS = App.COMMANDS | {ActionCommands}

    def __init__(
        self,
        backend: Backend,
        *,
        query: str = "",
        zone: TimeZoneName = "utc",
        config: Config | None = None,
        run_at_start: bool = False,
    ) -> None:
        super().__init__()
        self.backend = backend
        self.config = config or load_config()
        self.initial_query = query
        self.zone: TimeZoneName = zone
        self.run_at_start = run_at_start
        self.manage_collection = False
        """Set by the console's own process: full garbage collections while the user is idle
        (ui/idle_collection.py). Not in a test process, where the frozen heap would outlive the app."""
        self._collector: IdleCollector | None = None
        self.history = QueryHistory.default()

    def on_mount(self) -> None:
        loaded = load_themes()
        for theme in loaded.themes:
            self.register_theme(theme)
        wanted = self.config.theme or DEFAULT_THEME
        self.theme = wanted if wanted in self.available_themes else DEFAULT_THEME
        self.set_keymap(self.config.keymap)
        problems = [*self.config.problems, *loaded.problems, self.history.problem, retired_saved_notice()]
        if self.config.theme and self.config.theme not in self.available_themes:
            problems.append(f"theme {self.config.theme!r} not found; using {DEFAULT_THEME}")
        for problem in filter(None, problems):
            self.notify(problem, severity="warning", timeout=10, markup=False)
        screen = MainScreen(self.backend, self.history, self.initial_query, self.zone)
        self.push_screen(screen)
        if self.run_at_start:
            self.call_after_refresh(screen.action_run_query)

    def on_ready(self) -> None:
        if self.manage_collection:
            self._collector = take_over_full_collections(time.monotonic())
            self.set_interval(CHECK_INTERVAL_S, self._collect_if_due)

    async def on_event(self, event: events.Event) -> None:
        if self._collector is not None and isinstance(event, events.InputEvent):
            self._collector.input_seen(time.monotonic())
        await super().on_event(event)

    def _collect_if_due(self) -> None:
        if self._collector is not None:
            self._collector.collect_if_due(time.monotonic())

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's own commands, without those the registry already offers (keys, quit)."""
        for command in super().get_system_commands(screen):
            if command.title not in ("Keys", "Quit"):
                yield command

    @on(AfterPendingKeys)
    def run_after_pending_keys(self, message: AfterPendingKeys) -> None:
        message.callback()

    def action_help(self) -> None:
        if not isinstance(self.screen, HelpScreen):
            self.push_screen(HelpScreen(self.config.keymap))

    async def on_unmount(self) -> None:
        await self.backend.close()
