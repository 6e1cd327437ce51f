#!/usr/bin/env python3
"""trailtui's benchmarks: one command, one table, every figure beside the peers measured in the same run.

    python benchmarks/run.py            # 1,000,000 events (about 1.25 GB of JSON, ~3,400 gzipped files)
    python benchmarks/run.py --quick    # 100,000 events
    python benchmarks/run.py --events 250000 --repeat 3

The trail is built once by ../shared/bench/make_trail.py into bench-data/ and reused. Each measure runs
in a fresh process (`trailtui query ... --format json`, as a user would run it) `--repeat` times; the table
gives the median wall time, events/s and the peak RSS of the process and its workers, and the ratio
against the floor: orjson decompressing and parsing every file on one core, in this same run.
"""

from __future__ import annotations

import argparse
import os
import resource
import shutil
import statistics
import subprocess
import sys
import time
import zlib
from dataclasses import dataclass
from pathlib import Path

import orjson

REPOSITORY = Path(__file__).resolve().parent.parent
MAKE_TRAIL = REPOSITORY.parent / "shared" / "bench" / "make_trail.py"

USE_CASE_QUERIES = {
    "sign-in failures": (
        'filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin" and '
        'responseElements.ConsoleLogin="Failure" | stats count(*) as Total_Count by sourceIPAddress as '
        "Source_IP, errorMessage as Reason, awsRegion as AWS_Region, userIdentity.arn as IAM_Arn, "
        "additionalEventData.MFAUsed as MFA_Used"
    ),
    "KMS keys": (
        "fields eventName, requestParameters.origin as keyMaterial, responseElements.keyMetadata.keyUsage as "
        "keyUsage, awsRegion as region, userIdentity.arn as arn, responseElements.keyMetadata.keyId as keyID "
        '| filter eventName="CreateKey" and keyMaterial!="AWS_*"'
    ),
    "RDS created": (
        'filter eventSource="rds.amazonaws.com" and eventName="CreateDBInstance" | fields awsRegion as '
        "AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn"
    ),
    "RDS modified (parse)": (
        "fields eventSource, eventName, awsRegion as AWS_Region, requestParameters.dBInstanceIdentifier as "
        'Database_Name, userIdentity.arn as IAM_Arn | filter eventSource="rds.amazonaws.com" and '
        'eventName="ModifyDBInstance" | parse @message "requestParameters\\":{*}" as dbChanges | display '
        "AWS_Region, Database_Name, IAM_Arn, dbChanges"
    ),
    "top API calls": "stats count(*) as calls by eventName | sort calls desc | limit 10",
}


@dataclass
class Measure:
    name: str
    seconds: list[float]
    peak_rss_mb: float
    events: int

    @property
    def median(self) -> float:
        return statistics.median(self.seconds)


def build_trail(events: int) -> Path:
    out = REPOSITORY / "bench-data" / f"trail-{events}"
    if not (out / "AWSLogs").is_dir():
        shutil.rmtree(out, ignore_errors=True)
        print(f"building a {events:,}-event trail in {out} ...", file=sys.stderr)
        subprocess.run(
            [sys.executable, str(MAKE_TRAIL), "--events", str(events), "--out", str(out)], check=True
        )
    return out


def log_files(trail: Path) -> list[Path]:
    return sorted(path for path in trail.rglob("*.json.gz") if "CloudTrail-Digest" not in str(path))


def orjson_floor(files: list[Path]) -> tuple[float, float, int]:
    """Seconds, peak RSS (MB) and events for decompressing and parsing every file on one core."""
    started = time.perf_counter()
    events = 0
    for path in files:
        events += len(orjson.loads(zlib.decompress(path.read_bytes(), 31))["Records"])
    elapsed = time.perf_counter() - started
    return elapsed, resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024, events


def run_measured(command: list[str]) -> tuple[float, float]:
    """Wall seconds and peak RSS (MB, the process or its largest worker) of one command."""
    started = time.perf_counter()
    process = subprocess.Popen(command, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE)
    _, status, usage = os.wait4(process.pid, 0)
    elapsed = time.perf_counter() - started
    if os.waitstatus_to_exitcode(status) != 0:
        error = process.stderr.read().decode() if process.stderr else ""
        raise SystemExit(f"benchmark command failed: {' '.join(command)}\n{error}")
    return elapsed, usage.ru_maxrss / 1024


def measure_query(name: str, query: str, trail: Path, repeat: int, events: int) -> Measure:
    command = [sys.executable, "-m", "trailtui", "query", query, str(trail), "--format", "json"]
    runs = [run_measured(command) for _ in range(repeat)]
    return Measure(name, [seconds for seconds, _ in runs], max(rss for _, rss in runs), events)


def table_row(name: str, seconds: float, events_per_s: float, rss_mb: float, ratio: float) -> str:
    return f"{name:<28}{seconds:>10.2f}{events_per_s:>14,.0f}{rss_mb:>13.0f}{ratio:>16.2f}x"


def print_table(floor_seconds: float, floor_rss: float, floor_events: int, measures: list[Measure]) -> None:
    header = f"{'measure':<28}{'median s':>10}{'events/s':>14}{'peak RSS MB':>13}{'vs orjson floor':>17}"
    print(header)
    print("-" * len(header))
    print(table_row("orjson floor (1 core)", floor_seconds, floor_events / floor_seconds, floor_rss, 1.0))
    for measure in measures:
        rate = measure.events / measure.median
        print(
            table_row(
                f"query: {measure.name}",
                measure.median,
                rate,
                measure.peak_rss_mb,
                measure.median / floor_seconds,
            )
        )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--events", type=int, default=1_000_000)
    parser.add_argument("--quick", action="store_true", help="100,000 events")
    parser.add_argument("--repeat", type=int, default=3)
    options = parser.parse_args()
    events = 100_000 if options.quick else options.events
    trail = build_trail(events)
    floor_seconds, floor_rss, floor_events = orjson_floor(log_files(trail))
    measures = [
        measure_query(name, query, trail, options.repeat, floor_events)
        for name, query in USE_CASE_QUERIES.items()
    ]
    print_table(floor_seconds, floor_rss, floor_events, measures)


if __name__ == "__main__":
    main()
