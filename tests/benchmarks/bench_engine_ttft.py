"""Benchmark 4: time to first token, from asking for a run to the first TokenDelta.

Through litellm (the path every real run takes): the built-in offline model
(a litellm custom provider) and an OpenAI-compatible server on 127.0.0.1
(``tests/support/openai_server.py``), plus the in-process client for
reference. The first run in a process pays for importing litellm and its
first call (seconds: the editor does both in a thread when the Run dialog
opens, and ``LiteLLMClient.ready`` before a run's clock starts); later runs
are what a user waits for each time.
"""

from __future__ import annotations

import asyncio
import os
import statistics
import time

from core.engine import Engine, OfflineModelClient, RunOptions
from core.engine import events as ev
from core.engine.litellm_loader import is_loaded, warm_up
from core.registry import default_registry
from tests.benchmarks.table import print_table
from tests.support.bench_programs import fan_out_spec, graph_from_spec
from tests.support.openai_server import OpenAIServer


async def _ttft(engine: Engine, prepared) -> float:
    first: list[float] = []

    def listener(event: ev.Event) -> None:
        if isinstance(event, ev.TokenDelta) and not first:
            first.append(time.perf_counter())

    started = time.perf_counter()
    record = await engine.run(prepared, listener=listener)
    assert record.status == "succeeded", [n.error for n in record.nodes.values() if n.error]
    return first[0] - started


async def _series(engine: Engine, graph, count: int) -> list[float]:
    prepared = engine.prepare(graph)
    return [await _ttft(engine, prepared) for _ in range(count)]


def _row(name: str, samples: list[float], note: str = "") -> tuple:
    ms = [s * 1000 for s in samples]
    return (name, len(ms), f"{statistics.median(ms):.1f}", f"{min(ms):.1f}", f"{max(ms):.1f}", note)


async def _measure(count: int) -> list[tuple]:
    graph = graph_from_spec(fan_out_spec(1, 0.0), "ttft")
    rows = []
    registry = default_registry()
    fast = RunOptions(offline_delay=0.0)

    was_loaded = is_loaded()
    started = time.perf_counter()
    await asyncio.to_thread(warm_up)
    import_s = time.perf_counter() - started
    rows.append(
        _row(
            "importing litellm (once per process)",
            [import_s],
            "already imported" if was_loaded else "in a thread",
        )
    )
    offline = Engine(registry, fast)
    rows.append(
        _row("offline via litellm, first call after import", await _series(offline, graph, 1))
    )
    rows.append(_row("offline via litellm, warm", await _series(offline, graph, count)))

    os.environ.pop("OPENAI_API_KEY", None)
    async with OpenAIServer() as server:
        http = Engine(registry, RunOptions(model_override="openai/bench", api_base=server.base_url))
        first = await _series(http, graph, 1)
        rows.append(_row("loopback HTTP server via litellm, first call", first, "new HTTP client"))
        rows.append(
            _row("loopback HTTP server via litellm, warm", await _series(http, graph, count))
        )

    direct = Engine(registry, fast, model_client=OfflineModelClient())
    rows.append(
        _row(
            "offline, in-process client (no litellm)",
            await _series(direct, graph, count),
            "engine only",
        )
    )
    return rows


def main(quick: bool = False) -> None:
    rows = asyncio.run(_measure(3 if quick else 20))
    print_table(
        "Time to first token: run start -> first TokenDelta, one Generator (ms)",
        ["path", "runs", "median", "min", "max", "note"],
        rows,
    )


if __name__ == "__main__":
    main()
