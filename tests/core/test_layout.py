"""layered_layout: parents on the left, parallel branches on their own rows, cycles tolerated."""

from __future__ import annotations

from core.layout import COLUMN_GAP, ROW_GAP, layered_layout
from tests.core.builders import GraphBuilder, seed_program
from tests.core.graph_factory import random_graph


def test_every_node_is_right_of_its_parents_on_generated_graphs():
    for seed in range(8):
        graph = random_graph(seed, size=60)
        positions = layered_layout(graph)
        assert set(positions) == set(graph.nodes)
        for edge in graph.edges.values():
            assert positions[edge.target][0] > positions[edge.source][0], edge


def test_parallel_branches_get_distinct_rows_in_one_column(registry):
    b = seed_program(registry)
    positions = layered_layout(b.graph, origin=(100.0, 50.0))
    by_name = {b.graph.nodes[n].name: p for n, p in positions.items()}
    assert by_name["inputs"][0] == 100.0
    assert by_name["branch_1"][0] == by_name["branch_2"][0] == 100.0 + COLUMN_GAP
    assert by_name["output_1"][0] == by_name["output_2"][0] == 100.0 + 2 * COLUMN_GAP
    assert abs(by_name["branch_1"][1] - by_name["branch_2"][1]) == ROW_GAP
    # Each branch stays on the row of its own output (edges run straight).
    assert by_name["branch_1"][1] == by_name["output_1"][1]
    assert by_name["branch_2"][1] == by_name["output_2"][1]
    # The single input sits centred between the two rows.
    assert by_name["inputs"][1] == (by_name["branch_1"][1] + by_name["branch_2"][1]) / 2


def test_no_two_nodes_share_a_place():
    graph = random_graph(3, size=120)
    positions = layered_layout(graph)
    assert len(set(positions.values())) == len(positions)


def test_cycles_are_laid_out_too(registry):
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    for name in ("a", "b", "c"):
        b.add("Or", name)
    b.chain("inputs", "a", "b", "c", "a")
    b.connect("c", "c")
    positions = layered_layout(b.graph)
    assert set(positions) == set(b.graph.nodes)
    assert (
        positions[b.id("inputs")][0]
        < positions[b.id("a")][0]
        < positions[b.id("b")][0]
        < positions[b.id("c")][0]
    )


def test_a_subset_is_laid_out_alone(registry):
    b = seed_program(registry)
    chosen = [b.id("branch_1"), b.id("output_1"), "not-a-node"]
    positions = layered_layout(b.graph, chosen, origin=(7.0, 9.0))
    assert set(positions) == {b.id("branch_1"), b.id("output_1")}
    assert positions[b.id("branch_1")] == (7.0, 9.0)
    assert positions[b.id("output_1")] == (7.0 + COLUMN_GAP, 9.0)


def test_layout_is_deterministic():
    graph = random_graph(5, size=80)
    assert layered_layout(graph) == layered_layout(graph)
    assert layered_layout(random_graph(5, size=0)) == layered_layout(random_graph(5, size=0))
