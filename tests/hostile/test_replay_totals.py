"""The replay commands end their problem lines with the same total as `trailtui query`."""

from __future__ import annotations

from pathlib import Path

import pytest

from .test_broken_files import GOOD, records, trailtui

COMMANDS = [
    ["query", "stats count(*)"],
    ["contributors", "--pack", "access-denied-by-principal"],
    ["metrics", "--pack", "cis-aws-config-changes"],
    ["alarms", "--pack", "cis-aws-config-changes"],
    ["tail"],
]


@pytest.fixture(scope="module")
def broken_trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    trail = tmp_path_factory.mktemp("broken")
    (trail / "good.json").write_bytes(records(GOOD))
    (trail / "cut.json").write_bytes(records(GOOD)[:-20] + b"}]}")
    (trail / "text.json").write_text("not JSON")
    return trail


@pytest.mark.parametrize("command", COMMANDS, ids=[command[0] for command in COMMANDS])
def test_each_command_prints_the_skipped_total(broken_trail: Path, command: list[str]) -> None:
    completed = trailtui(*command, str(broken_trail))
    assert completed.returncode == 0, completed.stderr
    lines = completed.stderr.splitlines()
    assert lines[-3:] == [
        f"{broken_trail / 'cut.json'}: 1 record skipped: invalid JSON at line 1",
        f"{broken_trail / 'text.json'}: skipped: not CloudTrail (not JSON)",
        "trailtui: skipped 1 of 3 files and 1 records",
    ]
