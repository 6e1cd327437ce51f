"""Options that point a command at an AWS account instead of files, and the factory that picks the backend.

`--live` swaps local files for CloudWatch; `--profile`, `--region`, `--endpoint-url` and `--log-group` say
where, and `--yes` confirms writes (without it the live backend refuses every put_*).
"""

from __future__ import annotations

import argparse
import sys

from trailtui.backends.base import Backend
from trailtui.backends.local import LocalBackend
from trailtui.cli.inputs import UsageError, fail, input_paths

LIVE_ONLY = ("profile", "region", "endpoint_url", "log_group")


def add_live_arguments(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("live account (CloudWatch through boto3 instead of files)")
    group.add_argument("--live", action="store_true", help="query the AWS account instead of files")
    group.add_argument(
        "--profile", metavar="NAME", help="AWS profile (default: the standard credential chain)"
    )
    group.add_argument("--region", metavar="REGION", help="AWS Region (default: the profile's or AWS_REGION)")
    group.add_argument(
        "--endpoint-url", metavar="URL", help="a CloudWatch-compatible endpoint instead of AWS's"
    )
    group.add_argument(
        "--log-group",
        action="append",
        default=[],
        metavar="NAME",
        help="log group name or ARN; repeatable (default: the trail's log group)",
    )
    group.add_argument(
        "--yes",
        action="store_true",
        help="confirm changes to the account (saving queries, rules, filters, alarms)",
    )


def backend_from_options(options: argparse.Namespace, paths: list[str]) -> Backend:
    """AwsBackend with --live (read-only unless --yes), else LocalBackend over `paths`; UsageError for
    live-only options without --live or paths with it; BackendError for a bad profile or no Region."""
    if not options.live:
        misplaced = [name for name in LIVE_ONLY if getattr(options, name)]
        if misplaced:
            raise UsageError(f"--{misplaced[0].replace('_', '-')} needs --live")
        return LocalBackend(input_paths(paths), stdin=sys.stdin.buffer if "-" in paths else None)
    if paths:
        raise UsageError(f"--live reads the account, not files: remove {paths[0]}")
    from trailtui.backends.aws import AwsBackend  # boto3 loads only when --live is used
    from trailtui.backends.aws_session import AwsOptions

    aws_options = AwsOptions(options.profile, options.region, options.endpoint_url, tuple(options.log_group))
    return AwsBackend.connect(aws_options, read_only=not options.yes)


def print_notices(backend: Backend) -> None:
    """What the live backend chose for the user (which log group, and why), one line each on stderr."""
    for notice in getattr(backend, "notices", ()):
        fail(notice)
