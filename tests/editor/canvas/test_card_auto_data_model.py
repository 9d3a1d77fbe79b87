"""A card says when the editor, not the user, chose its node's data model."""

from __future__ import annotations

from core.commands import AddNode, SetParams
from core.commands.node_commands import make_node
from core.files import load_graph
from core.schemas.flow import analyse
from editor.canvas.card import card_content


def test_a_dropped_generator_says_its_data_model_was_chosen_until_changed(registry, seed_path):
    graph = load_graph(seed_path, registry)
    node = make_node(graph, registry, "Generator")
    AddNode(node).redo(graph)
    assert node.params["data_model"] == "AnswerWithThinking"  # the one no Input uses
    content = card_content(graph, registry, graph.nodes[node.id], analyse(graph, registry))
    assert content.note == "AnswerWithThinking chosen automatically; change it in the inspector"
    SetParams(node.id, {"data_model": "Query"}).redo(graph)
    content = card_content(graph, registry, graph.nodes[node.id], analyse(graph, registry))
    assert content.note == ""


def test_nodes_from_a_file_say_nothing(registry, seed_path):
    graph = load_graph(seed_path, registry)
    flow = analyse(graph, registry)
    assert all(card_content(graph, registry, n, flow).note == "" for n in graph.nodes.values())


def test_picking_the_same_data_model_makes_it_the_users_choice(registry, seed_path):
    graph = load_graph(seed_path, registry)
    node = make_node(graph, registry, "Generator")
    AddNode(node).redo(graph)
    SetParams(node.id, {"data_model": "AnswerWithThinking"}).redo(graph)
    content = card_content(graph, registry, graph.nodes[node.id], analyse(graph, registry))
    assert content.note == ""
