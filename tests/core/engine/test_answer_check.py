"""The fast answer check agrees with jsonschema: it never accepts what jsonschema
rejects, and it does accept every valid answer of our data models (else it
would be dead weight)."""

from __future__ import annotations

import itertools
import json
import random

import pytest
from jsonschema import Draft202012Validator

from core.engine.structured_output import AnswerInvalid, _fast_model, check_answer, schema_key
from core.model import DataModelSpec, FieldSpec
from core.nodes.language import THINKING_SCHEMA, decision_schema
from core.schemas.json_ops import concat_schema

KINDS = [
    dict(type="str"),
    dict(type="int"),
    dict(type="float"),
    dict(type="bool"),
    dict(type="enum", choices=("low", "high")),
]


def _every_kind_model() -> DataModelSpec:
    fields = []
    for i, (kind, is_list, required) in enumerate(
        itertools.product(KINDS, (False, True), (True, False))
    ):
        fields.append(FieldSpec(name=f"f{i}", is_list=is_list, required=required, **kind))
    return DataModelSpec(name="Every", fields=tuple(fields))


SCHEMAS = [
    _every_kind_model().json_schema(),
    concat_schema(THINKING_SCHEMA, _every_kind_model().json_schema()),
    concat_schema(decision_schema(["a", "b"]), _every_kind_model().json_schema()),
    decision_schema(["yes", "no", "maybe"]),
]

CANDIDATES = [
    None,
    True,
    False,
    0,
    1,
    -3,
    2.5,
    1.0,
    "",
    "low",
    "high",
    "x",
    [],
    ["low"],
    [1, 2],
    [True],
    [1.5],
    {},
    {"a": 1},
]


def _valid_value(schema: dict, rng: random.Random) -> dict:
    """A valid answer for ``schema`` (fields filled from its own types)."""
    value = {}
    for name, prop in schema["properties"].items():
        if name not in schema.get("required", []) and rng.random() < 0.3:
            continue
        value[name] = _valid_for(prop, rng)
    return value


def _valid_for(prop: dict, rng: random.Random):
    if "anyOf" in prop:
        return None if rng.random() < 0.3 else _valid_for(prop["anyOf"][0], rng)
    if "enum" in prop:
        return rng.choice(prop["enum"])
    kind = prop["type"]
    if kind == "array":
        return [_valid_for(prop["items"], rng) for _ in range(rng.randint(0, 3))]
    return {
        "string": "text",
        "integer": rng.randint(-5, 5),
        "number": rng.choice([1, 2.5]),
        "boolean": rng.random() < 0.5,
    }[kind]


@pytest.mark.parametrize(
    "schema", SCHEMAS, ids=["every_kind", "thinking", "decision_prefix", "decision"]
)
def test_fast_check_is_sound_and_used(schema):
    key = schema_key(schema)
    fast = _fast_model(key)
    assert fast is not None, "our data models' schemas must compile to the fast check"
    reference = Draft202012Validator(json.loads(key))
    rng = random.Random(7)
    for _ in range(300):
        value = _valid_value(schema, rng)
        assert reference.is_valid(value)
        fast.model_validate(value)  # valid answers take the fast path
        # Mutate one property (or add one) and compare decisions.
        broken = dict(value)
        name = rng.choice([*schema["properties"], "unexpected"])
        broken[name] = rng.choice(CANDIDATES)
        try:
            fast.model_validate(broken)
            fast_ok = True
        except Exception:
            fast_ok = False
        if fast_ok:
            assert reference.is_valid(broken), f"fast check accepted an invalid answer: {broken}"
        if reference.is_valid(broken):
            check_answer(broken, schema, key)
        else:
            with pytest.raises(AnswerInvalid):
                check_answer(broken, schema, key)


def test_schemas_outside_the_subset_fall_back_to_jsonschema():
    schema = {
        "type": "object",
        "properties": {"a": {"type": "string", "minLength": 3}},
        "required": ["a"],
    }
    assert _fast_model(schema_key(schema)) is None
    with pytest.raises(AnswerInvalid, match="too short"):
        check_answer({"a": "x"}, schema)
    assert check_answer({"a": "xyz"}, schema) == {"a": "xyz"}


def test_property_names_that_clash_with_pydantic_still_check():
    schema = {
        "type": "object",
        "additionalProperties": False,
        "properties": {"model_config": {"type": "string"}, "json": {"type": "integer"}},
        "required": ["model_config", "json"],
    }
    assert _fast_model(schema_key(schema)) is not None
    assert check_answer({"model_config": "a", "json": 1}, schema) == {
        "model_config": "a",
        "json": 1,
    }
    with pytest.raises(AnswerInvalid):
        check_answer({"model_config": "a", "json": "1"}, schema)
