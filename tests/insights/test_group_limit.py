"""`stats` keeps at most `MAX_GROUPS` groups: past it the query fails with one line, in one pass and when
the parts of a scan are merged (each part under the limit, together over it)."""

from __future__ import annotations

import pickle

import pytest

from trailtui.insights import steps
from trailtui.insights.errors import QueryLimitError
from trailtui.insights.executor import RunOptions, compile_query, merge, run_query, scan

from .helpers import event_from

LIMIT = 10


@pytest.fixture
def small_limit(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(steps, "MAX_GROUPS", LIMIT)


def events(count: int) -> list:
    return [event_from({"eventName": "GetObject", "requestID": f"req-{n}"}, n) for n in range(count)]


def test_groups_up_to_the_limit_are_kept(small_limit: None) -> None:
    results = run_query("stats count(*) by requestID", events(LIMIT))
    assert len(results["results"]) == LIMIT


def test_one_group_more_fails_the_query_in_one_line(small_limit: None) -> None:
    with pytest.raises(QueryLimitError) as raised:
        run_query("stats count(*) by requestID", events(LIMIT + 1))
    assert str(raised.value) == (
        f"stats made more than {LIMIT} groups: group by a field with fewer distinct values, "
        "or query a shorter time range"
    )


def test_parts_under_the_limit_fail_when_merged_over_it(small_limit: None) -> None:
    compiled = compile_query("stats count(*) by requestID")
    every = events(LIMIT + 2)
    middle = LIMIT // 2 + 1
    halves = [scan(compiled, part, RunOptions()) for part in (every[:middle], every[middle:])]
    with pytest.raises(QueryLimitError):
        merge([pickle.loads(pickle.dumps(partial)) for partial in halves])


def test_the_error_crosses_a_process_boundary_whole() -> None:
    error = steps.too_many_groups()
    copy = pickle.loads(pickle.dumps(error))
    assert type(copy) is QueryLimitError and str(copy) == str(error)
