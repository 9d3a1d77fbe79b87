"""Benchmark 3: engine overhead per node on a 1,000-node graph, zero model latency.

Twelve long chains of Generators from one input, joined by a Concat and one
more Generator (1,000 nodes with the Input and Output). The model answers at
once, so the wall time is the engine's own work: scheduling, events (tokens
included: each answer streams in 4 pieces and is parsed as it comes), prompts,
answer checking, the run record. Goal: at most 0.5 ms per node. The same
program runs under synalinks 0.10 (its ``litellm.acompletion`` patched to answer
at once), side by side.
"""

from __future__ import annotations

import asyncio

from tests.benchmarks.table import print_table
from tests.support.bench_programs import best_of, node_count, wide_deep_spec
from tests.support.synalinks_runner import run_in_synalinks

GOAL_MS = 0.5


async def _ours(spec: dict, repeat: int) -> tuple[float, float, float, int]:
    """(best run wall seconds, best run CPU seconds, validation seconds, events per run)."""
    return await best_of(spec, "overhead", repeat)


def main(quick: bool = False) -> None:
    total = 100 if quick else 1000
    repeat = 1 if quick else 5
    spec = {**wide_deep_spec(total), "repeat": repeat}
    nodes = node_count(spec)
    ours, ours_cpu, prepare_s, events = asyncio.run(_ours(spec, repeat))
    theirs = run_in_synalinks(spec)
    theirs_best, theirs_cpu = min(theirs["run_s"]), min(theirs["cpu_s"])
    per_cpu = ours_cpu / nodes * 1000
    rows = [
        (
            "Synalinks Canvas engine",
            nodes,
            f"{ours:.3f}",
            f"{ours / nodes * 1000:.3f}",
            f"{per_cpu:.3f}",
            f"validation {prepare_s * 1000:.0f} ms (once); {events} events",
            f"≤ {GOAL_MS} " + ("✓" if per_cpu <= GOAL_MS else "✗"),
        ),
        (
            "synalinks 0.10 Program",
            nodes,
            f"{theirs_best:.3f}",
            f"{theirs_best / nodes * 1000:.3f}",
            f"{theirs_cpu / nodes * 1000:.3f}",
            f"program build {theirs['build_s']:.2f} s (once)",
            "",
        ),
    ]
    print_table(
        f"Engine overhead: {nodes}-node graph, zero-latency model (best of {repeat}; the goal is "
        "judged on CPU time, which other processes on a shared machine do not inflate)",
        ["engine", "nodes", "run wall (s)", "wall ms/node", "CPU ms/node", "notes", "goal"],
        rows,
    )


if __name__ == "__main__":
    main()
