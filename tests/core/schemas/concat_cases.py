"""Cases for concat_json / concat_schema, checked against synalinks' own functions.

Each pair covers one rule: plain union, a clash (``_1``), a clash with an
existing ``_1`` key (``_2``), empty sides, nested values, optional fields on
either side, ``$defs`` from either side, properties without titles.
"""

from __future__ import annotations

from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY
from tests.core.graph_factory import every_field_kind_model

JSON_CASES: list[list[dict]] = [
    [{"a": 1}, {"b": 2}],
    [{"answer": "x"}, {"answer": "y"}],
    [{"answer": "x", "answer_1": "y"}, {"answer": "z"}],
    [{"answer": "x"}, {"answer": "y", "answer_1": "z"}],
    [{}, {"a": 1}],
    [{"a": 1}, {}],
    [{}, {}],
    [{"a": {"b": [1, 2, {"c": None}]}}, {"a": [True, 1.5]}],
    [{"thinking": "t", "choice": "easy"}, {"thinking": "u", "answer": "v"}],
    [{"x_1": 1, "x": 2}, {"x": 3, "x_1": 4}],
]


def _schema(spec) -> dict:
    return spec.json_schema()


def schema_cases() -> list[list[dict]]:
    optional = every_field_kind_model()
    with_defs = {
        "$defs": {"Mood": {"enum": ["a", "b"], "title": "Mood", "type": "string"}},
        "additionalProperties": False,
        "properties": {"mood": {"$ref": "#/$defs/Mood"}},
        "required": ["mood"],
        "title": "WithDefs",
        "type": "object",
    }
    other_defs = {
        "$defs": {"Level": {"enum": ["low", "high"], "title": "Level", "type": "string"}},
        "properties": {"level": {"$ref": "#/$defs/Level"}, "mood": {"type": "string"}},
        "required": ["level"],
        "title": "OtherDefs",
        "type": "object",
    }
    untitled = {"properties": {"answer": {"type": "string"}}, "type": "object"}
    no_required = {
        "properties": {"answer": {"type": "string", "title": "Answer"}},
        "title": "NoReq",
        "type": "object",
    }
    return [
        [_schema(QUERY), _schema(ANSWER)],
        [_schema(ANSWER), _schema(ANSWER)],
        [_schema(ANSWER_WITH_THINKING), _schema(ANSWER_WITH_THINKING)],
        [_schema(ANSWER), _schema(optional)],
        [_schema(optional), _schema(optional)],
        [with_defs, _schema(ANSWER)],
        [_schema(ANSWER), with_defs],
        [with_defs, other_defs],
        [untitled, untitled],
        [no_required, _schema(ANSWER)],
        [_schema(ANSWER), no_required],
        [no_required, no_required],
    ]
