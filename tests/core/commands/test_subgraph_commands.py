"""Collapse a selection into a subgraph and expand it back: one undo step each,
no link lost, outputs identical before and after; editing inside a definition
through the document's one undo stack."""

from __future__ import annotations

import asyncio

import pytest

from core.commands import (
    AddNode,
    InDefinition,
    MoveNodes,
    RenameNode,
    SetSubgraphInfo,
    SubgraphError,
    UndoStack,
    collapse_command,
    connect_command,
    expand_command,
    in_graph,
    make_subgraph_node,
    new_subgraph_command,
)
from core.engine import Engine, OfflineModelClient
from core.files.serialize import graph_to_document
from core.model.graph import Graph
from core.schemas.flow import analyse
from core.validation import validate
from tests.core.builders import GraphBuilder
from tests.core.subgraph_graphs import nested_review


def outputs(graph: Graph, registry) -> tuple:
    engine = Engine(registry, model_client=OfflineModelClient())
    record = asyncio.run(engine.run(graph, {"query": "Why is the sky blue?"}))
    assert record.status == "succeeded", [(n.node_name, n.error) for n in record.nodes.values()]
    return record.outputs


def wiring(graph: Graph) -> list[tuple[str, str, str]]:
    """Each edge by node names, in graph order (what "no link lost" compares)."""
    return [
        (graph.nodes[e.source].name, graph.nodes[e.target].name, e.target_port)
        for e in graph.edges.values()
    ]


def fork(registry) -> GraphBuilder:
    """query -> draft -> critic; Concat(critic, draft, query) -> out: a merge whose
    input order must survive, fed from inside and outside the selection."""
    b = GraphBuilder(registry)
    b.add("Input", "query", data_model="Query")
    b.add("Generator", "draft", data_model="Answer")
    b.add("ChainOfThought", "critic", data_model="Answer")
    b.add("Concat", "both")
    b.add("Output", "out")
    b.chain("query", "draft", "critic", "both")
    b.connect("draft", "both")
    b.connect("query", "both")
    b.connect("both", "out")
    return b


def test_collapse_is_one_undo_step_with_the_same_outputs(registry):
    b = fork(registry)
    graph = b.graph
    before_doc, before = graph_to_document(graph), outputs(graph, registry)
    stack = UndoStack(graph)
    draft = b.id("draft")
    command, definition_id, node_id = collapse_command(
        graph, registry, [draft, b.id("critic")], "draft_and_critique"
    )
    stack.push(command)
    definition = graph.subgraphs[definition_id]
    assert [n.name for n in graph.nodes.values()] == ["query", "both", "out", "draft_and_critique"]
    assert [(n.name, n.type) for n in definition.nodes.values()] == [
        ("query", "Input"),
        ("draft", "Generator"),
        ("critic", "ChainOfThought"),
        ("critic_out", "Output"),
        ("draft_out", "Output"),
    ]
    # Node ids are kept inside; the merge still takes critic, draft, query in that order.
    assert draft in definition.nodes and draft not in graph.nodes
    assert [graph.nodes[e.source].name for e in graph.incoming(b.id("both"))] == [
        "draft_and_critique",
        "draft_and_critique",
        "query",
    ]
    use = graph.nodes[node_id]
    assert [p["name"] for p in use.params["outputs"]] == ["critic_out", "draft_out"]
    assert [e.source_port for e in graph.incoming(b.id("both"))][:2] == [
        p["id"] for p in use.params["outputs"]
    ]
    assert validate(graph, registry) == []
    assert outputs(graph, registry) == before
    assert stack.undo()
    assert graph_to_document(graph) == before_doc
    assert stack.redo() and validate(graph, registry) == []


def test_expand_gives_back_the_nodes_and_every_link(registry):
    b = fork(registry)
    graph = b.graph
    before_wiring, before = wiring(graph), outputs(graph, registry)
    stack = UndoStack(graph)
    command, definition_id, node_id = collapse_command(
        graph, registry, [b.id("draft"), b.id("critic")], "draft_and_critique"
    )
    stack.push(command)
    after_collapse = graph_to_document(graph)
    command, new_ids = expand_command(graph, registry, node_id)
    stack.push(command)
    assert set(new_ids) == {b.id("draft"), b.id("critic")}  # the ids came back
    assert sorted(wiring(graph)) == sorted(before_wiring)
    assert [graph.nodes[e.source].name for e in graph.incoming(b.id("both"))] == [
        "critic",
        "draft",
        "query",
    ]
    assert outputs(graph, registry) == before
    assert definition_id in graph.subgraphs  # kept: another use may come
    assert stack.undo()
    assert graph_to_document(graph) == after_collapse


def test_expanding_one_of_two_uses_copies_with_fresh_ids_and_keeps_the_other(registry):
    root, b = nested_review(registry)
    before = outputs(root, registry)
    quick = b["root"].id("quick")
    command, new_ids = expand_command(root, registry, quick)
    UndoStack(root).push(command)
    sc = b["summarise_and_critique"].graph
    # The document had none of these ids, so the copies keep the definition's.
    assert set(new_ids) == {sc.node_by_name("summary").id, sc.node_by_name("check").id}
    assert {root.nodes[i].name for i in new_ids} == {"summary", "check"}
    assert validate(root, registry) == []
    assert outputs(root, registry) == before
    # The other use, inside "review", still uses the definition.
    assert b["review"].graph.node_by_name("first").params["definition"] == sc.definition_id
    # Expanding the nested use inside "review" too: its ids are taken in no graph of
    # that definition, but its names are free there.
    first = b["review"].id("first")
    command, inner_ids = expand_command(b["review"].graph, registry, first)
    UndoStack(root).push(in_graph(b["review"].graph, command))
    # The same definition expanded in another graph keeps its ids there too.
    assert set(inner_ids) == set(new_ids)


def test_a_second_copy_in_the_same_graph_gets_fresh_ids_and_free_names(registry):
    root, b = nested_review(registry)
    top = b["root"]
    sc = b["summarise_and_critique"].graph
    top.use(sc, "again")
    top.connect("query", "again", target_port=top.port("again", "text", "inputs"))
    top.add("Output", "again_out", order=3)
    top.connect("again", "again_out", source_port=top.port("again", "summary_out"))
    before = outputs(root, registry)
    stack = UndoStack(root)
    first, first_ids = expand_command(root, registry, top.id("quick"))
    stack.push(first)
    second, second_ids = expand_command(root, registry, top.id("again"))
    stack.push(second)
    assert not set(first_ids) & set(second_ids)
    assert sorted(root.nodes[i].name for i in second_ids) == ["check_1", "summary_1"]
    # "again" handed on only its summary: its critique, now a node, says so.
    assert [(d.code, d.message.split(":")[0]) for d in validate(root, registry)] == [
        ("unused_result", "check_1")
    ]
    # The offline model answers as the node asking: the renamed copy says so.
    after = outputs(root, registry)
    assert after[:3] == before[:3]
    assert after[3] == {"answer": before[3]["answer"].replace("from summary", "from summary_1")}


def test_a_three_level_document_collapses_further_with_the_same_outputs(registry):
    root, b = nested_review(registry)
    before = outputs(root, registry)
    stack = UndoStack(root)
    command, definition_id, node_id = collapse_command(
        root, registry, [b["root"].id("review"), b["root"].id("quick")], "everything"
    )
    stack.push(command)
    assert [n.type for n in root.nodes.values()] == [
        "Input",
        "Output",
        "Output",
        "Output",
        "Subgraph",
    ]
    assert validate(root, registry) == []
    assert outputs(root, registry) == before
    stack.undo()
    assert outputs(root, registry) == before


@pytest.mark.parametrize(
    ("names", "message"),
    [
        ([], "select the nodes"),
        (["query", "draft"], "query is the program's Input; leave Inputs and Outputs out"),
        (["out"], "out is the program's Output"),
    ],
)
def test_what_cannot_be_collapsed_is_refused_with_a_reason(registry, names, message):
    b = fork(registry)
    with pytest.raises(SubgraphError, match=message):
        collapse_command(b.graph, registry, [b.id(n) for n in names])


def test_a_branch_label_crossing_the_selection_is_refused(registry):
    b = GraphBuilder(registry)
    b.add("Input", "query", data_model="Query")
    b.add("Branch", "route", labels=["easy", "hard"], question="How hard?")
    b.add("Generator", "fast", data_model="Answer")
    b.add("Generator", "slow", data_model="Answer")
    b.add("Or", "either")
    b.add("Output", "out")
    b.connect("query", "route")
    b.connect("route", "fast", "branch_0")
    b.connect("route", "slow", "branch_1")
    b.chain("fast", "either")
    b.chain("slow", "either", "out")
    with pytest.raises(SubgraphError, match="route: a Branch label cannot cross"):
        collapse_command(b.graph, registry, [b.id("fast")])
    command, _, _ = collapse_command(
        b.graph, registry, [b.id(n) for n in ("route", "fast", "slow", "either")], "routing"
    )
    before = outputs(b.graph, registry)
    UndoStack(b.graph).push(command)
    assert validate(b.graph, registry) == []
    assert outputs(b.graph, registry) == before


def test_a_schema_without_a_data_model_gets_one_in_the_same_undo_step(registry):
    b = fork(registry)
    graph = b.graph
    b.add("Generator", "judge", data_model="Answer")
    b.add("Output", "verdict", order=1)
    b.connect("both", "judge")
    b.connect("judge", "verdict")
    models_before = list(graph.data_models)
    stack = UndoStack(graph)
    command, definition_id, _ = collapse_command(graph, registry, [b.id("judge")], "judging")
    stack.push(command)
    inner_input = next(
        n for n in graph.subgraphs[definition_id].nodes.values() if n.type == "Input"
    )
    made = inner_input.params["data_model"]
    assert made not in models_before and made in graph.data_models
    flow_schema = analyse(graph, registry).schemas[(b.id("both"), "output")]
    assert graph.data_models[made].json_schema()["properties"] == flow_schema["properties"]
    assert validate(graph, registry) == []
    stack.undo()
    assert list(graph.data_models) == models_before


def test_expand_refuses_a_link_on_a_port_the_definition_lost(registry):
    root, b = nested_review(registry)
    sc = b["summarise_and_critique"].graph
    out = sc.node_by_name("critique_out")
    for edge in sc.incoming(out.id):
        sc.remove_edge(edge.id)
    sc.remove_node(out.id)
    with pytest.raises(SubgraphError, match="quick: a connection leaves .* so that none is lost"):
        expand_command(root, registry, b["root"].id("quick"))


def test_edits_inside_a_definition_are_undoable_on_the_documents_stack(registry):
    root, b = nested_review(registry)
    critique = b["critique"].graph
    stack = UndoStack(root)
    before = graph_to_document(root)
    critic = critique.node_by_name("critic").id
    start = critique.nodes[critic].position
    stack.push(InDefinition("def_critique", RenameNode(critic, "judge")))
    stack.push(in_graph(critique, MoveNodes({critic: (start, (5, 5))}, mergeable=True)))
    stack.push(in_graph(critique, MoveNodes({critic: ((5, 5), (9, 9))}, mergeable=True)))
    stack.push(SetSubgraphInfo("def_critique", name="critique_v2"))
    assert critique.nodes[critic].name == "judge" and critique.nodes[critic].position == (9, 9)
    assert critique.definition_name == "critique_v2"
    assert len(stack._done) == 3  # the two moves merged
    while stack.undo():
        pass
    assert graph_to_document(root) == before


def test_new_uses_refuse_recursion_and_connect_like_any_node(registry):
    root, b = nested_review(registry)
    critique = b["critique"].graph
    with pytest.raises(
        SubgraphError, match="'review' cannot be used here: it would contain itself"
    ):
        make_subgraph_node(critique, "def_review")
    stack = UndoStack(root)
    command, definition, node = new_subgraph_command(root, "extra", (10.0, 20.0))
    stack.push(command)
    assert root.nodes[node.id].params == {
        "definition": definition.definition_id,
        "inputs": [],
        "outputs": [],
    }
    inner = make_subgraph_node(definition, "def_critique", name="nested")
    stack.push(in_graph(definition, AddNode(inner)))
    draft_port = inner.params["inputs"][0]["id"]
    definition.add_node(definition.owner.nodes[b["root"].id("query")].copy())
    stack.push(
        in_graph(
            definition,
            connect_command(
                definition, registry, b["root"].id("query"), "output", inner.id, draft_port
            ),
        )
    )
    assert [e.target_port for e in definition.incoming(inner.id)] == [draft_port]


def test_collapsing_inside_a_definition_nests_one_level_deeper(registry):
    root, b = nested_review(registry)
    before, before_doc = outputs(root, registry), graph_to_document(root)
    sc = b["summarise_and_critique"].graph
    stack = UndoStack(root)
    command, definition_id, node_id = collapse_command(
        sc, registry, [sc.node_by_name("summary").id], "summarise"
    )
    stack.push(in_graph(sc, command))
    assert root.subgraphs[definition_id].definition_name == "summarise"
    assert sc.nodes[node_id].type == "Subgraph" and sc.node_by_name("summary") is None
    assert validate(root, registry) == []
    assert outputs(root, registry) == before  # now four levels deep under "review"
    stack.undo()
    assert graph_to_document(root) == before_doc
