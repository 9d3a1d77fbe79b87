"""Subgraphs on the canvas: opening a definition, going back, and an edit
inside a definition used many times (every use's card follows).

A document holds U uses of one definition, a chain of N Generators between an
Input and an Output. "Open" is double-click to a drawn canvas of the
definition (scene built, laid out, first frame painted); "back" returns to the
document's canvas (kept, not rebuilt). "Edit inside" adds one node inside the
open definition and lets the document re-analyse and every card refresh:
nothing changes on the uses' cards (their ports stay), so it costs the
analysis of the document with its definitions, which is what a user waits for
after each edit. Times are CPU time of the UI thread (``time.thread_time``).
"""

from __future__ import annotations

import os
import statistics
import sys
import tempfile
import time
from pathlib import Path

os.environ.setdefault("QT_QPA_PLATFORM", "offscreen")

from PySide6.QtGui import QImage  # noqa: E402
from PySide6.QtWidgets import QApplication  # noqa: E402

from core.model.data_models import DataModelSpec, FieldSpec  # noqa: E402
from core.model.graph import Edge, Graph, GraphMeta, Node  # noqa: E402
from core.model.subgraphs import interface  # noqa: E402
from core.registry import default_registry  # noqa: E402
from tests.benchmarks.table import print_table  # noqa: E402

ANSWER = DataModelSpec(
    name="Answer", description="An answer.", fields=(FieldSpec(name="answer", description="It"),)
)


def document(inner_nodes: int, uses: int) -> Graph:
    """``uses`` Subgraph nodes of one definition: Input, a chain of Generators, Output."""
    graph = Graph(GraphMeta(name="many_uses", example_input={"answer": "start"}))
    graph.set_data_model(ANSWER)
    inner = graph.new_definition("chain", definition_id="def_chain")
    inner.add_node(Node("in", "Input", "text", {"data_model": "Answer"}, (0.0, 0.0)))
    previous = "in"
    for i in range(inner_nodes):
        node_id = f"g{i}"
        position = (340.0 * (1 + i % 20), 230.0 * (i // 20))
        inner.add_node(Node(node_id, "Generator", f"step_{i}", {"data_model": "Answer"}, position))
        inner.add_edge(Edge(f"ie{i}", previous, "output", node_id, "inputs"))
        previous = node_id
    inner.add_node(Node("out", "Output", "result", {"order": 0}, (7200.0, 0.0)))
    inner.add_edge(Edge("ie_out", previous, "output", "out", "inputs"))
    graph.add_subgraph(inner)
    graph.add_node(Node("src", "Input", "source", {"data_model": "Answer"}, (0.0, 0.0)))
    for i in range(uses):
        graph.add_node(
            Node(
                f"u{i}",
                "Subgraph",
                f"use_{i}",
                {"definition": "def_chain", **interface(inner)},
                (340.0, 230.0 * i),
            )
        )
        graph.add_node(Node(f"o{i}", "Output", f"out_{i}", {"order": i}, (680.0, 230.0 * i)))
        graph.add_edge(Edge(f"e{i}", "src", "output", f"u{i}", "in"))
        graph.add_edge(Edge(f"f{i}", f"u{i}", "out", f"o{i}", "inputs"))
    return graph


def _window(graph: Graph):
    from editor.document import GraphDocument
    from editor.main_window import MainWindow
    from editor.recovery import RecoveryStore
    from editor.settings import Settings
    from editor.workspace import Workspace

    folder = Path(tempfile.mkdtemp(prefix="bench-subgraph-canvas-"))
    workspace = Workspace(Settings.at_path(folder / "settings.ini"), RecoveryStore(folder / "r"))
    window = MainWindow(workspace, GraphDocument(graph, default_registry()))
    window.resize(1600, 1000)
    window.show()
    QApplication.processEvents()
    return window


def measure(inner_nodes: int, uses: int, repeats: int) -> dict[str, float]:
    app = QApplication.instance()
    window = _window(document(inner_nodes, uses))
    image = QImage(1600, 1000, QImage.Format.Format_ARGB32_Premultiplied)
    opens, backs, edits = [], [], []
    nav = window.subgraphs
    for _ in range(repeats):
        started = time.thread_time()
        nav.open_node("u0")
        window.canvas.viewport().render(image)
        opens.append(time.thread_time() - started)
        started = time.thread_time()
        window.canvas.add_node("Generator")
        window.document._reanalyse()  # what the next turn of the loop does
        window.canvas.canvas_scene.flush()
        edits.append(time.thread_time() - started)
        started = time.thread_time()
        nav.go_up()
        window.canvas.viewport().render(image)
        backs.append(time.thread_time() - started)
        app.processEvents()
    window.document.undo_stack.setClean()
    window.close()
    app.processEvents()
    return {
        "open": statistics.median(opens) * 1000,
        "edit": statistics.median(edits) * 1000,
        "back": statistics.median(backs) * 1000,
    }


def main(quick: bool = False) -> None:
    QApplication.instance() or QApplication(sys.argv[:1])
    sizes = [(50, 10), (200, 50)] if quick else [(100, 10), (500, 50), (1000, 100)]
    repeats = 2 if quick else 5
    rows = []
    for inner_nodes, uses in sizes:
        found = measure(inner_nodes, uses, repeats)
        rows.append((inner_nodes + 2, uses, found["open"], found["edit"], found["back"]))
    print_table(
        "Subgraph canvas: open a definition, add a node inside, go back (ms CPU, median)",
        ["nodes inside", "uses", "open + first frame", "edit inside + analysis", "back + frame"],
        rows,
    )


if __name__ == "__main__":
    main(quick="--quick" in sys.argv)
