#!/usr/bin/env python3
"""Build the demo trail shipped in the package from the MIT- and Apache-licensed files of the real corpus.

    python scripts/build_demo_trail.py [--corpus ../shared/corpus/real] [--out src/trailtui/demo]

The events are copied unchanged into the CloudTrail S3 layout, one gzipped `{"Records": [...]}` file per
account, region and 5-minute slot, records shuffled inside a file as CloudTrail writes them. The output is
deterministic (fixed seed, gzip mtime 0). Sources and licences are listed in NOTICE.
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import random
import re
import shutil
from collections import defaultdict
from datetime import UTC, datetime
from pathlib import Path

import orjson

from trailtui.events.layout import LayoutHints
from trailtui.events.readers import make_event

LICENSED_SOURCES = {
    "invictus-aws-dataset.ndjson": "MIT",
    "otrf-security-datasets.ndjson": "MIT",
    "panther-analysis.ndjson": "Apache-2.0",
    "stratus-red-team-detonation-logs.ndjson": "Apache-2.0",
    "airbnb-streamalert.ndjson": "Apache-2.0",
}
SLOT_MS = 5 * 60 * 1000
_ACCOUNT = re.compile(r"\d{12}")
_REGION = re.compile(r"[a-z0-9-]{1,40}")


def main() -> None:
    root = Path(__file__).resolve().parent.parent
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--corpus", type=Path, default=root.parent / "shared" / "corpus" / "real")
    parser.add_argument("--out", type=Path, default=root / "src" / "trailtui" / "demo")
    arguments = parser.parse_args()
    slots = group_into_slots(arguments.corpus)
    shutil.rmtree(arguments.out / "AWSLogs", ignore_errors=True)
    for (account, region, slot_ms), records in sorted(slots.items()):
        write_log_file(arguments.out, account, region, slot_ms, records)
    print(f"{sum(map(len, slots.values()))} events in {len(slots)} files under {arguments.out}")


def group_into_slots(corpus: Path) -> dict[tuple[str, str, int], list[dict]]:
    slots: dict[tuple[str, str, int], list[dict]] = defaultdict(list)
    for name in LICENSED_SOURCES:
        for line in (corpus / name).read_bytes().splitlines():
            if not line.strip():
                continue
            record = orjson.loads(line)
            event = make_event(record, name, 0, LayoutHints())
            account = _matching(_ACCOUNT, record.get("recipientAccountId"), "123456789012")
            region = _matching(_REGION, record.get("awsRegion"), "us-east-1")
            slots[(account, region, event.timestamp_ms // SLOT_MS * SLOT_MS)].append(record)
    return slots


def _matching(pattern: re.Pattern[str], value: object, default: str) -> str:
    return value if isinstance(value, str) and pattern.fullmatch(value) else default


def write_log_file(out: Path, account: str, region: str, slot_ms: int, records: list[dict]) -> None:
    moment = datetime.fromtimestamp(slot_ms / 1000, tz=UTC)
    folder = out / "AWSLogs" / account / "CloudTrail" / region / moment.strftime("%Y/%m/%d")
    folder.mkdir(parents=True, exist_ok=True)
    unique = hashlib.sha256(f"{account}{region}{slot_ms}".encode()).hexdigest()[:16]
    name = f"{account}_CloudTrail_{region}_{moment.strftime('%Y%m%dT%H%MZ')}_{unique}.json.gz"
    shuffled = list(records)
    random.Random(slot_ms).shuffle(shuffled)
    body = orjson.dumps({"Records": shuffled})
    (folder / name).write_bytes(gzip.compress(body, mtime=0))


if __name__ == "__main__":
    main()
