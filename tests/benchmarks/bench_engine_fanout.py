"""Benchmark 1: N Generator branches on one input, 200 ms model latency each.

True dataflow runs all N at once, so a run should take the critical path
(one model call) plus a little: the table reports wall time ÷ critical path
(goal: ≤ 1.10 at N = 128). Model calls are answered in-process after the
fixed latency (``OfflineModelClient``), so the engine is what is measured.
"""

from __future__ import annotations

import asyncio

from core.engine import RunOptions
from tests.benchmarks.table import print_table
from tests.support.bench_programs import best_of, critical_path, fan_out_spec

GOAL = 1.10


async def _measure(n: int, latency: float, repeat: int) -> tuple[float, float, float, int]:
    """(best wall ÷ critical path, engine CPU seconds, time to check the graph, events)."""
    spec = fan_out_spec(n, latency)
    options = RunOptions(max_concurrency=max(128, n))
    best, best_cpu, prepare_s, events = await best_of(spec, f"fan_out_{n}", repeat, options)
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
