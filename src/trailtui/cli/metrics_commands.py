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
"""

from __future__ import annotations

import argparse
import asyncio
import sys
from datetime import UTC
from typing import Any

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
from trailtui.cli.inputs import UsageError, add_path_argument, fail, input_paths, print_input_report
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
from trailtui.events.readers import read_paths
from trailtui.events.timestamps import format_timestamp
from trailtui.metrics.filters import MetricFilterError
from trailtui.metrics.series import is_statistic
from trailtui.metrics.testing import test_metric_filter
from trailtui.packs import PackDefinition


def add_metrics_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "metrics",
        help="graph a metric filter's metric",
        description="Replay CloudTrail files through a metric filter (a PutMetricFilter request) and print "
        "the GetMetricData answer.",
        usage="trailtui metrics (FILTER.json | --pack NAME) [PATH ...] [options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "metric-filter")
    parser.add_argument("--period", default="5m", metavar="P", help="period: 5m (default), 1h, ...")
    parser.add_argument(
        "--stat", default="Sum", help="Sum (default), Average, Minimum, Maximum, SampleCount, p99"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run_metrics_command)


def add_alarms_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "alarms",
        help="evaluate an alarm on a metric filter's metric",
        description="Replay CloudTrail files through a metric filter and evaluate an alarm (a PutMetricAlarm "
        "request) on the replay clock; print its transitions and final state.",
        usage="trailtui alarms (ALARM.json | --pack NAME) [--filter FILTER.json] [PATH ...] [options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "alarm")
    source = parser.add_mutually_exclusive_group()
    source.add_argument("--filter", metavar="FILTER.json", help="the metric filter publishing the metric")
    add_pack_argument(source, "metric-filter", "--filter-pack")
    parser.add_argument(
        "--on-alarm", metavar="COMMAND", help="run COMMAND (shell) when the alarm fires; its JSON on stdin"
    )
    parser.add_argument("--format", choices=("table", "json"), default="table")
    parser.set_defaults(run=run_alarms_command)


def add_test_pattern_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "test-pattern",
        help="which events a filter pattern matches",
        description="Test a metric filter pattern on the events of CloudTrail files, like TestMetricFilter.",
        usage="trailtui test-pattern (PATTERN | --pack NAME) [PATH ...] [options]",
    )
    add_path_argument(parser)
    add_pack_argument(parser, "metric-filter")
    parser.add_argument("--format", choices=("table", "json"), default="json")
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
        settings = replay_settings(options)
        backend = replay_backend(options, settings)
    except (DefinitionError, UsageError, ValueError) as error:
        fail(str(error))
        return EXIT_USAGE
    return asyncio.run(_metrics(backend, settings, metric_filter, options))


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
        queries = _metric_queries(backend, metric_filter.body, options.period_s, options.stat)
        start_ms, end_ms = _window_ms(backend, settings, options.period_s)
        data = await backend.get_metric_data(queries, start_ms, end_ms)
    except BackendError as error:
        fail(str(error))
        return EXIT_USAGE
    finally:
        await backend.close()
    sys.stdout.write(output.format_json(data) + "\n" if options.format == "json" else metric_table(data))
    return 0


def _metric_period_s(text: str) -> int:
    period_s = period_seconds(text)
    if period_s % 60:
        raise UsageError(f"--period must be a multiple of 60 seconds for metrics: {text!r}")
    return period_s


def _metric_queries(
    backend: LocalBackend, request: dict[str, Any], period_s: int, stat: str
) -> list[dict[str, Any]]:
    """One MetricStat query per metric the filter published (its plain metric when it published none)."""
    transformation = request["metricTransformations"][0]
    namespace, name = transformation["metricNamespace"], transformation["metricName"]
    metrics = [
        metric
        for metric in backend.list_metrics()["Metrics"]
        if (metric["Namespace"], metric["MetricName"]) == (namespace, name)
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
        metric_filter = _alarm_filter(options, alarm)
        settings = replay_settings(options)
        backend = replay_backend(options, settings)
    except (DefinitionError, UsageError, ValueError) as error:
        fail(str(error))
        return EXIT_USAGE
    return asyncio.run(_alarms(backend, alarm, metric_filter, options))


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
    sys.stdout.write(output.format_json(answer) + "\n" if options.format == "json" else alarm_table(answer))
    return 0


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
    except (DefinitionError, UsageError) as error:
        fail(str(error))
        return EXIT_USAGE
    stdin = sys.stdin.buffer if "-" in paths else None
    report = InputReport()
    events = []
    for reading in read_paths(input_paths(paths), stdin):
        report.problem_lines.extend(filter(None, [reading.problem_line()]))
        events.extend(reading.events)
    print_input_report(report)
    if not events:
        fail("no events could be read")
        return EXIT_NO_INPUT
    try:
        answer = tested(pattern, [event.message for event in events])
    except MetricFilterError as error:
        fail(str(error))
        return EXIT_USAGE
    if options.format == "json":
        sys.stdout.write(output.format_json(answer) + "\n")
    else:
        sys.stdout.write(match_table(answer, events))
    return 0


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


def match_table(answer: dict[str, Any], events: list[Any]) -> str:
    rows = []
    for match in answer["matches"]:
        event = events[match["eventNumber"]]
        values = " ".join(f"{name}={value}" for name, value in match["extractedValues"].items())
        rows.append(
            {
                "eventNumber": str(match["eventNumber"]),
                "time": format_timestamp(event.timestamp_ms),
                "eventName": str(event.record.get("eventName", "")),
                "extractedValues": values,
            }
        )
    return (
        output.format_table(rows) if rows else "(no matches)\n"
    ) + f"{len(rows):,} of {len(events):,} events match\n"


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
