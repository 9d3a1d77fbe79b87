"""save -> load -> save gives identical bytes: shipped graphs and generated ones."""

from __future__ import annotations

import json

import pytest

from core.files import dumps_graph, load_graph, loads_graph, save_graph
from tests.core.graph_factory import ALL_TYPES, node_types_in, random_graph


def _saved_graphs(repo_root):
    return sorted((repo_root / "saved_graphs").glob("*.json"))


def test_there_are_saved_graphs(repo_root):
    names = {p.name for p in _saved_graphs(repo_root)}
    assert {
        "parallel_branches.json",
        "fork_merge.json",
        "conditional_branches.json",
        "chain_of_thought.json",
    } <= names


def test_every_saved_graph_round_trips_byte_for_byte(repo_root, registry, tmp_path):
    for path in _saved_graphs(repo_root):
        original = path.read_bytes()
        graph = load_graph(path, registry)
        copy = tmp_path / path.name
        save_graph(graph, copy)
        assert copy.read_bytes() == original, f"{path.name} changes when saved again"
        assert dumps_graph(load_graph(copy, registry)).encode() == original


@pytest.mark.parametrize("seed", range(25))
def test_generated_graphs_round_trip_byte_for_byte(seed, registry, tmp_path):
    graph = random_graph(seed, size=30 + seed * 3)
    first = tmp_path / "first.json"
    second = tmp_path / "second.json"
    save_graph(graph, first)
    save_graph(load_graph(first, registry), second)
    assert first.read_bytes() == second.read_bytes()


def test_generated_graphs_keep_everything_they_hold(registry):
    graph = random_graph(7, size=60)
    assert set(ALL_TYPES) <= node_types_in(graph)
    again = loads_graph(dumps_graph(graph), registry)
    assert again.meta == graph.meta
    assert again.data_models == graph.data_models
    assert list(again.data_models) == list(graph.data_models)
    assert again.nodes == graph.nodes  # ids, types, names, params, positions, order
    assert list(again.nodes) == list(graph.nodes)
    assert again.edges == graph.edges
    assert list(again.edges) == list(graph.edges)  # merge input order included


def test_positions_are_stored_rounded_to_a_tenth(registry):
    graph = random_graph(3, size=24)
    node_id = next(iter(graph.nodes))
    graph.move_node(node_id, (12.345, -0.06))
    again = loads_graph(dumps_graph(graph), registry)
    assert again.nodes[node_id].position == (12.3, -0.1)


def test_loading_fills_parameter_defaults_so_the_next_save_is_stable(registry):
    document = json.loads(dumps_graph(random_graph(1, size=24)))
    for node in document["nodes"]:
        if node["type"] == "Generator":
            node["params"] = {"data_model": node["params"]["data_model"]}
            trimmed = node["id"]
            break
    graph = loads_graph(json.dumps(document), registry)
    assert graph.nodes[trimmed].params == {
        "data_model": graph.nodes[trimmed].params["data_model"],
        "instructions": "",
        "language_model": "",
        "temperature": None,
    }
    text = dumps_graph(graph)
    assert dumps_graph(loads_graph(text, registry)) == text


def test_invalid_parameters_are_kept_as_written_for_the_user_to_fix(registry):
    document = json.loads(dumps_graph(random_graph(2, size=24)))
    node = next(n for n in document["nodes"] if n["type"] == "Generator")
    node["params"]["temperature"] = 9.5  # above the allowed 2.0
    graph = loads_graph(json.dumps(document), registry)
    assert graph.nodes[node["id"]].params["temperature"] == 9.5
    assert json.loads(dumps_graph(graph)) == document
