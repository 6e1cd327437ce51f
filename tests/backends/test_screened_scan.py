"""A cold scan passes over files whose bytes prove no record can match: same rows, honest statistics.

The trail here is real corpus events, one gzipped `Records` file per event source, so a query for one
source's events reads its file and passes over the others.
"""

from __future__ import annotations

import gzip
from pathlib import Path
from typing import Any

import orjson
import pytest

from trailtui.backends import local_scan
from trailtui.events.model import Event
from trailtui.insights import executor
from trailtui.insights.results import FALLBACK_RECORD_BYTES, ScanStatistics

KMS_QUERY = 'filter eventSource = "kms.amazonaws.com" | stats count(*) as calls by eventName'


@pytest.fixture(scope="module")
def trail(corpus_events: list[Event], tmp_path_factory: pytest.TempPathFactory) -> Path:
    root = tmp_path_factory.mktemp("by-source")
    by_source: dict[str, list[dict[str, Any]]] = {}
    for event in corpus_events:
        by_source.setdefault(str(event.record.get("eventSource")), []).append(event.record)
    for number, records in enumerate(by_source.values()):
        (root / f"{number:03}.json.gz").write_bytes(gzip.compress(orjson.dumps({"Records": records})))
    return root


def scan(trail: Path, query: str, options: executor.RunOptions | None = None) -> dict[str, Any]:
    options = options or executor.RunOptions(now_ms=0)
    compiled = executor.compile_query(query)
    files = local_scan.list_input_files([str(trail)])
    return executor.finish(compiled, local_scan.QueryScan(compiled, files, None, options).run(), options)


def file_sizes(trail: Path, holding: bytes) -> tuple[int, int, int]:
    """Content bytes of the files holding `holding` and of the others, and the others' record count."""
    kept = passed = passed_records = 0
    for path in trail.iterdir():
        content = gzip.decompress(path.read_bytes())
        if holding in content or b"\\u" in content:
            kept += len(content)
        else:
            passed += len(content)
            passed_records += len(orjson.loads(content)["Records"])
    return kept, passed, passed_records


def test_files_without_the_word_are_passed_over_and_counted_as_skipped(trail: Path) -> None:
    answer = scan(trail, KMS_QUERY)
    everything = scan(trail, "stats count(*) as events")
    kept, passed, passed_records = file_sizes(trail, b"kms.amazonaws.com")
    statistics = answer["statistics"]
    assert statistics["estimatedBytesSkipped"] == passed > 0
    assert statistics["recordsScanned"] < everything["statistics"]["recordsScanned"]
    assert statistics["recordsScanned"] + passed_records == everything["statistics"]["recordsScanned"]
    mean = kept / statistics["recordsScanned"]
    assert statistics["estimatedRecordsSkipped"] == round(passed / mean)
    assert 0.5 < statistics["estimatedRecordsSkipped"] / passed_records < 2


def test_the_rows_are_those_of_a_scan_of_everything(trail: Path) -> None:
    by_filter = scan(trail, KMS_QUERY)["results"]
    by_hand = scan(
        trail, 'stats count(*) as calls by eventSource, eventName | filter eventSource = "kms.amazonaws.com"'
    )
    assert by_filter == [
        [cell for cell in row if cell["field"] != "eventSource"] for row in by_hand["results"]
    ]


def test_a_time_range_scales_the_estimate_by_the_share_read_in_range(trail: Path) -> None:
    everything = scan(trail, KMS_QUERY)["statistics"]
    start_ms = 1_600_000_000_000
    ranged = scan(trail, KMS_QUERY, executor.RunOptions(start_ms=start_ms, now_ms=0))["statistics"]
    assert ranged["recordsScanned"] < everything["recordsScanned"]
    share = ranged["recordsScanned"] / everything["recordsScanned"]
    assert ranged["estimatedBytesSkipped"] == round(everything["estimatedBytesSkipped"] * share)


def test_a_word_in_no_file_passes_over_every_file(trail: Path) -> None:
    statistics = scan(trail, 'filter eventName = "NoSuchCall" | fields eventName')["statistics"]
    _, passed, _ = file_sizes(trail, b"NoSuchCall")
    assert statistics["recordsScanned"] == 0
    assert statistics["estimatedBytesSkipped"] == passed
    assert statistics["estimatedRecordsSkipped"] == round(passed / FALLBACK_RECORD_BYTES)


def test_damage_in_a_file_passed_over_goes_unseen_and_is_reported_when_read(tmp_path: Path) -> None:
    """A decision: a file that cannot hold a match is not parsed, so a broken record in it is reported
    only by queries that read the file."""
    (tmp_path / "good.json").write_bytes(orjson.dumps({"Records": [{"eventName": "ConsoleLogin"}]}))
    (tmp_path / "broken.json").write_bytes(b'{"Records": [{"eventName": "GetObject"}, {"eventName": ]}')
    files = local_scan.list_input_files([str(tmp_path)])
    screened = local_scan.scan_files(
        'filter eventName = "ConsoleLogin"', [f.path for f in files], executor.RunOptions()
    )
    read = local_scan.scan_files(
        'filter eventName = "GetObject"', [f.path for f in files], executor.RunOptions()
    )
    assert (screened.problem_lines, screened.partial.statistics.records_matched) == ([], 1)
    assert len(read.problem_lines) == 1 and "broken.json" in read.problem_lines[0]


@pytest.mark.parametrize(
    ("counts", "expected"),
    [
        (ScanStatistics(records_scanned=10, records_read=10, content_read=10_000), (0, 0)),
        (
            ScanStatistics(
                records_scanned=10, records_read=10, content_read=10_000, bytes_screened_out=5_000
            ),
            (5, 5_000),
        ),
        (
            ScanStatistics(records_scanned=5, records_read=10, content_read=10_000, bytes_screened_out=5_000),
            (2, 2_500),
        ),
        (ScanStatistics(bytes_screened_out=5_000), (5, 5_000)),
    ],
)
def test_the_estimate_takes_skipped_files_to_be_like_the_files_read(
    counts: ScanStatistics, expected: tuple[int, int]
) -> None:
    assert counts.estimated_skipped() == expected
