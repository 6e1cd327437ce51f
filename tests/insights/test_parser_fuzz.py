"""Property tests: any text gives a compiled query or a MalformedQueryError, never another exception."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from trailtui.events.model import Event
from trailtui.insights.errors import MalformedQueryError
from trailtui.insights.executor import compile_query, run_query
from trailtui.insights.parser import parse_query
from trailtui.insights.printer import print_query

from . import queries

QUERY_PIECES = (
    "fields", "filter", "stats", "sort", "limit", "parse", "dedup", "unnest", "display", "by", "as", "into",
    "and", "or", "not", "like", "in", "asc", "desc", "count(*)", "bin(5m)", "|", ",", "(", ")", "[", "]",
    "=", "!=", "<", ">=", "=~", "+", "-", "*", "/", "%", "^", '"', "'", "`", "/re/", "#", "\n", " ",
    "eventName", "@message", "@timestamp", "userIdentity.arn", "1", "2.5", "5m", '"x*"', "ispresent(",
    "jsonParse(", "concat(", "pct(", "earliest(", "sortsFirst(", "\\", "\x1b", "é",
)  # fmt: skip

query_like_text = st.lists(st.sampled_from(QUERY_PIECES), max_size=30).map(" ".join)


@pytest.fixture(scope="module")
def corpus_sample(corpus_events: list[Event]) -> list[Event]:
    """Every 40th real event: varied shapes, few enough to run hundreds of queries."""
    return corpus_events[::40]


def compiles_or_refuses_cleanly(text: str) -> None:
    try:
        compile_query(text)
    except MalformedQueryError as error:
        assert "\n" not in str(error)
        assert error.line >= 1 and error.column >= 1


@settings(max_examples=400, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.text(max_size=200))
def test_arbitrary_text_compiles_or_is_malformed(text: str) -> None:
    compiles_or_refuses_cleanly(text)


@settings(max_examples=600, deadline=None)
@given(query_like_text)
def test_query_like_text_compiles_or_is_malformed(text: str) -> None:
    compiles_or_refuses_cleanly(text)


@settings(max_examples=300, deadline=None)
@given(st.sampled_from(queries.USE_CASES + queries.EXAMPLES), st.data())
def test_mutated_valid_queries_compile_or_are_malformed(query: str, data: st.DataObject) -> None:
    cut = data.draw(st.integers(0, len(query)))
    inserted = data.draw(st.sampled_from(QUERY_PIECES))
    compiles_or_refuses_cleanly(query[:cut] + inserted + query[cut:])


@settings(max_examples=300, deadline=None)
@given(query_like_text)
def test_whatever_parses_prints_back_to_the_same_tree(text: str) -> None:
    try:
        tree = parse_query(text)
    except MalformedQueryError:
        return
    assert parse_query(print_query(tree)) == tree


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(text=query_like_text)
def test_whatever_compiles_runs_without_crashing(text: str, corpus_sample: list[Event]) -> None:
    try:
        compiled = compile_query(text)
    except MalformedQueryError:
        return
    result = run_query(compiled, corpus_sample)
    assert result["status"] == "Complete"
