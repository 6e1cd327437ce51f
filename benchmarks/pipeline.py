#!/usr/bin/env python3
"""The live pipeline's throughput: events/s through the seed rules, the CIS filters and their alarms.

    python benchmarks/pipeline.py            # 1,000,000 events
    python benchmarks/pipeline.py --quick    # 100,000 events
    python benchmarks/pipeline.py --events 250000 --repeat 5
    python benchmarks/pipeline.py --quick --profile all   # pyinstrument profile of one measure

Parsing is left out: the real corpus (../shared/corpus/real) is read once by trailtui's readers and
replicated in memory into a one-day trail (each copy at a new, uniformly drawn time; records shared), in
time order as a replay delivers it. Only the pipeline is timed, on one thread, fed as the replay feeds it:
the clock, then a batch of 1,000 events. Each measure runs `--repeat` times (3 by default) and reports
the best and the median wall time, the median CPU time of this process (steadier when other work shares
the cores), the best run's events/s and its ratio against the target of 100,000 events/s per core. The
load average is printed first: above the core count, wall times are inflated by other processes.
"""

from __future__ import annotations

import argparse
import os
import random
import statistics
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


def feed(pipeline: Pipeline, batches: list[list[Event]]) -> None:
    for batch in batches:
        pipeline.on_clock(batch[-1].timestamp_ms)
        pipeline.on_events(batch)
    pipeline.finish()


def time_once(pipeline: Pipeline, batches: list[list[Event]]) -> tuple[float, float]:
    """(wall seconds, CPU seconds of this process) to feed every batch."""
    started, started_cpu = time.perf_counter(), time.process_time()
    feed(pipeline, batches)
    return time.perf_counter() - started, time.process_time() - started_cpu


def run_measure(measure: Measure, batches: list[list[Event]], repeat: int) -> list[tuple[float, float]]:
    return [time_once(build_pipeline(measure), batches) for _ in range(repeat)]


def table_line(name: str, events: int, runs: list[tuple[float, float]]) -> str:
    best = min(wall for wall, _ in runs)
    median = statistics.median(wall for wall, _ in runs)
    cpu = statistics.median(cpu for _, cpu in runs)
    rate = events / best
    return (
        f"{name:<40} {best:>7.2f} s {median:>7.2f} s {cpu:>7.2f} s {rate:>11,.0f} ev/s "
        f"{rate / TARGET_EVENTS_PER_S:>6.2f}x {'pass' if rate >= TARGET_EVENTS_PER_S else 'FAIL'}"
    )


def profile(measure: Measure, batches: list[list[Event]], out: Callable[[str], None]) -> None:
    try:
        from pyinstrument import Profiler
    except ImportError:
        sys.exit("--profile needs pyinstrument (pip install pyinstrument)")
    pipeline = build_pipeline(measure)
    profiler = Profiler(interval=0.0005)
    profiler.start()
    feed(pipeline, batches)
    profiler.stop()
    out(profiler.output_text(unicode=False, color=False))


def main(argv: list[str] | None = None, out: Callable[[str], None] = print) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--quick", action="store_true", help="100,000 events instead of 1,000,000")
    parser.add_argument("--events", type=int, help="how many events to replay")
    parser.add_argument("--repeat", type=int, default=3, help="runs per measure (best and median reported)")
    parser.add_argument("--seed", type=int, default=7)
    parser.add_argument(
        "--profile", metavar="MEASURE", help="profile the first measure whose name starts with this instead"
    )
    options = parser.parse_args(argv)
    count = options.events or (100_000 if options.quick else 1_000_000)
    events = corpus_trail(count, options.seed)
    batches = [events[first : first + DEFAULT_BATCH_SIZE] for first in range(0, count, DEFAULT_BATCH_SIZE)]
    if options.profile:
        chosen = [measure for measure in measures() if measure.name.startswith(options.profile)]
        if not chosen:
            sys.exit(f"no measure named {options.profile!r}: {', '.join(m.name for m in measures())}")
        profile(chosen[0], batches, out)
        return
    load = ", ".join(f"{value:.1f}" for value in os.getloadavg())
    out(f"pipeline: {count:,} events in memory (a day of the corpus), batches of {DEFAULT_BATCH_SIZE:,}")
    out(f"{options.repeat} runs per measure; load average {load} on {os.cpu_count()} cores")
    out(
        f"{'measure':<40} {'best':>9} {'median':>9} {'cpu med':>9} {'best events/s':>16} "
        f"{'vs 100k/s/core':>14}"
    )
    for measure in measures():
        out(table_line(measure.name, count, run_measure(measure, batches, options.repeat)))


if __name__ == "__main__":
    main()
