"""Benchmark: keeping every run in the run store, and reading them back.

(a) The 128-branch fan-out graph (zero-latency model): the time saving one run
adds to the run's end (graph snapshot, inputs, outputs, run record with every
node's prompts, in one transaction), against the run itself.
(b) A graph with 10,000 kept runs: listing them all (what ``synalinks-canvas
runs GRAPH`` prints), the newest 500 (what the History page lists), opening
one whole, and the look-up a run from a node makes (upstream values from the
latest runs).
"""

from __future__ import annotations

import asyncio
import statistics
import tempfile
import time
import uuid
from dataclasses import replace
from pathlib import Path

from tests.benchmarks.table import print_table
from tests.support.bench_programs import fan_out_spec, graph_from_spec, latency_client


async def _one_run(graph):
    from core.engine import Engine, RunOptions
    from core.registry import default_registry

    engine = Engine(default_registry(), RunOptions(), model_client=latency_client())
    prepared = engine.prepare(graph)
    started = time.perf_counter()
    record = await engine.run(prepared)
    return record, time.perf_counter() - started, prepared.inputs_by_name


def _save_cost(folder: Path, repeat: int) -> list[tuple]:
    from core.store import RunStore

    graph = graph_from_spec(fan_out_spec(128, 0.0), "fan128")
    record, run_s, inputs = asyncio.run(_one_run(graph))
    assert record.status == "succeeded", record.status
    store = RunStore(folder / "save.sqlite")
    store.stats()  # the store exists, as after the first run of a session
    times = []
    for _ in range(repeat):
        copy = replace(record, run_id=uuid.uuid4().hex)
        started = time.perf_counter()
        assert store.save(graph_key="fan128", graph=graph, record=copy, inputs=inputs)
        times.append(time.perf_counter() - started)
    count, size = store.stats()
    store.close()
    median = statistics.median(times) * 1e3
    p95 = sorted(times)[int(0.95 * (len(times) - 1))] * 1e3
    return [
        ("the run itself (128 Generators, zero latency)", f"{run_s * 1e3:.1f}", ""),
        ("saving it: median", f"{median:.1f}", f"{median / (run_s * 1e3):.2f}x the run"),
        ("saving it: p95", f"{p95:.1f}", ""),
        ("one kept run's size", f"{size / count / 1e3:.0f} kB", f"{count} runs kept"),
    ]


def _listing(folder: Path, total: int) -> list[tuple]:
    from core.store import RunStore
    from tests.core.engine.helpers import GraphBuilder, ScriptedClient, run

    b = GraphBuilder("listed")
    b.input()
    b.generator("a", "inputs")
    b.generator("b", "a")
    b.output("out", "b")
    graph = b.graph
    record, _events = asyncio.run(run(graph, ScriptedClient()))
    store = RunStore(folder / "list.sqlite")
    started = time.perf_counter()
    for i in range(total):
        copy = replace(record, run_id=uuid.uuid4().hex)
        store.save(graph_key="g", graph=graph, record=copy, inputs={"query": f"q{i}"}, started_at=i)
    fill = time.perf_counter() - started
    # Another graph's runs share the store: lists must not pay for them.
    for i in range(total // 10):
        copy = replace(record, run_id=uuid.uuid4().hex)
        store.save(graph_key="other", graph=graph, record=copy, inputs={}, started_at=i)

    def timed(call, repeat: int = 5) -> tuple[float, object]:
        best, result = float("inf"), None
        for _ in range(repeat):
            t0 = time.perf_counter()
            result = call()
            best = min(best, time.perf_counter() - t0)
        return best * 1e3, result

    all_ms, listed = timed(lambda: store.list("g"))
    assert len(listed) == total
    page_ms, _ = timed(lambda: store.list("g", 500))
    newest = listed[0].run_id
    load_ms, stored = timed(lambda: store.load(newest))
    assert stored is not None
    seeds_ms, found = timed(lambda: store.latest_values("g", ["a"]))
    assert "a" in found
    store.close()
    return [
        (f"saving {total:,} runs one by one", f"{fill * 1e3 / total:.2f} per run", ""),
        (f"listing all {total:,} runs of the graph", f"{all_ms:.1f}", ""),
        ("listing the newest 500 (History page)", f"{page_ms:.2f}", ""),
        ("opening one run whole", f"{load_ms:.2f}", ""),
        ("run from a node: upstream value look-up", f"{seeds_ms:.2f}", ""),
    ]


def main(quick: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        repeat = 5 if quick else 30
        print_table(
            f"Kept runs (a): saving one run of the 128-branch graph (best figures of {repeat})",
            ["what", "ms", "note"],
            _save_cost(folder, repeat),
        )
        total = 1_000 if quick else 10_000
        print_table(
            f"Kept runs (b): a graph with {total:,} kept runs (best of 5)",
            ["what", "ms", "note"],
            _listing(folder, total),
        )


if __name__ == "__main__":
    main()
