"""`trailtui`: the console, and its scriptable sub-commands with output in the shapes of the AWS APIs.

Exit codes: 0 success; 1 when no input could be read (or a query failed); 2 for a malformed query or bad
arguments.

Answers written into a file or a pipe are exact; on a terminal, stdout is a `TerminalStream`, so no
character an event carries acts on the terminal whatever the command or format.
"""

from __future__ import annotations

import argparse
import importlib
import sys
from collections.abc import Iterator, Sequence
from contextlib import contextmanager
from typing import TextIO, cast

from trailtui.cli import console_command
from trailtui.cli.exit_codes import EXIT_OK
from trailtui.collection import cyclic_collection_paused
from trailtui.terminal_safe import TerminalStream

COMMANDS = {
    "query": ("query_commands", "add_query_parser"),
    "event": ("query_commands", "add_event_parser"),
    "contributors": ("contributors_command", "add_contributors_parser"),
    "metrics": ("metrics_command", "add_metrics_parser"),
    "alarms": ("alarms_command", "add_alarms_parser"),
    "test-pattern": ("test_pattern_command", "add_test_pattern_parser"),
    "tail": ("tail_command", "add_tail_parser"),
    "packs": ("packs_command", "add_packs_parser"),
}
"""Each command's module (in trailtui.cli) and the function that adds its parser."""


def build_parser(only: str | None = None) -> argparse.ArgumentParser:
    """The parser of every command, or of the command `only` alone: a run imports just its command's
    module, not every other command's backends and engines."""
    parser = argparse.ArgumentParser(
        prog="trailtui",
        description="Investigate AWS CloudTrail activity the way CloudWatch does it, in a terminal.",
    )
    commands = parser.add_subparsers(dest="command", metavar="COMMAND")
    for name, (module, function) in COMMANDS.items():
        if only is None or name == only:
            getattr(importlib.import_module(f"trailtui.cli.{module}"), function)(commands)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    arguments = list(sys.argv[1:] if argv is None else argv)
    if console_command.is_console_invocation(arguments, list(COMMANDS)):
        return console_command.run_console(arguments)
    # What the command's modules make as they load lives as long as the process; collecting on the way
    # cost ~10% of the imports' time.
    with cyclic_collection_paused():
        parser = build_parser(arguments[0] if arguments[0] in COMMANDS else None)
    options = parse_arguments(parser, arguments)
    if options.command is None:
        parser.print_help()
        return EXIT_OK
    try:
        with terminal_safe_stdout():
            return int(options.run(options))
    except KeyboardInterrupt:
        return 130


@contextmanager
def terminal_safe_stdout() -> Iterator[None]:
    """While a command runs, a terminal on stdout gets its answer through a `TerminalStream`."""
    original = sys.stdout
    if not original.isatty():
        yield
        return
    sys.stdout = cast(TextIO, TerminalStream(original))
    try:
        yield
    finally:
        sys.stdout = original


def parse_arguments(parser: argparse.ArgumentParser, arguments: list[str]) -> argparse.Namespace:
    """Parse, letting commands that ask for it (`paths_anywhere`) take input paths after their options too.

    argparse fills a `PATH ...` positional once, so `trailtui alarms A.json --filter F.json trail/` would
    leave `trail/` unrecognized; such trailing paths are added to the command's paths.
    """
    options, unrecognized = parser.parse_known_args(arguments)
    options_left = [argument for argument in unrecognized if argument.startswith("-") and argument != "-"]
    if unrecognized and (options_left or not getattr(options, "paths_anywhere", False)):
        parser.error(f"unrecognized arguments: {' '.join(unrecognized)}")
    if unrecognized:
        options.paths = [*options.paths, *unrecognized]
    return options
