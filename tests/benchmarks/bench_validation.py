"""Validation, schema flow and file speed on generated graphs of growing size.

The issue's goal: a 10,000-node graph validates in well under a second. Each
figure is the best of several runs (the machine is shared), measured as CPU
time of this process, with wall time beside it for the headline.
"""

from __future__ import annotations

import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from core.commands import RemoveNodes, copy_text, parse_clipboard, paste_command
from core.files import load_graph, save_graph
from core.layout import layered_layout
from core.registry import default_registry
from core.schemas.flow import analyse
from core.validation import validate
from tests.benchmarks.table import print_table
from tests.core.graph_factory import random_graph


def _best(run: Callable[[], object], repeats: int) -> tuple[float, float]:
    """Best (CPU seconds, wall seconds) over ``repeats`` runs."""
    cpu = wall = float("inf")
    for _ in range(repeats):
        c0, w0 = time.process_time(), time.perf_counter()
        run()
        cpu = min(cpu, time.process_time() - c0)
        wall = min(wall, time.perf_counter() - w0)
    return cpu, wall


def _edits(graph, registry) -> list[tuple[str, float]]:
    """CPU seconds of whole-graph edits a person can make in one gesture."""
    half = list(graph.nodes)[: len(graph.nodes) // 2]
    timings = []
    delete = RemoveNodes(half)
    c0 = time.process_time()
    delete.redo(graph)
    timings.append(("delete half the nodes (and their edges)", time.process_time() - c0))
    c0 = time.process_time()
    delete.undo(graph)
    timings.append(("undo the delete", time.process_time() - c0))
    c0 = time.process_time()
    text = copy_text(graph, registry, half)
    timings.append(("copy half the nodes", time.process_time() - c0))
    c0 = time.process_time()
    paste, _ids = paste_command(graph, registry, parse_clipboard(text))
    paste.redo(graph)
    timings.append(("paste them", time.process_time() - c0))
    c0 = time.process_time()
    paste.undo(graph)
    timings.append(("undo the paste", time.process_time() - c0))
    layered_layout(random_graph(2, size=24))  # imports networkx: not part of the timing
    c0 = time.process_time()
    layered_layout(graph)
    timings.append(("auto-layout of the whole graph", time.process_time() - c0))
    return timings


def main(quick: bool = False) -> None:
    registry = default_registry()
    sizes = (100, 300) if quick else (100, 1_000, 10_000)
    rows = []
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "graph.json"
        for size in sizes:
            graph = random_graph(1, size=size)
            nodes = len(graph.nodes)
            repeats = 3 if size >= 10_000 else 5
            found = validate(graph, registry)
            errors = [d for d in found if d.severity == "error"]
            assert errors == [], errors[:3]  # a generated graph is valid: we time the clean path
            analyse_cpu, _ = _best(lambda g=graph: analyse(g, registry), repeats)
            validate_cpu, validate_wall = _best(lambda g=graph: validate(g, registry), repeats)
            save_cpu, _ = _best(lambda g=graph: save_graph(g, path), repeats)
            load_cpu, _ = _best(lambda: load_graph(path, registry), repeats)
            rows.append(
                (
                    nodes,
                    len(graph.edges),
                    analyse_cpu * 1e3,
                    validate_cpu * 1e3,
                    validate_wall * 1e3,
                    validate_cpu * 1e6 / nodes,
                    save_cpu * 1e3,
                    load_cpu * 1e3,
                    path.stat().st_size / 1024,
                    (save_cpu + load_cpu) * 1e6 / nodes,
                )
            )
    print_table(
        "analyse + validate, save and load of generated graphs (best of several runs)",
        [
            "nodes",
            "edges",
            "analyse ms",
            "validate ms",
            "validate wall ms",
            "validate µs/node",
            "save ms",
            "load ms",
            "file KiB",
            "save+load µs/node",
        ],
        rows,
    )
    graph = random_graph(1, size=sizes[-1])
    nodes = len(graph.nodes)
    print_table(
        f"whole-graph edits on {nodes:,} nodes (CPU ms)",
        ["edit", "ms", "µs/node"],
        [(name, seconds * 1e3, seconds * 1e6 / nodes) for name, seconds in _edits(graph, registry)],
    )


if __name__ == "__main__":
    main()
