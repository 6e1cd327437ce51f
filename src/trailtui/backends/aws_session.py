"""The boto3 session and clients the live backend uses: the standard credential chain, a profile, a Region,
and an endpoint URL for tests and CloudWatch-compatible services."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

import boto3
from botocore.config import Config

from trailtui.backends.aws_errors import translate
from trailtui.backends.base import BackendError


@dataclass(frozen=True, slots=True)
class AwsOptions:
    """How to reach the account: `--profile`, `--region`, `--endpoint-url`, `--log-group` (names or ARNs)."""

    profile: str | None = None
    region: str | None = None
    endpoint_url: str | None = None
    log_groups: tuple[str, ...] = field(default_factory=tuple)


@dataclass(frozen=True, slots=True)
class AwsClients:
    """One client per service; boto3 clients are safe to share between threads."""

    logs: Any
    cloudwatch: Any
    cloudtrail: Any

    @property
    def region(self) -> str:
        return str(self.logs.meta.region_name)

    def close(self) -> None:
        for client in (self.logs, self.cloudwatch, self.cloudtrail):
            client.close()


def client_config(endpoint_url: str | None) -> Config:
    """One attempt per botocore call (Caller retries and counts); long reads for Live Tail.

    A custom endpoint gets no host prefix, so Live Tail goes to the URL given rather than `stream-<host>`.
    """
    return Config(
        retries={"total_max_attempts": 1, "mode": "standard"},
        connect_timeout=10,
        read_timeout=70,
        inject_host_prefix=endpoint_url is None,
        user_agent_extra="trailtui",
    )


def open_clients(options: AwsOptions) -> AwsClients:
    """Clients for logs, cloudwatch and cloudtrail; raises BackendError for a bad profile or no Region."""
    try:
        session = boto3.Session(profile_name=options.profile, region_name=options.region)
        if session.region_name is None:
            raise BackendError("no AWS Region (pass --region, or set AWS_REGION or a profile's region)")
        config = client_config(options.endpoint_url)
        clients = [
            session.client(name, endpoint_url=options.endpoint_url, config=config)
            for name in ("logs", "cloudwatch", "cloudtrail")
        ]
    except Exception as error:
        raise translate(error, "session", options.endpoint_url or "AWS") from error
    return AwsClients(*clients)
