"""concat_json / concat_schema give what synalinks' own functions give, case by case."""

from __future__ import annotations

import json

import pytest

from core.schemas.json_ops import concat_json, concat_schema
from tests.core.schemas.concat_cases import JSON_CASES, schema_cases

pytestmark = pytest.mark.synalinks


@pytest.mark.parametrize("index", range(len(JSON_CASES)))
def test_concat_json_matches_synalinks(index, synalinks_reference):
    left, right = JSON_CASES[index]
    theirs = synalinks_reference["json_cases"][index]
    ours = concat_json(left, right)
    assert json.dumps(ours) == json.dumps(theirs)  # values and key order


@pytest.mark.parametrize("index", range(len(schema_cases())))
def test_concat_schema_matches_synalinks(index, synalinks_reference):
    left, right = schema_cases()[index]
    theirs = synalinks_reference["schema_cases"][index]
    ours = concat_schema(left, right)
    assert ours == theirs
    assert list(ours["properties"]) == list(theirs["properties"])
    assert ours["required"] == theirs["required"]
    for key in ours["properties"]:
        assert json.dumps(ours["properties"][key]) == json.dumps(theirs["properties"][key]), key
