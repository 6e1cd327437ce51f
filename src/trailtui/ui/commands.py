"""The command palette's commands: every action of the registry that applies where the user is."""

from __future__ import annotations

from functools import partial

from textual.command import DiscoveryHit, Hit, Hits, Provider
from textual.dom import DOMNode

from trailtui.ui.actions import ACTIONS, ActionSpec, Scope
from trailtui.ui.screens.confirm import ConfirmScreen
from trailtui.ui.screens.event import EventScreen
from trailtui.ui.screens.main import MainScreen

SCOPE_SCREENS: dict[Scope, type] = {"main": MainScreen, "event": EventScreen, "confirm": ConfirmScreen}
SCOPE_SELECTORS: dict[Scope, str] = {
    "editor": "QueryEditor",
    "results": "ResultsTable",
    "contributors": "ContributorsPane",
    "metrics": "MetricsPane",
    "tail": "TailPane",
    "tail-view": "TailView",
}


class ActionCommands(Provider):
    """Runs an action on the app, the screen, or the pane it belongs to."""

    def _commands(self) -> list[tuple[ActionSpec, DOMNode]]:
        screen = self.screen
        commands: list[tuple[ActionSpec, DOMNode]] = []
        for spec in ACTIONS:
            target = self._target(spec, screen)
            if target is not None:
                commands.append((spec, target))
        return commands

    def _target(self, spec: ActionSpec, screen: DOMNode) -> DOMNode | None:
        if spec.scope == "app":
            return self.app
        if spec.scope in SCOPE_SCREENS:
            return screen if isinstance(screen, SCOPE_SCREENS[spec.scope]) else None
        matches = screen.query(SCOPE_SELECTORS[spec.scope])
        return matches.first() if matches else None

    async def discover(self) -> Hits:
        for spec, target in self._commands():
            yield DiscoveryHit(spec.label, partial(self.app.run_action, spec.action, target), help=spec.help)

    async def search(self, query: str) -> Hits:
        matcher = self.matcher(query)
        for spec, target in self._commands():
            for text in (spec.label, spec.help):
                score = matcher.match(text)
                if score > 0:
                    command = partial(self.app.run_action, spec.action, target)
                    yield Hit(score, matcher.highlight(spec.label), command, help=spec.help)
                    break
