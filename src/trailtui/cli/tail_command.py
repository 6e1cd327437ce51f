"""`trailtui tail [PATH ...]`: the replayed stream, one event a line or as NDJSON, optionally following.

It reads the backend's Live Tail stream (`sessionUpdate` items), so a line shows what StartLiveTail would:
`--format line` prints time, account, region, eventName, principal, source IP and error code, every value
made safe for the terminal; `--format ndjson` prints each event's exact JSON text on a line of its own.
Without `--speed` the replay goes as fast as possible; with `--follow` it keeps watching the paths (new
files in a folder, a growing file, stdin) until interrupted. Output is flushed after every update.

With `--live` (no PATH) the lines come from StartLiveTail on the account's log groups (`--log-group`, else
the trail's), `--filter-pattern` going into the request, in the same two formats; it always follows (so
`--follow` changes nothing) and runs until interrupted: ctrl+c ends it cleanly, the session closed, with exit
code 130 as for files. What the session reports (`reconnecting` when it ended or dropped, `sampled` /
`streaming` when AWS starts or stops sampling, `polling` when StartLiveTail is not allowed and
FilterLogEvents is polled instead) goes to stderr, one line each. Live Tail shows events from now on, so
`--start`/`--end`/`--since` and `--speed` are refused with --live (use `trailtui query --live` for the past).
"""

from __future__ import annotations

import argparse
import asyncio
import os
import sys
from collections.abc import Callable
from contextlib import aclosing
from functools import partial
from typing import TYPE_CHECKING, Any

import orjson

from trailtui.backends.base import BackendError, TailRequest
from trailtui.backends.local import LocalBackend
from trailtui.cli.exit_codes import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE
from trailtui.cli.inputs import fail
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import CommandRuns, flush_notices, run_command
from trailtui.cli.replay_run import (
    add_replay_arguments,
    replay_backend,
    replay_settings,
    report_replay_problems,
)
from trailtui.events.timestamps import format_timestamp
from trailtui.replay.status import check_speed
from trailtui.terminal_safe import visible

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend

MISSING = "-"


def add_tail_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "tail",
        help="print the replayed events as they come",
        description="Replay CloudTrail files in time order and print each event, as Live Tail shows it; "
        "with --live, Live Tail on the account's log groups until interrupted (ctrl+c: exit 130).",
    )
    add_replay_arguments(parser)
    parser.add_argument("--follow", action="store_true", help="keep watching the paths for new events")
    parser.add_argument("--speed", type=float, metavar="N", help="N times real time (1 to 10000)")
    parser.add_argument("--filter-pattern", metavar="P", help="only events matching this filter pattern")
    parser.add_argument("--format", choices=("line", "ndjson"), default="line")
    add_live_arguments(parser)
    parser.set_defaults(run=partial(run_command, command=_tail_runs))


PAST = "Live Tail shows events as they arrive: {} needs files (use `trailtui query --live` for the past)"
FILE_ONLY = {
    "start": PAST.format("--start"),
    "end": PAST.format("--end"),
    "since": PAST.format("--since"),
    "speed": "--speed sets the pace of a replay of files; Live Tail runs in real time",
}


def _tail_runs(options: argparse.Namespace) -> CommandRuns[None]:
    request = TailRequest(options.filter_pattern)
    return CommandRuns(
        local=lambda: _replay_tail(request, options),
        window=lambda _options: None,
        live=lambda backend, _window: _live_tail(backend, request, options.format),
        file_only=FILE_ONLY,
    )


def _replay_tail(request: TailRequest, options: argparse.Namespace) -> Callable[[], int]:
    settings = replay_settings(options)
    settings.follow, settings.speed = options.follow, check_speed(options.speed)
    backend = replay_backend(options, settings)
    return lambda: asyncio.run(_tail(backend, request, options.format))


async def _tail(backend: LocalBackend, request: TailRequest, format_name: str) -> int:
    try:
        async for item in backend.tail(request):
            if "sessionUpdate" in item:
                _write(item["sessionUpdate"]["sessionResults"], format_name)
    except BackendError as error:
        fail(str(error))
        return EXIT_USAGE
    except BrokenPipeError:
        _silence_stdout()
        return EXIT_OK
    finally:
        await backend.close()
    return EXIT_NO_INPUT if report_replay_problems(backend) else EXIT_OK


async def _live_tail(backend: AwsBackend, request: TailRequest, format_name: str) -> int:
    """Until interrupted or the account refuses: updates on stdout, the session's status on stderr."""
    try:
        async with aclosing(backend.tail(request)) as items:
            async for item in items:
                flush_notices(backend)
                if "sessionStatus" in item:
                    fail(f"live tail {item['sessionStatus']['state']}: {item['sessionStatus']['reason']}")
                elif "sessionUpdate" in item:
                    _write(item["sessionUpdate"]["sessionResults"], format_name)
    except BrokenPipeError:
        _silence_stdout()
    return EXIT_OK


def _write(results: list[dict[str, Any]], format_name: str) -> None:
    if format_name == "ndjson":
        sys.stdout.write("".join(result["message"] + "\n" for result in results))
    else:
        sys.stdout.write("".join(event_line(result) + "\n" for result in results))
    sys.stdout.flush()


def event_line(result: dict[str, Any]) -> str:
    """Time, account, region, eventName, principal, source IP and error of one Live Tail result."""
    record = orjson.loads(result["message"])
    identity = record.get("userIdentity") if isinstance(record.get("userIdentity"), dict) else {}
    principal = identity.get("arn") or identity.get("principalId") or identity.get("type")
    account = record.get("recipientAccountId") or identity.get("accountId")
    values = [
        record.get("eventName"),
        principal,
        record.get("sourceIPAddress"),
        record.get("errorCode"),
    ]
    cells = [account, record.get("awsRegion"), *values]
    return "  ".join([format_timestamp(result["timestamp"]), *(_cell(value) for value in cells)])


def _cell(value: Any) -> str:
    return MISSING if value is None or value == "" else visible(str(value))


def _silence_stdout() -> None:
    """After the reader of stdout went away, send what is left to /dev/null so exiting stays quiet."""
    devnull = os.open(os.devnull, os.O_WRONLY)
    os.dup2(devnull, sys.stdout.fileno())
