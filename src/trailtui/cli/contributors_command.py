"""`trailtui contributors (RULE.json | --pack NAME) [PATH ...]`: a Contributor Insights report over files.

The rule is checked as PutInsightRule checks it, the files are replayed through it, and the answer is the
GetInsightRuleReport response (`--format json`) or a ranked table. Without `--start`/`--end` the report
covers the replayed events, from the start of the period holding the first to the end of the one holding
the last. The report lists every period of its window, so when `--period` is not given and the window
would hold more than 1,440 periods (a trail spanning weeks), the period is widened to the first of 1h, 1d,
7d, 30d, 365d that fits, and stderr says so.

With `--live` (no PATH) the report is CloudWatch's: the rule of that name in the account
(DescribeInsightRules) answers GetInsightRuleReport over the time range (default: the last hour), with
`--period`, `--top` and `--order-by` in the request. A rule missing from the account is created
(PutInsightRule, on the log groups `--log-group` names, else the trail's) only with `--yes`, else the
command exits 2 saying so; a new rule counts events from then on, so its first reports are empty.
"""

from __future__ import annotations

import argparse
import sys
from functools import partial
from typing import TYPE_CHECKING, Any

import orjson

from trailtui.backends.base import RuleReportRequest
from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.cli import output
from trailtui.cli.definitions import add_pack_argument, definition_and_paths
from trailtui.cli.exit_codes import EXIT_OK
from trailtui.cli.inputs import fail
from trailtui.cli.live_options import add_live_arguments
from trailtui.cli.live_run import CommandRuns, account_rule, live_window, run_command
from trailtui.cli.replay_run import (
    add_replay_arguments,
    answering_replay,
    period_seconds,
    replayed_window,
)
from trailtui.packs import PackDefinition

if TYPE_CHECKING:  # boto3 is imported only when --live is used
    from trailtui.backends.aws import AwsBackend

DEFAULT_PERIOD_S = 300
WIDER_PERIODS_S = (3600, 86_400, 7 * 86_400, 30 * 86_400, 365 * 86_400)
MAX_DEFAULT_PERIODS = 1440


def add_contributors_parser(commands: Any) -> None:
    parser = commands.add_parser(
        "contributors",
        help="rank contributors with a Contributor Insights rule",
        description="Replay CloudTrail files through a Contributor Insights rule and print the "
        "GetInsightRuleReport answer; with --live, CloudWatch's report for the rule in the account (last "
        "hour by default; a missing rule is created only with --yes).",
        usage="trailtui contributors (RULE.json | --pack NAME) [PATH ...] [options]",
    )
    add_replay_arguments(parser)
    add_pack_argument(parser, "rule")
    parser.add_argument("--period", metavar="P", help="period of the datapoints: 5m (default), 1h, 300s ...")
    parser.add_argument("--top", type=int, default=10, metavar="N", help="contributors to list (1 to 100)")
    parser.add_argument("--order-by", choices=("Sum", "Maximum"), default="Sum")
    parser.add_argument("--format", choices=("table", "json"), default="table")
    add_live_arguments(parser)
    parser.set_defaults(run=partial(run_command, command=_contributors))


def _contributors(options: argparse.Namespace) -> CommandRuns[tuple[int, int]]:
    rule, options.paths = definition_and_paths(options, "rule", options.pack)
    options.period_s = period_seconds(options.period) if options.period else None
    return CommandRuns(
        local=lambda: answering_replay(
            options,
            lambda backend: backend.put_insight_rule(rule.name, orjson.dumps(rule.body).decode()),
            lambda backend, settings: _replayed_report(backend, settings, rule.name, options),
            lambda report: _print_report(report, options.format),
        ),
        window=live_window,
        live=lambda backend, window: _live_contributors(backend, rule, window, options),
    )


async def _replayed_report(
    backend: LocalBackend, settings: ReplaySettings, name: str, options: argparse.Namespace
) -> dict[str, Any]:
    """The report over the time range given, else over the replayed events' periods."""
    request = _report_request(name, *replayed_window(backend, settings), settings.start_ms is None, options)
    return await backend.get_insight_rule_report(request)


async def _live_contributors(
    backend: AwsBackend, rule: PackDefinition, window: tuple[int, int], options: argparse.Namespace
) -> int:
    await account_rule(backend, rule)
    request = _report_request(rule.name, *window, options.start is None, options)
    _print_report(await backend.get_insight_rule_report(request), options.format)
    return EXIT_OK


def _report_request(
    name: str, start_ms: int, end_ms: int, aligned: bool, options: argparse.Namespace
) -> RuleReportRequest:
    """The request over [start_ms, end_ms); `aligned`: its start moved back to the start of its period."""
    period_s = options.period_s or _default_period_s(start_ms, end_ms)
    if aligned:
        start_ms -= start_ms % (period_s * 1000)
    return RuleReportRequest(name, start_ms, end_ms, period_s, options.top, options.order_by)


def _print_report(report: dict[str, Any], format_name: str) -> None:
    sys.stdout.write(output.format_json(report) + "\n" if format_name == "json" else ranking_table(report))


def _default_period_s(start_ms: int, end_ms: int) -> int:
    for period_s in (DEFAULT_PERIOD_S, *WIDER_PERIODS_S):
        if (end_ms - start_ms) / (period_s * 1000) <= MAX_DEFAULT_PERIODS:
            if period_s != DEFAULT_PERIOD_S:
                days = (end_ms - start_ms) / 86_400_000
                fail(
                    f"the report spans {days:,.1f} days: period widened to {period_s}s (set it with --period)"
                )
            return period_s
    return WIDER_PERIODS_S[-1]


def ranking_table(report: dict[str, Any]) -> str:
    """The contributors ranked, one a row: rank, each key by its label, and the window's value."""
    labels = report["KeyLabels"]
    rows = [
        {
            "rank": str(rank),
            **dict(zip(labels, contributor["Keys"], strict=False)),
            report["AggregationStatistic"]: _number(contributor["ApproximateAggregateValue"]),
        }
        for rank, contributor in enumerate(report["Contributors"], start=1)
    ]
    summary = (
        f"{_number(report['AggregateValue'])} in all ({report['AggregationStatistic']}), "
        f"{report['ApproximateUniqueCount']:,} distinct contributors\n"
    )
    return output.format_table(rows) + summary


def _number(value: float) -> str:
    return f"{value:,.0f}" if float(value).is_integer() else f"{value:,.3f}"
