"""Graphs with subgraphs for tests: three levels of nesting and a definition
used twice, built through the public model API.

``nested_review()`` is the document::

    query ─┬─> review (uses "review") ──> review_out
           └─> quick  (uses "summarise_and_critique") ─┬─> quick_summary
                                                        └─> quick_critique
    review:                 topic -> first (uses "summarise_and_critique") -> both (Concat) -> out
    summarise_and_critique: text -> summary -> check (uses "critique"); outputs summary, critique
    critique:               draft -> critic -> critique

so "summarise_and_critique" is used twice (by the document and inside "review") and
"critique" sits three levels down.
"""

from __future__ import annotations

from typing import Any

from core.model.graph import Edge, Graph, GraphMeta, Node
from core.model.subgraphs import interface
from core.registry import Registry, default_registry
from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY


class Builder:
    """Add nodes by name to one graph (the document or a definition)."""

    def __init__(self, graph: Graph, registry: Registry) -> None:
        self.graph = graph
        self.registry = registry
        self._count = 0

    def add(self, type_name: str, name: str, **params: Any) -> str:
        defaults = self.registry.get(type_name).default_params()
        self._count += 1
        node_id = f"{self._prefix()}{name}"
        self.graph.add_node(
            Node(node_id, type_name, name, {**defaults, **params}, (self._count * 220.0, 0.0))
        )
        return node_id

    def use(self, definition: Graph, name: str) -> str:
        """A Subgraph node using ``definition``."""
        self._count += 1
        node_id = f"{self._prefix()}{name}"
        self.graph.add_node(
            Node(
                node_id,
                "Subgraph",
                name,
                {"definition": definition.definition_id, **interface(definition)},
                (self._count * 220.0, 0.0),
            )
        )
        return node_id

    def connect(
        self, source: str, target: str, source_port: str = "output", target_port: str = "inputs"
    ) -> str:
        self._count += 1
        edge_id = f"{self._prefix()}e{self._count}"
        self.graph.add_edge(
            Edge(edge_id, self.id(source), source_port, self.id(target), target_port)
        )
        return edge_id

    def id(self, name: str) -> str:
        if name in self.graph.nodes:
            return name
        node = self.graph.node_by_name(name)
        if node is None:
            raise KeyError(name)
        return node.id

    def port(self, use: str, inner_name: str, side: str = "outputs") -> str:
        """The port of Subgraph node ``use`` for the inner node named ``inner_name``."""
        node = self.graph.nodes[self.id(use)]
        return next(p["id"] for p in node.params[side] if p["name"] == inner_name)

    def _prefix(self) -> str:
        return f"{self.graph.definition_id[:6]}_" if self.graph.is_definition else ""


def definition(root: Graph, registry: Registry, name: str) -> Builder:
    """A new definition in ``root`` (added to its table) and a builder for it."""
    inner = root.new_definition(name, f"The {name} subgraph.", definition_id=f"def_{name}")
    root.add_subgraph(inner)
    return Builder(inner, registry)


def nested_review(registry: Registry | None = None) -> tuple[Graph, dict[str, Builder]]:
    """The three-level document above, and a builder per graph (``root``,
    ``review``, ``summarise_and_critique``, ``critique``)."""
    registry = registry or default_registry()
    root = Graph(GraphMeta(name="nested_review", example_input={"query": "Why is the sky blue?"}))
    for spec in (QUERY, ANSWER, ANSWER_WITH_THINKING):
        root.set_data_model(spec)

    critique = definition(root, registry, "critique")
    critique.add("Input", "draft", data_model="Answer")
    critique.add("Generator", "critic", data_model="Answer", instructions="Criticise the draft.")
    critique.add("Output", "critique_out", order=0)
    critique.connect("draft", "critic")
    critique.connect("critic", "critique_out")

    sc = definition(root, registry, "summarise_and_critique")
    sc.add("Input", "text", data_model="Query")
    sc.add("Generator", "summary", data_model="Answer", instructions="Summarise the text.")
    sc.use(critique.graph, "check")
    sc.add("Output", "summary_out", order=0)
    sc.add("Output", "critique_out", order=1)
    sc.connect("text", "summary")
    sc.connect("summary", "check", target_port=sc.port("check", "draft", "inputs"))
    sc.connect("summary", "summary_out")
    sc.connect("check", "critique_out", source_port=sc.port("check", "critique_out"))

    review = definition(root, registry, "review")
    review.add("Input", "topic", data_model="Query")
    review.use(sc.graph, "first")
    review.add("Concat", "both")
    review.add("Output", "out", order=0)
    review.connect("topic", "first", target_port=review.port("first", "text", "inputs"))
    review.connect("first", "both", source_port=review.port("first", "summary_out"))
    review.connect("first", "both", source_port=review.port("first", "critique_out"))
    review.connect("both", "out")

    top = Builder(root, registry)
    top.add("Input", "query", data_model="Query")
    top.use(review.graph, "review")
    top.use(sc.graph, "quick")
    top.add("Output", "review_out", order=0)
    top.add("Output", "quick_summary", order=1)
    top.add("Output", "quick_critique", order=2)
    top.connect("query", "review", target_port=top.port("review", "topic", "inputs"))
    top.connect("query", "quick", target_port=top.port("quick", "text", "inputs"))
    top.connect("review", "review_out", source_port=top.port("review", "out"))
    top.connect("quick", "quick_summary", source_port=top.port("quick", "summary_out"))
    top.connect("quick", "quick_critique", source_port=top.port("quick", "critique_out"))
    builders = {
        "root": top,
        "review": review,
        "summarise_and_critique": sc,
        "critique": critique,
    }
    return root, builders
