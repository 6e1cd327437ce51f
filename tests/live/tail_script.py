"""Scripted StartLiveTail sessions behind a Stubber: each event is checked against the service model's stream
shape, then stands in for the response stream botocore would have opened."""

from __future__ import annotations

from collections.abc import AsyncGenerator, Iterator
from contextlib import aclosing
from typing import Any

from botocore.stub import Stubber
from botocore.validate import validate_parameters

from trailtui.backends.aws import AwsBackend

from .conftest import TRAIL_GROUP_ARN

T_MS = 1_700_000_000_000


class ScriptedStream:
    """A Live Tail response stream: its events, then the end, or `error` raised as a broken stream would."""

    def __init__(self, events: list[dict[str, Any]], error: Exception | None = None) -> None:
        self.events = events
        self.error = error
        self.closed = False

    def __iter__(self) -> Iterator[dict[str, Any]]:
        yield from self.events
        if self.error is not None:
            raise self.error

    def close(self) -> None:
        self.closed = True


def script_sessions(
    backend: AwsBackend,
    stubber: Stubber,
    sessions: list[ScriptedStream],
    expected_params: dict[str, Any] | None = None,
) -> None:
    """Each StartLiveTail call (with `expected_params`, if given) answers with the next session, whose
    events are validated against the model first."""
    logs = backend.clients.logs
    output_shape = logs.meta.service_model.operation_model("StartLiveTail").output_shape
    stream_shape = output_shape.members["responseStream"]
    for session in sessions:
        for event in session.events:
            validate_parameters(event, stream_shape)
        stubber.add_response("start_live_tail", {"responseStream": {}}, expected_params)
    pending = list(sessions)

    def open_stream(parsed: dict[str, Any], **_: Any) -> None:
        parsed["responseStream"] = pending.pop(0)

    logs.meta.events.register("after-call.cloudwatch-logs.StartLiveTail", open_stream)


def session_start(session_id: str) -> dict[str, Any]:
    start = {"requestId": f"req-{session_id}", "sessionId": session_id}
    return {"sessionStart": {**start, "logGroupIdentifiers": [TRAIL_GROUP_ARN]}}


def session_update(messages: list[str], sampled: bool = False, timestamp: int = T_MS) -> dict[str, Any]:
    results = [
        {
            "logStreamName": "stream",
            "logGroupIdentifier": TRAIL_GROUP_ARN,
            "message": message,
            "timestamp": timestamp,
            "ingestionTime": timestamp + 500,
        }
        for message in messages
    ]
    return {"sessionUpdate": {"sessionMetadata": {"sampled": sampled}, "sessionResults": results}}


async def take(items: AsyncGenerator[dict[str, Any], None], count: int) -> list[dict[str, Any]]:
    """The first `count` items, then the tail is closed as a consumer closes it."""
    taken: list[dict[str, Any]] = []
    async with aclosing(items) as iterator:
        async for item in iterator:
            taken.append(item)
            if len(taken) == count:
                break
    return taken
