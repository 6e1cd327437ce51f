"""Live tail against an account: StartLiveTail's stream, reconnected when it ends, else FilterLogEvents polls.

Items are StartLiveTail's (`sessionStart`, `sessionUpdate`) plus `{"sessionStatus": {"state", "reason"}}`
when something changes that the user should see:
- `reconnecting`: the session ended (the 3-hour limit) or dropped; a new one starts, after a jittered pause
  when the previous attempt failed. Each new session sends its own `sessionStart`.
- `sampled`: AWS began sampling (more than 500 matching events per second); `streaming` when it stops.
- `polling`: StartLiveTail is not allowed (AccessDenied) or not offered by the endpoint, so FilterLogEvents
  is polled instead: windows overlap by `overlap_ms`, events are deduplicated by eventId, and only events
  ingested after the tail started are shown, as Live Tail would show them.
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
import time
from collections.abc import AsyncGenerator, Sequence
from contextlib import aclosing
from dataclasses import dataclass
from typing import Any

from botocore.exceptions import EventStreamError

from trailtui.backends.aws_calls import Caller
from trailtui.backends.aws_errors import ACCESS_DENIED_CODES, ServiceError, Unreachable, error_code
from trailtui.backends.aws_log_groups import LogGroup
from trailtui.backends.base import BackendError, TailRequest

MAX_TAIL_GROUPS = 10
UNSUPPORTED_CODES = ACCESS_DENIED_CODES | {"UnknownOperationException", "InvalidAction", "NotImplemented"}
SAMPLED_REASON = "more than 500 events per second match: AWS shows a sample"


@dataclass(frozen=True, slots=True)
class TailSettings:
    """How the FilterLogEvents fallback polls: every `poll_interval_s`, looking back `overlap_ms`."""

    poll_interval_s: float = 2.0
    overlap_ms: int = 5 * 60 * 1000


def status(state: str, reason: str) -> dict[str, Any]:
    return {"sessionStatus": {"state": state, "reason": reason}}


async def live_tail(
    caller: Caller, logs: Any, groups: Sequence[LogGroup], request: TailRequest, settings: TailSettings
) -> AsyncGenerator[dict[str, Any], None]:
    """Live Tail items until the consumer stops iterating; BackendError for a request AWS refuses."""
    if len(groups) > MAX_TAIL_GROUPS:
        raise BackendError(f"Live Tail follows at most {MAX_TAIL_GROUPS} log groups; pass fewer --log-group")
    failures = 0
    while True:
        try:
            stream = await _start(caller, logs, groups, request)
        except ServiceError as error:
            if not _unsupported(error):
                raise
            reason = f"StartLiveTail is not available ({error}); polling FilterLogEvents instead"
            caller.health.tail = "polling"
            yield status("polling", reason)
            async with aclosing(poll_filter_log_events(caller, logs, groups, request, settings)) as polled:
                async for item in polled:
                    yield item
            return
        except Unreachable as error:
            failures += 1
            caller.health.tail = "reconnecting"
            yield status("reconnecting", str(error))
            await asyncio.sleep(caller.policy.pause(failures))
            continue
        updated = False
        async with aclosing(_session_items(stream, caller)) as session:
            async for item in session:
                updated = updated or "sessionUpdate" in item
                yield item
        failures = 0 if updated else failures + 1
        await asyncio.sleep(caller.policy.pause(failures) if failures else 0)


async def _start(caller: Caller, logs: Any, groups: Sequence[LogGroup], request: TailRequest) -> Any:
    params: dict[str, Any] = {"logGroupIdentifiers": [group.arn for group in groups]}
    if request.filter_pattern:
        params["logEventFilterPattern"] = request.filter_pattern
    return (await caller.call(logs, "start_live_tail", **params))["responseStream"]


def _unsupported(error: ServiceError) -> bool:
    """Not allowed, or not offered by this endpoint (an HTTP status without an AWS error code)."""
    return error.code in UNSUPPORTED_CODES or error.code.isdigit()


async def _session_items(stream: Any, caller: Caller) -> AsyncGenerator[dict[str, Any], None]:
    """One session's items, read by a thread, ending with a `reconnecting` status saying why it ended."""
    loop = asyncio.get_running_loop()
    queue: asyncio.Queue[tuple[str, Any]] = asyncio.Queue()
    threading.Thread(target=_pump, args=(stream, loop, queue), daemon=True, name="live-tail").start()
    caller.health.tail = "streaming"
    sampled = False
    try:
        while True:
            kind, payload = await queue.get()
            if kind == "end":
                caller.health.tail = "reconnecting"
                yield status("reconnecting", payload)
                return
            now_sampled = bool(payload.get("sessionUpdate", {}).get("sessionMetadata", {}).get("sampled"))
            if "sessionUpdate" in payload and now_sampled != sampled:
                sampled = now_sampled
                caller.health.tail = "sampled" if sampled else "streaming"
                yield status(caller.health.tail, SAMPLED_REASON if sampled else "AWS stopped sampling")
            yield payload
    finally:
        stream.close()


def _pump(stream: Any, loop: asyncio.AbstractEventLoop, queue: asyncio.Queue[tuple[str, Any]]) -> None:
    reason = "the session ended"
    try:
        for item in stream:
            loop.call_soon_threadsafe(queue.put_nowait, ("item", item))
    except EventStreamError as error:
        code = error_code(error)
        reason = "the 3-hour session limit was reached" if code == "SessionTimeoutException" else str(error)
    except Exception as error:  # a broken connection ends the session like any other end
        reason = f"the stream dropped ({type(error).__name__}: {error})"
    with contextlib.suppress(RuntimeError):  # the loop has closed: nobody is reading any more
        loop.call_soon_threadsafe(queue.put_nowait, ("end", reason))


async def poll_filter_log_events(
    caller: Caller, logs: Any, groups: Sequence[LogGroup], request: TailRequest, settings: TailSettings
) -> AsyncGenerator[dict[str, Any], None]:
    """Live Tail's items from FilterLogEvents polls, with no gaps between windows and no duplicates."""
    started_ms = time.time_ns() // 1_000_000
    seen: dict[str, int] = {}
    arns = [group.arn for group in groups]
    session = {"requestId": "", "sessionId": f"poll-{started_ms}", "logGroupIdentifiers": arns}
    if request.filter_pattern:
        session["logEventFilterPattern"] = request.filter_pattern
    yield {"sessionStart": session}
    while True:
        window_start = time.time_ns() // 1_000_000 - settings.overlap_ms
        try:
            results = [
                result
                for group in groups
                for result in await _new_events(caller, logs, group, request, window_start, started_ms, seen)
            ]
        except Unreachable as error:
            yield status("reconnecting", str(error))
        else:
            results.sort(key=lambda result: (result["timestamp"], result["ingestionTime"]))
            yield {"sessionUpdate": {"sessionMetadata": {"sampled": False}, "sessionResults": results}}
        for event_id in [event_id for event_id, stamp in seen.items() if stamp < window_start]:
            del seen[event_id]
        await asyncio.sleep(settings.poll_interval_s)


async def _new_events(
    caller: Caller,
    logs: Any,
    group: LogGroup,
    request: TailRequest,
    window_start: int,
    started_ms: int,
    seen: dict[str, int],
) -> list[dict[str, Any]]:
    """The group's events in the window not seen before and ingested since the tail started."""
    params: dict[str, Any] = {"logGroupName": group.name, "startTime": window_start}
    if request.filter_pattern:
        params["filterPattern"] = request.filter_pattern
    fresh = []
    while True:
        page = await caller.call(logs, "filter_log_events", **params)
        for event in page["events"]:
            if event["eventId"] in seen or event.get("ingestionTime", started_ms) < started_ms:
                continue
            seen[event["eventId"]] = event["timestamp"]
            fresh.append(_tail_result(group, event))
        if not page.get("nextToken"):
            return fresh
        params["nextToken"] = page["nextToken"]


def _tail_result(group: LogGroup, event: dict[str, Any]) -> dict[str, Any]:
    return {
        "logStreamName": event["logStreamName"],
        "logGroupIdentifier": group.arn,
        "message": event["message"],
        "timestamp": event["timestamp"],
        "ingestionTime": event.get("ingestionTime", event["timestamp"]),
    }
