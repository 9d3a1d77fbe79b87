"""Subgraphs: what running nodes inside definitions costs the built-in engine,
and how long collapse and expand take on big selections.

Run: a document with K parallel uses of one definition (Input -> two
Generators -> Output), against the same graph with every use expanded, on the
offline model: at zero latency the difference is the engine's own cost per
inner node; with latency, the nested run must stay as parallel as the flat one
(wall time ratio near 1). Edits: collapse the middle of a chain of N
Generators into a subgraph, expand it back, and undo each.
"""

from __future__ import annotations

import asyncio
import time

from core.commands import UndoStack, collapse_command, expand_command
from core.engine import Engine, OfflineModelClient, RunOptions
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, GraphMeta, Node
from core.model.subgraphs import interface
from core.registry import default_registry
from tests.benchmarks.table import print_table

ANSWER = DataModelSpec(
    name="Answer",
    description="An answer.",
    fields=(FieldSpec(name="answer", description="The answer"),),
)


def fan_of_uses(uses: int) -> Graph:
    graph = Graph(GraphMeta(name="fan", example_input={"answer": "start"}))
    graph.set_data_model(ANSWER)
    inner = graph.new_definition("twice", definition_id="def_twice")
    inner.add_node(Node("in", "Input", "text", {"data_model": "Answer"}))
    inner.add_node(Node("a", "Generator", "first", {"data_model": "Answer"}))
    inner.add_node(Node("b", "Generator", "second", {"data_model": "Answer"}))
    inner.add_node(Node("out", "Output", "result", {"order": 0}))
    for i, (s, t) in enumerate((("in", "a"), ("a", "b"), ("b", "out"))):
        inner.add_edge(Edge(f"ie{i}", s, "output", t, "inputs"))
    graph.add_subgraph(inner)
    graph.add_node(Node("src", "Input", "source", {"data_model": "Answer"}))
    for i in range(uses):
        graph.add_node(
            Node(f"u{i}", "Subgraph", f"use_{i}", {"definition": "def_twice", **interface(inner)})
        )
        graph.add_node(Node(f"o{i}", "Output", f"out_{i}", {"order": i}))
        graph.add_edge(Edge(f"e{i}", "src", "output", f"u{i}", "in"))
        graph.add_edge(Edge(f"f{i}", f"u{i}", "out", f"o{i}", "inputs"))
    return graph


def expanded(graph: Graph, registry) -> Graph:
    for node_id in [n for n, node in graph.nodes.items() if node.type == "Subgraph"]:
        command, _ = expand_command(graph, registry, node_id)
        command.redo(graph)
    return graph


def best_run(graph: Graph, registry, delay: float, repeats: int) -> float:
    engine = Engine(
        registry,
        RunOptions(offline_delay=delay, use_cache=False, max_concurrency=256),
        model_client=OfflineModelClient(),
    )
    best = float("inf")
    for _ in range(repeats):
        t0 = time.perf_counter()
        record = asyncio.run(engine.run(graph, None))
        best = min(best, time.perf_counter() - t0)
        assert record.status == "succeeded"
    return best


def chain(size: int) -> Graph:
    graph = Graph(GraphMeta(name="chain"))
    graph.set_data_model(ANSWER)
    graph.add_node(Node("in", "Input", "start", {"data_model": "Answer"}, (0.0, 0.0)))
    previous = "in"
    for i in range(size):
        graph.add_node(
            Node(f"g{i}", "Generator", f"step_{i}", {"data_model": "Answer"}, (i * 300.0, 0.0))
        )
        graph.add_edge(Edge(f"e{i}", previous, "output", f"g{i}", "inputs"))
        previous = f"g{i}"
    graph.add_node(Node("out", "Output", "end", {"order": 0}))
    graph.add_edge(Edge("eo", previous, "output", "out", "inputs"))
    return graph


def main(quick: bool = False) -> None:
    registry = default_registry()
    rows = []
    for uses in (8, 32) if quick else (8, 32, 128):
        nested = fan_of_uses(uses)
        flat = expanded(fan_of_uses(uses), registry)
        inner_nodes = uses * 4
        for delay in (0.0, 0.002):
            repeats = 2 if quick else 5
            t_nested = best_run(nested, registry, delay, repeats)
            t_flat = best_run(flat, registry, delay, repeats)
            rows.append(
                (
                    uses,
                    f"{delay * 1e3:g} ms/token",
                    t_nested * 1e3,
                    t_flat * 1e3,
                    t_nested / t_flat,
                    (t_nested - t_flat) * 1e6 / inner_nodes,
                )
            )
    print_table(
        "Built-in engine: K uses of a 4-node subgraph against the same graph expanded (best wall)",
        (
            "uses",
            "model latency",
            "nested ms",
            "expanded ms",
            "nested / expanded",
            "extra µs per inner node",
        ),
        rows,
    )
    edit_rows = []
    for size in (200, 500) if quick else (200, 1_000, 3_000):
        graph = chain(size)
        stack = UndoStack(graph)
        middle = [f"g{i}" for i in range(size // 10, size - size // 10)]
        t0 = time.perf_counter()
        command, _definition, node_id = collapse_command(graph, registry, middle, "middle")
        stack.push(command)
        t_collapse = time.perf_counter() - t0
        t0 = time.perf_counter()
        command, _ids = expand_command(graph, registry, node_id)
        stack.push(command)
        t_expand = time.perf_counter() - t0
        t0 = time.perf_counter()
        stack.undo()
        stack.undo()
        t_undo = time.perf_counter() - t0
        edit_rows.append((size, len(middle), t_collapse * 1e3, t_expand * 1e3, t_undo * 1e3))
    print_table(
        "Collapse and expand a chain's middle 80 % (one undo step each)",
        ("chain nodes", "selected", "collapse ms", "expand ms", "undo both ms"),
        edit_rows,
    )


if __name__ == "__main__":
    import sys

    main(quick="--quick" in sys.argv)
