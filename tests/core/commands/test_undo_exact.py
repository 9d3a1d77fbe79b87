"""Every command: undo restores the exact previous state, redo re-applies it exactly."""

from __future__ import annotations

import pytest

from core.commands import (
    AddEdge,
    AddNode,
    Macro,
    MoveNodes,
    RemoveDataModel,
    RemoveEdges,
    RemoveNodes,
    RenameDataModel,
    RenameNode,
    ReorderInputs,
    RewireEdges,
    SetDataModel,
    SetMeta,
    SetParams,
    connect_command,
    copy_text,
    make_node,
    parse_clipboard,
    paste_command,
    set_params_command,
)
from core.model import DataModelSpec, Edge, FieldSpec, GraphError
from tests.core.builders import GraphBuilder
from tests.core.commands.state import snapshot


def _fork(registry) -> GraphBuilder:
    """inputs -> a, b, c -> Concat (a, b, c) -> out, plus a Branch with two labels."""
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    for name in ("a", "b", "c"):
        b.add("Generator", name, data_model="Answer")
        b.connect("inputs", name)
    b.add("Concat", "merged")
    for name in ("a", "b", "c"):
        b.connect(name, "merged")
    b.add("Output", "out")
    b.connect("merged", "out")
    b.add("Branch", "route", question="Q?", labels=["easy", "hard", "other"])
    b.connect("inputs", "route")
    for index, label in enumerate(("easy", "hard", "other")):
        b.add("Generator", f"on_{label}", data_model="Answer")
        b.connect("route", f"on_{label}", source_port=f"branch_{index}")
        b.add("Output", f"out_{label}", order=index + 1)
        b.connect(f"on_{label}", f"out_{label}")
    return b


def _round(graph, command):
    """redo/undo/redo, checking each state; returns the state after."""
    before = snapshot(graph)
    command.redo(graph)
    after = snapshot(graph)
    assert after != before, "the command changed nothing"
    command.undo(graph)
    assert snapshot(graph) == before
    command.redo(graph)
    assert snapshot(graph) == after
    command.undo(graph)
    assert snapshot(graph) == before
    return after


def _commands(b: GraphBuilder):
    g, r = b.graph, b.registry
    merged, a = b.id("merged"), b.id("a")
    edge_b = next(e for e in g.incoming(merged) if e.source == b.id("b"))
    new_field = FieldSpec(name="score", type="int", is_list=True, required=False)
    answer = g.data_models["Answer"]
    return {
        "add node": AddNode(make_node(g, r, "Generator", (5.0, 6.0))),
        "add node at index": AddNode(make_node(g, r, "Decision"), index=1),
        "remove a merge input": RemoveNodes([b.id("b")]),
        "remove several": RemoveNodes([b.id("c"), b.id("route"), a]),
        "move": MoveNodes({a: (g.nodes[a].position, (1.234, -9.87))}),
        "rename": RenameNode(a, "alpha"),
        "set params": SetParams(a, {"instructions": "New text", "temperature": 0.5}),
        "set a new param key": SetParams(a, {"unknown_key": [1, 2]}),
        "set meta": SetMeta({"name": "renamed", "example_input": {"query": "q"}}),
        "add edge": AddEdge(Edge("new", b.id("inputs"), "output", merged, "inputs")),
        "add edge at index": AddEdge(
            Edge("new", b.id("inputs"), "output", merged, "inputs"), index=0
        ),
        "remove edges": RemoveEdges([edge_b.id, g.incoming(b.id("out"))[0].id]),
        "rewire": RewireEdges([Edge(edge_b.id, b.id("b"), "elsewhere", merged, "inputs")]),
        "reorder inputs": ReorderInputs([e.id for e in reversed(g.incoming(merged))]),
        "add data model": SetDataModel(DataModelSpec(name="Extra", fields=(new_field,))),
        "add data model at index": SetDataModel(
            DataModelSpec(name="Extra", fields=(new_field,)), index=0
        ),
        "edit data model": SetDataModel(
            answer.model_copy(update={"fields": (*answer.fields, new_field)})
        ),
        "remove data model": RemoveDataModel("Query"),
        "rename data model": RenameDataModel(r, "Answer", "Reply"),
        "connect (replaces)": connect_command(g, r, b.id("a"), "output", b.id("out"), "inputs"),
        "connect (into a merge)": connect_command(g, r, b.id("inputs"), "output", merged, "inputs"),
        "remove a label": set_params_command(g, r, b.id("route"), {"labels": ["easy", "other"]}),
        "swap labels": set_params_command(
            g, r, b.id("route"), {"labels": ["hard", "easy", "other"]}
        ),
        "macro": Macro(
            "two", [RenameNode(a, "first"), MoveNodes({a: (g.nodes[a].position, (3, 3))})]
        ),
        "paste": paste_command(
            g, r, parse_clipboard(copy_text(g, r, [a, b.id("merged"), b.id("b")]))
        )[0],
    }


@pytest.mark.parametrize("name", list(_commands(_fork(None))))
def test_undo_restores_exactly_and_redo_reapplies(registry, name):
    b = _fork(registry)
    command = _commands(b)[name]
    _round(b.graph, command)


def test_removing_a_merge_input_restores_the_merge_order(registry):
    b = _fork(registry)
    merged = b.id("merged")
    order = [e.id for e in b.graph.incoming(merged)]
    command = RemoveNodes([b.id("b"), b.id("a")])
    command.redo(b.graph)
    assert [e.source for e in b.graph.incoming(merged)] == [b.id("c")]
    command.undo(b.graph)
    assert [e.id for e in b.graph.incoming(merged)] == order


def test_remove_nodes_skips_ids_already_gone(registry):
    b = _fork(registry)
    before = snapshot(b.graph)
    command = RemoveNodes([b.id("a"), "not-there"])
    command.redo(b.graph)
    assert b.id("b") in b.graph.nodes and "a" not in {n.name for n in b.graph.nodes.values()}
    command.undo(b.graph)
    assert snapshot(b.graph) == before


def test_a_failing_macro_leaves_the_graph_as_it_was(registry):
    b = _fork(registry)
    before = snapshot(b.graph)
    broken = Macro(
        "broken",
        [RenameNode(b.id("a"), "renamed"), AddEdge(Edge("e", "x", "output", "y", "inputs"))],
    )
    with pytest.raises(GraphError):
        broken.redo(b.graph)
    assert snapshot(b.graph) == before
    assert not Macro("empty", []) and Macro("one", [RenameNode(b.id("a"), "z")])


def test_commands_have_human_texts(registry):
    b = _fork(registry)
    texts = {name: command.text for name, command in _commands(b).items()}
    assert texts["rename"] == "Rename to alpha"
    assert texts["remove several"] == "Delete"
    assert texts["remove a merge input"] == "Delete node"
    assert texts["paste"] == "Paste 3 nodes"
    assert texts["rename data model"] == "Rename data model to Reply"
    assert all(texts.values())
