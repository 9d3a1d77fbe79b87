"""Benchmark: the node cache (re-run only what changed, cheaply, at any store size).

(a) A chain of 20 Generators on the litellm path, answered by the loopback
OpenAI server (whose answers depend on the whole prompt, so a change upstream
changes everything below it): run it, edit the last node's instructions, run
again, count the requests the server got (goal: exactly 1); edit the first
node: all 20 run again.
(b) The 1,000-node engine benchmark graph: a fully cached re-run against the
engine's zero-latency run (goal: at most 2x).
(c) Look-up time as the store grows to 100,000 results (goal: flat, O(1)).
"""

from __future__ import annotations

import asyncio
import hashlib
import json
import random
import tempfile
import time
from pathlib import Path

from tests.benchmarks.table import print_table
from tests.support.bench_programs import graph_from_spec, latency_client, node_count, wide_deep_spec

CHAIN = 20


# ------------------------------------------------------------------ (a)
def _digest_answer(body: dict) -> str:
    digest = hashlib.sha256(json.dumps(body.get("messages")).encode()).hexdigest()[:16]
    return json.dumps({"answer": f"answer {digest}"})


async def _edits(store: Path) -> list[tuple[str, int, int, str]]:
    from core.engine import Engine, RunOptions
    from core.engine.litellm_client import LiteLLMClient
    from core.registry import default_registry
    from core.store import NodeCache
    from tests.core.engine.helpers import GraphBuilder
    from tests.support.openai_server import OpenAIServer

    b = GraphBuilder("chain20")
    b.input()
    previous = "inputs"
    for i in range(CHAIN):
        previous = b.generator(f"g{i}", previous, instructions=f"Step {i}: refine the answer.")
    b.output("out", previous)
    cache = NodeCache(store)
    rows = []
    async with OpenAIServer(answer=_digest_answer) as server:
        options = RunOptions(model_override="openai/test", api_base=server.base_url, cache=cache)
        client = LiteLLMClient(credentials={"OPENAI_API_KEY": "sk-loopback-not-a-key"})
        engine = Engine(default_registry(), options, model_client=client)

        async def run(label: str, goal: int) -> None:
            before = len(server.requests)
            record = await engine.run(b.graph)
            assert record.status == "succeeded", record.status
            calls = len(server.requests) - before
            cached = sum(1 for n in record.nodes.values() if n.cached)
            rows.append((label, calls, cached, f"= {goal} " + ("✓" if calls == goal else "✗")))

        await run("first run (empty cache)", CHAIN)
        await run("same graph again", 0)
        b.graph.nodes[f"g{CHAIN - 1}"].params["instructions"] = "Say it in one line."
        await run("last node's instructions edited", 1)
        b.graph.nodes["g0"].params["instructions"] = "Start over, more carefully."
        await run("first node's instructions edited", CHAIN)
    cache.close()
    return rows


# ------------------------------------------------------------------ (b)
async def _cached_rerun(spec: dict, repeat: int, store: Path) -> tuple[float, float, float]:
    from core.engine import Engine, RunOptions
    from core.registry import default_registry
    from core.store import NodeCache

    graph = graph_from_spec(spec, "cache")

    async def best(options: RunOptions) -> float:
        engine = Engine(default_registry(), options, model_client=latency_client())
        prepared = engine.prepare(graph)
        await engine.run(prepared)  # warm-up (and, with a cache, filling it)
        fastest = float("inf")
        for _ in range(repeat):
            started = time.perf_counter()
            record = await engine.run(prepared)
            fastest = min(fastest, time.perf_counter() - started)
            assert record.status == "succeeded", record.status
        return fastest

    plain = await best(RunOptions())
    cache = NodeCache(store)
    cached = await best(RunOptions(cache=cache))
    first = float("inf")
    fresh = NodeCache(store.with_name("fill.sqlite"))
    engine = Engine(default_registry(), RunOptions(cache=fresh), model_client=latency_client())
    started = time.perf_counter()
    await engine.run(engine.prepare(graph))
    first = time.perf_counter() - started
    cache.close()
    fresh.close()
    return plain, cached, first


# ------------------------------------------------------------------ (c)
def _lookups(sizes: list[int], folder: Path, probes: int) -> list[tuple]:
    from core.store import NodeCache

    cache = NodeCache(folder / "grow.sqlite", max_bytes=1 << 34)
    value = {"outputs": {"output": {"answer": "An answer of a realistic length. " * 6}}}
    keys: list[str] = []
    rows = []
    rng = random.Random(7)
    for size in sizes:
        while len(keys) < size:
            for _ in range(min(10_000, size - len(keys))):
                key = hashlib.sha256(str(len(keys)).encode()).hexdigest()
                keys.append(key)
                cache.put(key, value)
            cache.flush()
        sample = rng.sample(keys, min(probes, len(keys)))
        started = time.perf_counter()
        for key in sample:
            assert cache.get(key) is not None
        hit_us = (time.perf_counter() - started) / len(sample) * 1e6
        cache._used.clear()  # not a run: leave used_at alone
        misses = [hashlib.sha256(f"miss{i}".encode()).hexdigest() for i in range(len(sample))]
        started = time.perf_counter()
        for key in misses:
            assert cache.get(key) is None
        miss_us = (time.perf_counter() - started) / len(misses) * 1e6
        size_mb = cache.stats()[1] / 1e6
        rows.append((f"{size:,}", f"{size_mb:.1f}", f"{hit_us:.1f}", f"{miss_us:.1f}"))
    cache.close()
    return rows


def main(quick: bool = False) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        rows = asyncio.run(_edits(folder / "edits.sqlite"))
        print_table(
            f"Node cache (a): a chain of {CHAIN} Generators, requests counted at the loopback "
            "OpenAI server (litellm path)",
            ["run", "model calls", "nodes cached", "goal"],
            rows,
        )

        total, repeat = (100, 1) if quick else (1000, 5)
        spec = wide_deep_spec(total)
        plain, cached, first = asyncio.run(_cached_rerun(spec, repeat, folder / "rerun.sqlite"))
        ratio = cached / plain
        print_table(
            f"Node cache (b): {node_count(spec)}-node benchmark graph, zero-latency model "
            f"(best of {repeat})",
            ["run", "wall (s)", "vs zero-latency run", "goal"],
            [
                ("engine, no cache (zero latency)", f"{plain:.3f}", "1.00x", ""),
                ("first run, filling the cache", f"{first:.3f}", f"{first / plain:.2f}x", ""),
                (
                    "fully cached re-run",
                    f"{cached:.3f}",
                    f"{ratio:.2f}x",
                    "≤ 2x " + ("✓" if ratio <= 2 else "✗"),
                ),
            ],
        )

        sizes = [1_000, 10_000] if quick else [1_000, 10_000, 50_000, 100_000]
        probes = 1_000 if quick else 10_000
        print_table(
            f"Node cache (c): look-up time as the store grows ({probes:,} random keys each)",
            ["results stored", "store (MB)", "hit (µs)", "miss (µs)"],
            _lookups(sizes, folder, probes),
        )


if __name__ == "__main__":
    main()
