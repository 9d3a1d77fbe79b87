"""Subgraph definitions in graph files: stored once, used by id, read back exactly;
a broken definition is refused with one message naming where it is."""

from __future__ import annotations

import json

import pytest

from core.files import GraphFileError, dumps_graph, loads_graph
from core.model.subgraphs import uses_of
from tests.core.subgraph_graphs import nested_review


def test_definitions_are_stored_once_and_read_back_exactly(registry):
    root, b = nested_review(registry)
    text = dumps_graph(root)
    document = json.loads(text)
    assert [d["name"] for d in document["subgraphs"]] == [
        "critique",
        "summarise_and_critique",
        "review",
    ]
    # A use keeps which definition it runs, never a copy of its ports.
    quick = next(n for n in document["nodes"] if n["name"] == "quick")
    assert quick["params"] == {"definition": "def_summarise_and_critique"}
    again = loads_graph(text, registry)
    assert dumps_graph(again) == text
    assert again.nodes[b["root"].id("quick")].params == root.nodes[b["root"].id("quick")].params
    assert [n.name for _, n in uses_of(again, "def_summarise_and_critique")] == ["quick", "first"]
    inner = again.subgraphs["def_critique"]
    assert inner.is_definition and inner.data_models is again.data_models


@pytest.mark.parametrize(
    ("break_it", "message"),
    [
        (
            lambda d: d["subgraphs"].append(dict(d["subgraphs"][0])),
            "two entries share the subgraph id 'def_critique'",
        ),
        (
            lambda d: d["subgraphs"][0]["edges"][0].update(source="nowhere"),
            "subgraph 'critique': edge '.*' refers to node 'nowhere', which is not in the file",
        ),
        (
            lambda d: d["subgraphs"][1]["nodes"][1].update(type="Teleporter"),
            "subgraph 'summarise_and_critique': node 'summary' has an unknown node type",
        ),
        (
            lambda d: d["subgraphs"][0].update(nodes=d["subgraphs"][0]["nodes"] * 2),
            "two entries share the subgraph 'critique': node id",
        ),
    ],
)
def test_a_broken_definition_is_refused_with_where_it_is(registry, break_it, message):
    root, _ = nested_review(registry)
    document = json.loads(dumps_graph(root))
    break_it(document)
    with pytest.raises(GraphFileError, match=message):
        loads_graph(json.dumps(document), registry)


def test_a_use_of_a_missing_definition_opens_and_is_reported(registry):
    root, _ = nested_review(registry)
    document = json.loads(dumps_graph(root))
    document["subgraphs"] = [d for d in document["subgraphs"] if d["name"] != "critique"]
    graph = loads_graph(json.dumps(document), registry)
    from core.validation import validate

    found = [d for d in validate(graph, registry) if d.code == "unknown_subgraph"]
    assert [d.node_id for d in found] == ["def_su_check"]
    assert found[0].path == ("quick",)
