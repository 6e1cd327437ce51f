"""Fixtures for the console's tests: a small real trail on disk (with hostile strings), a private XDG
home, and the app over the real LocalBackend."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import orjson
import pytest

from trailtui.backends.local import LocalBackend
from trailtui.backends.local_replay import ReplaySettings
from trailtui.ui.app import TrailApp
from trailtui.ui.config import load_config

OSC52_AGENT = "\x1b]52;c;cHduZWQ=\x07aws-cli/2.0"
MARKUP_NAME = "[/]Get[link=https://evil.example]Object[/link]"
TITLE_HIJACK = "\x1b]2;pwned\x07bucket"
HOSTILE_KEY = "[/]\x1b]2;key\x07"
BIDI_USER = "alice\u202eexe.txt"
NUL_VALUE = "before\x00after"


def _event(number: int, name: str, **fields: Any) -> dict[str, Any]:
    event: dict[str, Any] = {
        "eventVersion": "1.08",
        "userIdentity": {
            "type": "AssumedRole",
            "arn": f"arn:aws:sts::111122223333:assumed-role/Admin/user{number}",
            "sessionContext": {"sessionIssuer": {"arn": "arn:aws:iam::111122223333:role/Admin"}},
        },
        "eventTime": f"2024-03-01T10:{number:02d}:00Z",
        "eventSource": "s3.amazonaws.com",
        "eventName": name,
        "awsRegion": "us-east-1",
        "sourceIPAddress": f"198.51.100.{number}",
        "userAgent": "aws-cli/2.15",
        "requestParameters": {"bucketName": f"bucket-{number}"},
        "eventID": f"00000000-0000-0000-0000-{number:012d}",
        "recipientAccountId": "111122223333",
    }
    event.update(fields)
    return event


TRAIL_EVENTS: list[dict[str, Any]] = [
    _event(1, "ListBuckets"),
    _event(2, "GetObject", userAgent=OSC52_AGENT),
    _event(3, MARKUP_NAME),
    _event(4, "PutObject", requestParameters={"bucketName": TITLE_HIJACK, HOSTILE_KEY: "[bold]x"}),
    _event(5, "DeleteObject", userIdentity={"type": "IAMUser", "userName": BIDI_USER, "arn": NUL_VALUE}),
    _event(6, "ListBuckets"),
]
"""Six events in time order; events 2 to 5 carry hostile strings."""


@pytest.fixture(autouse=True)
def private_home(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """XDG folders in tmp_path, and no desktop clipboard, so tests never touch the user's files."""
    home = tmp_path / "home"
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.delenv("TRAILTUI_PACKS_DIR", raising=False)
    monkeypatch.delenv("DISPLAY", raising=False)
    monkeypatch.delenv("WAYLAND_DISPLAY", raising=False)
    return home


@pytest.fixture
def trail(tmp_path: Path) -> Path:
    """A CloudTrail file as CloudTrail writes it ({"Records": [...]}) with the six events."""
    path = tmp_path / "trail" / "111122223333_CloudTrail_us-east-1_20240301T1000Z_test.json"
    path.parent.mkdir()
    path.write_bytes(orjson.dumps({"Records": TRAIL_EVENTS}))
    return path


@pytest.fixture
def live_trail(tmp_path: Path) -> Path:
    """The trail of `live_trail.LIVE_EVENTS`, for the rules, metrics, alarms and tail."""
    from .live_trail import LIVE_EVENTS

    path = tmp_path / "live" / "111122223333_CloudTrail_eu-west-1_20240301T1000Z_live.json"
    path.parent.mkdir()
    path.write_bytes(orjson.dumps({"Records": LIVE_EVENTS}))
    return path


@pytest.fixture
def make_live_app(live_trail: Path):
    """Build the app over the live trail, its replay started paused unless asked otherwise."""

    def build(*, paused: bool = False, speed: float | None = None) -> TrailApp:
        backend = LocalBackend([str(live_trail)], replay=ReplaySettings(speed=speed, paused=paused))
        return TrailApp(backend, config=load_config())

    return build


@pytest.fixture
def make_app(trail: Path):
    """Build the app over the trail, with the config read from the (private) XDG folder."""

    def build(query: str = "", **options: Any) -> TrailApp:
        return TrailApp(LocalBackend([str(trail)]), query=query, config=load_config(), **options)

    return build
