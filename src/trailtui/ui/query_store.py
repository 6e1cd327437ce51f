"""The queries the pickers offer: the history (one JSON file in the XDG data folder, per-user state) and
the samples (the built-in pack's saved queries).

Saved queries are not kept here: they are the backend's QueryDefinitions (the packs' query files and the
user's packs folder locally, the account's QueryDefinitions live). `RETIRED_SAVED_FILE` is where earlier
versions kept them; it is no longer read, and `retired_saved_notice` tells a user who still has one.

The history file is replaced atomically; one that cannot be read is renamed aside
(`.corrupt-<epoch>[-N]`), reported once, and started afresh, so a bad file never stops the console. One
that cannot be set aside either (a read-only folder) is reported, left untouched and not saved over.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import orjson

from trailtui.packs import load_builtin_packs, user_packs_dir
from trailtui.ui.xdg import config_dir, data_dir, set_aside, write_atomically

HISTORY_FILE = "history.json"
RETIRED_SAVED_FILE = "saved-queries.json"
HISTORY_LIMIT = 500


@dataclass(frozen=True, slots=True)
class StoredQuery:
    """A query with a name (saved or sample) or the time it was run (history, epoch seconds)."""

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
    kept_unreadable: bool = False
    """The file could not be read nor set aside: it is left as it is, so `save` does not replace it."""

    @classmethod
    def load(cls, path: Path) -> QueryFile:
        store = cls(path)
        try:
            document = orjson.loads(path.read_bytes())
            store.entries = [_entry(item) for item in document]
        except FileNotFoundError:
            pass
        except (OSError, orjson.JSONDecodeError, TypeError, KeyError, ValueError) as error:
            outcome = set_aside(path)
            store.kept_unreadable = outcome.aside is None
            after = "not saved this session" if store.kept_unreadable else "started afresh"
            store.problem = f"{outcome.report} ({type(error).__name__}); query history {after}"
        return store

    def save(self) -> None:
        if self.kept_unreadable:
            return
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


def sample_queries() -> list[StoredQuery]:
    """The built-in pack's saved queries, in name order."""
    queries = [
        StoredQuery(str(definition.body.get("queryString", "")), name=definition.name)
        for definition in load_builtin_packs().of_kind("query")
    ]
    return sorted(queries, key=lambda query: query.name.lower())


def saved_queries(answer: dict[str, Any]) -> list[StoredQuery]:
    """A DescribeQueryDefinitions answer as picker entries, in name order."""
    queries = [
        StoredQuery(str(item.get("queryString", "")), name=str(item.get("name", "")))
        for item in answer.get("queryDefinitions", [])
    ]
    return sorted(queries, key=lambda query: query.name.lower())


def retired_saved_notice() -> str | None:
    """What to tell a user whose saved queries are still in the retired file; None when there is none."""
    path = config_dir() / RETIRED_SAVED_FILE
    if not path.exists():
        return None
    folder = user_packs_dir() / "saved" / "queries"
    return (
        f"{path} is no longer read: saved queries are files in {folder}. "
        "Put each of its queries in the editor and save it with ctrl+s (or copy it there as a"
        ' {"name", "queryString"} JSON file), then delete the old file.'
    )
