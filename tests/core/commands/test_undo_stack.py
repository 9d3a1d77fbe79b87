"""The plain undo stack, merging of drags and spin-box steps, names and data-model commands."""

from __future__ import annotations

from core.commands import (
    MoveNodes,
    RenameDataModel,
    SetParams,
    UndoStack,
    data_model_name_problem,
    make_node,
    node_name_problem,
)
from tests.core.builders import seed_program
from tests.core.commands.state import snapshot


def test_push_undo_redo_and_flags(registry):
    b = seed_program(registry)
    stack = UndoStack(b.graph)
    assert not stack.can_undo and not stack.can_redo and not stack.undo() and not stack.redo()
    node = b.id("branch_1")
    start = snapshot(b.graph)
    stack.push(SetParams(node, {"instructions": "one"}))
    middle = snapshot(b.graph)
    stack.push(SetParams(node, {"instructions": "two"}))
    assert stack.undo() and snapshot(b.graph) == middle and stack.can_redo
    assert stack.undo() and snapshot(b.graph) == start and not stack.can_undo
    assert stack.redo() and snapshot(b.graph) == middle
    stack.push(SetParams(node, {"instructions": "three"}))
    assert not stack.can_redo, "a new edit drops the redo history"


def test_a_drag_in_steps_is_one_undo_step(registry):
    b = seed_program(registry)
    stack = UndoStack(b.graph)
    node = b.id("branch_1")
    start = b.graph.nodes[node].position
    before = snapshot(b.graph)
    positions = [start, (10.5, 1), (20.25, 2), (30, 3)]
    for old, new in zip(positions, positions[1:], strict=False):
        stack.push(MoveNodes({node: (old, new)}, mergeable=True))
    assert b.graph.nodes[node].position == (30.0, 3.0)
    stack.undo()
    assert snapshot(b.graph) == before and not stack.can_undo
    stack.redo()
    assert b.graph.nodes[node].position == (30.0, 3.0)


def test_moves_of_other_nodes_or_unmergeable_moves_stay_separate(registry):
    b = seed_program(registry)
    stack = UndoStack(b.graph)
    one, two = b.id("branch_1"), b.id("branch_2")
    stack.push(MoveNodes({one: (b.graph.nodes[one].position, (1, 1))}, mergeable=True))
    stack.push(MoveNodes({two: (b.graph.nodes[two].position, (2, 2))}, mergeable=True))
    stack.push(MoveNodes({two: ((2, 2), (3, 3))}))
    stack.undo()
    assert b.graph.nodes[two].position == (2.0, 2.0)
    stack.undo()
    assert b.graph.nodes[one].position == (1.0, 1.0)


def test_mergeable_parameter_steps_collapse(registry):
    b = seed_program(registry)
    stack = UndoStack(b.graph)
    node = b.id("branch_1")
    before = snapshot(b.graph)
    for value in (0.1, 0.2, 0.3):
        stack.push(SetParams(node, {"temperature": value}, mergeable=True))
    stack.push(SetParams(node, {"instructions": "other field"}, mergeable=True))
    stack.undo()
    assert b.graph.nodes[node].params["temperature"] == 0.3
    stack.undo()
    assert snapshot(b.graph) == before


def test_rename_data_model_follows_every_reference(registry):
    b = seed_program(registry)
    before = snapshot(b.graph)
    stack = UndoStack(b.graph)
    stack.push(RenameDataModel(registry, "AnswerWithThinking", "Reply"))
    assert list(b.graph.data_models) == ["Query", "Reply"]
    assert {b.graph.nodes[b.id(n)].params["data_model"] for n in ("branch_1", "branch_2")} == {
        "Reply"
    }
    assert b.graph.nodes[b.id("inputs")].params["data_model"] == "Query"
    stack.undo()
    assert snapshot(b.graph) == before


def test_name_problems(registry):
    b = seed_program(registry)
    assert node_name_problem(b.graph, "branch_1") == "another node is already named 'branch_1'"
    assert node_name_problem(b.graph, "branch_1", b.id("branch_1")) is None
    assert "Python keyword" in node_name_problem(b.graph, "lambda")
    assert data_model_name_problem(b.graph, "Query") == "a data model named 'Query' already exists"
    assert data_model_name_problem(b.graph, "Query", current="Query") is None
    assert "not a Python identifier" in data_model_name_problem(b.graph, "My Model")


def test_make_node_picks_a_free_name_and_context_defaults(registry):
    b = seed_program(registry)
    node = make_node(b.graph, registry, "Output", (1, 2))
    assert node.name == "output" and node.params == {"order": 2} and node.position == (1, 2)
    b.graph.add_node(node)
    again = make_node(b.graph, registry, "Output")
    assert again.name == "output_3" and again.params == {"order": 3}
    gen = make_node(b.graph, registry, "Generator", name="branch_1")
    assert gen.name == "branch_3" and gen.params["data_model"] == "AnswerWithThinking"
    assert len({make_node(b.graph, registry, "Or").id for _ in range(50)}) == 50
