"""Where input files are, and what the CloudTrail S3 layout says about them.

CloudTrail delivers to `AWSLogs/[o-org/]<account>/CloudTrail/<region>/YYYY/MM/DD/` files named
`<account>_CloudTrail_<region>_<YYYYMMDDTHHMMZ>_<id>.json.gz`; digest files go under `CloudTrail-Digest/`.
"""

from __future__ import annotations

import os
import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from datetime import UTC, datetime

STDIN = "-"

_LOG_FILE_NAME = re.compile(r"(\d{12})_CloudTrail_([a-z0-9-]+)_(\d{8}T\d{4}Z)_")
_DIGEST_MARKERS = ("CloudTrail-Digest", "_CloudTrail-Digest_")


@dataclass(frozen=True, slots=True)
class LayoutHints:
    """What a file's path says about its events (each may be unknown)."""

    account: str | None = None
    region: str | None = None
    delivered_ms: int | None = None


def layout_hints(path: str) -> LayoutHints:
    """Account, region and delivery time read from a CloudTrail file name, when it follows the layout."""
    match = _LOG_FILE_NAME.search(os.path.basename(path))
    if match is None:
        return LayoutHints()
    account, region, stamp = match.groups()
    delivered = datetime.strptime(stamp, "%Y%m%dT%H%MZ").replace(tzinfo=UTC)
    return LayoutHints(account, region, int(delivered.timestamp()) * 1000)


def is_digest(path: str) -> bool:
    """CloudTrail digest files hold hashes of log files, not events."""
    return any(marker in path for marker in _DIGEST_MARKERS)


def expand_paths(paths: Iterable[str]) -> Iterator[str]:
    """Each input path as files: directories are walked in sorted order; `-` (stdin) passes through.

    Paths that do not exist are passed through too, so that the reader reports them as unreadable.
    """
    for path in paths:
        if path != STDIN and os.path.isdir(path):
            yield from _walk_sorted(path)
        else:
            yield path


def _walk_sorted(root: str) -> Iterator[str]:
    """Files in sorted order; a directory that cannot be listed is passed through for the reader to report."""
    unlisted: list[str] = []
    for directory, subdirectories, files in os.walk(
        root, onerror=lambda error: unlisted.append(error.filename)
    ):
        yield from unlisted
        unlisted.clear()
        subdirectories.sort()
        for name in sorted(files):
            if not name.startswith("."):
                yield os.path.join(directory, name)
    yield from unlisted
