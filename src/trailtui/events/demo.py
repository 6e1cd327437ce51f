"""The demo trail shipped inside the package: real events in the CloudTrail S3 layout (see NOTICE)."""

from __future__ import annotations

from importlib.resources import files


def demo_trail_path() -> str:
    """The folder holding the demo trail's `AWSLogs/` tree."""
    return str(files("trailtui") / "demo")
