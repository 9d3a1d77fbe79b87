"""The seed program (parallel branches) built on the canvas the way a person
would: palette drops for the nodes, port-to-port drags for the wires. Data
models and names come from the panels in the real editor; here the same core
commands stand in for them. The result matches the saved example."""

from __future__ import annotations

from PySide6.QtCore import QByteArray, QMimeData, QPointF

from core.commands import RenameNode, SetDataModel
from core.files import load_graph
from editor.canvas import NODE_TYPE_MIME

from .conftest import GRAPHS, drop_mime


def _drop_type(canvas, type_name: str, scene_point: QPointF) -> str:
    before = set(canvas.graph.nodes)
    mime = QMimeData()
    mime.setData(NODE_TYPE_MIME, QByteArray(type_name.encode()))
    drop_mime(canvas.viewport, mime, canvas.to_view(scene_point))
    (new,) = set(canvas.graph.nodes) - before
    return new


def _shape(graph):
    """The graph without ids or positions: what a person designs."""
    names = {n.id: n.name for n in graph.nodes.values()}
    nodes = sorted((n.name, n.type, sorted(n.params.items())) for n in graph.nodes.values())
    edges = sorted(
        (names[e.source], e.source_port, names[e.target], e.target_port)
        for e in graph.edges.values()
    )
    models = sorted((m.name, m.fields) for m in graph.data_models.values())
    return nodes, edges, models


def test_the_seed_program_built_with_drops_and_drags_matches_the_example(open_canvas, registry):
    saved = load_graph(GRAPHS / "parallel_branches.json", registry)
    canvas = open_canvas(None)
    doc = canvas.document
    for spec in saved.data_models.values():  # the data-models panel's job
        doc.push(SetDataModel(spec))
    canvas.view.reset_zoom()
    centre = canvas.view.mapToScene(canvas.viewport.rect().center())
    at = {
        "inputs": centre + QPointF(-420, 0),
        "branch_1": centre + QPointF(-60, -120),
        "branch_2": centre + QPointF(-60, 120),
        "output_1": centre + QPointF(300, -120),
        "output_2": centre + QPointF(300, 120),
    }
    kinds = {
        "inputs": "Input",
        "branch_1": "Generator",
        "branch_2": "Generator",
        "output_1": "Output",
        "output_2": "Output",
    }
    ids = {}
    for name, kind in kinds.items():
        ids[name] = _drop_type(canvas, kind, at[name])
        if canvas.graph.nodes[ids[name]].name != name:  # the inspector's job
            doc.push(RenameNode(ids[name], name))
    port = canvas.view.port_scene_pos
    for source, target in (
        ("inputs", "branch_1"),
        ("inputs", "branch_2"),
        ("branch_1", "output_1"),
        ("branch_2", "output_2"),
    ):
        canvas.drag(port(ids[source], "output", True), port(ids[target], "inputs", False))
    assert _shape(canvas.graph) == _shape(saved)
    assert not [d for d in doc.diagnostics if d.is_error]
    # Undo every step back to empty, then redo to the end.
    steps = doc.undo_stack.count()
    for _ in range(steps):
        doc.undo_stack.undo()
    assert not canvas.graph.nodes and not canvas.view.canvas_scene.node_items()
    for _ in range(steps):
        doc.undo_stack.redo()
    assert _shape(canvas.graph) == _shape(saved)
    assert len(canvas.view.canvas_scene.edge_items()) == 4
