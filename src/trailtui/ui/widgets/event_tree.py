"""One event as a foldable tree of its JSON: every key and value shown as escaped event text, every node
keeping the original value and its Logs Insights field path for copying."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import orjson
from rich.text import Text
from textual.widgets import Tree
from textual.widgets.tree import TreeNode

from trailtui.ui.safe import event_text

OPEN_DEPTH = 1
"""Objects this deep or shallower start unfolded."""


@dataclass(frozen=True, slots=True)
class EventField:
    """A node's original value and its path (`userIdentity.sessionContext.sessionIssuer.arn`)."""

    path: str
    value: Any

    def value_text(self) -> str:
        """The value as a user pastes it: strings as they are, everything else as JSON."""
        if isinstance(self.value, str):
            return self.value
        return orjson.dumps(self.value, option=orjson.OPT_INDENT_2).decode()


class EventTree(Tree[EventField]):
    """The JSON of one event; the root stands for the whole event."""

    DEFAULT_CSS = """
    EventTree { height: 1fr; }
    """

    def show_event(self, document: dict[str, Any]) -> None:
        """Replace the tree with `document`."""
        self.clear()
        self.root.set_label(Text(f"event {{{len(document)}}}", style="bold"))
        self.root.data = EventField("", document)
        self._add_fields(self.root, document, "", 0)
        self.root.expand()
        self.move_cursor(self.root)

    def _add_fields(self, parent: TreeNode[EventField], value: Any, path: str, depth: int) -> None:
        items = value.items() if isinstance(value, dict) else enumerate(value)
        for key, child in items:
            child_path = f"{path}.{key}" if path else str(key)
            field = EventField(child_path, child)
            if isinstance(child, dict | list) and child:
                node = parent.add(_label(str(key), child), data=field, expand=depth < OPEN_DEPTH)
                self._add_fields(node, child, child_path, depth + 1)
            else:
                parent.add_leaf(_label(str(key), child), data=field)

    def field_under_cursor(self) -> EventField | None:
        node = self.cursor_node
        return None if node is None else node.data


def _label(key: str, value: Any) -> Text:
    label = event_text(key, "bold")
    if isinstance(value, dict):
        return label.append(f" {{{len(value)}}}", "dim")
    if isinstance(value, list):
        return label.append(f" [{len(value)}]", "dim")
    label.append(": ")
    if isinstance(value, str):
        return label.append_text(event_text(value))
    return label.append(orjson.dumps(value).decode(), "italic")
