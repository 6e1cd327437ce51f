"""Streaming rankings: exact under capacity, bounded error beyond it, readable at any time."""

from __future__ import annotations

import threading
from collections import Counter

import pytest

from trailtui.contributors import Ranking, build_report
from trailtui.contributors.ranking import ContributorSketch, DistinctCounter
from trailtui.events.model import Event

from .helpers import json_rule, make_event

MINUTE_MS = 60_000


def api_call(name: str, timestamp_ms: int = 0, arn: str = "arn:aws:iam::1:user/alice") -> Event:
    return make_event({"eventName": name, "userIdentity": {"arn": arn}}, timestamp_ms)


def test_add_batch_counts_contributing_events_per_epoch_aligned_bucket() -> None:
    ranking = Ranking(json_rule(["$.eventName"], [{"Match": "$.eventName", "NotIn": ["AssumeRole"]}]))
    events = [
        api_call("GetObject", 5_000),
        api_call("AssumeRole", 6_000),
        api_call("GetObject", MINUTE_MS + 1),
    ]
    assert ranking.add_batch(events) == 2
    periods = ranking.periods(0, 10 * MINUTE_MS, 60)
    assert [(period.start_ms, period.stats.contributors.values) for period in periods] == [
        (0, {("GetObject",): 1.0}),
        (MINUTE_MS, {("GetObject",): 1.0}),
    ]


def test_add_reports_whether_the_event_contributed() -> None:
    ranking = Ranking(json_rule(["$.eventName"], [{"Match": "$.eventName", "In": ["GetObject"]}]))
    assert ranking.add(api_call("GetObject"))
    assert not ranking.add(api_call("PutObject"))


def test_periods_merge_buckets_and_keep_exact_statistics() -> None:
    ranking = Ranking(json_rule(["$.eventName"], value_of="$.bytes"))
    values = [(0, "a", 5.0), (MINUTE_MS, "a", 2.0), (2 * MINUTE_MS, "b", 9.0), (5 * MINUTE_MS, "b", 1.0)]
    ranking.add_batch(make_event({"eventName": name, "bytes": size}, at) for at, name, size in values)
    (first, second) = ranking.periods(0, 10 * MINUTE_MS, 300)
    assert first.start_ms == 0
    assert (first.stats.sample_count, first.stats.total, first.stats.minimum, first.stats.maximum) == (
        3,
        16.0,
        2.0,
        9.0,
    )
    assert first.stats.contributors.values == {("a",): 7.0, ("b",): 9.0}
    assert second.start_ms == 300_000
    assert second.stats.contributors.values == {("b",): 1.0}


def test_periods_must_be_a_multiple_of_the_bucket_size() -> None:
    ranking = Ranking(json_rule(["$.eventName"]), bucket_seconds=60)
    with pytest.raises(ValueError, match="multiple of 60"):
        ranking.periods(0, MINUTE_MS, 90)


@pytest.mark.parametrize(("bucket_seconds", "capacity"), [(0, 10), (60, 1)])
def test_a_ranking_needs_a_positive_bucket_and_room_for_two_contributors(
    bucket_seconds: int, capacity: int
) -> None:
    with pytest.raises(ValueError):
        Ranking(json_rule(["$.eventName"]), bucket_seconds=bucket_seconds, capacity=capacity)


def test_the_ranking_can_be_read_between_batches_of_a_replay() -> None:
    ranking = Ranking(json_rule(["$.eventName"]))

    def top() -> list[tuple[list[str], float]]:
        report = build_report(ranking, "1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z", 60)
        return [(entry["Keys"], entry["ApproximateAggregateValue"]) for entry in report["Contributors"]]

    ranking.add_batch([api_call("GetObject"), api_call("GetObject"), api_call("ListBuckets")])
    assert top() == [(["GetObject"], 2.0), (["ListBuckets"], 1.0)]
    ranking.add_batch([api_call("ListBuckets", 1000)] * 3)
    assert top() == [(["ListBuckets"], 4.0), (["GetObject"], 2.0)]


def test_reports_can_be_built_while_another_thread_adds_events() -> None:
    ranking = Ranking(json_rule(["$.eventName"]), capacity=64)
    batches = [
        [api_call(f"Call{n % 500}", n * 10) for n in range(start, start + 500)]
        for start in range(0, 20_000, 500)
    ]

    def replay() -> None:
        for batch in batches:
            ranking.add_batch(batch)

    writer = threading.Thread(target=replay)
    writer.start()
    while writer.is_alive():
        build_report(ranking, "1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z", 60)
    writer.join()
    report = build_report(ranking, "1970-01-01T00:00:00Z", "1970-01-01T01:00:00Z", 3600)
    assert report["AggregateValue"] == 20_000.0


def test_a_replaced_rule_applies_from_then_on_without_backfill() -> None:
    """Spec §7.11: rule changes while replaying apply the new definition from the change time forward."""
    ranking = Ranking(json_rule(["$.eventName"], [{"Match": "$.eventName", "In": ["GetObject"]}]))
    ranking.add_batch([api_call("GetObject", 0), api_call("PutObject", 0)])
    ranking.replace_rule(json_rule(["$.eventName"], [{"Match": "$.eventName", "In": ["PutObject"]}]))
    ranking.add_batch([api_call("GetObject", MINUTE_MS), api_call("PutObject", MINUTE_MS)])
    first, second = ranking.periods(0, 2 * MINUTE_MS, 60)
    assert first.stats.contributors.values == {("GetObject",): 1.0}
    assert second.stats.contributors.values == {("PutObject",): 1.0}
    assert ranking.rule.filters[0].operand == ("PutObject",)


def test_a_sketch_is_exact_up_to_its_capacity() -> None:
    sketch = ContributorSketch(capacity=100)
    for n in range(100):
        sketch.add((f"key{n}",), float(n))
    assert sketch.exact
    assert sketch.error_bound == 0.0
    assert sketch.unique_count() == 100
    assert sketch.values[("key42",)] == 42.0


def test_heavy_hitters_survive_a_million_distinct_contributors_within_the_bound() -> None:
    capacity = 2_000
    sketch = ContributorSketch(capacity)
    heavy = {("heavy-a",): 30_000, ("heavy-b",): 20_000, ("heavy-c",): 10_000}
    heavy_every = {key: 1_000_000 // count for key, count in heavy.items()}
    for n in range(1_000_000):
        sketch.add((f"user{n}",), 1.0)
        for key, every in heavy_every.items():
            if n % every == 0:
                sketch.add(key, 1.0)
    total = 1_000_000 + sum(heavy.values())
    assert len(sketch.values) <= capacity
    assert 0 < sketch.error_bound <= total / (capacity // 2 + 1)
    for key, true_count in heavy.items():
        estimate = sketch.values[key]
        assert estimate <= true_count <= estimate + sketch.error_bound
    top_three = sorted(sketch.values, key=sketch.values.__getitem__, reverse=True)[:3]
    assert top_three == list(heavy)
    assert sketch.unique_count() == pytest.approx(1_000_003, rel=0.05)


def test_merging_overflowed_sketches_adds_their_bounds_and_keeps_heavy_hitters() -> None:
    capacity = 100
    parts = [ContributorSketch(capacity) for _ in range(3)]
    for index, part in enumerate(parts):
        for n in range(5_000):
            part.add((f"p{index}-{n}",), 1.0)
            if n % 10 == 0:
                part.add(("heavy",), 1.0)
    merged = ContributorSketch(capacity)
    for part in parts:
        merged.merge(part)
    assert len(merged.values) <= capacity
    assert merged.error_bound >= sum(part.error_bound for part in parts)
    assert merged.values[("heavy",)] <= 1_500 <= merged.values[("heavy",)] + merged.error_bound
    assert merged.unique_count() == pytest.approx(15_001, rel=0.05)


def test_ranking_end_to_end_beyond_capacity_ranks_the_heavy_callers_first() -> None:
    ranking = Ranking(json_rule(["$.userIdentity.arn"]), capacity=256)
    events = [api_call("GetObject", 0, arn=f"arn:aws:iam::1:user/u{n}") for n in range(20_000)]
    events += [api_call("GetObject", 0, arn="arn:aws:iam::1:user/attacker")] * 900
    events += [api_call("GetObject", 0, arn="arn:aws:iam::1:user/ci")] * 400
    ranking.add_batch(events)
    report = build_report(
        ranking, "1970-01-01T00:00:00Z", "1970-01-01T00:01:00Z", 60, max_contributor_count=2
    )
    assert [entry["Keys"] for entry in report["Contributors"]] == [
        ["arn:aws:iam::1:user/attacker"],
        ["arn:aws:iam::1:user/ci"],
    ]
    assert report["AggregateValue"] == 21_300.0
    assert report["ApproximateUniqueCount"] == pytest.approx(20_002, rel=0.05)


def test_distinct_counter_estimates_within_a_few_percent_and_is_deterministic() -> None:
    keys = [(f"arn:aws:iam::1:user/u{n}", "GetObject") for n in range(50_000)]
    first, second = DistinctCounter.of(keys), DistinctCounter.of(keys)
    assert first.estimate() == second.estimate()
    assert first.estimate() == pytest.approx(50_000, rel=0.05)
    assert DistinctCounter.of(keys[:10]).estimate() == 10


def test_distinct_counters_merge_as_a_union() -> None:
    left = DistinctCounter.of((str(n),) for n in range(30_000))
    right = DistinctCounter.of((str(n),) for n in range(20_000, 50_000))
    left.merge(right)
    assert left.estimate() == pytest.approx(50_000, rel=0.05)


def test_exact_counts_match_a_counter_under_capacity() -> None:
    names = [f"Call{n % 37}" for n in range(5_000)]
    ranking = Ranking(json_rule(["$.eventName"]))
    ranking.add_batch(api_call(name, n * 1000) for n, name in enumerate(names))
    (period,) = ranking.periods(0, 10_000_000, 6000)
    assert period.stats.contributors.values == {
        (name,): float(count) for name, count in Counter(names).items()
    }
