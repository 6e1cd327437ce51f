"""Every way the local backend answers a query gives the same answer.

The ways: a plain scan in this process with no shortcuts (the reference), the scan with filter conjuncts
pushed down to raw records and files screened by their bytes, the scan in worker processes, and the
session cache. Answers are compared whole: rows, their order, and statistics. A scan that passes files
over unread counts only the files it read; its statistics are checked against counts made here from
every file read whole.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path
from threading import Event as Flag
from typing import Any

import pytest

from trailtui.backends import local_cache, local_scan
from trailtui.events.readers import read_path, read_path_parts, read_paths
from trailtui.insights import executor
from trailtui.insights.results import ScanStatistics

MAKE_TRAIL = Path(__file__).resolve().parents[3] / "shared" / "bench" / "make_trail.py"

QUERIES = [
    'filter eventSource="signin.amazonaws.com" and eventName="ConsoleLogin" and '
    'responseElements.ConsoleLogin="Failure" | stats count(*) as Total_Count by sourceIPAddress as '
    "Source_IP, errorMessage as Reason, awsRegion as AWS_Region, userIdentity.arn as IAM_Arn, "
    "additionalEventData.MFAUsed as MFA_Used",
    "fields eventName, requestParameters.origin as keyMaterial, awsRegion as region, userIdentity.arn as arn "
    '| filter eventName="CreateKey" and keyMaterial!="AWS_*"',
    'filter eventSource="rds.amazonaws.com" and eventName="CreateDBInstance" | fields awsRegion as '
    "AWS_Region, requestParameters.dBInstanceIdentifier as Database_Name, userIdentity.arn as IAM_Arn",
    'fields eventSource, eventName, awsRegion as AWS_Region | filter eventSource="rds.amazonaws.com" '
    'and eventName="ModifyDBInstance" | parse @message "requestParameters\\":{*}" as dbChanges '
    "| display AWS_Region, dbChanges",
    "stats count(*) as calls by eventSource, eventName | sort calls desc | limit 20",
    "filter eventName like /^Describe/ | stats count(*) as calls by eventSource",
    'filter errorCode like "AccessDenied" | stats count(*) as denials by userIdentity.arn, eventName',
    'parse userAgent "*/*" as product, rest | stats count(*) as calls by product | sort calls desc',
    "fields @timestamp, eventName, sourceIPAddress | sort @timestamp desc | limit 20",
    "stats count_distinct(sourceIPAddress) as ips, min(eventName), max(eventName) by awsRegion",
    "stats count(*) as calls by bin(1h)",
    "stats sum(readOnly) as reads, avg(@timestamp), pct(@timestamp, 90), earliest(eventName) by awsRegion",
    'filter eventName in ["Decrypt", "AssumeRole"] and readOnly = 1 | stats count(*) by eventName',
    "fields eventName | limit 25",
    'filter eventName = "Decrypt" | limit any 4',
    "sort eventName asc | dedup eventName | limit 15",
    "stats count(*) as n by requestParameters.keyId | sort n desc | limit 5",
    "filter sourceIPAddress not like /^10\\./ | fields eventName, userAgent",
    "stats count(*) as n by bin(5m), eventName | sort n desc | limit 30",
    "stats count(*) as n by eventTime, bin(1h) | sort n desc | limit 10",
    "stats sum(readOnly) as reads, pct(readOnly, 50), count_distinct(userAgent), max(sourceIPAddress) "
    "by awsRegion",
    'filter userIdentity.type = "IAMUser" or userIdentity.type = "Root" | stats count(*) by userIdentity.arn',
    "sort @timestamp asc | limit 7",
    "fields eventName, awsRegion | sort @timestamp desc | limit 40",
]
TIME_RANGES = [(None, None), (1_704_000_000_000, 1_767_610_000_000)]
FALLS_BACK_TO_SCAN = {'filter eventName = "Decrypt" | limit any 4'}
"""Queries the cache hands back to a scan (`limit any` answers with whichever rows a scan meets first)."""


@pytest.fixture(scope="module")
def generated_trail(tmp_path_factory: pytest.TempPathFactory) -> Path:
    out = tmp_path_factory.mktemp("trail") / "trail"
    subprocess.run(
        [sys.executable, str(MAKE_TRAIL), "--events", "3000", "--out", str(out), "--days", "0.2"],
        check=True,
        capture_output=True,
    )
    return out


@pytest.fixture(scope="module", params=["corpus", "generated"])
def inputs(request: pytest.FixtureRequest, corpus_dir: Path, generated_trail: Path) -> list[str]:
    return [str(corpus_dir if request.param == "corpus" else generated_trail)]


@pytest.fixture(scope="module")
def session_cache(inputs: list[str]) -> local_cache.SessionCache:
    cache = local_cache.build_cache(local_scan.list_input_files(inputs), Flag())
    assert cache is not None
    return cache


def answer(partial: executor.Partial, query: str, options: executor.RunOptions) -> dict[str, Any]:
    return executor.finish(executor.compile_query(query), partial, options)


def scan(inputs: list[str], query: str, options: executor.RunOptions) -> dict[str, Any]:
    scan = local_scan.QueryScan(
        executor.compile_query(query), local_scan.list_input_files(inputs), None, options
    )
    return answer(scan.run(), query, options)


def through_cache(
    cache: local_cache.SessionCache, inputs: list[str], query: str, options: executor.RunOptions
) -> tuple[str, dict[str, Any]]:
    """How the backend answers with a valid cache (`LocalBackend._run`): from the cache, or by a scan of
    the files when the cache hands the query back; which way, and the answer."""
    partial = local_cache.run_cached(cache, executor.compile_query(query), options)
    if partial is None:
        return "scan", scan(inputs, query, options)
    return "cache", answer(partial, query, options)


def expected_way(query: str) -> str:
    return "scan" if query in FALLS_BACK_TO_SCAN else "cache"


def reference(
    inputs: list[str], query: str, options: executor.RunOptions, monkeypatch: pytest.MonkeyPatch
) -> dict[str, Any]:
    with monkeypatch.context() as patch:
        patch.setattr(local_scan, "_admit", lambda query, options: None)
        patch.setattr(local_scan, "file_screen", lambda query, options: None)
        patch.setattr(local_scan, "file_projection", lambda query, options: None)
        patch.setattr(local_scan, "first_in_time_order", lambda query, options: None)
        patch.setattr(local_scan, "PARALLEL_THRESHOLD_BYTES", 2**62)
        return scan(inputs, query, options)


def screened(
    expected: dict[str, Any], inputs: list[str], query: str, options: executor.RunOptions
) -> dict[str, Any]:
    """The reference answer as a scan gives it that passes over the files the query's screen rules out:
    its statistics counted here from the files it reads, each read whole."""
    screen = local_scan.file_screen(query, options)
    if screen is None:
        return expected
    low, high = options.start_ms or -(2**63), options.end_ms or 2**63
    statistics = ScanStatistics(records_matched=int(expected["statistics"]["recordsMatched"]))
    for input_file in local_scan.list_input_files(inputs):
        (screening,) = read_path_parts(input_file.path, screen=screen)
        if screening.screened_out:
            statistics.bytes_screened_out += screening.content_size
            continue
        reading = read_path(input_file.path)
        in_range = [event for event in reading.events if low <= event.timestamp_ms <= high]
        statistics.records_scanned += len(in_range)
        statistics.bytes_scanned += reading.content_size // max(1, len(reading.events)) * len(in_range)
        statistics.accounts |= {event.account for event in in_range}
        statistics.records_read += len(reading.events)
        statistics.content_read += reading.content_size
    return {**expected, "statistics": statistics.as_response()}


@pytest.mark.parametrize("time_range", TIME_RANGES)
@pytest.mark.parametrize("query", QUERIES)
def test_pushdown_gives_the_reference_answer(
    inputs: list[str], query: str, time_range: tuple[int | None, int | None], monkeypatch: pytest.MonkeyPatch
) -> None:
    options = executor.RunOptions(*time_range, now_ms=0)
    expected = reference(inputs, query, options, monkeypatch)
    monkeypatch.setattr(local_scan, "PARALLEL_THRESHOLD_BYTES", 2**62)
    assert scan(inputs, query, options) == screened(expected, inputs, query, options)


@pytest.mark.parametrize("query", QUERIES[:6] + QUERIES[-4:])
def test_worker_processes_give_the_reference_answer(
    inputs: list[str], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = executor.RunOptions(now_ms=0)
    expected = reference(inputs, query, options, monkeypatch)
    monkeypatch.setattr(local_scan, "PARALLEL_THRESHOLD_BYTES", 0)
    monkeypatch.setattr(local_scan, "MIN_CHUNK_BYTES", 1)
    assert scan(inputs, query, options) == screened(expected, inputs, query, options)


@pytest.mark.parametrize("time_range", TIME_RANGES)
@pytest.mark.parametrize("query", QUERIES)
def test_session_cache_gives_the_reference_answer(
    inputs: list[str],
    session_cache: local_cache.SessionCache,
    query: str,
    time_range: tuple[int | None, int | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = executor.RunOptions(*time_range, now_ms=0)
    expected = reference(inputs, query, options, monkeypatch)
    assert through_cache(session_cache, inputs, query, options) == (expected_way(query), expected)


def test_session_cache_rebuilds_events_exactly(
    inputs: list[str], session_cache: local_cache.SessionCache
) -> None:
    events = [event for reading in read_paths(inputs) for event in reading.events]
    rebuilt = session_cache.events(range(session_cache.size))
    assert [(e.record, e.message, e.ptr, e.timestamp_ms, e.account, e.region) for e in rebuilt] == [
        (e.record, e.message, e.ptr, e.timestamp_ms, e.account, e.region) for e in events
    ]
