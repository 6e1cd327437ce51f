"""A Contributor Insights report as a table: each contributor's keys (escaped event text), its value, its
share of the rule's total, and a sparkline of its recent periods."""

from __future__ import annotations

from datetime import datetime
from typing import Any

from rich.text import Text
from textual.widgets import DataTable

from trailtui.ui.safe import event_text
from trailtui.ui.sparkline import sparkline

SPARK_PERIODS = 20
"""Periods the sparkline shows, the most recent ones."""


class ContributorsTable(DataTable[object]):
    """The top contributors of one rule over the report's window."""

    DEFAULT_CSS = """
    ContributorsTable { height: 1fr; }
    """

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(id=id, cursor_type="row", zebra_stripes=True)
        self.key_labels: list[str] = []

    def show_report(self, report: dict[str, Any], period_starts_ms: list[int]) -> None:
        """Replace the rows with the report's contributors, keeping the cursor's row number."""
        labels = [str(label) for label in report.get("KeyLabels", [])]
        if labels != self.key_labels or not self.columns:
            self.clear(columns=True)
            self.key_labels = labels
            self.add_column("#", key="rank")
            self.add_column("value", key="value")
            self.add_column("share", key="share")
            self.add_column("recent", key="recent")
            for position, label in enumerate(labels):
                self.add_column(event_text(label), key=f"key{position}")
        else:
            self.clear()
        total = float(report.get("AggregateValue", 0.0))
        recent_starts = period_starts_ms[-SPARK_PERIODS:]
        contributors = report.get("Contributors", [])
        top = max((_peak(contributor, recent_starts) for contributor in contributors), default=0.0)
        rows = []
        for rank, contributor in enumerate(contributors, start=1):
            value = float(contributor.get("ApproximateAggregateValue", 0.0))
            keys = [str(key) for key in contributor.get("Keys", [])]
            keys += [""] * (len(labels) - len(keys))
            share = f"{value / total:.1%}" if total else "-"
            spark = sparkline(_recent(contributor, recent_starts), top)
            rows.append(
                [
                    Text(str(rank), style="dim"),
                    Text(_number(value), justify="right"),
                    Text(share, justify="right"),
                    Text(spark, style="bold"),
                    *(event_text(key) for key in keys[: len(labels)]),
                ]
            )
        self.add_rows(rows)


def _recent(contributor: dict[str, Any], starts_ms: list[int]) -> list[float]:
    by_start = {
        _epoch_ms(point.get("Timestamp")): float(point.get("ApproximateValue", 0.0))
        for point in contributor.get("Datapoints", [])
    }
    return [by_start.get(start, 0.0) for start in starts_ms]


def _peak(contributor: dict[str, Any], starts_ms: list[int]) -> float:
    return max(_recent(contributor, starts_ms), default=0.0)


def _epoch_ms(value: object) -> int:
    """A report timestamp (ISO 8601 text locally, a datetime from boto3) in epoch ms."""
    if isinstance(value, datetime):
        return round(value.timestamp() * 1000)
    if isinstance(value, str):
        return round(datetime.fromisoformat(value.replace("Z", "+00:00")).timestamp() * 1000)
    return 0


def _number(value: float) -> str:
    return f"{int(value):,}" if value.is_integer() else f"{value:,.2f}"
