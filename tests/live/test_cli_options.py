"""Every command that can answer from an account refuses live-only options without `--live`, PATHs with it,
and its file-only options with it: one line on stderr, exit 2, before any call to AWS."""

from __future__ import annotations

from pathlib import Path

import pytest

from trailtui.cli import main

COMMANDS = {
    "contributors": ["contributors", "--pack", "top-api-calls-excluding-assumerole"],
    "metrics": ["metrics", "--pack", "assume-role-duration"],
    "alarms": ["alarms", "--pack", "assume-role-duration-over-an-hour"],
    "test-pattern": ["test-pattern", '{$.eventName = "AssumeRole"}'],
    "tail": ["tail"],
}
UNREACHABLE = ["--endpoint-url", "http://127.0.0.1:9", "--region", "us-east-1"]


@pytest.fixture(autouse=True)
def no_user_packs(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRAILTUI_PACKS_DIR", str(tmp_path))


@pytest.mark.parametrize("command", COMMANDS)
@pytest.mark.parametrize(
    ("option", "flag"),
    [
        (["--region", "us-east-1"], "--region"),
        (["--profile", "audit"], "--profile"),
        (["--endpoint-url", "http://127.0.0.1:9"], "--endpoint-url"),
        (["--log-group", "CloudTrail/x"], "--log-group"),
        (["--yes"], "--yes"),
    ],
)
def test_live_only_options_need_live(
    command: str, option: list[str], flag: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*COMMANDS[command], *option]) == 2
    assert capsys.readouterr().err == f"trailtui: {flag} needs --live\n"


@pytest.mark.parametrize("command", COMMANDS)
def test_live_reads_no_files(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*COMMANDS[command], "--live", *UNREACHABLE, "trail.json"]) == 2
    assert capsys.readouterr().err == "trailtui: --live reads the account, not files: remove trail.json\n"


@pytest.mark.parametrize(
    ("arguments", "line"),
    [
        (
            ["tail", "--since", "1h"],
            "Live Tail shows events as they arrive: --since needs files "
            "(use `trailtui query --live` for the past)",
        ),
        (
            ["tail", "--start", "2024-01-01T00:00:00Z"],
            "Live Tail shows events as they arrive: --start needs files "
            "(use `trailtui query --live` for the past)",
        ),
        (
            ["tail", "--speed", "10"],
            "--speed sets the pace of a replay of files; Live Tail runs in real time",
        ),
        (
            [*COMMANDS["alarms"], "--on-alarm", "cat"],
            "--on-alarm runs on the replay of files; in an account, give the alarm AlarmActions "
            "(SNS, EventBridge) and CloudWatch runs them",
        ),
    ],
)
def test_file_only_options_are_refused_with_live(
    arguments: list[str], line: str, capsys: pytest.CaptureFixture[str]
) -> None:
    assert main([*arguments, "--live", *UNREACHABLE]) == 2
    assert capsys.readouterr().err == f"trailtui: {line}\n"


def test_an_unreachable_account_is_one_line(moto_url: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main([*COMMANDS["contributors"], "--live", *UNREACHABLE]) == 1
    error = capsys.readouterr().err
    assert error.startswith("trailtui: cannot reach http://127.0.0.1:9 (cloudwatch:DescribeInsightRules)")
    assert error.count("\n") == 1
