"""`trailtui query` over local files loads what answering a query needs and nothing else: not the console
(textual), not the AWS SDK (boto3), not the other commands, not the replay's rules, metric filters and
alarms. Every fresh `trailtui query --cache` pays its imports, so they are checked in a real process."""

from __future__ import annotations

import json
import subprocess
import sys
from pathlib import Path

from small_trails import event, write_trail

NOT_FOR_A_QUERY = (
    "textual",
    "boto3",
    "botocore",
    "trailtui.ui",
    "trailtui.backends.aws",
    "trailtui.backends.local_monitoring",
    "trailtui.backends.local_pipeline",
    "trailtui.metrics",
    "trailtui.contributors",
    "trailtui.packs",
    "trailtui.cli.metrics_command",
    "trailtui.cli.contributors_command",
    "trailtui.cli.tail_command",
)

PROGRAM = """
import contextlib, io, json, sys
from trailtui.cli import main
answer = io.StringIO()
with contextlib.redirect_stdout(answer):
    code = main(sys.argv[1:])
json.dump({"code": code, "answer": answer.getvalue(), "modules": sorted(sys.modules)}, sys.stderr)
"""


def run_query(*arguments: str) -> dict[str, object]:
    finished = subprocess.run(
        [sys.executable, "-c", PROGRAM, "query", *arguments],
        capture_output=True,
        text=True,
        timeout=120,
        check=True,
    )
    return dict(json.loads(finished.stderr.splitlines()[-1]))


def loaded(modules: object, name: str) -> bool:
    assert isinstance(modules, list)
    return any(module == name or module.startswith(name + ".") for module in modules)


def test_a_query_imports_neither_the_console_nor_boto3_nor_the_monitoring(tmp_path: Path) -> None:
    trail = write_trail(tmp_path / "trail", [event(1, "CreateKey"), event(2, "ListKeys")])
    for cache in ([], ["--cache-dir", str(tmp_path / "cache")], ["--cache-dir", str(tmp_path / "cache")]):
        run = run_query("stats count(*) by eventName", str(trail), "--format", "json", *cache)
        assert run["code"] == 0
        rows = json.loads(str(run["answer"]))["results"]
        assert sorted(row[0]["value"] for row in rows) == ["CreateKey", "ListKeys"]
        assert [name for name in NOT_FOR_A_QUERY if loaded(run["modules"], name)] == []
