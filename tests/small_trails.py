"""Small real trails for CLI tests: CloudTrail files in the S3 layout, written into a test's tmp_path."""

from __future__ import annotations

import gzip
import os
import subprocess
import sys
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import orjson

ACCOUNT = "111122223333"
REGION = "us-east-1"
START = datetime(2024, 3, 1, 10, 0, tzinfo=UTC)


def event(minute: float, name: str, **fields: Any) -> dict[str, Any]:
    """A CloudTrail record `minute` minutes after 2024-03-01T10:00:00Z."""
    moment = START + timedelta(minutes=minute)
    record = {
        "eventVersion": "1.08",
        "eventTime": moment.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "eventName": name,
        "eventSource": fields.pop("eventSource", "iam.amazonaws.com"),
        "awsRegion": REGION,
        "recipientAccountId": ACCOUNT,
        "sourceIPAddress": fields.pop("sourceIPAddress", "203.0.113.7"),
        "userIdentity": fields.pop(
            "userIdentity", {"type": "IAMUser", "arn": f"arn:aws:iam::{ACCOUNT}:user/ana"}
        ),
        "eventID": fields.pop("eventID", f"{name}-{minute}"),
    }
    record.update(fields)
    return record


def write_trail_file(
    root: Path, records: list[dict[str, Any]], delivered: datetime, suffix: str = "a1"
) -> Path:
    """One gzipped CloudTrail file under root/AWSLogs/..., written whole and then renamed into place."""
    day = root / "AWSLogs" / ACCOUNT / "CloudTrail" / REGION / delivered.strftime("%Y/%m/%d")
    day.mkdir(parents=True, exist_ok=True)
    name = f"{ACCOUNT}_CloudTrail_{REGION}_{delivered.strftime('%Y%m%dT%H%MZ')}_{suffix}.json.gz"
    temporary = day / f".{name}.partial"
    temporary.write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    os.replace(temporary, day / name)
    return day / name


def write_trail(root: Path, records: list[dict[str, Any]]) -> Path:
    """One file delivered five minutes after its latest event, as CloudTrail delivers."""
    latest = max(datetime.fromisoformat(record["eventTime"]) for record in records)
    write_trail_file(root, records, latest + timedelta(minutes=5))
    return root


def run_trailtui(
    *arguments: str, env: dict[str, str] | None = None, stdin: bytes | None = None
) -> subprocess.CompletedProcess[str]:
    """`trailtui ARGUMENTS` as a real process (for exit codes), with its output as text."""
    return subprocess.run(
        [sys.executable, "-m", "trailtui", *arguments],
        input=stdin.decode() if stdin is not None else None,
        capture_output=True,
        text=True,
        env={**os.environ, **(env or {})},
        timeout=120,
        check=False,
    )
