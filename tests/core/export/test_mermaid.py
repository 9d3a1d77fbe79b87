"""Mermaid text: one line per node (name and type), one per edge, Branch labels on edges."""

from __future__ import annotations

from core.export import export_mermaid
from core.model.graph import Node
from tests.core.export import cases


def test_parallel_branches_as_mermaid(registry):
    text = export_mermaid(cases.saved_graph("parallel_branches", registry), registry)
    assert text == (
        "graph LR\n"
        '    inputs(["inputs<br/><i>Input</i>"])\n'
        '    branch_1["branch_1<br/><i>Generator</i>"]\n'
        '    branch_2["branch_2<br/><i>Generator</i>"]\n'
        '    output_1[/"output_1<br/><i>Output</i>"/]\n'
        '    output_2[/"output_2<br/><i>Output</i>"/]\n'
        "    inputs --> branch_1\n"
        "    inputs --> branch_2\n"
        "    branch_1 --> output_1\n"
        "    branch_2 --> output_2\n"
    )


def test_branch_edges_carry_their_labels(registry):
    text = export_mermaid(cases.saved_graph("conditional_branches", registry), registry)
    assert '    route{"route<br/><i>Branch</i>"}' in text
    assert '    route -->|"easy"| quick_answer' in text
    assert '    route -->|"difficult"| careful_answer' in text
    assert '    answer(("answer<br/><i>Or</i>"))' in text


def test_labels_cannot_break_the_diagram(registry, tmp_path):
    graph = cases.hostile_graph(tmp_path / "s")
    text = export_mermaid(graph, registry)
    edge_lines = [line for line in text.splitlines() if "-->|" in line]
    assert len(edge_lines) == 3
    for line in edge_lines:
        label = line.split('-->|"', 1)[1].rsplit('"|', 1)[0]
        assert not any(c in label for c in '"|[](){}<>\n\r`')
    assert "#34;" in text  # the quote, as an entity
    assert len(text.splitlines()) == 1 + len(graph.nodes) + len(graph.edges)


def test_names_mermaid_reserves_get_other_ids(registry):
    graph = cases.saved_graph("chain_of_thought", registry)
    graph.add_node(Node("x", "Output", "end", {"order": 5}))
    text = export_mermaid(graph, registry)
    assert '    n3[/"end<br/><i>Output</i>"/]' in text
