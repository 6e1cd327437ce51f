#!/usr/bin/env python3
"""The live pipeline's throughput: events/s through the seed rules, the CIS filters and their alarms.

    python benchmarks/pipeline.py            # 1,000,000 events
    python benchmarks/pipeline.py --quick    # 100,000 events
    python benchmarks/pipeline.py --events 250000 --repeat 3

Parsing is left out: the real corpus (../shared/corpus/real) is read once by trailtui's readers and
replicated in memory into a one-day trail (each copy at a new, uniformly drawn time; records shared), in
time order as a replay delivers it. Only the pipeline is timed, on one thread, fed as the replay feeds it:
the clock, then a batch of 1,000 events. Each measure reports the best of `--repeat` runs, its events/s,
and the ratio against the target of 100,000 events/s per core.
"""

from __future__ import annotations

import argparse
import os
import random
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

REPOSITORY = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPOSITORY / "src"))

from trailtui.backends.local_definitions import compile_packs  # noqa: E402
from trailtui.backends.local_pipeline import Pipeline  # noqa: E402
from trailtui.events.model import Event  # noqa: E402
from trailtui.events.readers import read_paths  # noqa: E402
from trailtui.packs import load_builtin_packs  # noqa: E402
from trailtui.replay.engine import DEFAULT_BATCH_SIZE  # noqa: E402

CORPUS = Path(os.environ.get("TRAILTUI_REAL_CORPUS", REPOSITORY.parent / "shared" / "corpus" / "real"))
TARGET_EVENTS_PER_S = 100_000
DAY_MS = 86_400_000
TRAIL_START_MS = 1_767_571_200_000  # 2026-01-05T00:00:00Z


@dataclass(frozen=True)
class Measure:
    name: str
    rules: tuple[str, ...]
    filters: tuple[str, ...]
    alarms: tuple[str, ...]


def corpus_trail(count: int, seed: int) -> list[Event]:
    """`count` corpus events at random times over one day, sorted by time."""
    templates = [
        event for reading in read_paths(sorted(map(str, CORPUS.glob("*.ndjson")))) for event in reading.events
    ]
    if not templates:
        sys.exit(f"no corpus events under {CORPUS}")
    rng = random.Random(seed)
    times = sorted(TRAIL_START_MS + rng.randrange(DAY_MS) for _ in range(count))
    events = []
    for ordinal, timestamp_ms in enumerate(times):
        template = rng.choice(templates)
        events.append(
            Event(template.record, timestamp_ms, "bench", ordinal, template.account, template.region)
        )
    return events


def measures() -> list[Measure]:
    compiled = compile_packs(load_builtin_packs())
    rules = tuple(compiled.rules)
    cis = tuple(name for name in compiled.metric_filters if name.startswith("cis-"))
    everything = tuple(compiled.metric_filters)
    alarms = tuple(compiled.alarms)
    return [
        Measure("3 seed rules", rules, (), ()),
        Measure(f"{len(cis)} CIS filters", (), cis, ()),
        Measure(f"{len(cis)} CIS filters + alarms", (), cis, cis),
        Measure(f"all: {len(rules)} rules, {len(everything)} filters + alarms", rules, everything, alarms),
    ]


def build_pipeline(measure: Measure) -> Pipeline:
    compiled = compile_packs(load_builtin_packs())
    pipeline = Pipeline(DEFAULT_BATCH_SIZE)
    for name in measure.rules:
        pipeline.put_rule(compiled.rules[name])
    for name in measure.filters:
        pipeline.put_metric_filter(compiled.metric_filters[name], 0)
    for name in measure.alarms:
        pipeline.put_alarm(compiled.alarms[name])
    return pipeline


def time_once(pipeline: Pipeline, batches: list[list[Event]]) -> float:
    started = time.perf_counter()
    for batch in batches:
        pipeline.on_clock(batch[-1].timestamp_ms)
        pipeline.on_events(batch)
    pipeline.finish()
    return time.perf_counter() - started


def best_seconds(measure: Measure, batches: list[list[Event]], repeat: int) -> float:
    return min(time_once(build_pipeline(measure), batches) for _ in range(repeat))


def table_line(name: str, events: int, seconds: float) -> str:
    rate = events / seconds
    return f"{name:<40} {seconds:>8.2f} s {rate:>12,.0f} ev/s {rate / TARGET_EVENTS_PER_S:>7.2f}x target"


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 events instead of 1,000,000")
    parser.add_argument("--events", type=int, help="how many events to replay")
    parser.add_argument("--repeat", type=int, default=1, help="runs per measure; the best is reported")
    parser.add_argument("--seed", type=int, default=7)
    options = parser.parse_args(argv)
    count = options.events or (100_000 if options.quick else 1_000_000)
    events = corpus_trail(count, options.seed)
    batches = [events[first : first + DEFAULT_BATCH_SIZE] for first in range(0, count, DEFAULT_BATCH_SIZE)]
    out(f"pipeline: {count:,} events in memory (a day of the corpus), batches of {DEFAULT_BATCH_SIZE:,}")
    out(f"{'measure':<40} {'time':>10} {'events/s':>17} {'vs 100,000 ev/s/core':>20}")
    for measure in measures():
        out(table_line(measure.name, count, best_seconds(measure, batches, options.repeat)))


if __name__ == "__main__":
    main()
