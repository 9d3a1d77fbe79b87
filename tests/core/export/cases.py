"""Graphs the export tests share: saved examples, generated graphs and hostile ones.

The hostile graphs put quotes, newlines, backslashes, triple quotes, control
and bidirectional characters and Python code into every string a graph holds,
and give nodes and data models the names the script itself uses. Each hostile
string tries to create ``sentinel`` if it were ever executed.
"""

from __future__ import annotations

from pathlib import Path

from core.files import load_graph
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, GraphMeta, Node
from core.nodes.language import branch_port
from core.registry import Registry
from tests.core.graph_factory import random_graph

REPO = Path(__file__).resolve().parents[3]
SAVED = ("parallel_branches", "conditional_branches", "fork_merge", "chain_of_thought")
GENERATED_SEEDS = (3, 4, 7, 12)


def saved_graph(name: str, registry: Registry) -> Graph:
    return load_graph(REPO / "saved_graphs" / f"{name}.json", registry)


def generated_graph(seed: int) -> Graph:
    """Odd seeds are large (every node type), even seeds small."""
    return random_graph(seed, 40 if seed % 2 else 12)


def hostile_strings(sentinel: Path) -> list[str]:
    path = str(sentinel)
    return [
        f'"); open({path!r}, "w").write("x"); ("',
        f"'); open({path!r}, 'w').write('x'); ('",
        f'"""\nopen({path!r}, "w").write("x")\n"""',
        f"'''\nopen({path!r}, 'w')\n'''",
        f"\\\"); __import__('os').system('touch {path}') #",
        "trailing backslash \\",
        "line one\nline two\r\nline three\ttabbed",
        "nul \x00 bell \x07 escape \x1b",
        "bidi \u202e override \u2066 isolate \u2028 line separator",
        f"{{__import__('pathlib').Path({path!r}).write_text('x')}}",
        "  leading and trailing spaces  ",
        "Réponds en français ✓ 🚀",
    ]


def hostile_graph(sentinel: Path) -> Graph:
    """Every string slot filled with something hostile; names that clash with the script's."""
    texts = hostile_strings(sentinel)
    question = DataModelSpec(
        name="main",
        description=texts[2],
        fields=(
            FieldSpec(name="query", description=texts[0]),
            FieldSpec(name="context", description=texts[3], required=False),
        ),
    )
    answer = DataModelSpec(
        name="Literal",
        description=texts[10],
        fields=(
            FieldSpec(name="answer", description=texts[4]),
            FieldSpec(name="tone", type="enum", choices=(texts[1], texts[5], "plain")),
            FieldSpec(name="notes", is_list=True, description=texts[6]),
        ),
    )
    other = DataModelSpec(name="str", description=texts[7], fields=(FieldSpec(name="value"),))
    meta = GraphMeta(
        name=texts[8],
        description=texts[9],
        default_model="offline",
        example_input={"query": texts[0] + texts[2], "context": texts[3]},
    )
    graph = Graph(meta)
    for spec in (question, answer, other):
        graph.set_data_model(spec)
    labels = [texts[0], texts[6], texts[9]]

    def node(type_name: str, name: str, **params) -> Node:
        n = Node(f"id_{name}", type_name, name, params)
        graph.add_node(n)
        return n

    def edge(a: Node, b: Node, port: str = "output") -> None:
        graph.add_edge(Edge(f"e_{a.name}_{port}_{b.name}", a.id, port, b.id, "inputs"))

    inputs = node("Input", "synalinks", data_model="main")
    first = node(
        "Generator",
        "asyncio",
        data_model="Literal",
        instructions=texts[0] + texts[4],
        temperature=0.25,
    )
    thought = node(
        "ChainOfThought",
        "language_model",
        data_model="str",
        instructions=texts[2],
        language_model="offline/echo",
    )
    decide = node("Decision", "program", question=texts[3], labels=labels, instructions=texts[5])
    route = node(
        "Branch",
        "override",
        question=texts[1],
        labels=labels,
        instructions="",
        inject_decision=False,
        return_decision=True,
    )
    targets = [
        node("Generator", "json", data_model="Literal"),
        node("ChainOfThought", "build_program", data_model="str", instructions=texts[11]),
        node("Decision", "Literal_", question=texts[7], labels=["a", "b"]),
    ]
    either = node("Or", "show")
    joined = node("Concat", "print")
    outputs = [node("Output", f"output_{i + 1}", order=i) for i in range(4)]
    edge(inputs, first)
    edge(inputs, thought)
    edge(first, decide)
    edge(inputs, route)
    for index, target in enumerate(targets):
        edge(route, target, branch_port(index))
    for target in targets:
        edge(target, either)
    edge(first, joined)
    edge(thought, joined)
    edge(inputs, joined)
    edge(either, outputs[0])
    edge(joined, outputs[1])
    edge(decide, outputs[2])
    edge(thought, outputs[3])
    return graph


def two_input_graph() -> Graph:
    """Two program inputs, an Input merged before a module output (Synalinks' IndexError case)."""
    query = DataModelSpec(
        name="Query", fields=(FieldSpec(name="query", description="The question"),)
    )
    context = DataModelSpec(
        name="Context", fields=(FieldSpec(name="context", description="Background"),)
    )
    answer = DataModelSpec(
        name="Answer", fields=(FieldSpec(name="answer", description="The answer"),)
    )
    graph = Graph(
        GraphMeta(
            name="two_inputs",
            example_input={"question": {"query": "Why?"}, "background": {"context": "Because."}},
        )
    )
    for spec in (query, context, answer):
        graph.set_data_model(spec)
    nodes = [
        Node("q", "Input", "question", {"data_model": "Query"}),
        Node("c", "Input", "background", {"data_model": "Context"}),
        Node("g", "Generator", "draft", {"data_model": "Answer"}),
        Node("m", "Concat", "merged", {}),
        Node("o", "Output", "output_1", {"order": 0}),
    ]
    for n in nodes:
        graph.add_node(n)
    for i, (a, b) in enumerate((("q", "g"), ("c", "m"), ("g", "m"), ("m", "o"))):
        graph.add_edge(Edge(f"e{i}", a, "output", b, "inputs"))
    return graph


def nested_graph() -> Graph:
    """Data models holding data models (one, a list, an optional one) with defaults;
    ``Report`` comes before the ``Source`` it holds, and a Concat merges both."""
    from tests.core.nested_models import REPORT, SOURCE

    query = DataModelSpec(name="Query", fields=(FieldSpec(name="query", description="Topic"),))
    graph = Graph(GraphMeta(name="nested", example_input={"query": "tides"}))
    for spec in (REPORT, query, SOURCE):
        graph.set_data_model(spec)
    nodes = [
        Node("q", "Input", "query", {"data_model": "Query"}),
        Node("w", "Generator", "writer", {"data_model": "Report"}),
        Node("c", "ChainOfThought", "checker", {"data_model": "Source"}),
        Node("m", "Concat", "merged", {}),
        Node("o1", "Output", "report", {"order": 0}),
        Node("o2", "Output", "both", {"order": 1}),
    ]
    for n in nodes:
        graph.add_node(n)
    for i, (a, b, port) in enumerate(
        (("q", "w", "inputs"), ("q", "c", "inputs"), ("w", "m", "inputs"), ("c", "m", "inputs"))
    ):
        graph.add_edge(Edge(f"e{i}", a, "output", b, port))
    graph.add_edge(Edge("e8", "w", "output", "o1", "inputs"))
    graph.add_edge(Edge("e9", "m", "output", "o2", "inputs"))
    return graph
