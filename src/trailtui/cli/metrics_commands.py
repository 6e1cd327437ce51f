"""`trailtui metrics`, `trailtui alarms` and `trailtui test-pattern`: metric filters and alarms over files.

- `metrics (FILTER.json | --pack NAME) [PATH ...]`: the files replayed through a PutMetricFilter request;
  the answer is GetMetricData's (one result per metric the filter published, `Id` m1, m2 ...), over the
  time range given or else the replayed events' periods.
- `alarms (ALARM.json | --pack NAME) [--filter FILTER.json | --filter-pack NAME] [PATH ...]`: a
  PutMetricAlarm request evaluated on the replay clock over the metric its filter publishes (without a
  filter option, the pack filter that publishes the alarm's metric); the answer is the alarm's
  DescribeAlarms item and its DescribeAlarmHistory items, newest first. `--on-alarm COMMAND` runs COMMAND
  through the shell whenever the alarm enters ALARM, with the state-change event's JSON on stdin.
- `test-pattern (PATTERN | --pack NAME) [PATH ...]`: TestMetricFilter over the files' events (numbered
  from 0 across all of them; AWS takes 50 messages a call, this takes any number).

With `--live` (no PATH) each answers from the AWS account, in the same shapes (see cli/live_run for the
options, the default time range of the last hour, exit codes, and when definitions are created):
- `metrics --live`: the account's metric filter of that name (DescribeMetricFilters; created only with
  `--yes`), its metric once per dimension values ListMetrics knows, through GetMetricData.
- `alarms --live`: DescribeAlarms for the alarm and its DescribeAlarmHistory state changes (what AWS keeps,
  about two weeks; `--start`/`--end`/`--since` narrow them). A missing alarm is created only with `--yes`
  (PutMetricAlarm, after PutMetricFilter for its filter when that is missing too). `--on-alarm` is refused:
  in an account, CloudWatch runs the alarm's own actions (AlarmActions: SNS, EventBridge).
- `test-pattern --live`: TestMetricFilter on the first 50 events (AWS's limit for one call) that
  FilterLogEvents gives for the log groups over the time range, numbered from 0 in that order.
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

import orjson

from trailtui.backends.alarm_command import AlarmCommand
from trailtui.backends.base import BackendError, InputReport
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.cli import output
from trailtui.cli.definitions import (
    DefinitionError,
    add_pack_argument,
    definition_and_paths,
    definition_file,
    loaded_packs,
    pack_definition,
)
from trailtui.cli.inputs import (
    UsageError,
    add_path_argument,
    add_time_arguments,
    fail,
    input_paths,
    print_input_report,
    time_range,
)
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import (
    account_alarm,
    account_metric_filter,
    check_options,
    live_window,
    open_live,
    published_metrics,
    run_live,
    sample_events,
)
from trailtui.cli.replay_run import (
    EXIT_NO_INPUT,
    EXIT_USAGE,
    add_replay_arguments,
    period_seconds,
    replay_backend,
    replay_settings,
    replay_with_progress,
    report_replay_problems,
)
from trailtui.events.model import Event
from trailtui.events.readers import read_paths
from trailtui.events.timestamps import format_timestamp
from trailtui.metrics.filters import MetricFilterError
from trailtui.metrics.series import is_statistic
from trailtui.metrics.testing import test_metric_filter
from trailtui.packs import PackDefinition

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend


def add_metrics_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "metrics",
        help="graph a metric filter's metric",
        description="Replay CloudTrail files through a metric filter (a PutMetricFilter request) and print "
        "the GetMetricData answer; with --live, CloudWatch's data for the filter's metric in the account "
        "(last hour by default; a missing filter is created only with --yes).",
        usage="trailtui metrics (FILTER.json | --pack NAME) [PATH ... | --live] [options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "metric-filter")
    parser.add_argument("--period", default="5m", metavar="P", help="period: 5m (default), 1h, ...")
    parser.add_argument(
        "--stat", default="Sum", help="Sum (default), Average, Minimum, Maximum, SampleCount, p99"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    add_live_arguments(parser)
    parser.set_defaults(run=run_metrics_command)


def add_alarms_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "alarms",
        help="evaluate an alarm on a metric filter's metric",
        description="Replay CloudTrail files through a metric filter and evaluate an alarm (a PutMetricAlarm "
        "request) on the replay clock; print its transitions and final state. With --live, the alarm's "
        "state and state changes in the account (a missing alarm is created only with --yes).",
        usage="trailtui alarms (ALARM.json | --pack NAME) [--filter FILTER.json] [PATH ... | --live] "
        "[options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "alarm")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--filter", metavar="FILTER.json", help="the metric filter publishing the metric")
    add_pack_argument(source, "metric-filter", "--filter-pack")
    parser.add_argument(
        "--on-alarm",
        metavar="COMMAND",
        help="run COMMAND (shell) when the alarm fires; its JSON on stdin (files only: with --live, "
        "CloudWatch runs the alarm's AlarmActions)",
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    add_live_arguments(parser)
    parser.set_defaults(run=run_alarms_command)


def add_test_pattern_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "test-pattern",
        help="which events a filter pattern matches",
        description="Test a metric filter pattern on the events of CloudTrail files, like TestMetricFilter; "
        "with --live, TestMetricFilter on the first 50 events of the account's log groups in the time "
        "range (last hour by default).",
        usage="trailtui test-pattern (PATTERN | --pack NAME) [PATH ... | --live] [options]",
    )
    add_path_argument(parser)
    add_time_arguments(parser)
    add_pack_argument(parser, "metric-filter")
    parser.add_argument("--format", choices=("table", "json"), default="json")
    add_live_arguments(parser)
    parser.set_defaults(run=run_test_pattern_command, paths_anywhere=True)


# ---------------------------------------------------------------- metrics


def run_metrics_command(options: argparse.Namespace) -> int:
    try:
        metric_filter, options.paths = definition_and_paths(options, "metric-filter", options.pack)
        options.period_s = _metric_period_s(options.period)
        if not is_statistic(options.stat):
            raise UsageError(
                f"--stat must be Sum, Average, Minimum, Maximum, SampleCount or pNN: {options.stat}"
            )
        check_options(options, {})
        if options.live:
            window = live_window(options)
            live = open_live(options, options.paths)
            return run_live(live, lambda: _live_metrics(live, metric_filter, window, options))
        settings = replay_settings(options)
        backend = replay_backend(options, settings)
    except (DefinitionError, UsageError, ValueError) as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    return asyncio.run(_metrics(backend, settings, metric_filter, options))


async def _live_metrics(
    backend: AwsBackend, metric_filter: PackDefinition, window: tuple[int, int], options: argparse.Namespace
) -> int:
    transformation = (await account_metric_filter(backend, metric_filter))["metricTransformations"][0]
    metrics = await published_metrics(backend, transformation)
    queries = metric_queries(metrics, transformation, options.period_s, options.stat)
    start_ms, end_ms = window
    if options.start is None:
        start_ms -= start_ms % (options.period_s * 1000)
    _print_metric_data(await backend.get_metric_data(queries, start_ms, end_ms), options.format)
    return 0


async def _metrics(
    backend: LocalBackend,
    settings: ReplaySettings,
    metric_filter: PackDefinition,
    options: argparse.Namespace,
) -> int:
    try:
        await backend.put_metric_filter(metric_filter.body)
        await replay_with_progress(backend)
        if report_replay_problems(backend):
            return EXIT_NO_INPUT
        transformation = metric_filter.body["metricTransformations"][0]
        metrics = backend.list_metrics()["Metrics"]
        queries = metric_queries(metrics, transformation, options.period_s, options.stat)
        start_ms, end_ms = _window_ms(backend, settings, options.period_s)
        data = await backend.get_metric_data(queries, start_ms, end_ms)
    except BackendError as error:
        fail(str(error))
        return EXIT_USAGE
    finally:
        await backend.close()
    _print_metric_data(data, options.format)
    return 0


def _print_metric_data(data: dict[str, Any], format_name: str) -> None:
    sys.stdout.write(output.format_json(data) + "\n" if format_name == "json" else metric_table(data))


def _metric_period_s(text: str) -> int:
    period_s = period_seconds(text)
    if period_s % 60:
        raise UsageError(f"--period must be a multiple of 60 seconds for metrics: {text!r}")
    return period_s


def metric_queries(
    listed: list[dict[str, Any]], transformation: dict[str, Any], period_s: int, stat: str
) -> list[dict[str, Any]]:
    """One MetricStat query per listed metric the filter published (its plain metric when it published
    none); `listed` is a ListMetrics answer's Metrics."""
    namespace, name = transformation["metricNamespace"], transformation["metricName"]
    metrics = [
        metric for metric in listed if (metric["Namespace"], metric["MetricName"]) == (namespace, name)
    ] or [{"Namespace": namespace, "MetricName": name, "Dimensions": []}]
    return [
        {
            "Id": f"m{number}",
            "Label": " ".join([name, *(f"{d['Name']}={d['Value']}" for d in metric["Dimensions"])]),
            "MetricStat": {"Metric": metric, "Period": period_s, "Stat": stat},
        }
        for number, metric in enumerate(metrics, start=1)
    ]


def _window_ms(backend: LocalBackend, settings: ReplaySettings, period_s: int) -> tuple[int, int]:
    first_ms, last_ms = backend.processed_span_ms() or (0, 0)
    start_ms = settings.start_ms if settings.start_ms is not None else first_ms - first_ms % (period_s * 1000)
    end_ms = settings.end_ms + 1 if settings.end_ms is not None else last_ms + 1
    return start_ms, end_ms


def metric_table(data: dict[str, Any]) -> str:
    """One row a datapoint, oldest first: time, metric label, value."""
    rows = [
        {
            "Timestamp": moment.astimezone(UTC).strftime("%Y-%m-%dT%H:%M:%SZ"),
            "Label": result["Label"],
            "Value": _number(value),
        }
        for result in data["MetricDataResults"]
        for moment, value in reversed(list(zip(result["Timestamps"], result["Values"], strict=True)))
    ]
    return output.format_table(rows) if rows else "(no datapoints)\n"


# ---------------------------------------------------------------- alarms


def run_alarms_command(options: argparse.Namespace) -> int:
    try:
        alarm, options.paths = definition_and_paths(options, "alarm", options.pack)
        check_options(options, {"on_alarm": ON_ALARM_LIVE})
        if options.live:
            window = time_range(options)
            live = open_live(options, options.paths)
            return run_live(live, lambda: _live_alarms(live, alarm, window, options))
        metric_filter = _alarm_filter(options, alarm)
        settings = replay_settings(options)
        backend = replay_backend(options, settings)
    except (DefinitionError, UsageError, ValueError) as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    return asyncio.run(_alarms(backend, alarm, metric_filter, options))


ON_ALARM_LIVE = (
    "--on-alarm runs on the replay of files; in an account, give the alarm AlarmActions (SNS, EventBridge) "
    "and CloudWatch runs them"
)


async def _live_alarms(
    backend: AwsBackend,
    alarm: PackDefinition,
    window: tuple[int | None, int | None],
    options: argparse.Namespace,
) -> int:
    """DescribeAlarms for the alarm and its state changes in the window (all AWS keeps by default)."""
    described = await account_alarm(backend, alarm, lambda: _live_alarm_filter(options, alarm))
    history = (await backend.describe_alarm_history(alarm.name))["AlarmHistoryItems"]
    start_ms, end_ms = window
    changes = [
        item
        for item in history
        if item.get("HistoryItemType") == "StateUpdate"
        and (start_ms or 0) <= _epoch_ms(item["Timestamp"]) <= (end_ms if end_ms is not None else 2**63)
    ]
    _print_alarm_answer({**described, "AlarmHistoryItems": changes}, options.format)
    return 0


def _live_alarm_filter(options: argparse.Namespace, alarm: PackDefinition) -> PackDefinition | None:
    """The filter to create with a missing alarm: the one given, else the pack's; None when no pack filter
    publishes the alarm's metric (something else may publish it in an account)."""
    try:
        return _alarm_filter(options, alarm)
    except DefinitionError:
        if options.filter or options.filter_pack:
            raise
        return None


def _epoch_ms(stamp: str) -> int:
    return int(datetime.fromisoformat(stamp).timestamp() * 1000)


def _alarm_filter(options: argparse.Namespace, alarm: PackDefinition) -> PackDefinition:
    """The filter given, else the one pack filter that publishes the alarm's metric."""
    if options.filter:
        return definition_file(options.filter, "metric-filter")
    if options.filter_pack:
        return pack_definition("metric-filter", options.filter_pack)
    metric = (alarm.body.get("Namespace"), alarm.body.get("MetricName"))
    publishing = [
        definition
        for definition in loaded_packs().of_kind("metric-filter")
        if _published_metric(definition.body) == metric
    ]
    if len(publishing) != 1:
        found = "no" if not publishing else "more than one"
        raise DefinitionError(
            f"{found} pack metric filter publishes {metric[0]}/{metric[1]}: pass --filter FILTER.json"
        )
    return publishing[0]


def _published_metric(request: dict[str, Any]) -> tuple[Any, Any] | None:
    transformations = request.get("metricTransformations")
    if (
        not isinstance(transformations, list)
        or not transformations
        or not isinstance(transformations[0], dict)
    ):
        return None
    return transformations[0].get("metricNamespace"), transformations[0].get("metricName")


async def _alarms(
    backend: LocalBackend, alarm: PackDefinition, metric_filter: PackDefinition, options: argparse.Namespace
) -> int:
    command = AlarmCommand(options.on_alarm) if options.on_alarm else None
    try:
        await backend.put_metric_filter(metric_filter.body)
        await backend.put_metric_alarm(alarm.body)
        if command is not None:
            backend.on_alarm(command)
        await replay_with_progress(backend)
        if report_replay_problems(backend):
            return EXIT_NO_INPUT
        answer = {
            **await backend.describe_alarms(),
            **await backend.describe_alarm_history(alarm.name),
        }
    except BackendError as error:
        fail(str(error))
        return EXIT_USAGE
    finally:
        await backend.close()
        if command is not None:
            await asyncio.to_thread(command.close)
    _print_alarm_answer(answer, options.format)
    return 0


def _print_alarm_answer(answer: dict[str, Any], format_name: str) -> None:
    sys.stdout.write(output.format_json(answer) + "\n" if format_name == "json" else alarm_table(answer))


def alarm_table(answer: dict[str, Any]) -> str:
    """The transitions oldest first, then the final state and its reason."""
    rows = [
        {"Timestamp": item["Timestamp"], "Alarm": item["AlarmName"], "Change": item["HistorySummary"]}
        for item in reversed(answer["AlarmHistoryItems"])
    ]
    lines = [output.format_table(rows) if rows else "(no state changes)\n"]
    for alarm in answer["MetricAlarms"]:
        lines.append(f"{alarm['AlarmName']}: {alarm['StateValue']} ({alarm['StateReason']})\n")
    return "".join(lines)


# ---------------------------------------------------------------- test-pattern


def run_test_pattern_command(options: argparse.Namespace) -> int:
    try:
        pattern, paths = _pattern_and_paths(options)
        check_options(options, {})
        if options.live:
            window = live_window(options)
            live = open_live(options, paths)
            return run_live(live, lambda: _live_test_pattern(live, pattern, window, options.format))
        start_ms, end_ms = time_range(options)
    except (DefinitionError, UsageError) as error:
        fail(str(error))
        return EXIT_USAGE
    except BackendError as error:
        fail(str(error))
        return EXIT_NO_INPUT
    stdin = sys.stdin.buffer if "-" in paths else None
    report = InputReport()
    events: list[Event] = []
    for reading in read_paths(input_paths(paths), stdin):
        report.problem_lines.extend(filter(None, [reading.problem_line()]))
        events.extend(
            event
            for event in reading.events
            if (start_ms is None or event.timestamp_ms >= start_ms)
            and (end_ms is None or event.timestamp_ms <= end_ms)
        )
    print_input_report(report)
    if not events:
        fail("no events could be read" + (" in the time range" if (start_ms, end_ms) != (None, None) else ""))
        return EXIT_NO_INPUT
    try:
        answer = tested(pattern, [event.message for event in events])
    except MetricFilterError as error:
        fail(str(error))
        return EXIT_USAGE
    samples = [(event.timestamp_ms, event.record.get("eventName")) for event in events]
    _print_matches(answer, samples, options.format)
    return 0


async def _live_test_pattern(
    backend: AwsBackend, pattern: str, window: tuple[int, int], format_name: str
) -> int:
    events = await sample_events(backend, *window)
    if not events:
        raise BackendError("no events in the log groups in the time range (widen it with --since or --start)")
    answer = await backend.test_metric_filter(pattern, [event["message"] for event in events])
    _print_matches(
        answer, [(event["timestamp"], _event_name(event["message"])) for event in events], format_name
    )
    return 0


def _event_name(message: str) -> Any:
    try:
        record = orjson.loads(message)
    except orjson.JSONDecodeError:
        return None
    return record.get("eventName") if isinstance(record, dict) else None


def _print_matches(answer: dict[str, Any], samples: list[tuple[int, Any]], format_name: str) -> None:
    if format_name == "json":
        sys.stdout.write(output.format_json(answer) + "\n")
    else:
        sys.stdout.write(match_table(answer, samples))


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


def match_table(answer: dict[str, Any], events: list[tuple[int, Any]]) -> str:
    """One row a match: its number, and the time and eventName of the event tested (`events`)."""
    rows = []
    for match in answer["matches"]:
        number = match["eventNumber"]
        timestamp_ms, event_name = events[number] if 0 <= number < len(events) else (None, None)
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
    ) + f"{len(rows):,} of {len(events):,} events match\n"


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
