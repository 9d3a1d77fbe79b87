"""export -> import -> export gives the same bytes; saved graphs come back as they were."""

from __future__ import annotations

import pytest

from core.export import export_python
from core.importer import import_python
from tests.core.export import cases
from tests.core.importer.normalise import normalised


@pytest.mark.parametrize("name", cases.SAVED)
def test_saved_graphs_round_trip_to_the_same_bytes_and_graph(name, registry):
    graph = cases.saved_graph(name, registry)
    script = export_python(graph, registry)
    result = import_python(script, registry, f"{name}.py")
    assert result.warnings == []
    assert export_python(result.graph, registry) == script
    assert normalised(result.graph) == normalised(graph)


@pytest.mark.parametrize("seed", range(40))
def test_generated_graphs_round_trip_to_the_same_bytes(seed, registry):
    graph = cases.generated_graph(seed)
    script = export_python(graph, registry)
    result = import_python(script, registry, f"generated_{seed}.py")
    assert result.warnings == []
    assert export_python(result.graph, registry) == script


def test_hostile_and_multi_input_graphs_round_trip(registry, tmp_path):
    for graph in (cases.hostile_graph(tmp_path / "s"), cases.two_input_graph()):
        script = export_python(graph, registry)
        imported = import_python(script, registry).graph
        assert export_python(imported, registry) == script
    hostile = cases.hostile_graph(tmp_path / "s")
    imported = import_python(export_python(hostile, registry), registry).graph
    assert imported.data_models == hostile.data_models  # descriptions, choices, names exact
    assert imported.meta.name == hostile.meta.name
    assert imported.meta.description == hostile.meta.description
    assert imported.meta.example_input == hostile.meta.example_input
    for node in hostile.nodes.values():
        if node.type != "Output":
            assert imported.node_by_name(node.name).params == registry.get(node.type).parse_params(
                node
            ).model_dump(mode="json")


def test_import_is_deterministic(registry):
    script = export_python(cases.generated_graph(9), registry)
    from core.files import dumps_graph

    assert dumps_graph(import_python(script, registry).graph) == dumps_graph(
        import_python(script, registry).graph
    )
