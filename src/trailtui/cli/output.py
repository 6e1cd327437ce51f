"""Printing GetQueryResults-shaped answers: json (exact), csv and ndjson (one row a line), table (readable).

Machine formats keep every value exactly as the backend gave it. The table is for eyes on a terminal, so
every value in it goes through `terminal_safe.visible` first.
"""

from __future__ import annotations

import csv
import io
import shutil
from collections.abc import Iterable
from typing import Any

import orjson

from trailtui.terminal_safe import visible

FORMATS = ("table", "json", "csv", "ndjson")
HIDDEN_IN_TABLE = ("@ptr",)
MAX_CELL_WIDTH = 60


def rows_as_dicts(results: dict[str, Any]) -> list[dict[str, str]]:
    return [{cell["field"]: cell["value"] for cell in row} for row in results.get("results", [])]


def column_names(rows: Iterable[dict[str, str]]) -> list[str]:
    """Every field that appears in any row, in order of first appearance."""
    names: dict[str, None] = {}
    for row in rows:
        names.update(dict.fromkeys(row))
    return list(names)


def format_json(document: Any) -> str:
    return orjson.dumps(document, option=orjson.OPT_INDENT_2).decode()


def format_ndjson(rows: list[dict[str, str]]) -> str:
    return "".join(orjson.dumps(row).decode() + "\n" for row in rows)


def format_csv(rows: list[dict[str, str]]) -> str:
    """A header and one row a line, each ending in `\\n`; a value holding `\\r` or `\\n` is quoted.

    The csv module quotes only values holding a character of its line terminator, so rows are written with
    `\\r\\n` (quoting values with either) and each row's own terminator is then made `\\n`.
    """
    names = column_names(rows)
    buffer = io.StringIO()
    writer = csv.writer(buffer, lineterminator="\r\n")
    lines = []
    for values in [names, *([row.get(name, "") for name in names] for row in rows)]:
        writer.writerow(values)
        lines.append(buffer.getvalue()[:-2] + "\n")
        buffer.seek(0)
        buffer.truncate()
    return "".join(lines)


def format_table(rows: list[dict[str, str]], hidden: Iterable[str] = HIDDEN_IN_TABLE) -> str:
    """Aligned columns that fit the terminal's width where they can; cells cut with `…` when too long."""
    columns = [name for name in column_names(rows) if name not in hidden]
    if not columns:
        return "(no rows)\n" if not rows else ""
    cells = [[_cell(row.get(name, "")) for name in columns] for row in rows]
    widths = _column_widths([_cell(name) for name in columns], cells)
    lines = [_table_line([_cell(name) for name in columns], widths)]
    lines.append("  ".join("-" * width for width in widths))
    lines.extend(_table_line(row, widths) for row in cells)
    return "\n".join(lines) + "\n"


def _cell(value: str) -> str:
    return _fit(visible(value), MAX_CELL_WIDTH)


def _column_widths(header: list[str], cells: list[list[str]]) -> list[int]:
    widths = [len(name) for name in header]
    for row in cells:
        widths = [max(width, len(cell)) for width, cell in zip(widths, row, strict=True)]
    available = shutil.get_terminal_size((160, 24)).columns
    while sum(widths) + 2 * (len(widths) - 1) > available and max(widths) > 12:
        widest = widths.index(max(widths))
        widths[widest] -= 1
    return widths


def _table_line(cells: list[str], widths: list[int]) -> str:
    fitted = [_fit(cell, width).ljust(width) for cell, width in zip(cells, widths, strict=True)]
    return "  ".join(fitted).rstrip()


def _fit(cell: str, width: int) -> str:
    return cell if len(cell) <= width else cell[: width - 1] + "…"
