"""connection_problem: every reason a connection is refused; connect_command's replacing."""

from __future__ import annotations

import pytest

from core.commands import AddEdge, Macro, UndoStack, connect_command, connection_problem
from tests.core.builders import GraphBuilder
from tests.core.commands.state import snapshot


@pytest.fixture
def b(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Generator", "gen", data_model="Answer")
    b.add("Generator", "later", data_model="Answer")
    b.add("Concat", "merged")
    b.add("Branch", "route", question="Q?", labels=["easy", "hard"])
    b.add("Generator", "on_easy", data_model="Answer")
    b.add("Output", "out")
    b.chain("inputs", "gen", "later")
    b.connect("inputs", "route")
    b.connect("route", "on_easy", source_port="branch_0")
    return b


def _problem(b, source, source_port, target, target_port="inputs"):
    return connection_problem(
        b.graph, b.registry, b.id(source), source_port, b.id(target), target_port
    )


def test_a_fine_connection_has_no_problem(b):
    assert _problem(b, "later", "output", "out") is None
    assert _problem(b, "gen", "output", "merged") is None
    assert _problem(b, "route", "branch_1", "later") is None  # a module, label still free


def test_a_node_cannot_feed_itself(b):
    assert _problem(b, "gen", "output", "gen") == "a node cannot feed itself"


def test_a_cycle_is_refused_naming_both_nodes(b):
    assert (
        _problem(b, "later", "output", "gen")
        == "this would make a cycle: gen already leads to later"
    )


def test_duplicate_connection(b):
    assert _problem(b, "inputs", "output", "gen") == "these ports are already connected"


def test_branch_label_into_a_merge_or_output(b):
    problem = _problem(b, "route", "branch_1", "merged")
    assert problem.startswith("a Branch label must feed a module") and problem.endswith(
        "not a Concat"
    )
    assert _problem(b, "route", "branch_1", "out").endswith("not a Output")


def test_branch_label_already_used(b):
    assert _problem(b, "route", "branch_0", "later") == (
        "label 'easy' already feeds a module; each label feeds exactly one"
    )


def test_input_takes_no_inputs(b):
    assert _problem(b, "gen", "output", "inputs") == "inputs is an Input: it takes no inputs"


def test_unknown_ports(b):
    assert _problem(b, "gen", "nope", "out") == "gen has no output 'nope'"
    assert _problem(b, "route", "branch_2", "later") == "route has no output 'branch_2'"
    assert _problem(b, "gen", "output", "out", "extra") == "out has no input 'extra'"


def test_missing_nodes_and_broken_nodes(b):
    assert connection_problem(b.graph, b.registry, "gone", "output", b.id("out"), "inputs") == (
        "that node no longer exists"
    )
    b.graph.set_params(b.id("later"), {"temperature": 7})
    assert _problem(b, "later", "output", "out").startswith(
        "fix the node first: Generator 'later': temperature"
    )
    b.graph.nodes[b.id("gen")].type = "Teleporter"
    assert "unknown node type 'Teleporter'" in _problem(b, "gen", "output", "out")


def test_connect_command_refuses_with_the_reason(b):
    with pytest.raises(ValueError, match="a node cannot feed itself"):
        connect_command(b.graph, b.registry, b.id("gen"), "output", b.id("gen"), "inputs")


def test_connect_replaces_the_edge_on_a_single_input(b):
    stack = UndoStack(b.graph)
    before = snapshot(b.graph)
    old = b.graph.incoming(b.id("later"))[0]
    command = connect_command(
        b.graph, b.registry, b.id("inputs"), "output", b.id("later"), "inputs"
    )
    assert isinstance(command, Macro) and command.text == "Reconnect"
    stack.push(command)
    (new,) = b.graph.incoming(b.id("later"))
    assert new.source == b.id("inputs") and old.id not in b.graph.edges
    stack.undo()
    assert snapshot(b.graph) == before


def test_connect_appends_to_a_merge(b):
    first = connect_command(b.graph, b.registry, b.id("gen"), "output", b.id("merged"), "inputs")
    assert isinstance(first, AddEdge)
    first.redo(b.graph)
    second = connect_command(b.graph, b.registry, b.id("later"), "output", b.id("merged"), "inputs")
    assert isinstance(second, AddEdge)
    second.redo(b.graph)
    assert [b.graph.nodes[e.source].name for e in b.graph.incoming(b.id("merged"))] == [
        "gen",
        "later",
    ]


def test_cycle_check_sees_long_paths(registry):
    b = GraphBuilder(registry)
    names = [f"n{i}" for i in range(200)]
    for name in names:
        b.add("Generator", name, data_model="Answer")
    b.chain(*names)
    assert (
        _problem(b, names[-1], "output", names[0])
        == f"this would make a cycle: {names[0]} already leads to {names[-1]}"
    )
    assert _problem(b, names[0], "output", names[-1]) is None  # forward is fine (it replaces)
