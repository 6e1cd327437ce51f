"""Shapes query output exactly as CloudWatch's GetQueryResults returns it (spec §10).

Every value is a string; a field without a value is left out of its row; rows that are events (no `stats`
ran) end with their `@ptr`; statistics are floats.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from typing import Any

from trailtui.insights.compiler import Getter, Record
from trailtui.insights.values import render

QUERY_LANGUAGE = "CWLI"
COMPLETE = "Complete"


FALLBACK_RECORD_BYTES = 1_000
"""The size taken for a record when every file was skipped unread (CloudTrail records average ~1.2 KB)."""


@dataclass
class ScanStatistics:
    """What a scan counted: events in the time range, records reaching the first barrier, their bytes.

    Files passed over unparsed (their bytes proved that nothing in them could match; `events.screen`)
    count only by size; their records and in-range bytes are estimated from the files that were read.
    """

    records_scanned: int = 0
    records_matched: int = 0
    bytes_scanned: int = 0
    accounts: set[str] = field(default_factory=set)
    """Each account is one local log group (`<account>:CloudTrail/DefaultLogGroup`)."""
    records_read: int = 0
    """Every record of the files parsed, in the time range or not."""
    content_read: int = 0
    """The JSON bytes of the files parsed."""
    bytes_screened_out: int = 0
    """The JSON bytes of the files passed over unparsed."""

    def merge(self, other: ScanStatistics) -> None:
        self.records_scanned += other.records_scanned
        self.records_matched += other.records_matched
        self.bytes_scanned += other.bytes_scanned
        self.accounts |= other.accounts
        self.records_read += other.records_read
        self.content_read += other.content_read
        self.bytes_screened_out += other.bytes_screened_out

    def estimated_skipped(self) -> tuple[int, int]:
        """Records and bytes of the files passed over that fall in the time range, estimated.

        Skipped files are taken to be like the files read: their records of the mean size, the same
        share of them in the time range. Without a time range the bytes are exact.
        """
        skipped = self.bytes_screened_out
        if not skipped:
            return 0, 0
        if not self.content_read:
            return round(skipped / FALLBACK_RECORD_BYTES), skipped
        in_range = self.records_scanned / self.records_read if self.records_read else 1.0
        return round(skipped * self.records_scanned / self.content_read), round(skipped * in_range)

    def as_response(self) -> dict[str, float]:
        records_skipped, bytes_skipped = self.estimated_skipped()
        return {
            "recordsMatched": float(self.records_matched),
            "recordsScanned": float(self.records_scanned),
            "estimatedRecordsSkipped": float(records_skipped),
            "bytesScanned": float(self.bytes_scanned),
            "estimatedBytesSkipped": float(bytes_skipped),
            "logGroupsScanned": float(len(self.accounts)),
        }


def result_row(record: Record, columns: Sequence[tuple[str, Getter]], with_ptr: bool) -> list[dict[str, str]]:
    """One GetQueryResults row: `{field, value}` pairs for the columns that have a value, then `@ptr`."""
    row = []
    for name, read in columns:
        text = render(read(record))
        if text is not None:
            row.append({"field": name, "value": text})
    if with_ptr and record.event is not None:
        row.append({"field": "@ptr", "value": record.event.ptr})
    return row


def query_results(
    records: Iterable[Record],
    columns: Sequence[tuple[str, Getter]],
    rows_are_events: bool,
    statistics: ScanStatistics,
) -> dict[str, Any]:
    """The complete GetQueryResults response for the final rows of a query."""
    return {
        "queryLanguage": QUERY_LANGUAGE,
        "status": COMPLETE,
        "statistics": statistics.as_response(),
        "results": [result_row(record, columns, rows_are_events) for record in records],
    }
