"""`trailtui tail --live`: StartLiveTail sessions (scripted behind a Stubber) printed as the local tail prints
them, the session's status on stderr; against moto (no StartLiveTail: FilterLogEvents polls) in a
subprocess ended by ctrl+c."""

from __future__ import annotations

import os
import queue
import signal
import subprocess
import sys
import threading
import time
from pathlib import Path
from typing import IO, Any

import pytest
from botocore.validate import validate_parameters

from trailtui.backends.aws_session import AwsClients
from trailtui.cli import main

from .conftest import REGION, TRAIL_GROUP_ARN
from .live_cli import Account, PartialStubber, patched_account
from .tail_script import ScriptedStream, session_start, session_update

ASSUME = '{"eventTime":"2023-11-14T22:13:20Z","eventName":"AssumeRole","awsRegion":"us-east-1"}'
DENIED = '{"eventName":"GetSecretValue","errorCode":"AccessDenied","sourceIPAddress":"10.0.0.1"}'


@pytest.fixture
def account(moto_url: str, monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> Account:
    return patched_account(moto_url, monkeypatch, tmp_path)


def scripted(account: Account, sessions: list[ScriptedStream], expected: dict[str, Any]) -> PartialStubber:
    """Each StartLiveTail answers with the next session; the one after them fails (LimitExceeded)."""
    logs = account.clients.logs
    stubber = PartialStubber(logs, "StartLiveTail")
    stream_shape = logs.meta.service_model.operation_model("StartLiveTail").output_shape.members[
        "responseStream"
    ]
    for session in sessions:
        for event in session.events:
            validate_parameters(event, stream_shape)
        stubber.add_response("start_live_tail", {"responseStream": {}}, expected)
    stubber.add_client_error(
        "start_live_tail", service_error_code="LimitExceededException", service_message="too many sessions"
    )
    pending = list(sessions)

    def open_stream(parsed: dict[str, Any], **_: Any) -> None:
        if "responseStream" in parsed:
            parsed["responseStream"] = pending.pop(0)

    logs.meta.events.register("after-call.cloudwatch-logs.StartLiveTail", open_stream)
    return stubber


def test_updates_go_to_stdout_and_the_session_status_to_stderr(
    account: Account, capsys: pytest.CaptureFixture[str]
) -> None:
    first = ScriptedStream(
        [session_start("s1"), session_update([ASSUME]), session_update([DENIED], sampled=True)]
    )
    second = ScriptedStream([session_start("s2"), session_update([ASSUME])])
    expected = {"logGroupIdentifiers": [TRAIL_GROUP_ARN], "logEventFilterPattern": "{ $.eventName = * }"}
    options = [
        "--log-group",
        TRAIL_GROUP_ARN,
        "--filter-pattern",
        "{ $.eventName = * }",
        "--format",
        "ndjson",
    ]
    with scripted(account, [first, second], expected):
        assert main(["tail", *account.live(*options)]) == 1
    captured = capsys.readouterr()
    assert captured.out.splitlines() == [ASSUME, DENIED, ASSUME]
    assert captured.err.splitlines() == [
        "trailtui: live tail sampled: more than 500 events per second match: AWS shows a sample",
        "trailtui: live tail reconnecting: the session ended",
        "trailtui: live tail reconnecting: the session ended",
        "trailtui: logs:StartLiveTail failed: LimitExceededException: too many sessions",
    ]
    assert first.closed and second.closed
    assert account.closed == 1


def test_lines_are_the_local_tails_lines(account: Account, capsys: pytest.CaptureFixture[str]) -> None:
    first = ScriptedStream([session_start("s1"), session_update([DENIED], timestamp=1_700_000_000_000)])
    with scripted(account, [first], {"logGroupIdentifiers": [TRAIL_GROUP_ARN]}):
        assert main(["tail", *account.live("--log-group", TRAIL_GROUP_ARN, "--follow")]) == 1
    [line] = capsys.readouterr().out.splitlines()
    assert line.split() == [
        "2023-11-14T22:13:20.000Z",
        "-",
        "-",
        "GetSecretValue",
        "-",
        "10.0.0.1",
        "AccessDenied",
    ]


def lines_of(stream: IO[str]) -> queue.Queue[str]:
    found: queue.Queue[str] = queue.Queue()

    def pump() -> None:
        for line in stream:
            found.put(line)

    threading.Thread(target=pump, daemon=True).start()
    return found


def next_line(lines: queue.Queue[str], containing: str, seen: list[str]) -> str:
    deadline = time.monotonic() + 30
    while time.monotonic() < deadline:
        try:
            line = lines.get(timeout=deadline - time.monotonic())
        except queue.Empty:
            break
        seen.append(line)
        if containing in line:
            return line
    raise AssertionError(f"no line with {containing!r} in {seen}")


def test_ctrl_c_ends_a_live_tail_cleanly(moto_url: str, moto_clients: AwsClients) -> None:
    group = "tail/cli-ctrl-c"
    moto_clients.logs.create_log_group(logGroupName=group)
    moto_clients.logs.create_log_stream(logGroupName=group, logStreamName="s")
    arguments = ["tail", "--live", "--endpoint-url", moto_url, "--region", REGION, "--log-group", group]
    process = subprocess.Popen(
        [sys.executable, "-m", "trailtui", *arguments, "--format", "ndjson"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=dict(os.environ),
    )
    try:
        assert process.stdout is not None and process.stderr is not None
        out, err = lines_of(process.stdout), lines_of(process.stderr)
        errors: list[str] = []
        polling = next_line(err, "live tail polling", errors)
        assert polling.startswith("trailtui: live tail polling: StartLiveTail is not available")
        event = {"timestamp": time.time_ns() // 1_000_000, "message": '{"eventName":"Probe"}'}
        moto_clients.logs.put_log_events(logGroupName=group, logStreamName="s", logEvents=[event])
        assert next_line(out, "Probe", []) == '{"eventName":"Probe"}\n'
        process.send_signal(signal.SIGINT)
        assert process.wait(timeout=30) == 130
        time.sleep(0.2)
        rest = []
        while not err.empty():
            rest.append(err.get())
        assert not any("Traceback" in line for line in rest), rest
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
