"""A small trail for the live panes: every event in the five minutes from 10:00 UTC, so when the replay
ends the last period holds an AssumeRole of two hours (the pack's AssumeRole alarm, over 3600 s, fires) and
AccessDenied errors (the CIS unauthorized-API-calls alarm fires). Hostile strings sit in a rule's keys
(eventName, userIdentity.arn) and in the tail's columns (userAgent)."""

from __future__ import annotations

from typing import Any

from .conftest import BIDI_USER, MARKUP_NAME, OSC52_AGENT

PERIOD_START_MS = 1_709_287_200_000
"""2024-03-01T10:00:00Z, the start of the five-minute period every event is in."""


def live_event(second: int, name: str, user: str = "alice", **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "IAMUser",
            "userName": user,
            "arn": f"arn:aws:iam::111122223333:user/{user}",
        },
        "eventTime": f"2024-03-01T10:{second // 60:02d}:{second % 60:02d}Z",
        "eventSource": "iam.amazonaws.com",
        "eventName": name,
        "awsRegion": "eu-west-1",
        "sourceIPAddress": f"203.0.113.{second % 250}",
        "userAgent": "aws-cli/2.15",
        "eventID": f"11111111-0000-0000-0000-{second:012d}",
        "recipientAccountId": "111122223333",
    }
    event.update(fields)
    return event


LIVE_EVENTS: list[dict[str, Any]] = [
    live_event(5, "ListUsers"),
    live_event(10, "ListUsers", user="bob"),
    live_event(20, "GetUser", user="bob", errorCode="AccessDenied", errorMessage="not allowed"),
    live_event(
        30,
        "AssumeRole",
        user="carol",
        eventSource="sts.amazonaws.com",
        requestParameters={"roleArn": "arn:aws:iam::111122223333:role/Admin", "durationSeconds": 7200},
    ),
    live_event(40, MARKUP_NAME, user="mallory", userAgent=OSC52_AGENT),
    live_event(50, "DeleteUser", user=BIDI_USER, errorCode="AccessDenied"),
    live_event(
        70,
        "AssumeRole",
        eventSource="sts.amazonaws.com",
        requestParameters={"roleArn": "arn:aws:iam::111122223333:role/ReadOnly", "durationSeconds": 900},
    ),
    live_event(90, "ListUsers"),
]
"""Eight events from 10:00:05 to 10:01:30, in time order."""
