"""set_params_command: Branch label edits keep each connection with its label."""

from __future__ import annotations

import pytest

from core.commands import Macro, SetParams, UndoStack, set_params_command
from core.validation import validate
from tests.core.builders import GraphBuilder
from tests.core.commands.state import snapshot

LABELS = ["easy", "hard", "other"]


@pytest.fixture
def b(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Branch", "route", question="Q?", labels=LABELS)
    b.connect("inputs", "route")
    for index, label in enumerate(LABELS):
        b.add("Generator", f"on_{label}", data_model="Answer")
        b.connect("route", f"on_{label}", source_port=f"branch_{index}")
        b.add("Output", f"out_{label}", order=index)
        b.connect(f"on_{label}", f"out_{label}")
    return b


def _wiring(b) -> dict[str, str]:
    """label -> the module its port feeds."""
    route = b.graph.node(b.id("route"))
    wiring = {}
    for edge in b.graph.outgoing(route.id):
        index = int(edge.source_port.removeprefix("branch_"))
        label = (
            route.params["labels"][index] if index < len(route.params["labels"]) else f"?{index}"
        )
        wiring[label] = b.graph.nodes[edge.target].name
    return wiring


def _apply(b, labels):
    stack = UndoStack(b.graph)
    before = snapshot(b.graph)
    stack.push(set_params_command(b.graph, b.registry, b.id("route"), {"labels": labels}))
    after = snapshot(b.graph)
    stack.undo()
    assert snapshot(b.graph) == before
    stack.redo()
    assert snapshot(b.graph) == after
    return stack


def test_removing_the_middle_label_removes_its_edge_and_keeps_the_others(b):
    _apply(b, ["easy", "other"])
    assert _wiring(b) == {"easy": "on_easy", "other": "on_other"}
    assert b.graph.incoming(b.id("on_hard")) == []
    # Only the module that lost its label is now disconnected.
    found = validate(b.graph, b.registry)
    assert {(d.code, b.graph.nodes[d.node_id].name) for d in found} == {
        ("unconnected_input", "on_hard"),
        ("unreachable", "on_hard"),
        ("unreachable", "out_hard"),
    }


def test_removing_the_last_label(b):
    _apply(b, ["easy", "hard"])
    assert _wiring(b) == {"easy": "on_easy", "hard": "on_hard"}


def test_renaming_a_label_in_place_keeps_its_connection(b):
    _apply(b, ["easy", "difficult", "other"])
    assert _wiring(b) == {"easy": "on_easy", "difficult": "on_hard", "other": "on_other"}
    assert validate(b.graph, b.registry) == []


def test_reordering_labels_moves_their_connections(b):
    merged_order = list(b.graph.edges)
    _apply(b, ["other", "easy", "hard"])
    assert _wiring(b) == {"easy": "on_easy", "hard": "on_hard", "other": "on_other"}
    assert list(b.graph.edges) == merged_order  # rewired in place: ids and order kept
    assert validate(b.graph, b.registry) == []


def test_adding_a_label_keeps_every_connection(b):
    command = set_params_command(b.graph, b.registry, b.id("route"), {"labels": ["new", *LABELS]})
    command.redo(b.graph)
    assert _wiring(b) == {"easy": "on_easy", "hard": "on_hard", "other": "on_other"}


def test_a_change_that_moves_no_port_is_a_plain_set_params(b):
    command = set_params_command(b.graph, b.registry, b.id("route"), {"question": "Why?"})
    assert isinstance(command, SetParams)
    command = set_params_command(
        b.graph, b.registry, b.id("on_easy"), {"instructions": "Be brief."}
    )
    assert isinstance(command, SetParams)


def test_invalid_new_params_touch_no_edge(b):
    before = list(b.graph.edges)
    command = set_params_command(b.graph, b.registry, b.id("on_easy"), {"temperature": 99})
    assert isinstance(command, SetParams)
    command.redo(b.graph)
    assert list(b.graph.edges) == before
    command = set_params_command(b.graph, b.registry, b.id("route"), {"labels": "not a list"})
    assert isinstance(command, SetParams)


def test_the_macro_is_one_undo_step_with_the_set_params_text(b):
    command = set_params_command(b.graph, b.registry, b.id("route"), {"labels": ["easy"]})
    assert isinstance(command, Macro) and command.text == "Set labels"


def test_branch_output_port_moves(registry):
    branch = registry.get("Branch")

    def moves(old, new):
        return branch.output_port_moves(
            branch.params_model(labels=old), branch.params_model(labels=new)
        )

    assert moves(["a", "b", "c"], ["a", "c"]) == {
        "branch_0": "branch_0",
        "branch_1": None,
        "branch_2": "branch_1",
    }
    assert moves(["a", "b"], ["b", "a"]) == {"branch_0": "branch_1", "branch_1": "branch_0"}
    assert moves(["a", "b"], ["a", "x"]) == {"branch_0": "branch_0", "branch_1": "branch_1"}
    assert moves(["a", "b"], ["x", "a"]) == {"branch_0": "branch_1", "branch_1": None}
    assert moves(["a", "b"], []) == {"branch_0": None, "branch_1": None}
    generator = registry.get("Generator")
    params = generator.params_model()
    assert generator.output_port_moves(params, params) == {"output": "output"}
