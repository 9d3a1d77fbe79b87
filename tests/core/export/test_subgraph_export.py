"""Subgraphs export as nested synalinks.Program objects, built once per
definition, and import back into definitions: export -> import -> export is
byte-identical and the imported graph computes the same outputs."""

from __future__ import annotations

import asyncio
import re
from pathlib import Path

import pytest

from core.engine import Engine, OfflineModelClient
from core.export import export_python
from core.export.errors import ExportError
from core.files import load_graph
from core.importer import import_python
from core.model.subgraphs import uses_of
from core.validation import validate
from tests.core.subgraph_graphs import nested_review

ROOT = Path(__file__).resolve().parents[3]


def outputs(graph, registry) -> tuple:
    engine = Engine(registry, model_client=OfflineModelClient())
    record = asyncio.run(engine.run(graph, None))
    assert record.status == "succeeded"
    return record.outputs


def test_each_definition_is_built_once_and_called_by_each_use(registry):
    root, _ = nested_review(registry)
    script = export_python(root, registry)
    assert script.count("synalinks.Program(") == 4  # three definitions and the program
    # Innermost first, each a variable of its own, each called where it is used.
    assert [m.group(1) for m in re.finditer(r"(\w+)_program = synalinks.Program", script)] == [
        "critique",
        "summarise_and_critique",
        "review",
    ]
    assert "    check = await critique_program(summary)\n" in script
    assert "    first = await summarise_and_critique_program(topic)\n" in script
    assert "    quick = await summarise_and_critique_program(query)\n" in script
    # A use's value is a list, one entry per Output of its subgraph.
    assert "([first[0], first[1]])" in script
    assert "            quick[0],\n            quick[1],\n" in script
    compile(script, "nested_review.py", "exec")


def test_export_import_export_is_byte_identical_and_keeps_the_subgraphs(registry):
    root, _ = nested_review(registry)
    script = export_python(root, registry)
    result = import_python(script, registry, "nested_review.py")
    assert result.warnings == []
    graph = result.graph
    assert export_python(graph, registry) == script
    assert validate(graph, registry) == []
    assert [d.definition_name for d in graph.subgraphs.values()] == [
        "review",
        "summarise_and_critique",
        "critique",
    ]
    by_name = {d.definition_name: d for d in graph.subgraphs.values()}
    assert [n.name for _, n in uses_of(graph, by_name["summarise_and_critique"].definition_id)] == [
        "quick",
        "first",
    ]
    assert by_name["critique"].definition_description == "The critique subgraph."
    assert result.programs == ["nested_review"]  # the called programs are not programs of their own
    assert outputs(graph, registry) == outputs(root, registry)


def test_the_saved_example_round_trips(registry):
    graph = load_graph(ROOT / "saved_graphs" / "subgraph_reuse.json", registry)
    script = export_python(graph, registry)
    assert script.count("summarise_and_critique_program(") == 2
    result = import_python(script, registry, "subgraph_reuse.py")
    assert result.warnings == []
    assert export_python(result.graph, registry) == script
    assert outputs(result.graph, registry) == outputs(graph, registry)


def test_a_definition_with_a_problem_is_not_exported(registry):
    root, b = nested_review(registry)
    critique = b["critique"].graph
    critique.set_params(critique.node_by_name("critic").id, {"data_model": "Nope"})
    with pytest.raises(ExportError, match="in subgraph critique: critic: data model 'Nope'"):
        export_python(root, registry)
