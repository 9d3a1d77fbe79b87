"""Graph: the only way to change the document, with exact indexes and change notices."""

from __future__ import annotations

import math

import pytest

from core.model import MISSING, Edge, Graph, GraphError, GraphMeta, Node, new_id
from core.model import changes as ch
from tests.core.builders import ANSWER, QUERY


def _graph_with(*names: str) -> Graph:
    graph = Graph()
    for name in names:
        graph.add_node(Node(name, "Generator", name))
    return graph


def _edge(edge_id: str, source: str, target: str, port: str = "inputs") -> Edge:
    return Edge(edge_id, source, "output", target, port)


@pytest.fixture
def heard():
    return []


def test_new_ids_are_unique_uuid_hex():
    ids = {new_id() for _ in range(1000)}
    assert len(ids) == 1000
    assert all(len(i) == 32 and int(i, 16) >= 0 for i in ids)


def test_add_node_at_index_and_remove_returns_former_index():
    graph = _graph_with("a", "b", "c")
    graph.add_node(Node("x", "Generator", "x"), index=1)
    assert list(graph.nodes) == ["a", "x", "b", "c"]
    node, index = graph.remove_node("x")
    assert (node.id, index) == ("x", 1)
    assert list(graph.nodes) == ["a", "b", "c"]


def test_add_node_twice_is_refused():
    graph = _graph_with("a")
    with pytest.raises(GraphError, match="already exists"):
        graph.add_node(Node("a", "Generator", "other"))


def test_remove_node_with_edges_is_refused_and_changes_nothing():
    graph = _graph_with("a", "b")
    graph.add_edge(_edge("e", "a", "b"))
    with pytest.raises(GraphError, match="remove the edges of 'a'"):
        graph.remove_node("a")
    assert list(graph.nodes) == ["a", "b"] and list(graph.edges) == ["e"]


def test_unknown_node_is_a_graph_error_naming_the_id():
    with pytest.raises(GraphError, match="'nope'"):
        Graph().node("nope")


def test_edges_must_join_existing_nodes():
    graph = _graph_with("a")
    with pytest.raises(GraphError, match="missing node 'b'"):
        graph.add_edge(_edge("e", "a", "b"))
    assert not graph.edges


def test_incoming_and_outgoing_follow_graph_order_and_ports():
    graph = _graph_with("a", "b", "m")
    graph.add_edge(_edge("e2", "b", "m"))
    graph.add_edge(_edge("e1", "a", "m"))
    graph.add_edge(Edge("e3", "a", "output", "b", "other"))
    assert [e.id for e in graph.incoming("m")] == ["e2", "e1"]
    assert [e.id for e in graph.outgoing("a")] == ["e1", "e3"]
    assert [e.id for e in graph.incoming("b", "other")] == ["e3"]
    assert graph.incoming("b", "inputs") == []
    graph.remove_edge("e2")
    assert [e.id for e in graph.incoming("m")] == ["e1"]  # the cache follows edits


def test_find_edge_and_edges_of():
    graph = _graph_with("a", "b", "c")
    graph.add_edge(_edge("ab", "a", "b"))
    graph.add_edge(_edge("bc", "b", "c"))
    assert graph.find_edge("a", "output", "b", "inputs").id == "ab"
    assert graph.find_edge("a", "output", "c", "inputs") is None
    assert [e.id for e in graph.edges_of(["b"])] == ["ab", "bc"]


def test_names_index_tracks_renames_and_duplicates():
    graph = _graph_with("a", "b")
    graph.add_node(Node("c", "Generator", "a"))  # a file may repeat a name
    assert graph.name_taken("a") and graph.name_taken("a", ignore="c")
    assert graph.node_by_name("a").id == "a"
    graph.rename_node("a", "first")
    assert graph.node_by_name("a").id == "c"
    assert not graph.name_taken("a", ignore="c")
    assert sorted(graph.iter_names()) == ["a", "b", "first"]
    graph.remove_node("c")
    assert graph.node_by_name("a") is None


def test_notices_name_what_changed(heard):
    graph = _graph_with("a", "b")
    graph.subscribe(heard.append)
    graph.move_node("a", (1, 2))
    graph.rename_node("a", "alpha")
    graph.rename_node("a", "alpha")  # no change, no notice
    graph.set_params("a", {"instructions": "x"})
    graph.add_edge(_edge("e", "a", "b"))
    graph.remove_edge("e")
    graph.set_data_model(QUERY)
    graph.rename_data_model("Query", "Question")
    graph.set_meta(name="demo")
    graph.remove_node("b")
    assert heard == [
        ch.NodeMoved("a"),
        ch.NodeRenamed("a", "a"),
        ch.NodeParamsChanged("a", ("instructions",)),
        ch.EdgeAdded("e"),
        ch.EdgeRemoved("e", "a", "b"),
        ch.DataModelChanged("Query"),
        ch.DataModelChanged("Question", old_name="Query"),
        ch.MetaChanged(("name",)),
        ch.NodeRemoved("b"),
    ]
    graph.unsubscribe(heard.append)
    graph.move_node("a", (0, 0))
    assert len(heard) == 9


def test_move_node_stores_floats_and_refuses_non_finite_points():
    graph = _graph_with("a")
    graph.move_node("a", (3, 4))
    assert graph.node("a").position == (3.0, 4.0)
    for bad in ((math.nan, 0), (0, math.inf), (-math.inf, 1)):
        with pytest.raises(GraphError, match="not a finite point"):
            graph.move_node("a", bad)
    assert graph.node("a").position == (3.0, 4.0)


def test_set_params_returns_previous_values_with_missing_marker():
    graph = _graph_with("a")
    graph.node("a").params.update({"keep": 1, "change": "old"})
    previous = graph.set_params("a", {"change": "new", "added": [1, {"x": 2}]})
    assert previous == {"change": "old", "added": MISSING}
    assert graph.node("a").params == {"keep": 1, "change": "new", "added": [1, {"x": 2}]}
    graph.set_params("a", previous)  # MISSING deletes the key again
    assert graph.node("a").params == {"keep": 1, "change": "old"}


def test_set_params_copies_values_so_callers_cannot_alias_them():
    graph = _graph_with("a")
    labels = ["x", "y"]
    graph.set_params("a", {"labels": labels})
    labels.append("z")
    assert graph.node("a").params["labels"] == ["x", "y"]


def test_reorder_edges_keeps_slots_and_returns_previous_order():
    graph = _graph_with("a", "b", "c", "m", "z")
    graph.add_edge(_edge("ea", "a", "m"))
    graph.add_edge(_edge("other", "a", "z"))
    graph.add_edge(_edge("eb", "b", "m"))
    graph.add_edge(_edge("ec", "c", "m"))
    previous = graph.reorder_edges(["ec", "ea", "eb"])
    assert previous == ["ea", "eb", "ec"]
    assert list(graph.edges) == ["ec", "other", "ea", "eb"]
    assert [e.source for e in graph.incoming("m")] == ["c", "a", "b"]
    graph.reorder_edges(previous)
    assert list(graph.edges) == ["ea", "other", "eb", "ec"]


def test_reorder_edges_into_several_nodes_is_refused():
    graph = _graph_with("a", "b", "c")
    graph.add_edge(_edge("ab", "a", "b"))
    graph.add_edge(_edge("ac", "a", "c"))
    with pytest.raises(GraphError, match="one node"):
        graph.reorder_edges(["ab", "ac"])
    assert graph.reorder_edges([]) == []


def test_bulk_remove_and_restore_edges_restore_exact_order(heard):
    graph = _graph_with("a", "b", "c", "m")
    for i, source in enumerate("abcab"):
        graph.add_edge(_edge(f"e{i}", source, "m"))
    before = list(graph.edges)
    graph.subscribe(heard.append)
    removed = graph.remove_edges(["e3", "e0", "e3", "e1"])
    assert [(e.id, i) for e, i in removed] == [("e0", 0), ("e1", 1), ("e3", 3)]
    assert list(graph.edges) == ["e2", "e4"]
    assert [type(n) for n in heard] == [ch.EdgeRemoved] * 3
    graph.restore_edges(list(reversed(removed)))  # any order: indexes decide
    assert list(graph.edges) == before
    assert [e.id for e in graph.incoming("m")] == before


def test_bulk_remove_edges_refuses_unknown_ids_without_changing_anything():
    graph = _graph_with("a", "b")
    graph.add_edge(_edge("e", "a", "b"))
    with pytest.raises(GraphError, match="'missing'"):
        graph.remove_edges(["e", "missing"])
    assert list(graph.edges) == ["e"]


def test_bulk_remove_and_restore_nodes():
    graph = _graph_with("a", "b", "c", "d")
    removed = graph.remove_nodes(["d", "b"])
    assert [(n.id, i) for n, i in removed] == [("b", 1), ("d", 3)]
    assert list(graph.nodes) == ["a", "c"] and not graph.name_taken("b")
    graph.restore_nodes(removed)
    assert list(graph.nodes) == ["a", "b", "c", "d"] and graph.name_taken("b")


def test_bulk_remove_nodes_with_edges_is_refused_whole():
    graph = _graph_with("a", "b", "c")
    graph.add_edge(_edge("e", "b", "c"))
    with pytest.raises(GraphError, match="'b'"):
        graph.remove_nodes(["a", "b"])
    assert list(graph.nodes) == ["a", "b", "c"]


def test_replace_edge_keeps_its_slot(heard):
    graph = _graph_with("a", "b", "c")
    graph.add_edge(_edge("e1", "a", "c"))
    graph.add_edge(_edge("e2", "b", "c"))
    graph.subscribe(heard.append)
    old = graph.replace_edge(Edge("e1", "a", "branch_1", "c", "inputs"))
    assert old.source_port == "output"
    assert list(graph.edges) == ["e1", "e2"]
    assert graph.outgoing("a", "branch_1")[0].id == "e1"
    assert heard == [ch.EdgeRemoved("e1", "a", "c"), ch.EdgeAdded("e1")]
    with pytest.raises(GraphError):
        graph.replace_edge(Edge("nope", "a", "output", "c", "inputs"))


def test_data_models_keep_their_place_when_replaced_renamed_or_restored():
    graph = Graph()
    graph.set_data_model(QUERY)
    graph.set_data_model(ANSWER)
    edited = ANSWER.model_copy(update={"description": "changed"})
    graph.set_data_model(edited)
    assert list(graph.data_models) == ["Query", "Answer"]
    assert graph.data_models["Answer"].description == "changed"
    graph.rename_data_model("Query", "Question")
    assert list(graph.data_models) == ["Question", "Answer"]
    assert graph.data_models["Question"].name == "Question"
    spec, index = graph.remove_data_model("Question")
    assert index == 0
    graph.set_data_model(spec, index)
    assert list(graph.data_models) == ["Question", "Answer"]


def test_rename_data_model_refuses_clashes_and_unknown_names():
    graph = Graph()
    graph.set_data_model(QUERY)
    graph.set_data_model(ANSWER)
    with pytest.raises(GraphError, match="already exists"):
        graph.rename_data_model("Query", "Answer")
    with pytest.raises(GraphError, match="no data model named 'Nope'"):
        graph.rename_data_model("Nope", "Other")
    graph.rename_data_model("Query", "Query")  # a no-op, not an error
    assert list(graph.data_models) == ["Query", "Answer"]


def test_set_meta_validates_and_returns_previous_values():
    graph = Graph()
    assert graph.meta == GraphMeta()
    assert graph.meta.default_model == "offline"
    previous = graph.set_meta(name="demo", example_input={"query": "hi"})
    assert previous == {"name": "untitled", "example_input": {}}
    assert graph.meta.name == "demo" and graph.meta.example_input == {"query": "hi"}
    with pytest.raises(GraphError, match="unknown graph setting unknown_key"):
        graph.set_meta(unknown_key=1)
    with pytest.raises(ValueError):
        graph.set_meta(name=["not", "text"])
    assert graph.meta.name == "demo"


def test_node_copy_is_deep_for_params():
    node = Node("a", "Decision", "a", {"labels": ["x"], "nested": {"k": [1]}})
    twin = node.copy()
    twin.params["labels"].append("y")
    twin.params["nested"]["k"].append(2)
    assert node.params == {"labels": ["x"], "nested": {"k": [1]}}
    assert twin == Node("a", "Decision", "a", {"labels": ["x", "y"], "nested": {"k": [1, 2]}})


def test_adjacency_cache_stays_exact_through_any_edit_sequence():
    """incoming/outgoing are cached and patched in place; check them against the
    edge order after every kind of edit."""
    import random

    rng = random.Random(4)
    graph = _graph_with(*[f"n{i}" for i in range(8)])
    names = list(graph.nodes)

    def check():
        for node_id in graph.nodes:
            assert graph.incoming(node_id) == [
                e for e in graph.edges.values() if e.target == node_id
            ]
            assert graph.outgoing(node_id) == [
                e for e in graph.edges.values() if e.source == node_id
            ]

    count = 0
    for _ in range(400):
        action = rng.randrange(6)
        edges = list(graph.edges)
        if action <= 1 or not edges:
            count += 1
            index = rng.choice([None, 0, len(edges) // 2, len(edges) + 3])
            graph.add_edge(_edge(f"e{count}", rng.choice(names), rng.choice(names)), index)
        elif action == 2:
            graph.remove_edge(rng.choice(edges))
        elif action == 3:
            old = graph.edges[rng.choice(edges)]
            source = old.source if rng.random() < 0.5 else rng.choice(names)
            graph.replace_edge(Edge(old.id, source, "other", old.target, old.target_port))
        elif action == 4:
            target = graph.edges[rng.choice(edges)].target
            into = [e.id for e in graph.incoming(target)]
            rng.shuffle(into)
            graph.reorder_edges(into)
        else:
            removed = graph.remove_edges(rng.sample(edges, min(3, len(edges))))
            if rng.random() < 0.5:
                graph.restore_edges(removed)
        check()
