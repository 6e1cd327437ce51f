"""The live pipeline gives what the straightforward one gives: every filter tests every event, every
ranking observes contributions one by one, every alarm writes its reason at each evaluation.

Fed the real corpus as a one-day replay through every pack definition, both answer DescribeAlarms,
DescribeAlarmHistory, ListMetrics, GetMetricData and GetInsightRuleReport identically.
"""

from __future__ import annotations

import random
from typing import Any

import pytest

from trailtui.backends.base import RuleReportRequest
from trailtui.backends.local_definitions import compile_packs
from trailtui.backends.local_pipeline import Pipeline
from trailtui.contributors.evaluate import compile_rule
from trailtui.contributors.ranking import PeriodStats, Ranking
from trailtui.events.model import Event
from trailtui.metrics.filters import MetricFilter
from trailtui.packs import load_builtin_packs

DAY_MS = 86_400_000
START_MS = 1_767_571_200_000
BATCH = 250


class StraightforwardFilters:
    """Stands in for `FilterIndex`: each filter, in order, takes each event's datapoint or default."""

    def __init__(self, filters: list[MetricFilter]) -> None:
        self.filters = filters

    def apply(self, events: list[Event]) -> None:
        for metric_filter in self.filters:
            default_value = metric_filter.transformation.default_value
            for event in events:
                point = metric_filter.datapoint(event)
                if point is not None:
                    metric_filter.series.add(point[0], event.timestamp_ms, point[1])
                elif default_value is not None:
                    metric_filter.series.add_default(
                        metric_filter.metric_key(), event.timestamp_ms, default_value
                    )


class OneByOneRanking(Ranking):
    def add_batch(self, events: Any) -> int:
        contribution = compile_rule(self.rule)
        contributed = 0
        for event in events:
            result = contribution(event)
            if result is not None:
                start_ms = event.timestamp_ms - event.timestamp_ms % self._bucket_ms
                stats = self._buckets.get(start_ms)
                if stats is None:
                    stats = self._buckets[start_ms] = PeriodStats(self.capacity)
                stats.observe(*result)
                contributed += 1
        return contributed


class StraightforwardPipeline(Pipeline):
    def _filters_index(self) -> Any:
        return StraightforwardFilters(list(self._filters.values()))

    def on_events(self, batch: list[Event]) -> None:
        self._rankings = {
            name: ranking if isinstance(ranking, OneByOneRanking) else _one_by_one(ranking)
            for name, ranking in self._rankings.items()
        }
        super().on_events(batch)
        for watch in self._alarms.values():  # reading the reason writes it, as the evaluator once did
            _ = watch.evaluator.state_reason


def _one_by_one(ranking: Ranking) -> OneByOneRanking:
    assert not ranking._buckets
    return OneByOneRanking(ranking.rule, bucket_seconds=ranking.bucket_seconds, capacity=ranking.capacity)


def replayed(pipeline: Pipeline, events: list[Event]) -> dict[str, Any]:
    compiled = compile_packs(load_builtin_packs())
    for rule in compiled.rules.values():
        pipeline.put_rule(rule)
    for request in compiled.metric_filters.values():
        pipeline.put_metric_filter(request, 0)
    for definition in compiled.alarms.values():
        pipeline.put_alarm(definition)
    changes: list[str] = []
    pipeline.add_alarm_observer(lambda change: changes.append(change.to_json()))
    for first in range(0, len(events), BATCH):
        batch = events[first : first + BATCH]
        pipeline.on_clock(batch[-1].timestamp_ms)
        pipeline.on_events(batch)
    pipeline.finish()
    metrics = pipeline.list_metrics()
    queries = [
        {
            "Id": f"m{number}s{stat.lower()}p{period}",
            "MetricStat": {"Metric": metric, "Stat": stat, "Period": period},
        }
        for number, metric in enumerate(metrics)
        for stat in ("Sum", "SampleCount", "Maximum", "Average", "p90")
        for period in (60, 300, 3600)
    ]
    return {
        "changes": changes,
        "alarms": pipeline.describe_alarms(),
        "history": pipeline.alarm_history(None),
        "metrics": metrics,
        "data": pipeline.metric_data(queries, START_MS, START_MS + DAY_MS),
        "reports": [
            pipeline.rule_report(RuleReportRequest(name, START_MS, START_MS + DAY_MS, period, 25, order))
            for name in compiled.rules
            for period, order in ((300, "Sum"), (3600, "Maximum"))
        ],
    }


@pytest.fixture(scope="module")
def day_of_corpus(corpus_events: list[Event]) -> list[Event]:
    """The corpus replayed over one day, about 20,000 events in time order (records shared)."""
    rng = random.Random(11)
    times = sorted(START_MS + rng.randrange(DAY_MS) for _ in range(20_000))
    templates = rng.choices(corpus_events, k=len(times))
    return [
        Event(template.record, time_ms, "test", ordinal, template.account, template.region)
        for ordinal, (time_ms, template) in enumerate(zip(times, templates, strict=True))
    ]


def test_the_pipeline_answers_as_the_straightforward_one(day_of_corpus: list[Event]) -> None:
    fast = replayed(Pipeline(BATCH), day_of_corpus)
    reference = replayed(StraightforwardPipeline(BATCH), day_of_corpus)
    assert fast["changes"]
    assert any(report["Contributors"] for report in fast["reports"])
    for part in reference:
        assert fast[part] == reference[part], part
