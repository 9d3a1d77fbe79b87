"""Validation inside subgraphs: each used definition checked once, diagnostics
addressed by the path of Subgraph nodes, recursion and missing definitions
reported on the node that causes them."""

from __future__ import annotations

from core.model.graph import Node
from core.validation import validate
from tests.core.subgraph_graphs import nested_review


def test_a_problem_three_levels_down_points_at_the_inner_node_with_its_path(registry):
    root, b = nested_review(registry)
    critique = b["critique"].graph
    critic = critique.node_by_name("critic")
    critique.set_params(critic.id, {"data_model": "Nope"})
    found = validate(root, registry)
    assert [(d.code, d.node_id, d.path, d.definition_id) for d in found] == [
        (
            "unknown_data_model",
            critic.id,
            # the shortest way there: quick -> check
            (b["root"].id("quick"), b["summarise_and_critique"].id("check")),
            "def_critique",
        )
    ]
    d = found[0]
    assert d.message.startswith("in subgraph critique: critic: data model 'Nope' does not exist")
    assert d.address == "/".join((*d.path, critic.id))
    assert d.to_dict()["path"] == list(d.path) and d.to_dict()["subgraph"] == "def_critique"
    # Checked once, although "critique" runs in two places.
    assert len(found) == 1


def test_a_definition_that_uses_itself_is_an_error_on_each_node_of_the_loop(registry):
    root, b = nested_review(registry)
    loop = b["critique"].use(b["review"].graph, "loop")
    found = [d for d in validate(root, registry) if d.code == "recursive_subgraph"]
    assert [(d.node_id, d.definition_id) for d in found] == [
        (b["review"].id("first"), "def_review"),
        (b["summarise_and_critique"].id("check"), "def_summarise_and_critique"),
        (loop, "def_critique"),
    ]
    assert all(d.is_error for d in found)
    assert "loop: subgraph 'review' would contain itself" in found[2].message


def test_a_missing_definition_and_a_mismatched_input_are_reported(registry):
    root, b = nested_review(registry)
    root.add_node(Node("ghost", "Subgraph", "ghost", {"definition": "gone"}))
    quick = b["root"].id("quick")
    text_port = b["root"].port("quick", "text", "inputs")
    for edge in root.incoming(quick):
        root.remove_edge(edge.id)
    b["root"].add("Generator", "answer_first", data_model="Answer")
    b["root"].connect("query", "answer_first")
    b["root"].connect("answer_first", "quick", target_port=text_port)
    codes = {(d.code, d.node_id, d.severity) for d in validate(root, registry)}
    assert ("unknown_subgraph", "ghost", "error") in codes
    assert ("subgraph_input_mismatch", quick, "warning") in codes
    (mismatch,) = [d for d in validate(root, registry) if d.code == "subgraph_input_mismatch"]
    assert mismatch.port == text_port
    assert "expects the fields query but is given answer" in mismatch.message
