"""Generated programs validate clean; mangled ones give diagnostics, never an exception."""

from __future__ import annotations

import random

import pytest

from core.commands import RemoveNodes
from core.diagnostics import Diagnostic
from core.model import Edge
from core.schemas.flow import analyse
from core.validation import validate
from tests.core.graph_factory import random_graph

KNOWN_CODES = {
    "invalid_name",
    "duplicate_name",
    "unknown_node_type",
    "invalid_params",
    "unknown_data_model",
    "missing_data_model",
    "missing_labels",
    "single_label",
    "duplicate_labels",
    "missing_question",
    "unconnected_input",
    "too_many_inputs",
    "merge_single_input",
    "empty_data_model",
    "concat_may_get_none",
    "dangling_edge",
    "unknown_port",
    "branch_port_fanout",
    "branch_port_target",
    "branch_feeds_branch",
    "cycle",
    "no_input",
    "no_output",
    "duplicate_output_order",
    "unreachable",
    "unused_result",
    "sampling_cached",
}
GARBAGE = [None, 5, -1, 2.5, "", "x", "Nope", [], ["a"], ["a", "a"], {"k": 1}, True]


@pytest.mark.parametrize("seed", range(30))
def test_generated_graphs_have_no_diagnostics(seed, registry):
    graph = random_graph(seed, size=24 + 4 * seed)
    # Sampling temperatures are only flagged (a cached re-run replays one sample).
    assert [d for d in validate(graph, registry) if d.code != "sampling_cached"] == []


def _mangle(graph, rng: random.Random) -> None:
    ids = list(graph.nodes)
    for _ in range(rng.randint(1, 6)):
        action = rng.randrange(7)
        if action == 0 and graph.edges:
            graph.remove_edge(rng.choice(list(graph.edges)))
        elif action == 1 and len(graph.nodes) > 1:
            RemoveNodes([rng.choice(list(graph.nodes))]).redo(graph)
        elif action == 2 and graph.nodes:
            node_id = rng.choice(list(graph.nodes))
            key = rng.choice(["data_model", "labels", "question", "order", "temperature", "x"])
            graph.set_params(node_id, {key: rng.choice(GARBAGE)})
        elif action == 3 and graph.nodes:
            graph.nodes[rng.choice(list(graph.nodes))].type = rng.choice(
                ["Nope", "Branch", "Input", "Concat"]
            )
        elif action == 4 and graph.nodes:
            source, target = rng.choice(list(graph.nodes)), rng.choice(list(graph.nodes))
            port = rng.choice(["output", "branch_0", "branch_7", "inputs", "weird"])
            graph.add_edge(
                Edge(f"fuzz{rng.random()}", source, port, target, rng.choice(["inputs", "weird"]))
            )
        elif action == 5 and graph.nodes:
            graph.rename_node(
                rng.choice(list(graph.nodes)), rng.choice(["", "1x", "class", "dup", "dup"])
            )
        elif action == 6 and graph.data_models:
            graph.remove_data_model(rng.choice(list(graph.data_models)))
    assert set(ids) >= set(graph.nodes)


@pytest.mark.parametrize("seed", range(60))
def test_mangled_graphs_give_diagnostics_never_exceptions(seed, registry):
    rng = random.Random(seed)
    graph = random_graph(seed % 7, size=24)
    _mangle(graph, rng)
    found = validate(graph, registry)
    assert all(isinstance(d, Diagnostic) for d in found)
    assert {d.code for d in found} <= KNOWN_CODES
    for d in found:
        assert d.node_id is None or d.node_id in graph.nodes
        assert d.message and d.severity in ("error", "warning")
        if d.node_id is not None and d.code not in ("invalid_name",):
            assert graph.nodes[d.node_id].name in d.message, d
    flow = analyse(graph, registry)
    assert len(flow.order) == len(set(flow.order))
    on_cycles = {n for cycle in flow.cycles for n in cycle}
    assert not on_cycles & set(flow.order)
    assert set(flow.order) | on_cycles <= set(graph.nodes)
