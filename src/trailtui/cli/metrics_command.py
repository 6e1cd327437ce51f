"""`trailtui metrics (FILTER.json | --pack NAME) [PATH ...]`: a metric filter's metric over files.

The files are replayed through a PutMetricFilter request; the answer is GetMetricData's (one result per
metric the filter published, `Id` m1, m2 ...), over the time range given or else the replayed events'
periods.

With `--live` (no PATH) the answer comes from the AWS account in the same shape (see cli/live_run for the
options, the default time range of the last hour, exit codes, and when definitions are created): the
account's metric filter of that name (DescribeMetricFilters; created only with `--yes`), its metric once
per dimension values ListMetrics knows, through GetMetricData.
"""

from __future__ import annotations

import argparse
import sys
from datetime import UTC
from functools import partial
from typing import TYPE_CHECKING, Any

from trailtui.backends.base import Backend
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.cli import output
from trailtui.cli.definitions import add_pack_argument, definition_and_paths
from trailtui.cli.exit_codes import EXIT_OK
from trailtui.cli.inputs import UsageError
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import (
    CommandRuns,
    account_metric_filter,
    live_window,
    published_metrics,
    run_command,
)
from trailtui.cli.replay_run import (
    add_replay_arguments,
    answering_replay,
    period_seconds,
    replayed_window,
)
from trailtui.metrics.series import is_statistic
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
    parser.set_defaults(run=partial(run_command, command=_metrics))


def _metrics(options: argparse.Namespace) -> CommandRuns[tuple[int, int]]:
    metric_filter, options.paths = definition_and_paths(options, "metric-filter", options.pack)
    options.period_s = _metric_period_s(options.period)
    if not is_statistic(options.stat):
        raise UsageError(f"--stat must be Sum, Average, Minimum, Maximum, SampleCount or pNN: {options.stat}")
    return CommandRuns(
        local=lambda: answering_replay(
            options,
            lambda backend: backend.put_metric_filter(metric_filter.body),
            lambda backend, settings: _replayed_metric_data(backend, settings, metric_filter, options),
            lambda data: _print_metric_data(data, options.format),
        ),
        window=live_window,
        live=lambda backend, window: _live_metrics(backend, metric_filter, window, options),
    )


async def _live_metrics(
    backend: AwsBackend, metric_filter: PackDefinition, window: tuple[int, int], options: argparse.Namespace
) -> int:
    transformation = (await account_metric_filter(backend, metric_filter))["metricTransformations"][0]
    metrics = await published_metrics(backend, transformation)
    data = await _metric_data(backend, metrics, transformation, window, options.start is None, options)
    _print_metric_data(data, options.format)
    return EXIT_OK


async def _replayed_metric_data(
    backend: LocalBackend,
    settings: ReplaySettings,
    metric_filter: PackDefinition,
    options: argparse.Namespace,
) -> dict[str, Any]:
    """Over the time range given, else over the replayed events' periods."""
    transformation = metric_filter.body["metricTransformations"][0]
    metrics = backend.list_metrics()["Metrics"]
    window = replayed_window(backend, settings)
    return await _metric_data(backend, metrics, transformation, window, settings.start_ms is None, options)


async def _metric_data(
    backend: Backend,
    metrics: list[dict[str, Any]],
    transformation: dict[str, Any],
    window: tuple[int, int],
    aligned: bool,
    options: argparse.Namespace,
) -> dict[str, Any]:
    """GetMetricData over [start, end) for the listed `metrics`; `aligned`: the start moved back to the
    start of its period."""
    queries = metric_queries(metrics, transformation, options.period_s, options.stat)
    start_ms, end_ms = window
    if aligned:
        start_ms -= start_ms % (options.period_s * 1000)
    return await backend.get_metric_data(queries, start_ms, end_ms)


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


def _number(value: float) -> str:
    return f"{value:g}" if abs(value) < 1e15 else f"{value:.6g}"
