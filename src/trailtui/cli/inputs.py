"""Options every data command shares: input paths (default: the demo trail; `-`: stdin) and time range."""

from __future__ import annotations

import argparse
import sys
import time

from trailtui.backends.base import InputReport
from trailtui.events.demo import demo_trail_path
from trailtui.events.timestamps import parse_relative, parse_time_argument
from trailtui.terminal_safe import visible


class UsageError(Exception):
    """Bad arguments: printed as one line, exit code 2."""


def add_path_argument(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "paths",
        nargs="*",
        metavar="PATH",
        help="CloudTrail files or folders (the S3 layout, .json[.gz], NDJSON, CLI exports); - for stdin; "
        "default: the demo trail",
    )


def add_time_arguments(parser: argparse.ArgumentParser) -> None:
    parser.add_argument("--start", metavar="T", help="start of the time range: ISO 8601 or epoch seconds")
    parser.add_argument(
        "--end", metavar="T", help="end of the time range (inclusive): ISO 8601 or epoch seconds"
    )
    parser.add_argument("--since", metavar="D", help="relative start such as 15m, 2h, 7d (ends now)")


def input_paths(paths: list[str]) -> list[str]:
    return paths or [demo_trail_path()]


def time_range(options: argparse.Namespace) -> tuple[int | None, int | None]:
    """The time range in epoch ms; the end second is included whole, as CloudWatch includes it."""
    try:
        start = parse_time_argument(options.start) if options.start else None
        end = parse_time_argument(options.end) + 999 if options.end else None
        if options.since:
            if options.start:
                raise UsageError("--since and --start cannot be used together")
            now_ms = int(time.time() * 1000)
            start, end = now_ms - parse_relative(options.since), end if end is not None else now_ms
    except ValueError as error:
        raise UsageError(str(error)) from error
    if start is not None and end is not None and start > end:
        raise UsageError("the time range ends before it starts")
    return start, end


def print_input_report(report: InputReport) -> None:
    """One line per problem file, then the counts of what was skipped (when anything was)."""
    for line in report.problem_lines:
        print(visible(line), file=sys.stderr)
    if report.files_skipped or report.records_skipped:
        files = report.files_read + report.files_skipped
        fail(f"skipped {report.files_skipped:,} of {files:,} files and {report.records_skipped:,} records")


def fail(message: str) -> None:
    """One line on stderr; messages may quote input (a path, a reason), so it is shown escaped."""
    print(f"trailtui: {visible(message)}", file=sys.stderr)
