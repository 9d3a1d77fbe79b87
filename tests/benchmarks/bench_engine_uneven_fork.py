"""Benchmark 2: an uneven fork, ours against the real synalinks library, side by side.

Chains of 1, 2, 3 and 6 Generators leave one input and join in a Concat.
Every chain takes the same total model time (its nodes share it), so the
critical path is one chain. Synalinks runs a program level by level (all
nodes at one depth, then the next), so each level costs its slowest node and
short chains hold long ones back; our dataflow scheduler starts every node
the moment its input is ready. Both sides get the same mocked latency per
node: synalinks through a patched ``litellm.acompletion`` (in its own venv),
ours through an in-process client.
"""

from __future__ import annotations

import asyncio
import time

from core.engine import Engine, RunOptions
from core.registry import default_registry
from tests.benchmarks.table import print_table
from tests.support.bench_programs import (
    critical_path,
    graph_from_spec,
    latency_client,
    node_count,
    uneven_spec,
)
from tests.support.synalinks_runner import run_in_synalinks

LENGTHS = [1, 2, 3, 6]


def level_time(spec: dict) -> float:
    """What a level-by-level scheduler needs: depth measured from the outputs, as
    Synalinks does, each level costing its slowest node."""
    depth: dict[str, int] = {}
    for node in reversed(spec["nodes"]):
        depth.setdefault(node["name"], 0)
    consumers: dict[str, list[str]] = {}
    for node in spec["nodes"]:
        for source in node["inputs"]:
            consumers.setdefault(source, []).append(node["name"])
    for node in reversed(spec["nodes"]):
        name = node["name"]
        depth[name] = max((depth[c] + 1 for c in consumers.get(name, [])), default=0)
    levels: dict[int, float] = {}
    for node in spec["nodes"]:
        d = depth[node["name"]]
        levels[d] = max(levels.get(d, 0.0), node.get("latency", 0.0))
    return sum(levels.values())


async def _ours(spec: dict, repeat: int) -> float:
    engine = Engine(default_registry(), RunOptions(), model_client=latency_client())
    prepared = engine.prepare(graph_from_spec(spec, "uneven_fork"))
    await engine.run(prepared)  # warm-up: lazy imports and caches, as after a first run
    best = float("inf")
    for _ in range(repeat):
        started = time.perf_counter()
        record = await engine.run(prepared)
        best = min(best, time.perf_counter() - started)
        assert record.status == "succeeded", record.status
    return best


def main(quick: bool = False) -> None:
    chain_time = 0.2 if quick else 1.2
    repeat = 1 if quick else 3
    spec = {**uneven_spec(LENGTHS, chain_time), "repeat": repeat}
    ours = asyncio.run(_ours(spec, repeat))
    theirs = run_in_synalinks(spec)
    theirs_best = min(theirs["run_s"])
    assert theirs["outputs"] == 1, theirs
    crit = critical_path(spec)
    rows = [
        ("critical path (ideal)", f"{crit:.3f}", "1.00", "-"),
        (
            "level-by-level (ideal)",
            f"{level_time(spec):.3f}",
            f"{level_time(spec) / crit:.2f}",
            "-",
        ),
        (
            "Synalinks Canvas engine",
            f"{ours:.3f}",
            f"{ours / crit:.2f}",
            f"{ours / theirs_best:.2f}",
        ),
        ("synalinks 0.10 Program", f"{theirs_best:.3f}", f"{theirs_best / crit:.2f}", "1.00"),
    ]
    print_table(
        f"Uneven fork: chains of {LENGTHS} Generators into a Concat, {chain_time:g} s of model "
        f"time per chain, {node_count(spec)} nodes (best of {repeat})",
        ["scheduler", "wall (s)", "÷ critical path", "÷ synalinks"],
        rows,
    )


if __name__ == "__main__":
    main()
