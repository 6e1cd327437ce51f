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


@dataclass
class ScanStatistics:
    """What a scan counted: events in the time range, records reaching the first barrier, their bytes."""

    records_scanned: int = 0
    records_matched: int = 0
    bytes_scanned: int = 0
    accounts: set[str] = field(default_factory=set)
    """Each account is one local log group (`<account>:CloudTrail/DefaultLogGroup`)."""

    def merge(self, other: ScanStatistics) -> None:
        self.records_scanned += other.records_scanned
        self.records_matched += other.records_matched
        self.bytes_scanned += other.bytes_scanned
        self.accounts |= other.accounts

    def as_response(self) -> dict[str, float]:
        return {
            "recordsMatched": float(self.records_matched),
            "recordsScanned": float(self.records_scanned),
            "estimatedRecordsSkipped": 0.0,
            "bytesScanned": float(self.bytes_scanned),
            "estimatedBytesSkipped": 0.0,
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
