"""The adversarial trail: CloudTrail events whose attacker-chosen strings try to act on the terminal, to be
read as markup, or to exhaust memory and recursion. Built into a test's tmp_path on every run (nothing
large is committed); the small definitions the commands run sit beside this module in `fixtures/`.

Every hostile event has `eventSource` `hostile.amazonaws.com`, a unique `eventName` carrying its payload,
and the payload again in userAgent, errorMessage, a tag key and value, and a request parameter key.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

FIXTURES = Path(__file__).parent / "fixtures"
ACCOUNT = "111122223333"
SOURCE = "hostile.amazonaws.com"
START = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)

TITLE = "pwned-title"
CLIPBOARD_TEXT = "pwned-clipboard"
CLIPBOARD_BASE64 = "cHduZWQtY2xpcGJvYXJk"

CONTROL_PAYLOADS: dict[str, str] = {
    "esc": "\x1b",
    "csi": "\x1b[2J\x1b[H\x1b[31mred\x1b[0m",
    "osc52": f"\x1b]52;c;{CLIPBOARD_BASE64}\x07",
    "osc52-st": f"\x1b]52;p;{CLIPBOARD_BASE64}\x1b\\",
    "osc2": f"\x1b]2;{TITLE}\x07",
    "osc0-st": f"\x1b]0;{TITLE}\x1b\\",
    "osc8": "\x1b]8;;http://evil.example/\x1b\\click\x1b]8;;\x1b\\",
    "dcs": "\x1bPtmux;\x1b\x1b]2;" + TITLE + "\x07\x1b\\",
    "c1": "".join(chr(code) for code in range(0x80, 0xA0)),
    "c1-osc": f"\x9d2;{TITLE}\x9c",
    "bidi": "".join(chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))),
    "nul": "before\x00after",
    "backspace": "abc\x08\x08\x08xyz",
    "cr": "visible\rhidden",
}
"""Terminal controls an attacker can put in any string field (C0, C1, OSC, DCS, bidi)."""

MARKUP_PAYLOADS: dict[str, str] = {
    "close-tag": "[/]",
    "link": "[link=http://x]link[/link]",
    "click": "[@click=app.quit]quit[/]",
    "style": "[bold red]red[/bold red]",
    "unbalanced": "[/bold][/][b",
}
"""Rich and Textual markup: shown literally, never parsed."""

UNICODE_PAYLOADS: dict[str, str] = {
    "combining": "e" + "\u0301" * 50 + "z\u0338",
    "zwj": "\U0001f468\u200d\U0001f469\u200d\U0001f467 a\u200bb\u200cc\u200dd\u2060e\ufeff",
    "rtl": "\u0645\u0631\u062d\u0628\u0627 \u05e9\u05dc\u05d5\u05dd",
    "emoji": "\U0001f525\U0001f680\U0001f1fa\U0001f1f8\u2764\ufe0f",
}

PAYLOADS: dict[str, str] = {**CONTROL_PAYLOADS, **MARKUP_PAYLOADS, **UNICODE_PAYLOADS}

TERMINAL_CONTROLS = frozenset(
    [chr(code) for code in range(0x20) if chr(code) not in "\n"]
    + [chr(code) for code in range(0x7F, 0xA0)]
    + [chr(code) for code in (*range(0x202A, 0x202F), *range(0x2066, 0x206A))]
)
"""Characters that must never reach a terminal raw from an event (newline is the lines' own)."""

BIG_STRING_BYTES = 1024 * 1024
NESTING_DEPTH = 200
ARRAY_LENGTH = 10_000


@dataclass
class AdversarialTrail:
    """The files written and what they hold, for tests to check output against."""

    folder: Path
    ndjson: Path
    records_file: Path
    surrogates_file: Path
    events: list[dict[str, Any]] = field(default_factory=list)

    @property
    def paths(self) -> list[str]:
        return [str(self.ndjson), str(self.surrogates_file)]

    def event_named(self, payload_name: str) -> dict[str, Any]:
        return next(event for event in self.events if event["eventName"] == event_name(payload_name))


def event_name(payload_name: str) -> str:
    return f"Get{PAYLOADS[payload_name]}Object" if payload_name in PAYLOADS else payload_name


def _event(number: int, name: str, **fields: Any) -> dict[str, Any]:
    record: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/attacker{number}"},
        "eventTime": (START + timedelta(minutes=number)).strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventSource": SOURCE,
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": "203.0.113.66",
        "userAgent": "aws-cli/2.15",
        "eventID": f"00000000-0000-0000-0000-{number:012d}",
        "recipientAccountId": ACCOUNT,
    }
    record.update(fields)
    return record


def hostile_event(number: int, payload_name: str) -> dict[str, Any]:
    """The payload in every attacker-chosen place: name, user agent, error, tag key and value, a key."""
    payload = PAYLOADS[payload_name]
    return _event(
        number,
        event_name(payload_name),
        userAgent=f"agent{payload}/1.0",
        errorCode="AccessDenied",
        errorMessage=f"denied: {payload}",
        requestParameters={
            f"key{payload}": "value",
            "tags": [{"key": payload, "value": payload}],
            "bucketName": f"bucket{payload}",
        },
        resources=[{"ARN": f"arn:aws:s3:::bucket{payload}", "type": "AWS::S3::Bucket"}],
    )


def big_events(first_number: int) -> list[dict[str, Any]]:
    """A 1 MB user agent and error message (a payload at each end), 200 levels of nesting, 10,000 items."""
    filler = "A" * BIG_STRING_BYTES
    deep: dict[str, Any] = {"leaf": PAYLOADS["osc52"]}
    for _ in range(NESTING_DEPTH - 2):
        deep = {"n": deep}
    return [
        _event(
            first_number,
            "HugeStrings",
            userAgent=PAYLOADS["osc2"] + filler + PAYLOADS["osc52"],
            errorMessage=filler + PAYLOADS["csi"],
        ),
        _event(first_number + 1, "DeepNesting", requestParameters=deep),
        _event(
            first_number + 2,
            "WideArray",
            requestParameters={"items": [f"item{n}{PAYLOADS['osc2']}" for n in range(ARRAY_LENGTH)]},
        ),
    ]


SURROGATE_RECORD_TEXT = (
    '{"eventVersion":"1.08","eventTime":"2024-03-01T11:00:00Z","eventSource":"hostile.amazonaws.com",'
    '"eventName":"LoneSurrogate","awsRegion":"us-east-1","recipientAccountId":"111122223333",'
    '"userAgent":"lone \\ud800 high \\udfff low","errorMessage":"pair \\ud83d\\ude00 ok"}'
)
"""An event whose JSON escapes encode lone surrogates (no valid UTF-8 exists for them)."""


def write_adversarial_trail(folder: Path) -> AdversarialTrail:
    """The NDJSON file of every payload and the big events, a Records file of the same hostile events
    (gzipped, as CloudTrail writes), and a file with lone-surrogate escapes beside a good event."""
    folder.mkdir(parents=True, exist_ok=True)
    events = [hostile_event(number, name) for number, name in enumerate(PAYLOADS, start=1)]
    events += big_events(len(events) + 1)
    ndjson = folder / "hostile.ndjson"
    ndjson.write_bytes(b"".join(orjson.dumps(event) + b"\n" for event in events))
    records_file = folder / f"{ACCOUNT}_CloudTrail_us-east-1_20240301T1000Z_hostile.json"
    records_file.write_bytes(orjson.dumps({"Records": events[: len(PAYLOADS)]}))
    surrogates_file = folder / "surrogates.json"
    good = orjson.dumps(_event(61, "AfterSurrogates")).decode()
    surrogates_file.write_text('{"Records": [' + SURROGATE_RECORD_TEXT + "," + good + "]}")
    return AdversarialTrail(folder, ndjson, records_file, surrogates_file, events)


def raw_controls_in(text: str) -> set[str]:
    """The terminal controls present raw in some text (empty when the text is safe to show)."""
    return set(TERMINAL_CONTROLS.intersection(text))
