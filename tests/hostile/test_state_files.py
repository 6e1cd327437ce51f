"""The user's state files under hostile bytes and failed writes: the history, the user packs (where saved
queries, rules, filters and alarms are written) and the config. Whatever a file holds, reading it never
raises: a store that cannot use it reports it and sets it aside (the config, which only the user writes,
is reported and the defaults used); a write that fails halfway leaves the old file whole and no temporary
file behind. Setting a file aside never overwrites an earlier one set aside in the same second, and when
the rename itself fails (a read-only folder, a file gone) the store says so in one line and goes on."""

from __future__ import annotations

import os
import shlex
import subprocess
import sys
from pathlib import Path
from types import SimpleNamespace

import orjson
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.packs import load_packs, write_user_definition
from trailtui.ui import xdg
from trailtui.ui.config import load_config
from trailtui.ui.query_store import QueryHistory
from trailtui.ui.xdg import set_aside

from .terminal import Tmux
from .test_console_terminal import toast_text, unspaced
from .test_unreadable import as_unprivileged

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


def test_set_asides_in_the_same_second_keep_every_copy(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(xdg, "time", SimpleNamespace(time=lambda: 1_700_000_000.25))
    path = tmp_path / "history.json"
    reports = []
    for number in range(3):
        path.write_bytes(b"[broken %d" % number)
        reports.append(QueryHistory.load(path).problem)
    names = ["history.json.corrupt-1700000000", "history.json.corrupt-1700000000-2"]
    names.append("history.json.corrupt-1700000000-3")
    assert sorted(entry.name for entry in tmp_path.iterdir()) == names
    assert [(tmp_path / name).read_bytes() for name in names] == [b"[broken 0", b"[broken 1", b"[broken 2"]
    assert reports == [
        f"corrupt file {path} set aside as {name} (JSONDecodeError); query history started afresh"
        for name in names
    ]


def test_a_file_gone_before_it_is_set_aside_is_reported_in_one_line(tmp_path: Path) -> None:
    outcome = set_aside(tmp_path / "history.json")
    assert outcome.aside is None
    assert outcome.report == (
        f"corrupt file {tmp_path / 'history.json'} could not be set aside: No such file or directory"
    )
    assert list(tmp_path.iterdir()) == []


def test_a_hostile_path_is_reported_escaped(tmp_path: Path) -> None:
    path = tmp_path / "history\x1b]2;pwned\x07.json"
    path.write_bytes(b"{")
    outcome = set_aside(path)
    assert outcome.aside is not None and outcome.aside.read_bytes() == b"{"
    assert "\x1b" not in outcome.report and "\\x1b]2;pwned\\x07" in outcome.report


LOAD_AND_RECORD = """
import sys
from pathlib import Path
from trailtui.ui.query_store import QueryHistory
history = QueryHistory.load(Path(sys.argv[1]))
print(history.problem)
history.record("fields @message")
print("recorded", len(history.entries))
"""


def test_a_corrupt_history_in_a_read_only_folder_is_reported_kept_and_not_saved_over(tmp_path: Path) -> None:
    folder = tmp_path / "data"
    folder.mkdir()
    path = folder / "history.json"
    path.write_bytes(b'[{"query": ')
    folder.chmod(0o555)
    try:
        command = as_unprivileged([sys.executable, "-c", LOAD_AND_RECORD, str(path)])
        completed = subprocess.run(command, capture_output=True, text=True, timeout=60)
    finally:
        folder.chmod(0o755)
    assert completed.returncode == 0, completed.stderr
    assert completed.stdout.splitlines() == [
        f"corrupt file {path} could not be set aside: Permission denied (JSONDecodeError);"
        " query history not saved this session",
        "recorded 1",
    ]
    assert [entry.name for entry in folder.iterdir()] == ["history.json"]
    assert path.read_bytes() == b'[{"query": '


def test_the_console_reports_a_history_it_cannot_set_aside_and_goes_on(tmux: Tmux, tmp_path: Path) -> None:
    trail = tmp_path / "trail.ndjson"
    trail.write_bytes(b'{"eventTime": "2024-03-01T10:00:00Z", "eventName": "GetObject", "eventID": "1"}\n')
    folder = tmp_path / "data" / "trailtui"
    folder.mkdir(parents=True)
    (folder / "history.json").write_bytes(b'[{"query": ')
    folder.chmod(0o555)
    environment = {"XDG_CONFIG_HOME": str(tmp_path / "config"), "XDG_DATA_HOME": str(tmp_path / "data")}
    command = [sys.executable, "-m", "trailtui", str(trail), "--query", "fields eventName"]
    tmux.reset()
    try:
        tmux.run(shlex.join(as_unprivileged(command)), environment)
        notice = f"corrupt file {folder / 'history.json'} could not be set aside: Permission denied"
        tmux.wait_for(lambda: unspaced(notice) in unspaced(toast_text(tmux.screen())), "the notice")
        tmux.wait_for(lambda: "⏎ Open" in tmux.screen(), "the query's results")
        assert "GetObject" in tmux.screen()
        assert "History not saved" not in toast_text(tmux.screen())
    finally:
        folder.chmod(0o755)
    assert [entry.name for entry in folder.iterdir()] == ["history.json"]
    assert (folder / "history.json").read_bytes() == b'[{"query": '
    assert "Traceback" not in tmux.scrollback()
