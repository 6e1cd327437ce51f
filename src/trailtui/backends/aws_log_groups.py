"""Which log groups the live backend reads: those named with --log-group, else the trail's, else the first.

The default follows CloudTrail: a trail that sends events to CloudWatch Logs names its group in
DescribeTrails' CloudWatchLogsLogGroupArn. Without one in this Region, the first group DescribeLogGroups
lists is used, and the notice says so, so the user can pass --log-group instead.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import Any

from trailtui.backends.aws_calls import Caller
from trailtui.backends.aws_errors import ServiceError
from trailtui.backends.aws_session import AwsClients
from trailtui.backends.base import BackendError, NotFound


@dataclass(frozen=True, slots=True)
class LogGroup:
    """A log group by name and ARN (without the trailing `:*`); `by_arn` when the user named it by ARN
    (perhaps in another account), so queries must name it by ARN too."""

    name: str
    arn: str
    by_arn: bool = False

    @property
    def account(self) -> str:
        return self.arn.split(":")[4]

    @property
    def identifier(self) -> str:
        """How StartQuery's logGroupIdentifiers names it."""
        return self.arn if self.by_arn else self.name

    @classmethod
    def from_arn(cls, arn: str, by_arn: bool = False) -> LogGroup:
        arn = arn.removesuffix(":*")
        if ":log-group:" not in arn:
            raise BackendError(f"not a log group ARN: {arn}")
        return cls(arn.split(":log-group:", 1)[1], arn, by_arn)


@dataclass(frozen=True, slots=True)
class LogGroupChoice:
    """The groups chosen, and a line telling the user how (None when they named them)."""

    groups: tuple[LogGroup, ...]
    notice: str | None


async def choose_log_groups(caller: Caller, clients: AwsClients, wanted: Sequence[str]) -> LogGroupChoice:
    if wanted:
        return LogGroupChoice(tuple([await _named_group(caller, clients, name) for name in wanted]), None)
    trail_group, trail_note = await _trail_group(caller, clients)
    if trail_group is not None:
        return LogGroupChoice((trail_group,), trail_note)
    listed = await caller.call(clients.logs, "describe_log_groups", limit=50)
    if not listed["logGroups"]:
        raise BackendError(f"no log groups in {clients.region}; pass --log-group NAME")
    first = listed_group(listed["logGroups"][0])
    return LogGroupChoice(
        (first,), f"{trail_note}; using the first log group, {first.name} (pass --log-group to choose)"
    )


async def _named_group(caller: Caller, clients: AwsClients, name: str) -> LogGroup:
    if name.startswith("arn:"):
        return LogGroup.from_arn(name, by_arn=True)
    listed = await caller.call(clients.logs, "describe_log_groups", logGroupNamePrefix=name, limit=50)
    for item in listed["logGroups"]:
        if item["logGroupName"] == name:
            return listed_group(item)
    raise NotFound(f"log group {name!r} not found in {clients.region}")


async def _trail_group(caller: Caller, clients: AwsClients) -> tuple[LogGroup | None, str]:
    """The first trail (by name) sending to a group in this Region; else why not, for the notice."""
    try:
        trails = (await caller.call(clients.cloudtrail, "describe_trails"))["trailList"]
    except ServiceError as error:
        return None, f"cannot read trails ({error})"
    for trail in sorted(trails, key=lambda trail: trail["Name"]):
        arn = trail.get("CloudWatchLogsLogGroupArn")
        if arn and arn.split(":")[3] == clients.region:
            group = LogGroup.from_arn(arn)
            return group, f"using log group {group.name}, where trail {trail['Name']} sends its events"
    return None, f"no trail sends events to CloudWatch Logs in {clients.region}"


def listed_group(item: dict[str, Any]) -> LogGroup:
    """A DescribeLogGroups item as a LogGroup."""
    arn = item.get("logGroupArn") or item["arn"]
    return LogGroup(item["logGroupName"], arn.removesuffix(":*"))
