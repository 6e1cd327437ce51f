"""The user's state files under hostile bytes and failed writes: the history, the user packs (where saved
queries, rules, filters and alarms are written) and the config. Whatever a file holds, reading it never
raises: a store that cannot use it reports it and sets it aside (the config, which only the user writes,
is reported and the defaults used); a write that fails halfway leaves the old file whole and no temporary
file behind."""

from __future__ import annotations

import os
from pathlib import Path

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.packs import load_packs, write_user_definition
from trailtui.ui.config import load_config
from trailtui.ui.query_store import QueryHistory

HOSTILE_BYTES = st.one_of(
    st.binary(max_size=200),
    st.sampled_from(
        [
            b"",
            b"{",
            b"[" * 5000,
            b'{"query": 1}',
            b"[1, 2]",
            b'[{"query": null}]',
            b"\xff\xfe\x00",
            b'[{"query": "\\ud800"}]',
            b"7",
            b"null",
        ]
    ),
)
FILE_SETTINGS = settings(
    max_examples=60, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)


@FILE_SETTINGS
@given(data=HOSTILE_BYTES)
def test_the_history_of_any_bytes_loads_or_is_set_aside_and_reported(tmp_path: Path, data: bytes) -> None:
    folder = tmp_path / os.urandom(6).hex()
    folder.mkdir()
    path = folder / "queries.json"
    path.write_bytes(data)
    loaded = QueryHistory.load(path)
    if loaded.problem is None:
        assert path.read_bytes() == data
    else:
        assert not path.exists() and loaded.entries == []
        [aside] = folder.iterdir()
        assert aside.name.startswith("queries.json.corrupt-") and aside.read_bytes() == data
    loaded.save()
    assert isinstance(orjson.loads(path.read_bytes()), list)


@FILE_SETTINGS
@given(data=HOSTILE_BYTES)
def test_a_config_of_any_bytes_gives_the_defaults_and_says_why(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "config.toml"
    path.write_bytes(data)
    config = load_config(path)
    assert path.read_bytes() == data, "the user's own file is never moved"
    assert config.problems or config.keymap is not None


@FILE_SETTINGS
@given(data=HOSTILE_BYTES)
def test_a_user_pack_file_of_any_bytes_is_reported_in_one_line_and_skipped(
    tmp_path: Path, data: bytes
) -> None:
    folder = tmp_path / os.urandom(6).hex() / "mine" / "queries"
    folder.mkdir(parents=True)
    (folder / "broken.json").write_bytes(data)
    contents = load_packs(folder.parent.parent)
    mine = [definition for definition in contents.of_kind("query") if definition.pack == "mine"]
    assert mine or any("broken.json" in problem and "\n" not in problem for problem in contents.problems)


def _failing_replace(source: str | os.PathLike[str], target: str | os.PathLike[str]) -> None:
    raise OSError(28, "No space left on device")


def test_a_history_write_that_fails_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "queries.json"
    original = b'[{"query": "fields @message", "name": "kept", "ran_at": 1.0}]'
    path.write_bytes(original)
    loaded = QueryHistory.load(path)
    monkeypatch.setattr(os, "replace", _failing_replace)
    with pytest.raises(OSError):
        loaded.save()
    assert path.read_bytes() == original
    assert [entry.name for entry in tmp_path.iterdir()] == ["queries.json"]


def test_a_user_definition_write_that_fails_leaves_the_old_file_whole(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    body = {"name": "kept", "queryString": "fields @message"}
    written = write_user_definition("query", "kept", body, tmp_path)
    assert written is not None
    original = written.read_bytes()
    monkeypatch.setattr(os, "replace", _failing_replace)
    with pytest.raises(OSError):
        write_user_definition("query", "kept", {**body, "queryString": "fields x"}, tmp_path)
    assert written.read_bytes() == original
    assert [entry.name for entry in written.parent.iterdir()] == ["kept.json"]
