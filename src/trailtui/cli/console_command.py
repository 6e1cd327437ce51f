"""`trailtui [PATH ...] [--query Q | --query-file F] [--tz utc|local]`: the console over local files.

`--speed` and `--follow` belong to the replay engine; until it is wired into the backend they are refused
with a clear message rather than accepted and ignored.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence

from trailtui.cli.inputs import add_path_argument, fail, input_paths


def build_console_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trailtui",
        description="The trailtui console: Logs Insights queries and event drill-down over CloudTrail files.",
        epilog="Sub-commands: trailtui query, trailtui event (trailtui COMMAND --help).",
    )
    add_path_argument(parser)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--query", metavar="Q", help="put Q in the editor and run it at start")
    source.add_argument("--query-file", metavar="F", help="read the query from F and run it at start")
    parser.add_argument(
        "--speed", type=float, metavar="N", help="replay at N times real time (replay engine)"
    )
    parser.add_argument("--follow", action="store_true", help="follow growing files (replay engine)")
    parser.add_argument(
        "--tz", choices=("utc", "local"), default="utc", help="show times in UTC (default) or local time"
    )
    return parser


def run_console(argv: Sequence[str]) -> int:
    """Parse the console's options and run the app until it quits; the exit code."""
    options = build_console_parser().parse_args(list(argv))
    if options.speed is not None or options.follow:
        fail("--speed and --follow need the replay engine, which the console does not drive yet")
        return 2
    query = options.query or ""
    if options.query_file:
        try:
            with open(options.query_file, encoding="utf-8") as handle:
                query = handle.read()
        except OSError as error:
            fail(f"cannot read --query-file {options.query_file}: {error.strerror}")
            return 2
    if "-" in options.paths:
        fail("the console reads keys from the terminal; pipe events to `trailtui query` instead")
        return 2
    from trailtui.backends.local import LocalBackend
    from trailtui.ui.app import TrailApp

    backend = LocalBackend(input_paths(options.paths))
    TrailApp(backend, query=query, zone=options.tz, run_at_start=bool(query)).run()
    return 0


def is_console_invocation(arguments: Sequence[str], commands: Sequence[str]) -> bool:
    """True when the first argument is not a sub-command (nor a request for the general help)."""
    return not arguments or (arguments[0] not in commands and arguments[0] not in ("-h", "--help"))
