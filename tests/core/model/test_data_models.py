"""Data models compile to pydantic models and JSON schemas shaped like Synalinks'."""

from __future__ import annotations

import pydantic
import pytest

from core.model import FIELD_KINDS, DataModelSpec, FieldSpec, compile_data_model
from tests.core.builders import ANSWER_WITH_THINKING, QUERY
from tests.core.graph_factory import every_field_kind_model


def test_every_field_kind_is_covered_by_the_factory_model():
    spec = every_field_kind_model()
    kinds = {(f.type, f.is_list, f.required) for f in spec.fields}
    for kind in FIELD_KINDS:
        assert (kind, False, True) in kinds and (kind, True, True) in kinds
    assert any(not f.required for f in spec.fields)


def test_query_schema_is_exactly_synalinks_shape():
    assert QUERY.json_schema() == {
        "additionalProperties": False,
        "description": "The input query to analyze.",
        "properties": {
            "query": {"description": "The user query", "title": "Query", "type": "string"}
        },
        "required": ["query"],
        "title": "Query",
        "type": "object",
    }


@pytest.mark.parametrize(
    ("field", "schema"),
    [
        (FieldSpec(name="s"), {"title": "S", "type": "string"}),
        (FieldSpec(name="i", type="int"), {"title": "I", "type": "integer"}),
        (FieldSpec(name="f", type="float"), {"title": "F", "type": "number"}),
        (FieldSpec(name="b", type="bool"), {"title": "B", "type": "boolean"}),
        (
            FieldSpec(name="e", type="enum", choices=("x", "y")),
            {"enum": ["x", "y"], "title": "E", "type": "string"},
        ),
        (
            FieldSpec(name="l", type="int", is_list=True),
            {"items": {"type": "integer"}, "title": "L", "type": "array"},
        ),
        (
            FieldSpec(name="le", type="enum", is_list=True, choices=("p",)),
            {"items": {"const": "p", "type": "string"}, "title": "Le", "type": "array"},
        ),
        (
            FieldSpec(name="o", type="str", required=False, description="maybe"),
            {
                "anyOf": [{"type": "string"}, {"type": "null"}],
                "default": None,
                "description": "maybe",
                "title": "O",
            },
        ),
    ],
)
def test_field_kinds_compile_to_these_schemas(field, schema):
    spec = DataModelSpec(name="M", fields=(field,))
    compiled = spec.json_schema()
    assert compiled["properties"][field.name] == schema
    assert compiled.get("required", []) == ([field.name] if field.required else [])


def test_pydantic_model_validates_instances_by_field_kind():
    model = compile_data_model(every_field_kind_model())
    good = {
        "text": "t",
        "count": 1,
        "ratio": 0.5,
        "flag": True,
        "mood": "calm",
        "texts": ["a"],
        "counts": [1, 2],
        "ratios": [0.1],
        "flags": [False],
        "moods": ["a", "c"],
    }
    instance = model.model_validate(good)
    assert instance.maybe_text is None and instance.maybe_mood is None
    assert model.model_validate(
        {**good, "maybe_mood": "yes", "maybe_ratios": [1.5]}
    ).maybe_ratios == [1.5]
    for bad in (
        {**good, "mood": "angry"},  # not a choice
        {**good, "moods": ["d"]},
        {**good, "counts": "1,2"},
        {**good, "extra": 1},  # Synalinks' models forbid extra keys
        {k: v for k, v in good.items() if k != "text"},  # required
    ):
        with pytest.raises(pydantic.ValidationError):
            model.model_validate(bad)


def test_field_order_and_docstring_survive_compilation():
    model = compile_data_model(ANSWER_WITH_THINKING)
    assert list(model.model_fields) == ["thinking", "answer"]
    assert model.__doc__ == "An answer with step-by-step reasoning."
    assert model.__name__ == "AnswerWithThinking"


def test_compilation_is_cached_by_value_and_schemas_are_fresh_copies():
    twin = DataModelSpec.model_validate(QUERY.model_dump())
    assert twin == QUERY and twin is not QUERY
    assert compile_data_model(twin) is compile_data_model(QUERY)
    schema = QUERY.json_schema()
    schema["properties"]["query"]["title"] = "changed"
    assert QUERY.json_schema()["properties"]["query"]["title"] == "Query"


@pytest.mark.parametrize(
    ("kwargs", "says"),
    [
        ({"name": "bad name"}, "field name"),
        ({"name": "x", "type": "enum"}, "lists no choices"),
        ({"name": "x", "type": "enum", "choices": ("a", "a")}, "a choice twice"),
        ({"name": "x", "type": "int", "choices": ("a",)}, "has choices but its type is 'int'"),
        ({"name": "x", "type": "date"}, "Input should be"),
        ({"name": "x", "unknown": 1}, "Extra inputs"),
    ],
)
def test_bad_field_specs_are_refused_with_the_reason(kwargs, says):
    with pytest.raises(pydantic.ValidationError, match=says):
        FieldSpec(**kwargs)


def test_bad_data_model_specs_are_refused_with_the_reason():
    with pytest.raises(pydantic.ValidationError, match="two fields named 'a'"):
        DataModelSpec(name="M", fields=(FieldSpec(name="a"), FieldSpec(name="a", type="int")))
    with pytest.raises(pydantic.ValidationError, match="data model name"):
        DataModelSpec(name="for")


def test_specs_are_immutable_values():
    with pytest.raises(pydantic.ValidationError):
        QUERY.name = "Other"  # type: ignore[misc]
    assert hash(QUERY) == hash(DataModelSpec.model_validate(QUERY.model_dump()))
    assert QUERY.field("query").description == "The user query"
    assert QUERY.field("nope") is None


@pytest.mark.parametrize(
    ("field", "label"),
    [
        (FieldSpec(name="a"), "str"),
        (FieldSpec(name="a", type="int", is_list=True), "list[int]"),
        (FieldSpec(name="a", type="enum", choices=("x", "y")), "enum(x|y)"),
        (FieldSpec(name="a", type="bool", required=False), "bool?"),
    ],
)
def test_type_labels(field, label):
    assert field.type_label() == label
