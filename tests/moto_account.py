"""moto's server on 127.0.0.1, started and stopped by the tests, with the real corpus in a log group: one
server per test session, shared by every folder that talks to an account (tests/live, tests/ui), whose
fixtures tests/conftest.py registers.

The server runs in a thread of the test process on a free port; boto3 reaches it through endpoint_url with
dummy credentials from the environment, so CI needs nothing but the test extras. moto and boto3 are
imported when a test first asks for the server, so other test folders do not pay for them.
"""

from __future__ import annotations

import time
from collections.abc import Iterator
from pathlib import Path
from typing import TYPE_CHECKING, Any

import pytest

from trailtui.backends.aws_calls import RetryPolicy
from trailtui.backends.aws_session import AwsClients, AwsOptions, open_clients
from trailtui.backends.aws_tail import TailSettings
from trailtui.events.model import Event
from trailtui.events.readers import read_paths

if TYPE_CHECKING:
    from trailtui.backends.aws import AwsBackend

REGION = "us-east-1"
TRAIL_GROUP = "CloudTrail/trail-logs"
OTHER_GROUP = "app/other-logs"
DUMMY_CREDENTIALS = {"AWS_ACCESS_KEY_ID": "testing", "AWS_SECRET_ACCESS_KEY": "testing"}
FAST_RETRIES = RetryPolicy(attempts=4, base_s=0.001, cap_s=0.01)
FAST_TAIL = TailSettings(poll_interval_s=0.05, overlap_ms=60_000)

MAX_BATCH_EVENTS = 10_000
MAX_BATCH_BYTES = 1_048_576
EVENT_OVERHEAD_BYTES = 26
MAX_BATCH_SPAN_MS = 24 * 3600 * 1000
ACCEPTED_SPAN_MS = 13 * 24 * 3600 * 1000


@pytest.fixture(scope="session")
def moto_url() -> Iterator[str]:
    """The endpoint of a moto server on 127.0.0.1 (a free port), with dummy credentials in the environment."""
    from moto.server import ThreadedMotoServer

    server = ThreadedMotoServer(ip_address="127.0.0.1", port=0, verbose=False)
    server.start()
    host, port = server.get_host_and_port()
    with pytest.MonkeyPatch.context() as patch:
        local = {"AWS_EC2_METADATA_DISABLED": "true", "NO_PROXY": "127.0.0.1", "no_proxy": "127.0.0.1"}
        for name, value in {**DUMMY_CREDENTIALS, **local}.items():
            patch.setenv(name, value)
        for name in ("AWS_PROFILE", "AWS_DEFAULT_PROFILE", "AWS_SESSION_TOKEN"):
            patch.delenv(name, raising=False)
        yield f"http://{host}:{port}"
    server.stop()


@pytest.fixture(scope="session")
def moto_clients(moto_url: str) -> AwsClients:
    return open_clients(AwsOptions(region=REGION, endpoint_url=moto_url))


@pytest.fixture(scope="session")
def corpus_groups(moto_clients: AwsClients, corpus_dir: Path) -> dict[str, list[Event]]:
    """The corpus in TRAIL_GROUP (one stream per file) and its first 50 events in OTHER_GROUP, with a
    trail that sends to TRAIL_GROUP."""
    import boto3

    readings = read_paths(sorted(str(path) for path in corpus_dir.glob("*.ndjson")))
    events = sorted((event for reading in readings for event in reading.events), key=lambda e: e.timestamp_ms)
    put_corpus(moto_clients.logs, TRAIL_GROUP, events)
    put_corpus(moto_clients.logs, OTHER_GROUP, events[:50])
    s3 = boto3.client("s3", endpoint_url=moto_clients.logs.meta.endpoint_url, region_name=REGION)
    s3.create_bucket(Bucket="trail-bucket")
    moto_clients.cloudtrail.create_trail(
        Name="main-trail",
        S3BucketName="trail-bucket",
        CloudWatchLogsLogGroupArn=f"arn:aws:logs:{REGION}:123456789012:log-group:{TRAIL_GROUP}:*",
        CloudWatchLogsRoleArn="arn:aws:iam::123456789012:role/trail-to-logs",
    )
    return {TRAIL_GROUP: events, OTHER_GROUP: events[:50]}


def put_corpus(logs: Any, group: str, events: list[Event]) -> None:
    """PutLogEvents in eventTime order, one stream per corpus file, in batches within the API's limits.

    CloudWatch Logs (and moto) accept only events from the last 14 days, and the corpus spans years, so
    each event's timestamp keeps its rank in eventTime order, spread evenly over the last 13 days.
    """
    logs.create_log_group(logGroupName=group)
    first_ms = time.time_ns() // 1_000_000 - ACCEPTED_SPAN_MS
    step_ms = ACCEPTED_SPAN_MS // max(1, len(events))
    streams: dict[str, list[dict[str, Any]]] = {}
    for rank, event in enumerate(events):
        stream = streams.setdefault(Path(event.source).stem, [])
        stream.append({"timestamp": first_ms + rank * step_ms, "message": event.message})
    for stream_name, log_events in streams.items():
        logs.create_log_stream(logGroupName=group, logStreamName=stream_name)
        for batch in batches(log_events):
            logs.put_log_events(logGroupName=group, logStreamName=stream_name, logEvents=batch)


def batches(log_events: list[dict[str, Any]]) -> Iterator[list[dict[str, Any]]]:
    """Sorted events cut where a batch would exceed the count, size or 24-hour span limit."""
    batch: list[dict[str, Any]] = []
    size = 0
    for event in log_events:
        event_size = len(event["message"].encode()) + EVENT_OVERHEAD_BYTES
        if batch and (
            len(batch) == MAX_BATCH_EVENTS
            or size + event_size > MAX_BATCH_BYTES
            or event["timestamp"] - batch[0]["timestamp"] >= MAX_BATCH_SPAN_MS
        ):
            yield batch
            batch, size = [], 0
        batch.append(event)
        size += event_size
    if batch:
        yield batch


TRAIL_GROUP_ARN = f"arn:aws:logs:{REGION}:123456789012:log-group:{TRAIL_GROUP}"


def backend_on(moto_url: str, log_groups: tuple[str, ...] = (), read_only: bool = False) -> AwsBackend:
    """A backend with clients of its own on the moto account, fast retries and fast polls."""
    from trailtui.backends.aws import AwsBackend

    clients = open_clients(AwsOptions(region=REGION, endpoint_url=moto_url))
    return AwsBackend(clients, log_groups, read_only=read_only, policy=FAST_RETRIES, tail_settings=FAST_TAIL)
