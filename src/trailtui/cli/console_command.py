"""`trailtui [PATH ...] [--query Q | --query-file F] [--speed N] [--follow] [--tz utc|local]`: the console
over local files; `trailtui --live [--profile P] [--region R] [--endpoint-url U] [--log-group G ...]
[--yes]`: the same console over CloudWatch in an AWS account.

The files are replayed in time order into the rules, metric filters, alarms and tail: as fast as possible
by default, at N times real time with `--speed N` (1 to 10,000), and with `--follow` the replay keeps
waiting for new events in growing files and new files in the folders. A live account runs in real time,
so it takes neither; it is read-only unless `--yes`: the console asks before each write.
"""

from __future__ import annotations

import argparse
from collections.abc import Sequence
from typing import TYPE_CHECKING

from trailtui.cli.exit_codes import EXIT_OK, EXIT_USAGE
from trailtui.cli.inputs import UsageError, add_path_argument, fail, input_paths

if TYPE_CHECKING:
    from trailtui.backends.base import Backend
    from trailtui.ui.app import TrailApp

MIN_SPEED = 1.0
MAX_SPEED = 10_000.0
FILE_ONLY = {
    option: f"--{option} replays files; a --live account runs in real time" for option in ("speed", "follow")
}


def build_console_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(
        prog="trailtui",
        description="The trailtui console: Logs Insights queries and event drill-down over CloudTrail files, "
        "or over CloudWatch in an AWS account with --live.",
        epilog="Sub-commands: trailtui query, trailtui event (trailtui COMMAND --help).",
    )
    add_path_argument(parser)
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--query", metavar="Q", help="put Q in the editor and run it at start")
    source.add_argument("--query-file", metavar="F", help="read the query from F and run it at start")
    parser.add_argument(
        "--speed",
        type=float,
        metavar="N",
        help="replay at N times real time, 1 to 10000 (default: as fast as possible)",
    )
    parser.add_argument(
        "--follow",
        action="store_true",
        help="keep replaying new events as the files grow and new files arrive",
    )
    parser.add_argument(
        "--tz", choices=("utc", "local"), default="utc", help="show times in UTC (default) or local time"
    )
    from trailtui.cli.live_options import add_live_arguments

    add_live_arguments(parser)
    return parser


def run_console(argv: Sequence[str]) -> int:
    """Parse the console's options and run the app until it quits; the exit code."""
    app = build_console(argv)
    if isinstance(app, int):
        return app
    app.manage_collection = True
    app.run()
    return EXIT_OK


def build_console(argv: Sequence[str]) -> TrailApp | int:
    """The app the options describe, over a LocalBackend replaying as asked; an exit code when refused."""
    options = build_console_parser().parse_args(list(argv))
    if options.speed is not None and not MIN_SPEED <= options.speed <= MAX_SPEED:
        fail(f"--speed must be between 1 and 10000 (times real time), not {options.speed:g}")
        return EXIT_USAGE
    query = options.query or ""
    if options.query_file:
        try:
            with open(options.query_file, encoding="utf-8") as handle:
                query = handle.read()
        except OSError as error:
            fail(f"cannot read --query-file {options.query_file}: {error.strerror}")
            return EXIT_USAGE
    if "-" in options.paths:
        fail("the console reads keys from the terminal; pipe events to `trailtui query` instead")
        return EXIT_USAGE
    from trailtui.ui.app import TrailApp

    backend = _backend(options)
    if isinstance(backend, int):
        return backend
    return TrailApp(backend, query=query, zone=options.tz, run_at_start=bool(query))


def _backend(options: argparse.Namespace) -> Backend | int:
    """A LocalBackend replaying as asked, or with --live an AwsBackend; an exit code when refused."""
    from trailtui.backends.base import BackendError
    from trailtui.backends.local import LocalBackend
    from trailtui.backends.local_replay import ReplaySettings
    from trailtui.cli.live_options import backend_from_options
    from trailtui.cli.live_run import check_options

    try:
        check_options(options, FILE_ONLY)
        if options.live:
            return backend_from_options(options, options.paths)
    except (UsageError, BackendError) as error:
        fail(str(error))
        return EXIT_USAGE
    settings = ReplaySettings(speed=options.speed, follow=options.follow)
    return LocalBackend(input_paths(options.paths), replay=settings)


def is_console_invocation(arguments: Sequence[str], commands: Sequence[str]) -> bool:
    """True when the first argument is not a sub-command (nor a request for the general help)."""
    return not arguments or (arguments[0] not in commands and arguments[0] not in ("-h", "--help"))
