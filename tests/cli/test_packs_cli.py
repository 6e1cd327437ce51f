"""`trailtui packs` and `--pack NAME` with the user's own definitions beside the built-in ones."""

from __future__ import annotations

from pathlib import Path

import orjson
import pytest

from small_trails import event, run_trailtui, write_trail
from trailtui.cli import main


def test_packs_lists_every_builtin_definition(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["packs", "--format", "json"]) == 0
    rows = orjson.loads(capsys.readouterr().out)
    kinds = [row["kind"] for row in rows]
    assert (
        kinds.count("query"),
        kinds.count("rule"),
        kinds.count("metric-filter"),
        kinds.count("alarm"),
    ) == (
        4,
        3,
        17,
        17,
    )
    assert {row["source"] for row in rows} == {"built-in"}


def test_a_broken_user_file_is_one_line_on_stderr_and_the_rest_still_works(
    user_packs: Path, tmp_path: Path
) -> None:
    rules = user_packs / "team" / "rules"
    rules.mkdir(parents=True)
    (rules / "broken.json").write_text("{not json")
    (rules / "by-ip.json").write_bytes(
        orjson.dumps(
            {
                "Schema": {"Name": "CloudWatchLogRule", "Version": 1},
                "LogGroupNames": ["CloudTrail/DefaultLogGroup"],
                "LogFormat": "JSON",
                "Contribution": {"Keys": ["$.sourceIPAddress"], "Filters": []},
                "AggregateOn": "Count",
            }
        )
    )
    listing = run_trailtui("packs", "--format", "json")
    assert listing.returncode == 0
    [problem] = [line for line in listing.stderr.splitlines() if "broken.json" in line]
    assert problem.startswith(f"trailtui: {rules / 'broken.json'}: skipped: not JSON")
    assert {
        "kind": "rule",
        "name": "by-ip",
        "pack": "team",
        "source": str(rules / "by-ip.json"),
    } in orjson.loads(listing.stdout)
    trail = write_trail(tmp_path / "trail", [event(0, "GetUser"), event(1, "GetUser")])
    ranked = run_trailtui("contributors", "--pack", "by-ip", str(trail), "--format", "json")
    assert ranked.returncode == 0
    assert orjson.loads(ranked.stdout)["Contributors"][0]["Keys"] == ["203.0.113.7"]
