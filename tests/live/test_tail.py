"""Live tail: StartLiveTail sessions (scripted behind a Stubber) that end, time out, drop and sample; the
FilterLogEvents fallback against moto's server (which has no StartLiveTail) and behind a Stubber."""

from __future__ import annotations

import asyncio
import time
from typing import Any

from botocore.exceptions import EventStreamError, ReadTimeoutError
from botocore.stub import Stubber

from trailtui.backends.aws import AwsBackend
from trailtui.backends.base import TailRequest

from .conftest import TRAIL_GROUP, TRAIL_GROUP_ARN, backend_on
from .tail_script import ScriptedStream, script_sessions, session_start, session_update, take


def kinds(items: list[dict[str, Any]]) -> list[str]:
    return [next(iter(item)) for item in items]


def statuses(items: list[dict[str, Any]]) -> list[tuple[str, str]]:
    return [
        (item["sessionStatus"]["state"], item["sessionStatus"]["reason"])
        for item in items
        if "sessionStatus" in item
    ]


async def test_a_session_is_passed_through_and_a_new_one_starts_when_it_ends(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    first = ScriptedStream([session_start("s1"), session_update(['{"eventName":"A"}'])])
    second = ScriptedStream([session_start("s2"), session_update(['{"eventName":"B"}'])])
    script_sessions(backend, stubber, [first, second])
    items = await take(backend.tail(TailRequest()), 5)
    assert items[:2] == first.events
    assert items[2] == {"sessionStatus": {"state": "reconnecting", "reason": "the session ended"}}
    assert items[3:] == second.events
    assert first.closed and second.closed


async def test_the_filter_pattern_and_group_arns_start_the_session(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    expected = {
        "logGroupIdentifiers": [TRAIL_GROUP_ARN],
        "logEventFilterPattern": '{$.errorCode = "AccessDenied"}',
    }
    script_sessions(backend, stubber, [ScriptedStream([session_start("s1")])], expected)
    await take(backend.tail(TailRequest('{$.errorCode = "AccessDenied"}')), 1)
    stubber.assert_no_pending_responses()


async def test_the_three_hour_limit_reconnects_and_says_why(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    timeout = EventStreamError(
        {"Error": {"Code": "SessionTimeoutException", "Message": "Session timed out"}}, "StartLiveTail"
    )
    script_sessions(
        backend,
        stubber,
        [
            ScriptedStream([session_start("s1"), session_update([])], timeout),
            ScriptedStream([session_start("s2")]),
        ],
    )
    items = await take(backend.tail(TailRequest()), 4)
    assert kinds(items) == ["sessionStart", "sessionUpdate", "sessionStatus", "sessionStart"]
    assert statuses(items) == [("reconnecting", "the 3-hour session limit was reached")]


async def test_a_dropped_stream_reconnects_and_says_why(stubbed_logs: tuple[AwsBackend, Stubber]) -> None:
    backend, stubber = stubbed_logs
    dropped = ReadTimeoutError(endpoint_url="https://streaming-logs.us-east-1.amazonaws.com")
    script_sessions(
        backend,
        stubber,
        [ScriptedStream([session_start("s1")], dropped), ScriptedStream([session_start("s2")])],
    )
    items = await take(backend.tail(TailRequest()), 3)
    assert kinds(items) == ["sessionStart", "sessionStatus", "sessionStart"]
    [(state, reason)] = statuses(items)
    assert state == "reconnecting" and reason.startswith("the stream dropped (ReadTimeoutError")


async def test_sampling_is_reported_when_it_starts_and_stops(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    updates = [
        session_update(["x"], sampled=True),
        session_update(["y"], sampled=True),
        session_update(["z"]),
    ]
    script_sessions(backend, stubber, [ScriptedStream([session_start("s1"), *updates])])
    items = await take(backend.tail(TailRequest()), 6)
    assert kinds(items) == [
        "sessionStart",
        "sessionStatus",
        "sessionUpdate",
        "sessionUpdate",
        "sessionStatus",
        "sessionUpdate",
    ]
    assert [state for state, _ in statuses(items)] == ["sampled", "streaming"]
    assert "more than 500 events per second" in statuses(items)[0][1]


def filtered(event_id: str, timestamp: int, ingested: int) -> dict[str, Any]:
    return {
        "logStreamName": "stream",
        "timestamp": timestamp,
        "message": f'{{"eventID":"{event_id}"}}',
        "ingestionTime": ingested,
        "eventId": event_id,
    }


async def test_access_denied_falls_back_to_polling_without_gaps_or_duplicates(
    stubbed_logs: tuple[AwsBackend, Stubber],
) -> None:
    backend, stubber = stubbed_logs
    later = time.time_ns() // 1_000_000 + 60_000
    stubber.add_client_error(
        "start_live_tail", service_error_code="AccessDeniedException", service_message="not authorized"
    )
    before_start = filtered("e0", later - 120_000, later - 3_600_000)
    stubber.add_response("filter_log_events", {"events": [before_start, filtered("e1", later, later)]})
    page_one = {"events": [filtered("e1", later, later)], "nextToken": "more"}
    stubber.add_response("filter_log_events", page_one)
    stubber.add_response("filter_log_events", {"events": [filtered("e2", later + 1, later + 5)]})
    items = await take(backend.tail(TailRequest()), 4)
    assert kinds(items) == ["sessionStatus", "sessionStart", "sessionUpdate", "sessionUpdate"]
    [(state, reason)] = statuses(items)
    assert state == "polling"
    assert reason.startswith(
        "StartLiveTail is not available (access denied: logs:StartLiveTail (not authorized))"
    )
    assert backend.health.tail == "polling"
    shown = [result["message"] for item in items[2:] for result in item["sessionUpdate"]["sessionResults"]]
    assert shown == ['{"eventID":"e1"}', '{"eventID":"e2"}']
    assert items[2]["sessionUpdate"]["sessionResults"][0]["logGroupIdentifier"] == TRAIL_GROUP_ARN


async def test_polling_moto_shows_each_new_event_once(moto_url: str) -> None:
    backend = backend_on(moto_url, ("tail/polled",))
    logs = backend.clients.logs
    logs.create_log_group(logGroupName="tail/polled")
    logs.create_log_stream(logGroupName="tail/polled", logStreamName="s")
    messages: list[str] = []

    async def put(message: str) -> None:
        now = time.time_ns() // 1_000_000
        await asyncio.to_thread(
            logs.put_log_events,
            logGroupName="tail/polled",
            logStreamName="s",
            logEvents=[{"timestamp": now, "message": message}],
        )

    async with asyncio.timeout(10):
        tail = backend.tail(TailRequest())
        async for item in tail:
            if "sessionStart" in item:
                await put('{"n":1}')
            for result in item.get("sessionUpdate", {}).get("sessionResults", []):
                messages.append(result["message"])
                if len(messages) == 1:
                    await put('{"n":2}')
            if len(messages) == 2:
                await asyncio.sleep(0.2)  # several more polls over the same window
            if len(messages) >= 2 and "sessionUpdate" in item and not item["sessionUpdate"]["sessionResults"]:
                break
        await tail.aclose()
    assert messages == ['{"n":1}', '{"n":2}']
    await backend.close()


async def test_the_default_group_is_tailed_by_arn(live_backend: AwsBackend) -> None:
    items = await take(live_backend.tail(TailRequest()), 2)
    assert items[0]["sessionStatus"]["state"] == "polling"  # moto has no StartLiveTail
    assert items[1]["sessionStart"]["logGroupIdentifiers"] == [
        f"arn:aws:logs:us-east-1:123456789012:log-group:{TRAIL_GROUP}"
    ]
