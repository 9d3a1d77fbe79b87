"""Small hand-built graphs for tests: name nodes, wire them, read back by name.

``GraphBuilder`` goes through the same public :class:`~core.model.graph.Graph`
methods as the commands, with each node type's default parameters filled in,
so a test states only what matters to it.
"""

from __future__ import annotations

from typing import Any

from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, Node
from core.registry import Registry, default_registry

QUERY = DataModelSpec(
    name="Query",
    description="The input query to analyze.",
    fields=(FieldSpec(name="query", description="The user query"),),
)
ANSWER_WITH_THINKING = DataModelSpec(
    name="AnswerWithThinking",
    description="An answer with step-by-step reasoning.",
    fields=(
        FieldSpec(name="thinking", description="Your step by step thinking"),
        FieldSpec(name="answer", description="The correct answer"),
    ),
)
ANSWER = DataModelSpec(
    name="Answer",
    description="A direct answer.",
    fields=(FieldSpec(name="answer", description="The correct answer"),),
)


class GraphBuilder:
    """Build a graph by node name: ``b.add("Generator", "gen", data_model="Answer")``."""

    def __init__(self, registry: Registry | None = None, *models: DataModelSpec) -> None:
        self.registry = registry or default_registry()
        self.graph = Graph()
        self._count = 0
        for spec in models or (QUERY, ANSWER, ANSWER_WITH_THINKING):
            self.graph.set_data_model(spec)

    def add(self, type_name: str, name: str, **params: Any) -> str:
        """Add a node with the type's defaults overridden by ``params``; return its id."""
        defaults = (
            self.registry.get(type_name).default_params() if type_name in self.registry else {}
        )
        self._count += 1
        node_id = f"n{self._count:04d}_{name}"[:64]
        self.graph.add_node(
            Node(node_id, type_name, name, {**defaults, **params}, (self._count * 10.0, 0.0))
        )
        return node_id

    def connect(
        self, source: str, target: str, source_port: str = "output", target_port: str = "inputs"
    ) -> str:
        """Wire two nodes given by id or name; return the edge id."""
        src, dst = self.id(source), self.id(target)
        self._count += 1
        edge_id = f"e{self._count:04d}"
        self.graph.add_edge(Edge(edge_id, src, source_port, dst, target_port))
        return edge_id

    def id(self, name_or_id: str) -> str:
        if name_or_id in self.graph.nodes:
            return name_or_id
        node = self.graph.node_by_name(name_or_id)
        if node is None:
            raise KeyError(name_or_id)
        return node.id

    def chain(self, *names: str) -> None:
        for a, b in zip(names, names[1:], strict=False):
            self.connect(a, b)


def seed_program(registry: Registry | None = None) -> GraphBuilder:
    """The lesson's program: Query -> branch_1, branch_2 -> two ordered outputs."""
    b = GraphBuilder(registry, QUERY, ANSWER_WITH_THINKING)
    b.add("Input", "inputs", data_model="Query")
    b.add("Generator", "branch_1", data_model="AnswerWithThinking")
    b.add("Generator", "branch_2", data_model="AnswerWithThinking")
    b.add("Output", "output_1", order=0)
    b.add("Output", "output_2", order=1)
    b.chain("inputs", "branch_1", "output_1")
    b.chain("inputs", "branch_2", "output_2")
    return b
