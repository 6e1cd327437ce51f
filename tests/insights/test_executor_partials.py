"""Scanning partitions separately (as worker processes will), pickling, merging: same answer as one pass."""

import pickle

import pytest

from trailtui.insights.executor import RunOptions, compile_query, finish, merge, run_query, scan

from . import queries

PARTITIONED_QUERIES = [
    *queries.USE_CASES,
    "stats count(*) as c, count_distinct(eventName) as names, earliest(eventName) as first by eventSource",
    "stats count(*) as c by bin(1h) as hour | filter c > 10 | stats sum(c) as total, max(c) as peak",
    "fields eventName, awsRegion | sort eventName asc, awsRegion desc | limit 50",
    "fields eventName | limit 20",
    "dedup eventName | limit 30",
    "filter errorCode = 'AccessDenied' | stats count(*) as denied by userIdentity.arn | sort denied desc",
]


def scan_in_parts(query, events, parts, options):
    """Scan `parts` slices separately, send each partial through pickle, then merge and finish."""
    compiled = pickle.loads(pickle.dumps(compile_query(query)))
    size = len(events) // parts + 1
    partials = [
        pickle.loads(pickle.dumps(scan(compiled, events[start : start + size], options)))
        for start in range(0, len(events), size)
    ]
    return finish(compiled, merge(partials), options)


@pytest.mark.parametrize("query", PARTITIONED_QUERIES)
def test_partitioned_scan_equals_a_single_pass(corpus_events, query):
    options = RunOptions(now_ms=0)
    single = run_query(query, corpus_events, now_ms=0)
    assert scan_in_parts(query, corpus_events, 4, options) == single


def test_bounded_buffer_keeps_only_what_the_limit_needs(corpus_events):
    compiled = compile_query("sort eventName asc | limit 5")
    partial = scan(compiled, corpus_events, RunOptions())
    assert len(partial.state.entries) <= 10
