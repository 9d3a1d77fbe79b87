"""Subgraph definitions in the model: one definition, many uses, ports that
follow the definition, shared data models and settings, recursion found."""

from __future__ import annotations

import pytest

from core.model import changes as ch
from core.model.graph import GraphError, Node
from core.model.subgraphs import (
    reachable_definitions,
    recursive_definitions,
    uses_of,
    would_recurse,
)
from core.schemas.flow import analyse
from tests.core.subgraph_graphs import nested_review


def test_a_definition_shares_the_documents_data_models_settings_and_table(registry):
    root, b = nested_review(registry)
    inner = b["critique"].graph
    assert inner.is_definition and inner.root is root and not root.is_definition
    assert inner.data_models is root.data_models
    assert inner.meta is root.meta
    assert inner.subgraphs is root.subgraphs
    inner.set_meta(name="renamed")  # settings are the document's
    assert root.meta.name == "renamed"
    assert [g.definition_id for g in root.graphs()[1:]] == [
        "def_critique",
        "def_summarise_and_critique",
        "def_review",
    ]


def test_every_use_takes_its_ports_from_the_definition_and_follows_its_edits(registry):
    root, b = nested_review(registry)
    sc = b["summarise_and_critique"].graph
    uses = uses_of(root, sc.definition_id)
    assert [(g.definition_id, n.name) for g, n in uses] == [
        (None, "quick"),
        ("def_review", "first"),
    ]
    heard: list = []
    root.subscribe(heard.append)
    text = sc.node_by_name("text")
    sc.rename_node(text.id, "article")
    sc.add_node(Node("extra", "Output", "extra_out", {"order": 2}))
    sc.set_params(sc.node_by_name("summary_out").id, {"order": 5})
    for _graph, node in uses:
        assert node.params["inputs"] == [{"id": text.id, "name": "article"}]
        assert [p["name"] for p in node.params["outputs"]] == [
            "critique_out",
            "extra_out",
            "summary_out",
        ]
    # The port names are the inner ids: the wiring outside survives the rename.
    quick = root.node_by_name("quick")
    assert [e.target_port for e in root.incoming(quick.id)] == [text.id]
    # The document heard each inner change, and each use's new ports.
    assert any(isinstance(c, ch.InSubgraph) and c.definition_id == sc.definition_id for c in heard)
    assert ch.NodeParamsChanged(quick.id, ("inputs", "outputs")) in heard


def test_data_model_edits_in_a_definition_go_to_the_document(registry):
    root, b = nested_review(registry)
    heard: list = []
    root.subscribe(heard.append)
    spec = root.data_models["Answer"].model_copy(update={"description": "changed"})
    b["critique"].graph.set_data_model(spec)
    assert root.data_models["Answer"].description == "changed"
    assert ch.DataModelChanged("Answer") in heard


def test_a_used_definition_cannot_be_removed_and_an_unused_one_can(registry):
    root, b = nested_review(registry)
    with pytest.raises(GraphError, match="'critique' is used by 'check' in subgraph"):
        root.remove_subgraph("def_critique")
    spare = root.new_definition("spare")
    root.add_subgraph(spare)
    removed, index = root.remove_subgraph(spare.definition_id)
    assert removed is spare and index == 3 and spare.definition_id not in root.subgraphs


def test_recursion_is_found_directly_and_through_other_definitions(registry):
    root, b = nested_review(registry)
    critique = b["critique"].graph
    assert reachable_definitions(root) == [
        "def_review",
        "def_summarise_and_critique",
        "def_critique",
    ]
    assert would_recurse(critique, "def_critique")  # itself
    assert would_recurse(critique, "def_review")  # review -> s&c -> critique
    assert not would_recurse(root, "def_review")  # the document is no definition
    assert recursive_definitions(root) == []
    b["critique"].use(b["review"].graph, "loop")
    assert recursive_definitions(root) == [
        ["def_critique", "def_review", "def_summarise_and_critique", "def_critique"],
        ["def_summarise_and_critique", "def_critique", "def_review", "def_summarise_and_critique"],
        ["def_review", "def_summarise_and_critique", "def_critique", "def_review"],
    ]
    analyse(root, registry)  # a definition that uses itself ends, never recurses forever


def test_output_schemas_come_from_three_levels_down(registry):
    root, b = nested_review(registry)
    flow = analyse(root, registry)
    quick = b["root"].id("quick")
    critique_port = b["root"].port("quick", "critique_out")
    assert flow.schemas[(quick, critique_port)] == root.data_models["Answer"].json_schema()
    review = b["root"].id("review")
    merged = flow.schemas[(review, b["root"].port("review", "out"))]
    assert list(merged["properties"]) == ["answer", "answer_1"]
    assert set(flow.subflows) == {"def_review", "def_summarise_and_critique", "def_critique"}
