"""Schema flow: order, cycles, per-port schemas and the display helpers."""

from __future__ import annotations

import networkx as nx

from core.schemas.flow import analyse, describe_schema, schema_field_names
from tests.core.builders import ANSWER, GraphBuilder, seed_program
from tests.core.graph_factory import every_field_kind_model, random_graph


def test_order_is_topological_with_ties_in_graph_order(registry):
    b = seed_program(registry)
    names = [b.graph.nodes[n].name for n in analyse(b.graph, registry).order]
    assert names == ["inputs", "branch_1", "branch_2", "output_1", "output_2"]


def test_order_equals_networkx_lexicographic_sort_on_generated_graphs(registry):
    for seed in range(10):
        graph = random_graph(seed, size=80)
        flow = analyse(graph, registry)
        position = {n: i for i, n in enumerate(graph.nodes)}
        expected = list(nx.lexicographical_topological_sort(flow.digraph, key=position.__getitem__))
        assert flow.order == expected


def test_nodes_on_cycles_are_left_out_of_the_order_but_their_descendants_stay(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Or", "loop_a")
    b.add("Or", "loop_b")
    b.add("Generator", "after", data_model="Answer")
    b.chain("inputs", "loop_a", "loop_b", "loop_a")
    b.connect("loop_b", "after")
    flow = analyse(b.graph, registry)
    assert [b.graph.nodes[n].name for n in flow.order] == ["inputs", "after"]
    assert [sorted(b.graph.nodes[n].name for n in c) for c in flow.cycles] == [["loop_a", "loop_b"]]
    assert flow.schemas[(b.id("after"), "output")] == ANSWER.json_schema()


def test_flow_knows_which_nodes_sit_on_a_cycle_and_which_come_after_one(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Generator", "loop_a", data_model="AnswerWithThinking")
    b.add("Generator", "loop_b", data_model="Answer")
    b.add("Concat", "after")
    b.add("Concat", "later")
    b.add("Generator", "aside", data_model="Answer")
    b.chain("inputs", "loop_a", "loop_b", "loop_a")
    b.chain("loop_b", "after", "later")
    b.connect("inputs", "aside")
    flow = analyse(b.graph, registry)
    assert flow.on_cycle == {b.id("loop_a"), b.id("loop_b")}
    assert flow.after_cycle(b.id("after")) and flow.after_cycle(b.id("later"))
    assert not flow.after_cycle(b.id("loop_a"))
    assert not flow.after_cycle(b.id("aside"))


def test_each_cycle_is_a_real_path_through_the_graph(registry):
    b = GraphBuilder(registry)
    for name in "abcde":
        b.add("Or", name)
    for edge in ("ab", "ba", "bc", "cd", "db", "de", "ea"):
        b.connect(edge[0], edge[1])
    flow = analyse(b.graph, registry)
    covered = set()
    for cycle in flow.cycles:
        for here, there in zip(cycle, cycle[1:] + cycle[:1], strict=True):
            assert flow.digraph.has_edge(here, there)
        covered.update(cycle)
    assert covered == set(b.graph.nodes)


def test_edge_schema_and_feeding_branch(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Branch", "route", question="Q?", labels=["easy", "hard"])
    b.add("Generator", "quick", data_model="Answer")
    b.connect("inputs", "route")
    edge = b.connect("route", "quick", source_port="branch_1")
    flow = analyse(b.graph, registry)
    assert list(flow.edge_schema(edge)["properties"]) == ["query", "thinking", "choice"]
    node, params, index = flow.feeding_branch(b.id("quick"))
    assert (node.name, params.labels, index) == ("route", ["easy", "hard"], 1)
    assert flow.feeding_branch(b.id("route")) is None
    assert flow.branch_decision_schema(b.id("route")) is None


def test_data_model_schemas_are_computed_once_per_analysis(registry):
    flow = analyse(seed_program(registry).graph, registry)
    assert flow.data_model_schema("Query") is flow.data_model_schema("Query")
    assert flow.data_model_schema("Nope") is None


def test_describe_schema_rows_for_display():
    rows = describe_schema(every_field_kind_model().json_schema())
    assert rows[:5] == [
        ("text", "str", True),
        ("count", "int", True),
        ("ratio", "float", True),
        ("flag", "bool", True),
        ("mood", "enum(calm|busy)", True),
    ]
    assert ("moods", "list[enum(a|b|c)]", True) in rows
    assert ("maybe_text", "str?", False) in rows
    assert ("maybe_mood", "enum(yes|no)?", False) in rows
    assert ("maybe_ratios", "list[float]?", False) in rows
    assert describe_schema(None) == [] and schema_field_names(None) == []
    assert schema_field_names(ANSWER.json_schema()) == ["answer"]
