"""Program specs the engine benchmarks run on both sides (ours and synalinks').

A spec is the small JSON shape :mod:`tests.support.synalinks_runner` reads:
Generators (each with a mocked ``latency`` in seconds) and Concats over the
program input ``inputs``. :func:`graph_from_spec` builds the same program as
a canvas graph, and :func:`latency_client` answers its model calls after the
latency written in each node's instructions, exactly like the synalinks-side
mock, so both sides wait the same.
"""

from __future__ import annotations

import re
from typing import Any

from core.engine import OfflineModelClient
from core.engine.model_client import ModelCall
from core.model.graph import Graph
from tests.core.engine.helpers import GraphBuilder

_LATENCY = re.compile(r"latency=([0-9.]+)")


def instructions_for(latency: float) -> str:
    return f"Answer the query. latency={latency}"


def fan_out_spec(n: int, latency: float) -> dict[str, Any]:
    """``n`` Generators on one input, each an output."""
    nodes = [
        {"name": f"g{i}", "type": "Generator", "latency": latency, "inputs": ["inputs"]}
        for i in range(n)
    ]
    return {"nodes": nodes, "outputs": [f"g{i}" for i in range(n)]}


def uneven_spec(lengths: list[int], chain_time: float) -> dict[str, Any]:
    """Chains of the given lengths from one input, joined by a Concat. Every chain
    takes ``chain_time`` in total (its nodes share it), so the critical path is
    ``chain_time`` whatever the lengths; a level-by-level scheduler pays for each
    level its slowest node instead."""
    nodes: list[dict[str, Any]] = []
    ends = []
    for c, length in enumerate(lengths):
        previous = "inputs"
        for k in range(length):
            name = f"c{c}_{k}"
            nodes.append(
                {
                    "name": name,
                    "type": "Generator",
                    "latency": chain_time / length,
                    "inputs": [previous],
                }
            )
            previous = name
        ends.append(previous)
    nodes.append({"name": "joined", "type": "Concat", "inputs": ends})
    return {"nodes": nodes, "outputs": ["joined"]}


def wide_deep_spec(total_nodes: int, width: int = 12) -> dict[str, Any]:
    """About ``total_nodes`` nodes with zero latency: Input, ``width`` chains of
    Generators, a Concat, one more Generator and the Output (counted as nodes)."""
    depth = max(1, (total_nodes - 4) // width)
    spec = uneven_spec([depth] * width, 0.0)
    spec["nodes"].append(
        {"name": "final", "type": "Generator", "latency": 0.0, "inputs": ["joined"]}
    )
    spec["outputs"] = ["final"]
    return spec


def node_count(spec: dict[str, Any]) -> int:
    """Nodes of the canvas graph for ``spec`` (its Input and Outputs included)."""
    return 1 + len(spec["nodes"]) + len(spec["outputs"])


def critical_path(spec: dict[str, Any]) -> float:
    finish: dict[str, float] = {"inputs": 0.0}
    for node in spec["nodes"]:
        finish[node["name"]] = max(finish[s] for s in node["inputs"]) + node.get("latency", 0.0)
    return max(finish[name] for name in spec["outputs"])


def graph_from_spec(spec: dict[str, Any], name: str = "bench") -> Graph:
    b = GraphBuilder(name)
    b.input()
    for node in spec["nodes"]:
        if node["type"] == "Generator":
            b.generator(
                node["name"],
                node["inputs"][0],
                instructions=instructions_for(node.get("latency", 0.0)),
            )
        else:
            b.merge(node["type"], node["name"], *node["inputs"])
    for i, source in enumerate(spec["outputs"]):
        b.output(f"out_{i}", source, order=i)
    return b.graph


def latency_of(call: ModelCall) -> float:
    found = _LATENCY.search(str(call.messages[0].get("content", "")))
    return float(found.group(1)) if found else 0.0


class _RemoteLikeClient(OfflineModelClient):
    """Answers like a remote server: the answer text costs nothing here (it is
    computed once per distinct prompt), so the engine's own work is what shows."""

    def __init__(self, chunks: int) -> None:
        super().__init__(latency=latency_of, chunks=chunks)
        self._answers: dict[tuple[str, ...], tuple[str, tuple[int, int]]] = {}

    def _known(self, call: ModelCall) -> tuple[str, tuple[int, int]]:
        # The offline answer speaks as the asking node, so the node is part of the key.
        key = (call.node_name, *(str(m.get("content")) for m in call.messages))
        if key not in self._answers:
            text = super().answer(call)
            self._answers[key] = (text, super().usage(call, text))
        return self._answers[key]

    def answer(self, call: ModelCall) -> str:
        return self._known(call)[0]

    def usage(self, call: ModelCall, text: str) -> tuple[int, int]:
        return self._known(call)[1]


def latency_client(chunks: int = 4) -> OfflineModelClient:
    """The offline model answering directly (no litellm), after each node's latency."""
    return _RemoteLikeClient(chunks)


async def best_of(
    spec: dict[str, Any], name: str, repeat: int, options: Any = None
) -> tuple[float, float, float, int]:
    """Run ``spec`` on our engine ``repeat`` times after a warm-up run.

    Returns (best wall seconds, best CPU seconds, validation seconds, events per
    run). Validation (``prepare``) is timed apart: the editor keeps it current
    while the graph is edited, so a run does not pay for it.
    """
    import time

    from core.engine import Engine, RunOptions
    from core.registry import default_registry

    engine = Engine(default_registry(), options or RunOptions(), model_client=latency_client())
    graph = graph_from_spec(spec, name)
    started = time.perf_counter()
    prepared = engine.prepare(graph)
    prepare_s = time.perf_counter() - started
    await engine.run(prepared)  # warm-up: lazy imports and caches, as after a first run
    best, best_cpu, events = float("inf"), float("inf"), 0
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
    return best, best_cpu, prepare_s, events
