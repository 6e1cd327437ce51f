"""`trailtui query` and `trailtui event`: Logs Insights over local files, and one event by its @ptr."""

from __future__ import annotations

import argparse
import asyncio
import sys
import time
from typing import Any

from trailtui.backends.base import TERMINAL_STATUSES, Backend, BackendError, MalformedQuery, QueryRequest
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_cache_file import cache_directory
from trailtui.cli import output
from trailtui.cli.exit_codes import EXIT_NO_INPUT, EXIT_OK, EXIT_USAGE
from trailtui.cli.inputs import (
    UsageError,
    add_path_argument,
    add_time_arguments,
    fail,
    print_input_report,
    time_range,
)
from trailtui.cli.live_options import add_live_arguments, backend_from_options, print_notices
from trailtui.cli.progress import ProgressLine
from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.executor import compile_query

POLL_INTERVAL_S = 0.1
"""How often CloudWatch is polled (within its request rate), and the progress line redrawn."""
LOCAL_POLL_INTERVAL_S = 0.005
"""How often a local query is polled: one answered from a cache ends in milliseconds to a few tenths of a
second, and a slower poll would add up to its interval to every run (a poll costs microseconds)."""


def add_query_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "query",
        help="run a Logs Insights query",
        description="Run a CloudWatch Logs Insights query over CloudTrail files, as CloudWatch would.",
    )
    parser.add_argument("query", nargs="?", help="the query text (omit with --query-file)")
    add_path_argument(parser)
    parser.add_argument("--query-file", metavar="F", help="read the query from a file")
    add_time_arguments(parser)
    parser.add_argument("--limit", type=int, metavar="N", help="at most N rows (1 to 100000; default 10000)")
    parser.add_argument("--format", choices=output.FORMATS, default="table")
    parser.add_argument(
        "--cache",
        action="store_true",
        help="keep what was read in a cache file ($XDG_CACHE_HOME/trailtui) so later queries over the same "
        "unchanged files answer without reading them again",
    )
    parser.add_argument("--cache-dir", metavar="DIR", help="like --cache, with the cache files in DIR")
    add_live_arguments(parser)
    parser.set_defaults(run=run_query_command)


def add_event_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "event",
        help="print one event by its @ptr",
        description="Print the event an @ptr points to, as its exact JSON text.",
    )
    parser.add_argument("ptr", help="an @ptr value from a query result")
    add_path_argument(parser)
    add_live_arguments(parser)
    parser.set_defaults(run=run_event_command)


def run_query_command(options: argparse.Namespace) -> int:
    try:
        query_text, paths = query_and_paths(options)
        start_ms, end_ms = time_range(options)
        if options.limit is not None and not 1 <= options.limit <= 100_000:
            raise UsageError("--limit must be between 1 and 100000")
        if options.live and (options.cache or options.cache_dir):
            raise UsageError("--cache is for local files, not --live")
        backend = backend_from_options(options, paths)
    except UsageError as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    if isinstance(backend, LocalBackend):
        # One query per process: a background session cache would only delay the exit.
        caching = options.cache or options.cache_dir is not None
        backend.configure_query_cache(
            background=False, directory=cache_directory(options.cache_dir) if caching else None
        )
    request = QueryRequest(query_text, start_ms, end_ms, options.limit)
    print_lint_warnings(query_text)
    try:
        query_id, results = asyncio.run(run_to_completion(backend, request))
    except MalformedQuery as error:
        fail(f"malformed query: {error}")
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    print_notices(backend)
    if isinstance(backend, LocalBackend):
        for notice in backend.query_cache_notices():
            fail(notice)
    report = backend.input_report()
    print_input_report(report)
    if results["status"] != "Complete":
        reason = backend.query_failure(query_id)
        fail(f"query {results['status'].lower()}" + (f": {reason}" if reason else ""))
        return EXIT_NO_INPUT
    if not options.live and report.files_read == 0 and not results["results"]:
        fail("no input could be read")
        return EXIT_NO_INPUT
    sys.stdout.write(render_results(results, options.format))
    return EXIT_OK


def print_lint_warnings(query_text: str) -> None:
    """What the local engine thinks the author may not have meant (CloudWatch accepts such queries too)."""
    try:
        warnings = compile_query(query_text).warnings
    except MalformedQueryError:
        return
    for warning in warnings:
        fail(f"warning: {warning}")


def query_and_paths(options: argparse.Namespace) -> tuple[str, list[str]]:
    """With --query-file every positional is a path; without it the first positional is the query."""
    positionals = ([options.query] if options.query is not None else []) + options.paths
    if options.query_file:
        try:
            with open(options.query_file, encoding="utf-8") as handle:
                return handle.read(), positionals
        except OSError as error:
            raise UsageError(f"cannot read --query-file {options.query_file}: {error.strerror}") from error
    if not positionals:
        raise UsageError("no query given (pass QUERY or --query-file F)")
    return positionals[0], positionals[1:]


async def run_to_completion(backend: Backend, request: QueryRequest) -> tuple[str, dict[str, Any]]:
    """StartQuery, then poll GetQueryResults until the query ends, drawing progress on a terminal."""
    progress = ProgressLine()
    query_id = await backend.start_query(request)
    interval = LOCAL_POLL_INTERVAL_S if isinstance(backend, LocalBackend) else POLL_INTERVAL_S
    drawn_at = time.monotonic()
    try:
        while True:
            results = await backend.get_query_results(query_id)
            if results["status"] in TERMINAL_STATUSES:
                return query_id, results
            if time.monotonic() - drawn_at >= POLL_INTERVAL_S:
                progress.update(backend.query_progress(query_id))
                drawn_at = time.monotonic()
            await asyncio.sleep(interval)
    finally:
        progress.clear()
        await backend.close()


def render_results(results: dict[str, Any], format_name: str) -> str:
    if format_name == "json":
        return output.format_json(results) + "\n"
    rows = output.rows_as_dicts(results)
    if format_name == "csv":
        return output.format_csv(rows)
    if format_name == "ndjson":
        return output.format_ndjson(rows)
    return output.format_table(rows)


def run_event_command(options: argparse.Namespace) -> int:
    try:
        backend = backend_from_options(options, options.paths)
        record = asyncio.run(log_record(backend, options.ptr))
    except UsageError as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    sys.stdout.write(record["@message"] + "\n")
    return EXIT_OK


async def log_record(backend: Backend, ptr: str) -> dict[str, str]:
    """GetLogRecord for one @ptr; `@message` is the event's exact text."""
    try:
        return await backend.get_log_record(ptr)
    finally:
        await backend.close()
