"""Fixtures of the live backend's tests: backends on moto's account (see tests/moto_account.py, whose
server, clients and corpus fixtures tests/conftest.py registers) and Stubbers for what moto lacks."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator

import pytest
from botocore.stub import Stubber

from moto_account import (
    FAST_RETRIES,
    FAST_TAIL,
    OTHER_GROUP,
    REGION,
    TRAIL_GROUP,
    TRAIL_GROUP_ARN,
    backend_on,
)
from trailtui.backends.aws import AwsBackend
from trailtui.events.model import Event

__all__ = [
    "FAST_RETRIES",
    "FAST_TAIL",
    "OTHER_GROUP",
    "REGION",
    "TRAIL_GROUP",
    "TRAIL_GROUP_ARN",
    "backend_on",
]


@pytest.fixture
async def live_backend(moto_url: str, corpus_groups: dict[str, list[Event]]) -> AsyncIterator[AwsBackend]:
    """A backend on the moto account with the corpus, default log group, writes allowed."""
    backend = backend_on(moto_url)
    yield backend
    await backend.close()


@pytest.fixture
def stubbed_logs(moto_url: str) -> Iterator[tuple[AwsBackend, Stubber]]:
    """A backend whose logs client answers from a Stubber (named log group by ARN: no lookups)."""
    backend = backend_on(moto_url, (TRAIL_GROUP_ARN,))
    with Stubber(backend.clients.logs) as stubber:
        yield backend, stubber


@pytest.fixture
def stubbed_cloudwatch(moto_url: str) -> Iterator[tuple[AwsBackend, Stubber]]:
    """A backend whose cloudwatch client answers from a Stubber."""
    backend = backend_on(moto_url, (TRAIL_GROUP_ARN,))
    with Stubber(backend.clients.cloudwatch) as stubber:
        yield backend, stubber
