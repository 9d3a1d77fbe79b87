"""Evaluation throughput: a 3-node chain over a dataset at concurrency 64,
against a loopback OpenAI-compatible server answering after 200 ms.

Every row is a whole run of the graph through litellm's HTTP path (the server
runs in its own process), scored and written to the run store. The bound is
64 rows in flight × 3 calls of 200 ms: 64 / 0.2 = 320 node calls per second;
the goal is 0.9 of it. The memory column is the process's resident size
after each size (the dataset is read lazily and rows stream to the store, so
it should not grow with the rows). A second table runs the same evaluation
with the model answered in-process after the same latency (no HTTP, no
litellm): the evaluation runner and the engine alone.

Through litellm each call costs this machine about 17 ms of CPU (its
per-call bookkeeping: cost lookup, logging, a connection per call), so the
HTTP rows are bounded by the CPU, not by the latency; the in-process rows
show what the evaluation itself sustains.
"""

from __future__ import annotations

import asyncio
import gc
import json
import os
import tempfile
import time
from pathlib import Path

from core.engine import Engine, OfflineModelClient, RunOptions
from core.evaluation import EvalOptions, Evaluator, make_plan
from core.registry import default_registry
from core.store.evaluations import EvalStore
from tests.benchmarks.table import print_table
from tests.core.engine.helpers import GraphBuilder
from tests.support.bench_programs import latency_of
from tests.support.latency_server import latency_server

CONCURRENCY = 64
NODES = 3
GOAL = 0.9


def chain_graph(latency: float | None = None):
    b = GraphBuilder("eval_chain")
    b.input()
    previous = "inputs"
    for i in range(NODES):
        kwargs = {"instructions": f"Answer the query. latency={latency}"} if latency else {}
        b.generator(f"g{i + 1}", previous, **kwargs)
        previous = f"g{i + 1}"
    b.output("out", previous)
    return b.graph


def write_dataset(path: Path, rows: int) -> Path:
    with path.open("w", encoding="utf-8") as handle:
        for i in range(rows):
            handle.write(json.dumps({"query": f"question number {i}", "answer": f"a{i}"}) + "\n")
    return path


def rss_mb() -> float:
    with open("/proc/self/statm") as handle:
        pages = int(handle.read().split()[1])
    return pages * os.sysconf("SC_PAGE_SIZE") / 1e6


async def evaluate(graph, data: Path, store_path: Path, options: RunOptions, client=None):
    registry = default_registry()
    store = EvalStore(store_path)
    try:
        plan = make_plan(graph, registry, data, EvalOptions(concurrency=CONCURRENCY, fresh=True))
        engine = Engine(registry, options, model_client=client)
        start = time.perf_counter()
        cpu = time.process_time()
        outcome = await Evaluator(engine, store, run_options=options).run(plan)
        wall = time.perf_counter() - start
        cpu = time.process_time() - cpu
        counts = store.counts(plan.id)
        assert outcome.status == "finished" and counts["scored"] == plan.total_rows, counts
        return wall, cpu, counts["scored"]
    finally:
        store.close()


def _row(label, rows, wall, cpu, latency, memory):
    bound = CONCURRENCY / latency
    calls = rows * NODES / wall
    ratio = calls / bound
    return (
        label,
        rows,
        f"{wall:.1f} s",
        f"{rows / wall:.1f}",
        f"{calls:.0f}",
        f"{ratio:.2f}" + (" ✓" if ratio >= GOAL else " ✗"),
        f"{cpu / rows * 1000:.2f} ms",
        f"{memory:.0f} MB",
    )


def main(quick: bool = False) -> None:
    latency = 0.05 if quick else 0.2
    http_sizes = (16, 48) if quick else (300, 1_200)
    sizes = (64, 256) if quick else (2_500, 10_000)
    headers = [
        "model",
        "rows",
        "wall",
        "rows/s",
        "node calls/s",
        "÷ 64/latency (goal 0.9)",
        "CPU per row",
        "RSS after",
    ]
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        store_path = folder / "runs.sqlite"
        table = []
        with latency_server(latency) as api_base:
            options = RunOptions(
                model_override="openai/bench",
                api_base=api_base,
                max_concurrency=256,
                node_timeout=60,
            )
            os.environ.setdefault("OPENAI_API_KEY", "loopback")
            graph = chain_graph()
            # Warm litellm (import, first call) outside the measured runs.
            asyncio.run(
                evaluate(graph, write_dataset(folder / "warm.jsonl", 8), store_path, options)
            )
            for rows in http_sizes:
                data = write_dataset(folder / f"d{rows}.jsonl", rows)
                wall, cpu, done = asyncio.run(evaluate(graph, data, store_path, options))
                gc.collect()
                table.append(_row("loopback HTTP", done, wall, cpu, latency, rss_mb()))
        in_process = RunOptions(model_override="offline", offline_delay=0, max_concurrency=256)
        graph = chain_graph(latency)
        for rows in sizes:
            data = write_dataset(folder / f"d{rows}.jsonl", rows)
            wall, cpu, done = asyncio.run(
                evaluate(
                    graph, data, store_path, in_process, OfflineModelClient(latency_of, chunks=1)
                )
            )
            gc.collect()
            table.append(_row("in-process", done, wall, cpu, latency, rss_mb()))
    print_table(
        f"Evaluation: 3-node chain, concurrency {CONCURRENCY}, model latency "
        f"{latency * 1000:.0f} ms (bound {CONCURRENCY / latency:.0f} node calls/s)",
        headers,
        table,
    )


if __name__ == "__main__":
    main()
