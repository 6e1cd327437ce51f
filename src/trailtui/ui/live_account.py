"""What the console uses of a backend on an AWS account, beyond the Backend protocol: the notices of
choices made for the user, the connection's health, the log groups it reads, and writes confirmed one
at a time. A structural protocol, so the console names no boto3 class and local files need none of it."""

from __future__ import annotations

from typing import TYPE_CHECKING, Protocol, runtime_checkable

if TYPE_CHECKING:
    from trailtui.backends.aws_log_groups import LogGroup


class ConnectionHealth(Protocol):
    def summary(self) -> str:
        """Throttling, retries, the tail's state and the last failure; empty when all is well."""
        ...


@runtime_checkable
class LiveAccount(Protocol):
    """The live backend's extras (see AwsBackend)."""

    read_only: bool
    """True until `--yes`: every write needs the user's confirmation."""
    notices: list[str]
    """Lines about choices made for the user (which log group, and why), oldest first."""

    @property
    def health(self) -> ConnectionHealth: ...

    def allow_write(self, api: str) -> None:
        """Let the next call of `api` through once: the user confirmed it."""
        ...

    async def log_groups(self) -> tuple[LogGroup, ...]:
        """The groups queries and tails read, chosen on first use."""
        ...

    async def list_log_groups(self) -> list[LogGroup]:
        """DescribeLogGroups: the groups the user may choose from."""
        ...

    def use_log_groups(self, groups: tuple[LogGroup, ...], notice: str) -> None:
        """Read `groups` from now on."""
        ...


def live_account(backend: object) -> LiveAccount | None:
    """The backend as a live account, or None for local files."""
    return backend if isinstance(backend, LiveAccount) else None
