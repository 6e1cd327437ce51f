"""The live half of the local backend: replayed batches feed rankings, metric series, alarms and tails.

`Pipeline` is what a `Replay` calls from its thread (`on_events`, `on_clock`, `on_rewind`, then
`finish`); every other thread reads it through its methods, which take one lock. Observers and tail
subscribers are called after the lock is released, so a slow one delays the replay but never a reader.

Decisions:
- Every rule and metric filter sees every replayed event: local files are one log group, whatever the
  definitions' `LogGroupNames` / `logGroupName` say, so a pack works on any trail unchanged. (For speed
  a `FilterIndex` spares each filter the events its pattern's required equalities rule out; what every
  filter publishes is the same.)
- Rules and filters added while a replay runs count the events that come after (CloudWatch does not
  backfill either); a rule replaced by one of the same name keeps its counts.
- An alarm exists from the first event replayed (its first evaluation is at the next period boundary).
- Alarms evaluate on the replay clock, only over complete periods: at the time of the last event
  delivered (every earlier event has been delivered, as the replay releases events in order), and in a
  real-time replay's quiet stretches at the clock of the previous step when that step released all it had.
  When a replay ends, each alarm evaluates once more at the end of the period holding the last event,
  so the last datapoint counts.
- A replaced alarm starts again from INSUFFICIENT_DATA (CloudWatch keeps the state; a local evaluator is
  bound to its definition).
- A seek backward starts every ranking, metric and alarm over from the time sought.
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Callable, Mapping, Sequence
from datetime import UTC, datetime
from typing import Any

from trailtui.backends.base import BackendError, NotFound, RuleReportRequest
from trailtui.backends.local_definitions import InsightRule
from trailtui.contributors import Ranking, ReportError, build_report
from trailtui.events.model import Event
from trailtui.metrics.alarms import AlarmDefinition, AlarmEvaluator, StateChange
from trailtui.metrics.alarms.history import alarm_history
from trailtui.metrics.filter_index import FilterIndex
from trailtui.metrics.filters import MetricFilter
from trailtui.metrics.patterns import FilterPattern
from trailtui.metrics.series import MetricKey, MetricSeries

AlarmObserver = Callable[[StateChange], None]
TAIL_QUEUE_BATCHES = 64
TAIL_WAIT_S = 0.2


class AlarmWatch:
    """One alarm's evaluator, fed from the metric series each time the clock passes a period boundary."""

    def __init__(self, definition: AlarmDefinition) -> None:
        self.definition = definition
        self.evaluator = AlarmEvaluator(definition)
        self._key = MetricKey.of(definition.namespace, definition.metric_name, dict(definition.dimensions))
        self._period_ms = definition.period * 1000
        self._evaluated_boundary_ms: int | None = None

    def advance(self, series: MetricSeries, now_ms: int) -> list[StateChange]:
        """Evaluate every period boundary up to `now_ms` not evaluated yet; the state changes."""
        boundary_ms = now_ms - now_ms % self._period_ms
        if boundary_ms == self._evaluated_boundary_ms:
            return []
        previous_ms = boundary_ms if self._evaluated_boundary_ms is None else self._evaluated_boundary_ms
        since_ms = previous_ms - self.evaluator.evaluation_range * self._period_ms
        self._evaluated_boundary_ms = boundary_ms
        values = self._values(series, self.definition.statistic_name, since_ms, boundary_ms)
        counts = None
        if self.definition.extended_statistic is not None:
            counts = self._values(series, "SampleCount", since_ms, boundary_ms)
        return self.evaluator.evaluate(values, now_ms, counts)

    def end_of_period_ms(self, time_ms: int) -> int:
        """The first period boundary at or after `time_ms`."""
        return -(-time_ms // self._period_ms) * self._period_ms

    def _values(self, series: MetricSeries, statistic: str, since_ms: int, until_ms: int) -> dict[int, float]:
        period_s = self.definition.period
        return dict(series.datapoints(self._key, statistic, period_s, since_ms, until_ms))


class TailSubscription:
    """A tail session's feed from the replay thread to an event loop; blocks the replay when full.

    The items are lists of matching events; None ends the session.
    """

    def __init__(self, pattern: FilterPattern | None, loop: asyncio.AbstractEventLoop) -> None:
        self.pattern = pattern
        self.queue: asyncio.Queue[list[Event] | None] = asyncio.Queue(TAIL_QUEUE_BATCHES)
        self.closed = threading.Event()
        self._loop = loop

    def offer(self, events: list[Event] | None) -> None:
        """Queue the events that match (or the end, None), waiting while the reader is behind."""
        if events is not None and self.pattern is not None:
            events = list(self.pattern.matching(events))
        if self.closed.is_set() or events == []:
            return
        try:
            future = asyncio.run_coroutine_threadsafe(self.queue.put(events), self._loop)
        except RuntimeError:  # the reader's event loop is closed: nobody is listening any more
            self.closed.set()
            return
        while not self.closed.is_set():
            try:
                future.result(TAIL_WAIT_S)
                return
            except TimeoutError:
                continue
        future.cancel()


class Pipeline:
    """Rankings, metric series, alarm evaluators and tail sessions, fed by one replay (module docstring)."""

    def __init__(self, batch_size: int) -> None:
        self._batch_size = batch_size
        self._lock = threading.RLock()
        self._rules: dict[str, InsightRule] = {}
        self._rankings: dict[str, Ranking] = {}
        self._filter_requests: dict[str, tuple[dict[str, Any], int]] = {}
        self._filters: dict[str, MetricFilter] = {}
        self._filter_index: FilterIndex | None = None
        self._series = MetricSeries()
        self._alarms: dict[str, AlarmWatch] = {}
        self._alarm_observers: list[AlarmObserver] = []
        self._tails: list[TailSubscription] = []
        self._clock_ms: int | None = None
        self._last_batch_full = False
        self._span_ms: tuple[int, int] | None = None
        self._ended = False

    # Definitions (any thread).

    def put_rule(self, rule: InsightRule) -> None:
        with self._lock:
            self._rules[rule.name] = rule
            ranking = self._rankings.get(rule.name)
            if ranking is None:
                self._rankings[rule.name] = Ranking(rule.rule)
            else:
                ranking.replace_rule(rule.rule)

    def put_metric_filter(self, request: dict[str, Any], created_ms: int) -> None:
        with self._lock:
            self._filter_requests[request["filterName"]] = (request, created_ms)
            self._filters[request["filterName"]] = MetricFilter.from_request(request, self._series)
            self._filter_index = None

    def put_alarm(self, definition: AlarmDefinition) -> None:
        with self._lock:
            self._alarms[definition.alarm_name] = AlarmWatch(definition)

    def add_alarm_observer(self, observer: AlarmObserver) -> None:
        with self._lock:
            self._alarm_observers.append(observer)

    def subscribe_tail(
        self, pattern: FilterPattern | None, loop: asyncio.AbstractEventLoop
    ) -> TailSubscription:
        subscription = TailSubscription(pattern, loop)
        with self._lock:
            if self._ended:
                subscription.queue.put_nowait(None)
            else:
                self._tails.append(subscription)
        return subscription

    def unsubscribe_tail(self, subscription: TailSubscription) -> None:
        subscription.closed.set()
        with self._lock:
            if subscription in self._tails:
                self._tails.remove(subscription)

    # Reads (any thread).

    def describe_rules(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._rules[name].describe() for name in sorted(self._rules)]

    def rule_report(self, request: RuleReportRequest) -> dict[str, Any]:
        with self._lock:
            ranking = self._rankings.get(request.rule_name)
        if ranking is None:
            raise NotFound(f"no Contributor Insights rule named {request.rule_name!r}")
        try:
            return build_report(
                ranking,
                _utc(request.start_ms),
                _utc(request.end_ms),
                request.period_s,
                max_contributor_count=request.max_contributor_count,
                order_by=request.order_by,
            )
        except ReportError as error:
            raise BackendError(str(error)) from error

    def describe_metric_filters(self) -> list[dict[str, Any]]:
        with self._lock:
            items = sorted(self._filter_requests.items())
        return [{**request, "creationTime": created_ms} for _, (request, created_ms) in items]

    def metric_data(self, queries: Sequence[Mapping[str, Any]], start_ms: int, end_ms: int) -> dict[str, Any]:
        with self._lock:
            try:
                return self._series.get_metric_data(queries, _utc(start_ms), _utc(end_ms))
            except (KeyError, TypeError, ValueError) as error:
                raise BackendError(f"invalid GetMetricData request: {error}") from error

    def list_metrics(self) -> list[dict[str, Any]]:
        with self._lock:
            keys = self._series.keys()
        return [
            {
                "Namespace": key.namespace,
                "MetricName": key.name,
                "Dimensions": [{"Name": name, "Value": value} for name, value in key.dimensions],
            }
            for key in keys
        ]

    def describe_alarms(self) -> list[dict[str, Any]]:
        with self._lock:
            return [self._alarms[name].evaluator.describe() for name in sorted(self._alarms)]

    def alarm_history(self, alarm_name: str | None) -> dict[str, Any]:
        with self._lock:
            watches = [w for name, w in self._alarms.items() if alarm_name in (None, name)]
            changes = sorted(
                (change for watch in watches for change in watch.evaluator.changes),
                key=lambda change: change.timestamp_ms,
            )
        return alarm_history(changes)

    def processed_span_ms(self) -> tuple[int, int] | None:
        """The times of the earliest and latest events processed, or None before the first."""
        with self._lock:
            return self._span_ms

    # The replay thread.

    def on_events(self, batch: list[Event]) -> None:
        if not batch:
            return
        with self._lock:
            changes = self._advance_alarms(batch[0].timestamp_ms)
            for ranking in self._rankings.values():
                ranking.add_batch(batch)
            self._filters_index().apply(batch)
            self._note_span(batch)
            self._last_batch_full = len(batch) >= self._batch_size
            changes += self._advance_alarms(batch[-1].timestamp_ms)
            observers, tails = list(self._alarm_observers), list(self._tails)
        self._notify(changes, observers)
        for subscription in tails:
            subscription.offer(batch)

    def on_clock(self, clock_ms: int) -> None:
        with self._lock:
            changes = []
            if self._clock_ms is not None and not self._last_batch_full:
                changes = self._advance_alarms(self._clock_ms)
            self._clock_ms, self._last_batch_full = clock_ms, False
            observers = list(self._alarm_observers)
        self._notify(changes, observers)

    def on_rewind(self, restart_ms: int) -> None:
        """A seek backward: every ranking, metric and alarm starts over."""
        with self._lock:
            self._rankings = {name: Ranking(rule.rule) for name, rule in self._rules.items()}
            self._series = MetricSeries()
            self._filters = {
                name: MetricFilter.from_request(request, self._series)
                for name, (request, _) in self._filter_requests.items()
            }
            self._filter_index = None
            self._alarms = {name: AlarmWatch(watch.definition) for name, watch in self._alarms.items()}
            self._clock_ms, self._span_ms, self._last_batch_full = None, None, False

    def finish(self) -> None:
        """The replay ended: evaluate the last periods, end every tail session."""
        with self._lock:
            changes = []
            if self._span_ms is not None:
                last_ms = self._span_ms[1]
                for watch in self._alarms.values():
                    changes.extend(watch.advance(self._series, watch.end_of_period_ms(last_ms)))
            self._ended = True
            observers, tails, self._tails = list(self._alarm_observers), self._tails, []
        self._notify(changes, observers)
        for subscription in tails:
            subscription.offer(None)

    def _filters_index(self) -> FilterIndex:
        if self._filter_index is None:
            self._filter_index = FilterIndex(self._filters.values())
        return self._filter_index

    def _advance_alarms(self, now_ms: int) -> list[StateChange]:
        return [change for watch in self._alarms.values() for change in watch.advance(self._series, now_ms)]

    def _note_span(self, batch: list[Event]) -> None:
        times = [event.timestamp_ms for event in batch]
        earliest, latest = min(times), max(times)
        if self._span_ms is not None:
            earliest, latest = min(earliest, self._span_ms[0]), max(latest, self._span_ms[1])
        self._span_ms = (earliest, latest)

    @staticmethod
    def _notify(changes: list[StateChange], observers: list[AlarmObserver]) -> None:
        for change in changes:
            for observer in observers:
                observer(change)


def _utc(epoch_ms: int) -> datetime:
    return datetime.fromtimestamp(epoch_ms / 1000, UTC)
