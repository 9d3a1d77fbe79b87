"""The registry: one description per node type, an instance every part reads."""

from __future__ import annotations

import pytest

from core.model import Graph, Node
from core.registry import NodeType, ParamsError, Registry, UnknownNodeType, default_registry
from tests.core.builders import ANSWER, QUERY
from tests.core.graph_factory import ALL_TYPES


def test_default_registry_has_the_catalogue_in_palette_order():
    assert default_registry().names()[: len(ALL_TYPES)] == [
        "Input",
        "Output",
        "Generator",
        "ChainOfThought",
        "Decision",
        "Branch",
        "Concat",
        "And",
        "Or",
        "Xor",
    ]
    assert default_registry(catalogue=False).names() == [*ALL_TYPES, "Subgraph"]
    extra = default_registry().names()[len(ALL_TYPES) + 1 :]
    assert len(extra) == 46  # every other module, grouped as Synalinks groups them
    assert extra[:4] == ["Action", "Identity", "Lambda", "MultiDecision"]
    assert {"SelfCritique", "FunctionCallingAgent", "InMask", "Identity"} <= set(extra)
    assert not {"Module", "InputModule", "Concatenate"} & set(extra)  # bases and aliases


def test_each_call_gives_an_independent_registry():
    first, second = default_registry(), default_registry()
    assert first is not second

    class Extra(NodeType):
        type_name = "Extra"

    first.register(Extra())
    assert "Extra" in first and "Extra" not in second


def test_registering_a_name_twice_is_refused():
    registry = default_registry()
    with pytest.raises(ValueError, match="'Generator' is registered twice"):
        registry.register(registry.get("Generator"))


def test_unknown_type_lists_the_known_ones():
    with pytest.raises(UnknownNodeType) as info:
        default_registry().get("Teleporter")
    assert str(info.value).startswith("unknown node type 'Teleporter'; known types (57): ")
    with pytest.raises(UnknownNodeType) as info:
        default_registry(catalogue=False).get("Teleporter")
    assert str(info.value) == (
        "unknown node type 'Teleporter'; known types (11): And, Branch, ChainOfThought, "
        "Concat, Decision, Generator, Input, Or, Output, Subgraph, Xor"
    )
    with pytest.raises(UnknownNodeType) as info:
        default_registry().get("SelfCritic")
    assert "did you mean SelfCritique?" in str(info.value)
    assert isinstance(info.value, KeyError) and info.value.type_name == "SelfCritic"


def test_synalinks_class_mapping_and_categories():
    registry = default_registry()
    for name in (
        "Input",
        "Generator",
        "ChainOfThought",
        "Decision",
        "Branch",
        "Concat",
        "And",
        "Or",
        "Xor",
    ):
        assert registry.by_synalinks_class(name).type_name == name
    assert registry.by_synalinks_class("Output") is None  # Outputs are Program(outputs=...)
    categories = {c: [t.type_name for t in ts] for c, ts in registry.categories().items()}
    assert list(categories)[:3] == ["Program", "Language", "Merge"]
    assert categories["Program"] == ["Input", "Output", "Subgraph"]
    assert categories["Language"] == ["Generator", "ChainOfThought", "Decision", "Branch"]
    assert categories["Merge"] == ["Concat", "And", "Or", "Xor"]
    # The rest follow Synalinks' own grouping of its modules.
    assert categories["Synalinks: masking"] == ["InMask", "OutMask"]
    assert "FunctionCallingAgent" in categories["Synalinks: agents"]
    assert "RetrieveKnowledge" in categories["Synalinks: knowledge"]
    assert registry.by_synalinks_class("SelfCritique").type_name == "SelfCritique"


@pytest.mark.parametrize("type_name", ALL_TYPES)
def test_every_type_describes_itself(type_name):
    node_type = default_registry().get(type_name)
    for attribute in ("title", "category", "description", "color", "default_name"):
        assert getattr(node_type, attribute), attribute
    assert node_type.default_name.isidentifier()
    # Defaults are valid parameters and survive a JSON round trip unchanged.
    defaults = node_type.default_params()
    node = Node("x", type_name, "x", defaults)
    assert node_type.params_model.model_validate(defaults).model_dump(mode="json") == defaults
    params = node_type.parse_params(node)
    assert isinstance(node_type.input_ports(params), tuple)
    assert isinstance(node_type.output_ports(params), tuple)
    fields = node_type.param_fields()
    assert [f.name for f in fields] == list(node_type.params_model.model_fields)
    for field in fields:
        assert field.title and field.widget in {
            "line",
            "text",
            "float",
            "int",
            "bool",
            "data_model",
            "model",
            "labels",
            "choice",
        }


def test_param_fields_carry_inspector_hints():
    fields = {f.name: f for f in default_registry().get("Generator").param_fields()}
    assert fields["data_model"].widget == "data_model"
    assert fields["instructions"].widget == "text"
    assert fields["language_model"].widget == "model"
    temperature = fields["temperature"]
    assert (temperature.widget, temperature.minimum, temperature.maximum, temperature.optional) == (
        "float",
        0.0,
        2.0,
        True,
    )
    assert default_registry().get("Output").param_fields()[0].minimum == 0


def test_params_errors_name_the_node_type_and_field():
    node_type = default_registry().get("Decision")
    with pytest.raises(ParamsError) as info:
        node_type.parse_params(Node("x", "Decision", "decide", {"labels": "not a list"}))
    assert str(info.value).startswith("Decision 'decide': labels: ")
    assert info.value.field == "labels"
    with pytest.raises(ParamsError, match="'decide': colour: Extra inputs"):
        node_type.parse_params(Node("x", "Decision", "decide", {"colour": 1}))


def test_data_model_refs_read_the_data_model_parameters():
    registry = default_registry()
    gen = registry.get("Generator")
    assert gen.data_model_refs(gen.params_model(data_model="Answer")) == ["Answer"]
    assert gen.data_model_refs(gen.params_model()) == []
    assert registry.get("Decision").data_model_refs(registry.get("Decision").params_model()) == []


def test_initial_params_use_the_graph():
    registry = default_registry()
    graph = Graph()
    graph.set_data_model(QUERY)
    graph.set_data_model(ANSWER)
    assert registry.get("Input").initial_params(graph) == {"data_model": "Query"}
    graph.add_node(Node("i", "Input", "inputs", {"data_model": "Query"}))
    # Modules prefer a data model no Input uses (usually the answer shape).
    assert registry.get("Generator").initial_params(graph)["data_model"] == "Answer"
    assert registry.get("Output").initial_params(graph) == {"order": 0}
    graph.add_node(Node("o", "Output", "output", {"order": 3}))
    assert registry.get("Output").initial_params(graph) == {"order": 4}
    assert registry.get("Generator").initial_params(Graph())["data_model"] == ""


def test_a_custom_registry_can_stand_alone():
    registry = Registry([default_registry().get("Input")])
    assert registry.names() == ["Input"] and list(registry)[0].type_name == "Input"
