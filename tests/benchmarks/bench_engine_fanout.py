"""Benchmark 1: N Generator branches on one input, 200 ms model latency each.

True dataflow runs all N at once, so a run should take the critical path
(one model call) plus a little: the table reports wall time ÷ critical path
(goal: ≤ 1.10 at N = 128). Model calls are answered in-process after the
fixed latency (``OfflineModelClient``), so the engine is what is measured.
"""

from __future__ import annotations

import asyncio
import time

from core.engine import Engine, RunOptions
from core.registry import default_registry
from tests.benchmarks.table import print_table
from tests.support.bench_programs import (
    critical_path,
    fan_out_spec,
    graph_from_spec,
    latency_client,
)

GOAL = 1.10


async def _measure(n: int, latency: float, repeat: int) -> tuple[float, float, float, int]:
    """(best wall ÷ critical path, engine CPU seconds, time to check the graph, events)."""
    spec = fan_out_spec(n, latency)
    graph = graph_from_spec(spec, f"fan_out_{n}")
    engine = Engine(
        default_registry(), RunOptions(max_concurrency=max(128, n)), model_client=latency_client()
    )
    started = time.perf_counter()
    prepared = engine.prepare(graph)  # validation, once (the editor keeps it current)
    prepare_s = time.perf_counter() - started
    await engine.run(prepared)  # warm-up: lazy imports and caches, as after a first run
    best = best_cpu = float("inf")
    events = 0
    for _ in range(repeat):
        counter = [0]
        started, cpu = time.perf_counter(), time.process_time()
        record = await engine.run(
            prepared, listener=lambda e, c=counter: c.__setitem__(0, c[0] + 1)
        )
        best = min(best, time.perf_counter() - started)
        best_cpu = min(best_cpu, time.process_time() - cpu)
        assert record.status == "succeeded", record.status
        events = counter[0]
    return best / critical_path(spec), best_cpu, prepare_s, events


def main(quick: bool = False) -> None:
    sizes = (2, 8) if quick else (2, 8, 32, 128)
    latency = 0.05 if quick else 0.2
    rows = []
    for n in sizes:
        ratio, cpu, prepare_s, events = asyncio.run(_measure(n, latency, repeat=1 if quick else 5))
        goal = f"≤ {GOAL}" + (" ✓" if ratio <= GOAL else " ✗") if n == sizes[-1] else ""
        rows.append(
            (
                n,
                f"{latency * 1000:.0f} ms",
                f"{ratio * latency * 1000:.1f} ms",
                ratio,
                f"{cpu * 1000:.1f} ms",
                events,
                f"{prepare_s * 1000:.1f} ms",
                goal,
            )
        )
    print_table(
        "Fan-out: N Generators on one input (best of 5; wall ÷ critical path; "
        "validation done once before, shown apart)",
        [
            "N",
            "model latency",
            "run wall",
            "wall ÷ critical path",
            "engine CPU",
            "events",
            "validation",
            "goal",
        ],
        rows,
    )


if __name__ == "__main__":
    main()
