"""Nested data models, lists of them, optional fields and defaults, end to end in
the core: specs, validation, values, files, export and import (no Qt)."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.commands import SetDataModel
from core.export import export_python
from core.files import dumps_graph, loads_graph
from core.importer import import_python
from core.model.data_models import DataModelError, DataModelSpec, FieldSpec
from core.program_input import InputError, resolve_inputs
from core.validation import validate
from tests.core.export.cases import nested_graph
from tests.core.nested_models import MODELS, REPORT, SOURCE


def test_a_nested_schema_refers_to_its_data_model_once():
    schema = REPORT.json_schema(MODELS)
    assert list(schema["$defs"]) == ["Source"]
    assert schema["properties"]["main"] == {
        "$ref": "#/$defs/Source",
        "description": "The main source",
    }
    assert schema["properties"]["sources"]["items"] == {"$ref": "#/$defs/Source"}
    assert schema["properties"]["sources"]["default"] == []
    assert schema["required"] == ["main"]  # defaults and optionals may be left out


def test_values_get_their_defaults_and_nested_values_are_checked():
    model = REPORT.to_pydantic(MODELS)
    value = model.model_validate({"main": {"url": "a"}}).model_dump(mode="json")
    assert value["title"] == "Untitled" and value["count"] == 3 and value["flag"] is True
    assert value["main"] == {"url": "a", "score": 0.5, "tags": ["web"]}
    with pytest.raises(ValidationError, match="main.url"):
        model.model_validate({"main": {"score": 1.0}})


def test_a_missing_or_circular_nested_model_is_a_clear_error():
    with pytest.raises(DataModelError, match="Source, which does not exist"):
        REPORT.json_schema({})
    loop = DataModelSpec(
        name="Node", fields=(FieldSpec(name="child", type="model", data_model="Node"),)
    )
    with pytest.raises(DataModelError, match="holds itself"):
        loop.json_schema({"Node": loop})


@pytest.mark.parametrize(
    ("values", "reason"),
    [
        ({"type": "int", "default": "3"}, "default '3' is not int"),
        ({"type": "bool", "default": 1}, "default 1 is not bool"),
        ({"type": "enum", "choices": ("a",), "default": "b"}, "not one of a"),
        ({"is_list": True, "default": "x"}, "must be a list"),
        ({"type": "model", "data_model": "S", "default": ()}, "is not a list"),
        ({"type": "model", "data_model": ""}, "the name is empty"),
        ({"type": "str", "data_model": "S"}, "names data model"),
    ],
)
def test_field_specs_refuse_defaults_and_references_that_do_not_fit(values, reason):
    with pytest.raises(ValidationError, match=reason):
        FieldSpec(name="f", **values)


def test_labels_say_list_optional_and_default():
    labels = [f.type_label() for f in REPORT.fields]
    assert labels == [
        "str = 'Untitled'",
        "Source",
        "list[Source] = []",
        "Source?",
        "int = 3",
        "enum(calm|busy) = 'calm'",
        "bool? = True",
    ]


def test_files_keep_nested_models_and_defaults_and_leave_old_fields_unchanged(registry):
    graph = nested_graph()
    text = dumps_graph(graph)
    assert '"data_model": "Source"' in text and '"default": "Untitled"' in text
    again = loads_graph(text, registry)
    assert again.data_models == graph.data_models
    saved = dumps_graph(again)  # loading fills the nodes' parameter defaults
    assert dumps_graph(loads_graph(saved, registry)) == saved
    plain = FieldSpec(name="query").model_dump(mode="json")
    assert "default" not in plain and "data_model" not in plain


def test_export_then_import_gives_the_same_data_models_and_script(registry):
    graph = nested_graph()
    script = export_python(graph, registry)
    assert script.index("class Source(") < script.index("class Report(")
    assert "backup: Optional[Source] = synalinks.Field(" in script
    result = import_python(script, registry, "nested.py")
    assert result.warnings == []
    assert result.graph.data_models == graph.data_models
    assert export_python(result.graph, registry) == script


def test_validation_points_at_nodes_whose_data_model_is_broken(registry):
    graph = nested_graph()
    assert validate(graph, registry) == []
    SetDataModel(SOURCE.model_copy(update={"name": "Source"})).redo(graph)
    graph.remove_data_model("Source")
    found = [d for d in validate(graph, registry) if d.code == "invalid_data_model"]
    assert [(d.severity, graph.nodes[d.node_id].name) for d in found] == [("error", "writer")]
    assert "Source, which does not exist" in found[0].message


def test_an_unused_broken_data_model_is_only_a_warning(registry):
    graph = nested_graph()
    graph.set_data_model(
        DataModelSpec(name="Loose", fields=(FieldSpec(name="x", type="model", data_model="Gone"),))
    )
    found = [d for d in validate(graph, registry) if d.code == "invalid_data_model"]
    assert [(d.severity, d.node_id) for d in found] == [("warning", None)]


def test_an_input_with_a_nested_model_checks_the_nested_value(registry):
    graph = nested_graph()
    graph.set_params("q", {"data_model": "Report"})
    inputs = resolve_inputs(graph, {"main": {"url": "u"}})
    assert inputs["q"]["main"]["tags"] == ["web"]
    with pytest.raises(InputError, match="main.url"):
        resolve_inputs(graph, {"main": {}})


def test_cards_name_nested_data_models_by_their_class():
    from core.schemas.flow import describe_schema

    rows = describe_schema(REPORT.json_schema(MODELS))
    assert rows[1:4] == [
        ("main", "Source", True),
        ("sources", "list[Source]", False),
        ("backup", "Source?", False),
    ]
