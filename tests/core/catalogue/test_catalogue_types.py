"""Every Synalinks module of the shipped catalogue is a node type that saves,
loads, validates and exports like the hand-written ones."""

from __future__ import annotations

import ast

import pytest

from core.catalogue.node_types import CatalogueModuleType
from core.catalogue.snapshot import CatalogueError, read_catalogue, shipped_catalogue
from core.engine import Engine, RunRefused
from core.export.python_script import export_python
from core.files.serialize import graph_from_document, graph_to_document
from core.registry import default_registry
from core.validation import validate
from tests.core.builders import GraphBuilder

REGISTRY = default_registry()
GENERATED = [t.type_name for t in REGISTRY if isinstance(t, CatalogueModuleType)]


def test_the_snapshot_describes_every_public_module_of_synalinks_0_10():
    version, modules = shipped_catalogue()
    assert version.startswith("0.10")
    names = {m.class_name for m in modules}
    assert len(names) == 58
    assert {"FunctionCallingAgent", "RetrieveKnowledge", "InMask", "SelfCritique", "Tool"} <= names
    groups = {m.group for m in modules}
    assert {"core", "merging", "masking", "ttc", "agents", "knowledge", "retrievers"} <= groups


def test_a_damaged_snapshot_is_one_clear_error(tmp_path):
    bad = tmp_path / "catalogue.json"
    bad.write_text('{"format": "synalinks-canvas-catalogue", "version": 1, "modules": [{"x": 1}]}')
    with pytest.raises(CatalogueError, match="bad entry"):
        read_catalogue(bad)
    bad.write_text('{"format": "synalinks-canvas-catalogue", "version": 9, "modules": []}')
    with pytest.raises(CatalogueError, match="version 9"):
        read_catalogue(bad)
    bad.write_text("[]")
    with pytest.raises(CatalogueError, match="not a Synalinks Canvas module catalogue"):
        read_catalogue(bad)


def graph_with(type_name: str, **params):
    b = GraphBuilder(REGISTRY)
    b.add("Input", "query", data_model="Query")
    node_type = REGISTRY.get(type_name)
    defaults = (
        {"data_model": "Answer"} if "data_model" in node_type.params_model.model_fields else {}
    )
    b.add(type_name, "module", **defaults, **params)
    b.add("Output", "out", order=0)
    if node_type.is_merge:
        b.add("Input", "other", data_model="Answer")
        b.connect("query", "module")
        b.connect("other", "module")
        b.connect("module", "out")
    else:
        b.chain("query", "module", "out")
    return b.graph


@pytest.mark.parametrize("type_name", GENERATED)
def test_every_generated_type_saves_and_loads_back_identically(type_name):
    node_type = REGISTRY.get(type_name)
    assert node_type.title and node_type.category.startswith("Synalinks: ")
    assert node_type.default_name.isidentifier() and node_type.builtin_runs is False
    graph = graph_with(type_name)
    document = graph_to_document(graph)
    again = graph_to_document(graph_from_document(document, REGISTRY))
    assert again == document


@pytest.mark.parametrize("type_name", GENERATED)
def test_every_generated_type_exports_or_says_what_it_needs(type_name):
    graph = graph_with(type_name)
    errors = [d for d in validate(graph, REGISTRY) if d.is_error]
    if errors:
        assert {d.code for d in errors} <= {"missing-resource", "missing-value"}, errors
        assert all(d.node_id == graph.node_by_name("module").id for d in errors)
        return
    source = export_python(graph, REGISTRY)
    ast.parse(source)
    assert f"synalinks.{type_name}(" in source
    assert 'name="module"' in source


def test_parameters_that_differ_from_synalinks_defaults_are_exported():
    graph = graph_with("InMask", mask=["answer", "query"])
    source = export_python(graph, REGISTRY)
    assert "synalinks.InMask(\n        mask=[\n" in source
    assert '"answer",' in source and "pattern" not in source  # unset: Synalinks' default
    graph = graph_with("MultiDecision", question="Which?", labels=["a", "b"], inline=True)
    source = export_python(graph, REGISTRY)
    assert "inline" not in source  # the default (True) is left to Synalinks


def test_a_missing_resource_is_reported_on_the_node():
    graph = graph_with("PythonSynthesis")
    messages = [d.message for d in validate(graph, REGISTRY) if d.is_error]
    assert any("needs python_script" in m and "cannot configure yet" in m for m in messages)
    graph = graph_with("RetrieveKnowledge")
    messages = [d.message for d in validate(graph, REGISTRY) if d.is_error]
    assert any(
        "set knowledge base" in m and "Graph settings → Knowledge bases" in m for m in messages
    )
    graph = graph_with("FunctionCallingAgent")
    messages = [d.message for d in validate(graph, REGISTRY) if d.is_error]
    assert any("set tools" in m for m in messages)
    graph = graph_with("MultiDecision")
    messages = [d.message for d in validate(graph, REGISTRY) if d.is_error]
    assert any("set question" in m for m in messages) and any("set labels" in m for m in messages)


def test_the_built_in_engine_refuses_modules_it_does_not_run():
    graph = graph_with("SelfCritique")
    with pytest.raises(RunRefused) as caught:
        Engine(REGISTRY).prepare(graph, {"query": "q"})
    assert caught.value.diagnostics[0].code == "synalinks-only"
    assert "runs only on the Synalinks backend" in str(caught.value)
