"""A file and a folder without read permission through the CLI: one line each, the rest read.

Tests run as root, which reads any file whatever its mode; the command is therefore run as root without
the capabilities that bypass permission checks (`setpriv` drops CAP_DAC_OVERRIDE and CAP_DAC_READ_SEARCH
from the bounding set), so a file of mode 000 is as unreadable to it as to any user.
"""

from __future__ import annotations

import os
import shutil
import subprocess
import sys
from pathlib import Path

import orjson
import pytest

from .test_broken_files import GOOD, records

DROP = "-dac_override,-dac_read_search"


def as_unprivileged(command: list[str]) -> list[str]:
    if os.geteuid() != 0:
        return command
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: a mode-000 file would still be readable")
    return [setpriv, f"--bounding-set={DROP}", f"--inh-caps={DROP}", *command]


def test_an_unreadable_file_and_folder_get_one_line_each(tmp_path: Path) -> None:
    trail = tmp_path / "trail"
    (trail / "closed").mkdir(parents=True)
    (trail / "good.json").write_bytes(records(GOOD))
    (trail / "secret.json").write_bytes(records(GOOD))
    (trail / "closed" / "inside.json").write_bytes(records(GOOD))
    (trail / "secret.json").chmod(0)
    (trail / "closed").chmod(0)
    try:
        command = [sys.executable, "-m", "trailtui", "query", "stats count(*) as n", str(trail)]
        completed = subprocess.run(
            as_unprivileged([*command, "--format", "ndjson"]), capture_output=True, text=True, timeout=60
        )
    finally:
        (trail / "closed").chmod(0o755)
    assert "Traceback" not in completed.stderr
    assert completed.returncode == 0, completed.stderr
    assert orjson.loads(completed.stdout) == {"n": str(len(GOOD))}
    assert completed.stderr.splitlines() == [
        f"{trail / 'secret.json'}: skipped: cannot read: Permission denied",
        f"{trail / 'closed'}: skipped: cannot read: Permission denied",
        "trailtui: skipped 2 of 3 files and 0 records",
    ]
