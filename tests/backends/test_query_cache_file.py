"""The query cache file (`trailtui query --cache`) answers exactly as reading the files does.

Whole answers are compared (rows, their order, statistics), in the engine and through the CLI (stdout
and stderr, first run building the file and later runs reading it); a changed input, a damaged file, an
old format and a bound too small for the cache all fall back to reading the files, with at most one line
on stderr.
"""

from __future__ import annotations

import gzip
import json
import os
import shutil
from pathlib import Path
from threading import Event as Flag
from typing import Any

import orjson
import pytest

from trailtui.backends import local_cache, local_cache_file, local_scan
from trailtui.cli import main
from trailtui.events.readers import read_paths
from trailtui.insights import executor, steps
from trailtui.insights.errors import QueryLimitError

from .test_query_paths_agree import (
    QUERIES,
    TIME_RANGES,
    expected_way,
    generated_trail,
    inputs,
    reference,
    through_cache,
)

__all__ = ["generated_trail", "inputs"]

MORE_QUERIES = [
    "stats count(*) as n by bin(5m), awsRegion",
    "stats count(*) as n, min(@timestamp) as first by bin(30m)",
    "stats latest(eventName) as last by bin(1h)",
    "fields bin(1d) as day | stats count(*) by day, eventSource",
    "fields @timestamp, eventName | sort @timestamp asc | limit 7",
    "sort @timestamp desc, eventName asc | limit 12",
]


@pytest.fixture(scope="module")
def cache_file(inputs: list[str], tmp_path_factory: pytest.TempPathFactory) -> Path:
    built = local_cache.build_cache(local_scan.list_input_files(inputs), Flag())
    assert built is not None
    path = tmp_path_factory.mktemp("cache") / "inputs.trailtui-cache"
    assert local_cache_file.save_cache(built, path, 2**40) is None
    return path


def loaded(inputs: list[str], path: Path) -> local_cache.SessionCache:
    files = local_scan.list_input_files(inputs)
    cache = local_cache_file.load_cache(path, local_cache.file_key([input_file.path for input_file in files]))
    assert cache is not None and cache.source is not None
    return cache


@pytest.mark.parametrize("time_range", TIME_RANGES)
@pytest.mark.parametrize("query", QUERIES + MORE_QUERIES)
def test_cache_file_gives_the_reference_answer(
    inputs: list[str],
    cache_file: Path,
    query: str,
    time_range: tuple[int | None, int | None],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    options = executor.RunOptions(*time_range, now_ms=0)
    expected = reference(inputs, query, options, monkeypatch)
    cache = loaded(inputs, cache_file)
    assert through_cache(cache, inputs, query, options) == (expected_way(query), expected)


@pytest.mark.parametrize("query", MORE_QUERIES)
def test_in_memory_cache_gives_the_reference_answer_to_bin_and_time_sorts(
    inputs: list[str], query: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    options = executor.RunOptions(now_ms=0)
    expected = reference(inputs, query, options, monkeypatch)
    cache = local_cache.build_cache(local_scan.list_input_files(inputs), Flag())
    assert cache is not None
    assert through_cache(cache, inputs, query, options) == (expected_way(query), expected)


def test_cache_file_rebuilds_events_exactly(inputs: list[str], cache_file: Path) -> None:
    cache = loaded(inputs, cache_file)
    readings = read_paths(inputs)
    events = [event for reading in readings for event in reading.events]
    rebuilt = cache.events(range(cache.size))
    assert [(e.record, e.message, e.ptr, e.timestamp_ms, e.account, e.region) for e in rebuilt] == [
        (e.record, e.message, e.ptr, e.timestamp_ms, e.account, e.region) for e in events
    ]


def test_cache_file_for_other_inputs_is_not_used(inputs: list[str], cache_file: Path, tmp_path: Path) -> None:
    other = tmp_path / "other.ndjson"
    other.write_bytes(orjson.dumps({"eventTime": "2024-01-01T00:00:00Z", "eventName": "X"}) + b"\n")
    assert local_cache_file.load_cache(cache_file, local_cache.file_key([str(other)])) is None


# --- through the CLI ------------------------------------------------------------------------------

CLI_QUERIES = [
    QUERIES[0],
    "stats count(*) as calls by eventSource, eventName | sort calls desc | limit 20",
    'parse userAgent "*/*" as product, rest | stats count(*) as calls by product | sort calls desc',
    "fields @timestamp, eventName, sourceIPAddress | sort @timestamp desc | limit 20",
    "stats count(*) as calls by bin(1h)",
    'filter eventName = "Decrypt" | limit any 4',
    "fields eventName | limit 25",
]


def run_cli(capsys: pytest.CaptureFixture[str], arguments: list[str]) -> tuple[int, str, str]:
    code = main(["query", *arguments])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


@pytest.fixture
def trail_copy(generated_trail: Path, tmp_path: Path) -> Path:
    copy = tmp_path / "trail"
    shutil.copytree(generated_trail, copy)
    return copy


@pytest.mark.parametrize("window", [[], ["--start", "2026-01-05T01:00:00Z", "--end", "2026-01-05T03:00:00Z"]])
@pytest.mark.parametrize("query", CLI_QUERIES)
def test_query_with_a_cache_prints_what_reading_the_files_prints(
    capsys: pytest.CaptureFixture[str], trail_copy: Path, tmp_path: Path, query: str, window: list[str]
) -> None:
    arguments = [query, str(trail_copy), "--format", "json", *window]
    expected = run_cli(capsys, arguments)
    cache = tmp_path / "cache"
    building = run_cli(capsys, [*arguments, "--cache-dir", str(cache)])
    reading = run_cli(capsys, [*arguments, "--cache-dir", str(cache)])
    if json.loads(expected[1])["statistics"]["estimatedBytesSkipped"]:
        expected, building, reading = found(expected), found(building), found(reading)
    assert building == expected
    assert reading == expected
    assert len(list(cache.glob("*.trailtui-cache"))) == 1


def found(run: tuple[int, str, str]) -> tuple[int, Any, str]:
    """A run's exit code, answer and stderr without the counts of work done: a run that reads the files
    passes over those that cannot match, one from the cache reads none (those counts are checked in
    test_query_paths_agree), so what was found is what must agree."""
    code, out, err = run
    answer = json.loads(out)
    answer["statistics"] = {"recordsMatched": answer["statistics"]["recordsMatched"]}
    return code, answer, err


def test_cache_defaults_to_the_xdg_cache_home(
    capsys: pytest.CaptureFixture[str], trail_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("XDG_CACHE_HOME", str(tmp_path / "xdg"))
    expected = run_cli(capsys, [CLI_QUERIES[1], str(trail_copy), "--format", "json"])
    assert run_cli(capsys, [CLI_QUERIES[1], str(trail_copy), "--format", "json", "--cache"]) == expected
    assert len(list((tmp_path / "xdg" / "trailtui").glob("*.trailtui-cache"))) == 1


def first_log_file(trail: Path) -> Path:
    return next(path for path in sorted(trail.rglob("*.json.gz")) if "Digest" not in str(path))


def test_a_changed_input_is_read_again(
    capsys: pytest.CaptureFixture[str], trail_copy: Path, tmp_path: Path
) -> None:
    query = "stats count(*) as n by eventName"
    arguments = [query, str(trail_copy), "--format", "json", "--cache-dir", str(tmp_path / "c")]
    before = run_cli(capsys, arguments)
    changed = first_log_file(trail_copy)
    document = orjson.loads(gzip.decompress(changed.read_bytes()))
    for record in document["Records"]:
        record["eventName"] = "ChangedSince"
    changed.write_bytes(gzip.compress(orjson.dumps(document)))
    after = run_cli(capsys, arguments)
    assert after != before
    assert after == run_cli(capsys, [*arguments[:3], "json"])
    assert "ChangedSince" in after[1]


def cache_path(directory: Path) -> Path:
    (path,) = directory.glob("*.trailtui-cache")
    return path


def damage_header(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(local_cache_file.MAGIC) + local_cache_file.PREAMBLE.size + 5] ^= 0xFF
    path.write_bytes(bytes(data))


def old_version(path: Path) -> None:
    data = bytearray(path.read_bytes())
    data[len(local_cache_file.MAGIC)] = local_cache_file.FORMAT_VERSION + 1
    path.write_bytes(bytes(data))


def truncate(path: Path) -> None:
    path.write_bytes(path.read_bytes()[: path.stat().st_size // 2])


def not_a_cache(path: Path) -> None:
    path.write_bytes(b"\x00" * 10)


def damage_a_column(path: Path) -> None:
    source = local_cache_file.MappedFile(path)
    section = source.sections["codes:eventName"]
    start = section.offset + section.length // 2
    del source
    data = bytearray(path.read_bytes())
    data[start : start + 4] = b"\xff\xff\xff\xff"
    path.write_bytes(bytes(data))


@pytest.mark.parametrize("damage", [damage_header, old_version, truncate, not_a_cache, damage_a_column])
def test_a_damaged_or_old_cache_is_discarded_with_one_line(
    capsys: pytest.CaptureFixture[str], trail_copy: Path, tmp_path: Path, damage: Any
) -> None:
    directory = tmp_path / "c"
    arguments = [CLI_QUERIES[1], str(trail_copy), "--format", "json"]
    code, out, err = run_cli(capsys, arguments)
    run_cli(capsys, [*arguments, "--cache-dir", str(directory)])
    damage(cache_path(directory))
    damaged_code, damaged_out, damaged_err = run_cli(capsys, [*arguments, "--cache-dir", str(directory)])
    assert (damaged_code, damaged_out) == (code, out)
    extra = [line for line in damaged_err.splitlines() if line not in err.splitlines()]
    assert len(extra) == 1 and "discarded the query cache" in extra[0]
    assert run_cli(capsys, [*arguments, "--cache-dir", str(directory)]) == (code, out, err)


def test_a_cache_over_the_bound_is_not_written(
    capsys: pytest.CaptureFixture[str], trail_copy: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("TRAILTUI_CACHE_MAX_MB", "0")
    arguments = [CLI_QUERIES[1], str(trail_copy), "--format", "json"]
    code, out, err = run_cli(capsys, arguments)
    cached = run_cli(capsys, [*arguments, "--cache-dir", str(tmp_path / "c")])
    assert cached[:2] == (code, out)
    extra = [line for line in cached[2].splitlines() if line not in err.splitlines()]
    assert len(extra) == 1
    assert extra[0].startswith("trailtui: query cache not written: ")
    assert extra[0].endswith(" MB is more than the 0 MB allowed")
    assert not list((tmp_path / "c").glob("*.trailtui-cache"))


def test_eviction_keeps_the_directory_within_its_bound_least_recently_used_first(
    inputs: list[str], tmp_path: Path
) -> None:
    files = local_scan.list_input_files(inputs)
    key = local_cache.file_key([input_file.path for input_file in files])
    built = local_cache.build_cache(files, Flag())
    assert built is not None
    directory = tmp_path / "c"

    def path(name: str) -> Path:
        return directory / (name + local_cache_file.SUFFIX)

    assert local_cache_file.save_cache(built, path("a"), 2**40) is None
    size = path("a").stat().st_size
    assert local_cache_file.save_cache(built, path("b"), size * 5 // 2) is None
    os.utime(path("a"), ns=(1, 1))
    os.utime(path("b"), ns=(2, 2))
    assert local_cache_file.load_cache(path("a"), key) is not None  # used: now the most recent
    assert local_cache_file.save_cache(built, path("c"), size * 5 // 2) is None
    assert sorted(entry.name for entry in directory.glob("*" + local_cache_file.SUFFIX)) == [
        "a" + local_cache_file.SUFFIX,
        "c" + local_cache_file.SUFFIX,
    ]


def test_column_codes_take_the_smallest_type_and_widen_as_values_come() -> None:
    """However a column is built (value by value, part by part as a large file is read, or at once), it
    is the same: values in order of first appearance, and codes of the smallest type that holds them."""
    values: list[Any] = [f"v{number % 70_000}" for number in range(140_000)] + [None, 1, True, 1.0, "v3"]
    whole = local_cache.encode_column(values)
    added = local_cache.Column()
    for value in values:
        added.add(value)
    in_parts = local_cache.Column()
    for start in range(0, len(values), 5_000):
        in_parts.extend(local_cache.encode_column(values[start : start + 5_000]))
    assert [(column.values, list(column.codes)) for column in (added, in_parts)] == [
        (whole.values, list(whole.codes))
    ] * 2
    assert whole.values[:3] == [None, "v0", "v1"] and whole.values[-3:] == [1, True, 1.0]
    assert {column.codes.typecode for column in (whole, added, in_parts)} == {"I"}
    assert local_cache.encode_column(["a", None, "b"]).codes.typecode == "B"
    assert local_cache.encode_column([f"x{number}" for number in range(300)]).codes.typecode == "H"


def test_rows_by_time_is_a_stable_sort_of_the_rows() -> None:
    times = [5_000, 3_000, 5_000, 1_000, 3_000, 9_000, 1_000, -2_000] * 1_000
    column = local_cache.encode_column(times)
    assert list(local_cache.rows_by_time(column)) == sorted(range(len(times)), key=times.__getitem__)


def test_the_cache_keeps_the_group_limit(
    inputs: list[str], cache_file: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(steps, "MAX_GROUPS", 2)
    cache = loaded(inputs, cache_file)
    compiled = executor.compile_query("stats count(*) by eventName")
    with pytest.raises(QueryLimitError, match="stats made more than 2 groups"):
        local_cache.run_cached(cache, compiled, executor.RunOptions(now_ms=0))
