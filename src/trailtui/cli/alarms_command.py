"""`trailtui alarms (ALARM.json | --pack NAME) [--filter FILTER.json | --filter-pack NAME] [PATH ...]`: an
alarm evaluated over files.

A PutMetricAlarm request is evaluated on the replay clock over the metric its filter publishes (without a
filter option, the pack filter that publishes the alarm's metric); the answer is the alarm's DescribeAlarms
item and its DescribeAlarmHistory items, newest first. `--on-alarm COMMAND` runs COMMAND through the shell
whenever the alarm enters ALARM, with the state-change event's JSON on stdin.

With `--live` (no PATH) the answer comes from the AWS account in the same shape (see cli/live_run for the
options, exit codes, and when definitions are created): DescribeAlarms for the alarm and its
DescribeAlarmHistory state changes (what AWS keeps, about two weeks; `--start`/`--end`/`--since` narrow
them). A missing alarm is created only with `--yes` (PutMetricAlarm, after PutMetricFilter for its filter
when that is missing too). `--on-alarm` is refused: in an account, CloudWatch runs the alarm's own actions
(AlarmActions: SNS, EventBridge).
"""

from __future__ import annotations

import argparse
import sys
from collections.abc import Callable
from datetime import datetime
from functools import partial
from typing import TYPE_CHECKING, Any

from trailtui.backends.alarm_command import AlarmCommand
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
from trailtui.cli.exit_codes import EXIT_OK
from trailtui.cli.inputs import time_range
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import CommandRuns, account_alarm, run_command
from trailtui.cli.replay_run import add_replay_arguments, answering_replay
from trailtui.packs import PackDefinition

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend

ON_ALARM_LIVE = (
    "--on-alarm runs on the replay of files; in an account, give the alarm AlarmActions (SNS, EventBridge) "
    "and CloudWatch runs them"
)


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
    parser.set_defaults(run=partial(run_command, command=_alarms))


def _alarms(options: argparse.Namespace) -> CommandRuns[tuple[int | None, int | None]]:
    alarm, options.paths = definition_and_paths(options, "alarm", options.pack)
    return CommandRuns(
        local=lambda: _replayed_alarm(alarm, _alarm_filter(options, alarm), options),
        window=time_range,
        live=lambda backend, window: _live_alarms(backend, alarm, window, options),
        file_only={"on_alarm": ON_ALARM_LIVE},
    )


def _replayed_alarm(
    alarm: PackDefinition, metric_filter: PackDefinition, options: argparse.Namespace
) -> Callable[[], int]:
    """The alarm evaluated over the replay, `--on-alarm` run on its way into ALARM."""
    command = AlarmCommand(options.on_alarm) if options.on_alarm else None

    async def put_definitions(backend: LocalBackend) -> None:
        await backend.put_metric_filter(metric_filter.body)
        await backend.put_metric_alarm(alarm.body)
        if command is not None:
            backend.on_alarm(command)

    async def described(backend: LocalBackend, _settings: ReplaySettings) -> dict[str, Any]:
        return {**await backend.describe_alarms(), **await backend.describe_alarm_history(alarm.name)}

    return answering_replay(
        options,
        put_definitions,
        described,
        lambda answer: _print_alarm_answer(answer, options.format),
        closing=command.close if command is not None else None,
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
    return EXIT_OK


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
