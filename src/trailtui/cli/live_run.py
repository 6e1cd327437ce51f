"""What `contributors`, `metrics`, `alarms`, `test-pattern` and `tail` share when they answer from an AWS
account (`--live`) instead of replaying files; `run_command` runs each of them one way or the other.

- Options: with `--live` there is no PATH, and a command's file-only options (`--speed`, `--on-alarm`, ...)
  are refused; without it the live-only options (`--profile`, `--region`, `--endpoint-url`, `--log-group`,
  `--yes`) are refused. Each refusal is one line on stderr, exit 2.
- Time range: `--start`/`--end`/`--since` as for files; without them, the last hour (`--since 1h`).
- Definitions: the rule, metric filter or alarm is looked up in the account by its name. When it is not
  there it is created only with `--yes` (otherwise exit 2 and a line saying how to create it), on the log
  groups the command reads (`--log-group`, else the trail's) in place of the ones the definition names.
  One that is there is used as the account has it, never replaced.
- Exit codes: 0; 1 when the account could not answer (credentials, network, access denied); 2 for bad
  arguments, a definition missing from the account, or a request AWS rejected as invalid.
"""

from __future__ import annotations

import argparse
import asyncio
import time
from collections.abc import Awaitable, Callable, Mapping
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, Any, Generic, TypeVar

import orjson

from trailtui.backends.aws_shapes import with_times
from trailtui.backends.base import BackendError
from trailtui.cli.definitions import DefinitionError
from trailtui.cli.exit_codes import EXIT_ACCOUNT, EXIT_USAGE
from trailtui.cli.inputs import UsageError, fail, time_range
from trailtui.cli.live_options import LIVE_ONLY, backend_from_options
from trailtui.packs import PackDefinition

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend

DEFAULT_SPAN_MS = 3_600_000
MAX_TEST_MESSAGES = 50
MAX_METRIC_QUERIES = 500
INVALID_REQUEST_CODES = frozenset(
    {
        "InvalidParameterException",
        "InvalidParameterValue",
        "InvalidParameterValueException",
        "InvalidParameterCombination",
        "MissingParameter",
        "ValidationError",
    }
)

Window = TypeVar("Window")


@dataclass(frozen=True, slots=True)
class CommandRuns(Generic[Window]):
    """A command once its own options are read. Over files, `local()` prepares the run (refusing with
    UsageError, DefinitionError or ValueError) and returns it; with --live, `window(options)` is read, then
    `live(backend, window)` runs against the account. `file_only`: see `check_options`."""

    local: Callable[[], Callable[[], int]]
    window: Callable[[argparse.Namespace], Window]
    live: Callable[[AwsBackend, Window], Awaitable[int]]
    file_only: Mapping[str, str] = field(default_factory=dict)


def run_command(
    options: argparse.Namespace, command: Callable[[argparse.Namespace], CommandRuns[Window]]
) -> int:
    """Read the command's own options (`command`), refuse misplaced ones, then run it against the account
    or over files; every refusal is one line on stderr."""
    try:
        runs = command(options)
        check_options(options, runs.file_only)
        if options.live:
            window = runs.window(options)  # a bad time range is refused before any session is opened
            backend = open_live(options, options.paths)
            return run_live(backend, lambda: runs.live(backend, window))
        run_local = runs.local()
    except (DefinitionError, UsageError, ValueError) as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_ACCOUNT
    return run_local()  # outside the try: the run reports its own failures, with its own exit codes


def check_options(options: argparse.Namespace, file_only: Mapping[str, str]) -> None:
    """UsageError for live-only options without --live, or for the command's file-only options (attribute
    -> the line to print) with it; PATHs with --live are refused when the backend is opened."""
    if options.live:
        refused = [
            line for name, line in file_only.items() if getattr(options, name, None) not in (None, False)
        ]
        if refused:
            raise UsageError(refused[0])
        return
    misplaced = [name for name in (*LIVE_ONLY, "yes") if getattr(options, name, None)]
    if misplaced:
        raise UsageError(f"--{misplaced[0].replace('_', '-')} needs --live")


def open_live(options: argparse.Namespace, paths: list[str]) -> AwsBackend:
    """The account's backend, read-only unless --yes; UsageError for PATHs, BackendError for the session."""
    from trailtui.backends.aws import AwsBackend

    backend = backend_from_options(options, paths)
    if not isinstance(backend, AwsBackend):  # pragma: no cover - backend_from_options with options.live
        raise UsageError("--live is needed")
    return backend


def live_window(options: argparse.Namespace) -> tuple[int, int]:
    """[start, end) in epoch ms: the time range given (its end second included), else the last hour."""
    start_ms, end_ms = time_range(options)
    end_ms = end_ms + 1 if end_ms is not None else now_ms()
    return (start_ms if start_ms is not None else end_ms - DEFAULT_SPAN_MS), end_ms


def now_ms() -> int:
    return time.time_ns() // 1_000_000


def run_live(backend: AwsBackend, work: Callable[[], Awaitable[int]]) -> int:
    """Run `work` against the account: every failure one line on stderr, the backend always closed."""
    return asyncio.run(_guarded(backend, work))


async def _guarded(backend: AwsBackend, work: Callable[[], Awaitable[int]]) -> int:
    try:
        code = await work()
    except (UsageError, DefinitionError, BackendError) as error:
        flush_notices(backend)
        fail(str(error))
        return exit_code(error)
    finally:
        await backend.close()
    flush_notices(backend)
    return code


def exit_code(error: Exception) -> int:
    if isinstance(error, UsageError | DefinitionError):
        return EXIT_USAGE
    if getattr(error, "code", None) in INVALID_REQUEST_CODES:  # an AWS ServiceError AWS deems invalid
        return EXIT_USAGE
    return EXIT_ACCOUNT


def flush_notices(backend: AwsBackend) -> None:
    """What the backend chose for the user (which log group, and why), once each, on stderr."""
    for notice in backend.notices:
        fail(notice)
    backend.notices.clear()


def _require_yes(backend: AwsBackend, kind: str, name: str, api: str) -> None:
    if backend.read_only:
        raise UsageError(f"no {kind} named {name!r} in the account: pass --yes to create it ({api})")


# ---------------------------------------------------------------- definitions in the account


async def account_rule(backend: AwsBackend, rule: PackDefinition) -> None:
    """The rule is in the account, else created (with --yes) on the command's log groups."""
    rules = (await backend.describe_insight_rules())["InsightRules"]
    found = next((item for item in rules if item.get("Name") == rule.name), None)
    if found is not None:
        if found.get("State") != "ENABLED":
            fail(f"rule {rule.name} is {found.get('State')} in the account: it counts nothing while it is")
        return
    _require_yes(backend, "Contributor Insights rule", rule.name, "PutInsightRule")
    names = [group.name for group in await backend.log_groups()]
    body = {key: value for key, value in rule.body.items() if key not in ("LogGroupNames", "LogGroupARNs")}
    await backend.put_insight_rule(rule.name, orjson.dumps({**body, "LogGroupNames": names}).decode())
    flush_notices(backend)
    fail(
        f"created Contributor Insights rule {rule.name} on {', '.join(names)}: it counts events from now "
        "on, so its first reports are empty"
    )


async def account_metric_filter(backend: AwsBackend, metric_filter: PackDefinition) -> dict[str, Any]:
    """The account's metric filter of that name, else the one created (with --yes) on the first log group."""
    filters = (await backend.describe_metric_filters())["metricFilters"]
    found = next((item for item in filters if item.get("filterName") == metric_filter.name), None)
    if found is not None:
        return dict(found)
    _require_yes(backend, "metric filter", metric_filter.name, "PutMetricFilter")
    group = (await backend.log_groups())[0]
    request = {**metric_filter.body, "logGroupName": group.name}
    await backend.put_metric_filter(request)
    transformation = request["metricTransformations"][0]
    flush_notices(backend)
    fail(
        f"created metric filter {metric_filter.name} on {group.name}: it publishes "
        f"{transformation['metricNamespace']}/{transformation['metricName']} for events from now on"
    )
    return request


async def account_alarm(
    backend: AwsBackend, alarm: PackDefinition, metric_filter: Callable[[], PackDefinition | None]
) -> dict[str, Any]:
    """DescribeAlarms for the alarm; when absent, (with --yes) its metric filter and the alarm are created."""
    described = await describe_alarm(backend, alarm.name)
    if described["MetricAlarms"]:
        return described
    _require_yes(backend, "alarm", alarm.name, "PutMetricAlarm")
    publishing = metric_filter()
    if publishing is not None:
        await account_metric_filter(backend, publishing)
    else:
        fail(f"no metric filter given for {alarm.body.get('Namespace')}/{alarm.body.get('MetricName')}")
    await backend.put_metric_alarm(alarm.body)
    fail(f"created alarm {alarm.name}: CloudWatch evaluates it from now on")
    return await describe_alarm(backend, alarm.name)


async def describe_alarm(backend: AwsBackend, name: str) -> dict[str, Any]:
    """DescribeAlarms for one alarm by name: {"MetricAlarms": [it]} or an empty list."""
    response = await backend.caller.call(backend.clients.cloudwatch, "describe_alarms", AlarmNames=[name])
    return {"MetricAlarms": with_times(response.get("MetricAlarms", []))}


# ---------------------------------------------------------------- reads the backend protocol lacks


async def published_metrics(backend: AwsBackend, transformation: dict[str, Any]) -> list[dict[str, Any]]:
    """ListMetrics: the metric a filter publishes, once per dimension values seen (at most 500)."""
    namespace, name = transformation["metricNamespace"], transformation["metricName"]
    wanted = set(transformation.get("dimensions") or {})
    params: dict[str, Any] = {"Namespace": namespace, "MetricName": name}
    metrics: list[dict[str, Any]] = []
    while len(metrics) < MAX_METRIC_QUERIES:
        page = await backend.caller.call(backend.clients.cloudwatch, "list_metrics", **params)
        metrics += [
            {**metric, "Dimensions": metric.get("Dimensions", [])}
            for metric in page.get("Metrics", [])
            if {dimension["Name"] for dimension in metric.get("Dimensions", [])} == wanted
        ]
        if not page.get("NextToken"):
            break
        params["NextToken"] = page["NextToken"]
    return metrics[:MAX_METRIC_QUERIES]


async def sample_events(backend: AwsBackend, start_ms: int, end_ms: int) -> list[dict[str, Any]]:
    """FilterLogEvents: the first events of the range (oldest first, group after group), at most 50."""
    events: list[dict[str, Any]] = []
    for group in await backend.log_groups():
        params: dict[str, Any] = {"startTime": start_ms, "endTime": end_ms - 1}
        params.update({"logGroupIdentifier": group.arn} if group.by_arn else {"logGroupName": group.name})
        while len(events) < MAX_TEST_MESSAGES:
            params["limit"] = MAX_TEST_MESSAGES - len(events)
            page = await backend.caller.call(backend.clients.logs, "filter_log_events", **params)
            events += page.get("events", [])
            if not page.get("nextToken"):
                break
            params["nextToken"] = page["nextToken"]
    return events[:MAX_TEST_MESSAGES]
