"""concat_json / concat_schema: Synalinks' concatenation rules, written down."""

from __future__ import annotations

import copy

import pytest

from core.schemas.json_ops import concat_json, concat_schema, fold, prepend_fields
from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY
from tests.core.graph_factory import every_field_kind_model


@pytest.mark.parametrize(
    ("left", "right", "expected"),
    [
        ({"a": 1}, {"b": 2}, {"a": 1, "b": 2}),
        ({"answer": "x"}, {"answer": "y"}, {"answer": "x", "answer_1": "y"}),
        (
            {"answer": "x", "answer_1": "y"},
            {"answer": "z"},
            {"answer": "x", "answer_1": "y", "answer_2": "z"},
        ),
        ({"x_1": 1, "x": 2}, {"x": 3, "x_1": 4}, {"x_1": 1, "x": 2, "x_2": 3, "x_1_1": 4}),
        ({}, {}, {}),
    ],
)
def test_concat_json(left, right, expected):
    result = concat_json(left, right)
    assert result == expected and list(result) == list(expected)


def test_concat_json_copies_values():
    left = {"a": {"deep": [1]}}
    result = concat_json(left, {})
    result["a"]["deep"].append(2)
    assert left == {"a": {"deep": [1]}}


def test_concat_schema_joins_properties_and_required_lists():
    schema = concat_schema(QUERY.json_schema(), ANSWER.json_schema())
    assert schema == {
        "additionalProperties": False,
        "properties": {
            "query": {"description": "The user query", "title": "Query", "type": "string"},
            "answer": {"description": "The correct answer", "title": "Answer", "type": "string"},
        },
        "required": ["query", "answer"],
        "title": "Query",
        "type": "object",
    }


def test_concat_schema_renames_clashes_and_retitles_them():
    schema = concat_schema(ANSWER_WITH_THINKING.json_schema(), ANSWER_WITH_THINKING.json_schema())
    assert list(schema["properties"]) == ["thinking", "answer", "thinking_1", "answer_1"]
    assert schema["properties"]["answer_1"] == {
        "description": "The correct answer",
        "title": "Answer 1",
        "type": "string",
    }
    assert schema["required"] == ["thinking", "answer", "thinking_1", "answer_1"]


def test_optional_fields_stay_optional_unless_the_other_side_requires_that_name():
    optional = every_field_kind_model().json_schema()
    schema = concat_schema(optional, optional)
    assert "maybe_text" not in schema["required"] and "maybe_text_1" not in schema["required"]
    assert "text_1" in schema["required"]
    # Synalinks' quirk: a key required on *either* side is required in the result.
    left = {"properties": {"a": {"type": "string"}}, "required": [], "title": "L", "type": "object"}
    right = {
        "properties": {"a": {"type": "string"}},
        "required": ["a"],
        "title": "R",
        "type": "object",
    }
    assert concat_schema(left, right)["required"] == ["a", "a_1"]


def test_defs_from_both_sides_are_kept():
    left = {"$defs": {"A": {"type": "string"}}, "properties": {}, "title": "L"}
    right = {"$defs": {"B": {"type": "integer"}}, "properties": {}, "title": "R"}
    assert concat_schema(left, right)["$defs"] == {
        "A": {"type": "string"},
        "B": {"type": "integer"},
    }
    assert "$defs" not in concat_schema(QUERY.json_schema(), ANSWER.json_schema())


def test_concat_schema_never_changes_its_inputs():
    left, right = ANSWER.json_schema(), ANSWER.json_schema()
    before = copy.deepcopy((left, right))
    result = concat_schema(left, right)
    result["properties"]["answer"]["title"] = "mutated"
    result["properties"]["answer_1"]["title"] = "mutated"
    assert (left, right) == before


def test_fold_is_left_to_right():
    assert fold([1, 2, 3], lambda a, b: f"({a}+{b})") == "((1+2)+3)"
    assert fold(["only"], lambda a, b: a + b) == "only"


def test_prepend_fields_keeps_title_and_description():
    schema = prepend_fields(
        ANSWER.json_schema(), {"note": {"type": "string", "title": "Note"}}, ["note"]
    )
    assert list(schema["properties"]) == ["note", "answer"]
    assert schema["title"] == "Answer" and schema["description"] == "A direct answer."
    assert schema["required"] == ["note", "answer"]
