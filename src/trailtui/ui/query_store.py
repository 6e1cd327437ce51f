"""Query history (XDG data folder) and saved queries (XDG config folder), each one JSON file.

Files are replaced atomically; one that cannot be read is renamed aside (`.corrupt-<epoch>`), reported
once, and started afresh, so a bad file never stops the console.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trailtui.ui.xdg import config_dir, data_dir, set_aside, write_atomically

HISTORY_FILE = "history.json"
SAVED_FILE = "saved-queries.json"
HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class StoredQuery:
    """A query with a name (saved) or the time it was run (history, epoch seconds)."""

    query: str
    name: str = ""
    ran_at: float = 0.0


@dataclass
class QueryFile:
    """A list of queries kept in one JSON file."""

    path: Path
    entries: list[StoredQuery] = field(default_factory=list)
    problem: str | None = None
    """What went wrong reading the file, once; None when it read cleanly or did not exist."""

    @classmethod
    def load(cls, path: Path) -> QueryFile:
        store = cls(path)
        try:
            document = orjson.loads(path.read_bytes())
            store.entries = [_entry(item) for item in document]
        except FileNotFoundError:
            pass
        except (OSError, orjson.JSONDecodeError, TypeError, KeyError, ValueError) as error:
            aside = set_aside(path)
            store.problem = f"{path} could not be read ({type(error).__name__}); kept as {aside.name}"
        return store

    def save(self) -> None:
        document = [{"query": e.query, "name": e.name, "ran_at": e.ran_at} for e in self.entries]
        write_atomically(self.path, orjson.dumps(document, option=orjson.OPT_INDENT_2).decode())


def _entry(item: Any) -> StoredQuery:
    if not isinstance(item, dict) or not isinstance(item["query"], str):
        raise ValueError("an entry must be an object with a string `query`")
    return StoredQuery(item["query"], str(item.get("name", "")), float(item.get("ran_at", 0.0)))


class QueryHistory(QueryFile):
    """The queries run, newest first, without repeats."""

    @classmethod
    def default(cls) -> QueryHistory:
        store = cls.load(data_dir() / HISTORY_FILE)
        assert isinstance(store, QueryHistory)
        return store

    def record(self, query: str) -> None:
        older = [entry for entry in self.entries if entry.query != query]
        self.entries = [StoredQuery(query, ran_at=time.time()), *older[: HISTORY_LIMIT - 1]]
        self.save()


class SavedQueries(QueryFile):
    """The queries the user named, in name order; saving under an existing name replaces it."""

    @classmethod
    def default(cls) -> SavedQueries:
        store = cls.load(config_dir() / SAVED_FILE)
        assert isinstance(store, SavedQueries)
        return store

    def put(self, name: str, query: str) -> None:
        kept = [entry for entry in self.entries if entry.name != name]
        self.entries = sorted([*kept, StoredQuery(query, name=name)], key=lambda entry: entry.name.lower())
        self.save()
