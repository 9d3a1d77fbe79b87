"""What a card says when it cannot show a schema: the real cause, in a few words."""

from __future__ import annotations

from core.schemas.flow import analyse
from editor.canvas.card import card_content
from tests.core.builders import GraphBuilder


def _cycle_graph(registry) -> GraphBuilder:
    b = GraphBuilder(registry)
    b.add("Input", "inputs", data_model="Query")
    b.add("Generator", "thinker", data_model="AnswerWithThinking")
    b.add("Generator", "checker", data_model="Answer")
    b.add("Concat", "joined")
    b.add("Generator", "ghost", data_model="Missing")
    b.chain("inputs", "thinker", "checker", "thinker")
    b.connect("checker", "joined")
    b.connect("inputs", "ghost")
    return b


def _card(b: GraphBuilder, registry, name: str):
    graph = b.graph
    return card_content(graph, registry, graph.nodes[b.id(name)], analyse(graph, registry))


def test_a_node_on_a_cycle_says_so_instead_of_blaming_its_data_model(registry):
    b = _cycle_graph(registry)
    content = _card(b, registry, "thinker")
    assert content.empty == "in a cycle"
    assert "AnswerWithThinking" not in content.empty


def test_a_node_fed_by_a_cycle_says_the_cycle_is_upstream(registry):
    b = _cycle_graph(registry)
    assert _card(b, registry, "joined").empty == "after a cycle"


def test_a_data_model_that_really_is_missing_is_still_named(registry):
    b = _cycle_graph(registry)
    assert _card(b, registry, "ghost").empty == "no data model 'Missing'"
