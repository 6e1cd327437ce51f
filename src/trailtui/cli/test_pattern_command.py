"""`trailtui test-pattern (PATTERN | --pack NAME) [PATH ...]`: TestMetricFilter over the files' events.

The events are numbered from 0 across all of the files; AWS takes 50 messages a call, this takes any
number.

With `--live` (no PATH) the answer comes from the AWS account in the same shape (see cli/live_run for the
options, the default time range of the last hour and exit codes): TestMetricFilter on the first 50 events
(AWS's limit for one call) that FilterLogEvents gives for the log groups over the time range, numbered from
0 in that order.
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable, Iterator
from functools import partial
from typing import TYPE_CHECKING, Any

import orjson

from trailtui.backends.base import BackendError, InputReport
from trailtui.cli import output
from trailtui.cli.definitions import add_pack_argument, pack_definition
from trailtui.cli.exit_codes import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE
from trailtui.cli.inputs import (
    UsageError,
    fail,
    input_paths,
    print_input_report,
    time_range,
)
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import CommandRuns, live_window, run_command, sample_events
from trailtui.cli.replay_run import add_replay_arguments
from trailtui.events.model import Event
from trailtui.events.readers import expand_paths, read_path_parts
from trailtui.events.timestamps import format_timestamp
from trailtui.metrics.filters import MetricFilterError
from trailtui.metrics.testing import test_metric_filter

Sample = tuple[int | None, Any]
"""What a match's table row shows of its event: the time in epoch ms and the eventName."""

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend


def add_test_pattern_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "test-pattern",
        help="which events a filter pattern matches",
        description="Test a metric filter pattern on the events of CloudTrail files, like TestMetricFilter; "
        "with --live, TestMetricFilter on the first 50 events of the account's log groups in the time "
        "range (last hour by default).",
        usage="trailtui test-pattern (PATTERN | --pack NAME) [PATH ... | --live] [options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "metric-filter")
    parser.add_argument("--format", choices=("table", "json"), default="json")
    add_live_arguments(parser)
    parser.set_defaults(run=partial(run_command, command=_test_pattern))


def _test_pattern(options: argparse.Namespace) -> CommandRuns[tuple[int, int]]:
    pattern, options.paths = _pattern_and_paths(options)
    return CommandRuns(
        local=lambda: _files_tester(pattern, options),
        window=live_window,
        live=lambda backend, window: _live_test_pattern(backend, pattern, window, options.format),
    )


def _files_tester(pattern: str, options: argparse.Namespace) -> Callable[[], int]:
    window = time_range(options)
    return lambda: _test_files(pattern, options.paths, window, options.format)


def _test_files(
    pattern: str, paths: list[str], window: tuple[int | None, int | None], format_name: str
) -> int:
    try:
        answer, samples, total = _tested_files(pattern, paths, window)
    except MetricFilterError as error:
        fail(str(error))
        return EXIT_USAGE
    if not total:
        fail("no events could be read" + (" in the time range" if window != (None, None) else ""))
        return EXIT_NO_INPUT
    _print_matches(answer, samples, total, format_name)
    return EXIT_OK


def _tested_files(
    pattern: str, paths: list[str], window: tuple[int | None, int | None]
) -> tuple[dict[str, Any], dict[int, Sample], int]:
    """TestMetricFilter over the files' events in the time range, a file part at a time (a multi-GB file
    is never held whole): the answer, the time and eventName of each matching event, and how many events
    were tested. What could not be read is reported on stderr."""
    matches: list[dict[str, Any]] = []
    samples: dict[int, Sample] = {}
    total = 0
    report = InputReport()
    for events, problem_line in _events_in_parts(paths, window):
        report.problem_lines.extend(filter(None, [problem_line]))
        for match in tested(pattern, [event.message for event in events])["matches"]:
            event = events[match["eventNumber"]]
            number = match["eventNumber"] + total
            matches.append({**match, "eventNumber": number})
            samples[number] = (event.timestamp_ms, event.record.get("eventName"))
        total += len(events)
    print_input_report(report)
    return {"matches": matches}, samples, total


def _events_in_parts(
    paths: list[str], window: tuple[int | None, int | None]
) -> Iterator[tuple[list[Event], str | None]]:
    """Each part of each file: its events in the time range, and the file's problem line (last part)."""
    start_ms, end_ms = window
    stdin = sys.stdin.buffer if "-" in paths else None
    for path in expand_paths(input_paths(paths)):
        for part in read_path_parts(path, stdin):
            events = [
                event
                for event in part.events
                if (start_ms is None or event.timestamp_ms >= start_ms)
                and (end_ms is None or event.timestamp_ms <= end_ms)
            ]
            yield events, part.problem_line() if part.final else None


async def _live_test_pattern(
    backend: AwsBackend, pattern: str, window: tuple[int, int], format_name: str
) -> int:
    events = await sample_events(backend, *window)
    if not events:
        raise BackendError("no events in the log groups in the time range (widen it with --since or --start)")
    answer = await backend.test_metric_filter(pattern, [event["message"] for event in events])
    samples = {
        number: (event["timestamp"], _event_name(event["message"])) for number, event in enumerate(events)
    }
    _print_matches(answer, samples, len(events), format_name)
    return EXIT_OK


def _event_name(message: str) -> Any:
    try:
        record = orjson.loads(message)
    except orjson.JSONDecodeError:
        return None
    return record.get("eventName") if isinstance(record, dict) else None


def _print_matches(answer: dict[str, Any], samples: dict[int, Sample], total: int, format_name: str) -> None:
    if format_name == "json":
        sys.stdout.write(output.format_json(answer) + "\n")
    else:
        sys.stdout.write(match_table(answer, samples, total))


def _pattern_and_paths(options: argparse.Namespace) -> tuple[str, list[str]]:
    if options.pack:
        return pack_definition("metric-filter", options.pack).body["filterPattern"], list(options.paths)
    if not options.paths:
        raise UsageError("no pattern given (pass PATTERN or --pack NAME)")
    return options.paths[0], list(options.paths[1:])


def tested(pattern: str, messages: list[str]) -> dict[str, Any]:
    """TestMetricFilter over any number of messages: 50 a call, event numbers counted across calls."""
    matches = []
    for first in range(0, len(messages), 50):
        for match in test_metric_filter(pattern, messages[first : first + 50])["matches"]:
            matches.append({**match, "eventNumber": match["eventNumber"] + first})
    return {"matches": matches}


def match_table(answer: dict[str, Any], samples: dict[int, Sample], total: int) -> str:
    """One row a match: its number, and the time and eventName of the event tested (`samples`, by
    number); then how many of the `total` events tested match."""
    rows = []
    for match in answer["matches"]:
        number = match["eventNumber"]
        timestamp_ms, event_name = samples.get(number, (None, None))
        values = " ".join(f"{name}={value}" for name, value in match.get("extractedValues", {}).items())
        rows.append(
            {
                "eventNumber": str(number),
                "time": "" if timestamp_ms is None else format_timestamp(timestamp_ms),
                "eventName": "" if event_name is None else str(event_name),
                "extractedValues": values,
            }
        )
    return (
        output.format_table(rows) if rows else "(no matches)\n"
    ) + f"{len(rows):,} of {total:,} events match\n"
