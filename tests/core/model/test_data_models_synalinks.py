"""Our JSON schemas equal those real ``synalinks.DataModel`` classes produce.

The reference classes are written in tests/core/synalinks_reference_script.py
as a Synalinks user writes them (the lesson's Query and AnswerWithThinking
verbatim, and one class with every field kind).
"""

from __future__ import annotations

import json

import pytest

from tests.core.builders import ANSWER, ANSWER_WITH_THINKING, QUERY
from tests.core.graph_factory import every_field_kind_model
from tests.core.nested_models import MODELS, REPORT, SOURCE

pytestmark = pytest.mark.synalinks


def _exact(schema: dict) -> str:
    """Compare key order too: property order is what a model is shown."""
    return json.dumps(schema)


@pytest.mark.parametrize(
    "spec", [QUERY, ANSWER_WITH_THINKING, ANSWER, every_field_kind_model()], ids=lambda s: s.name
)
def test_schema_equals_synalinks_data_model(spec, synalinks_reference):
    theirs = synalinks_reference["data_models"][spec.name]
    assert spec.json_schema() == theirs
    assert _exact(spec.json_schema()) == _exact(theirs)


def test_reference_is_the_pinned_synalinks_release(synalinks_reference):
    assert synalinks_reference["version"].startswith("0.10.")


@pytest.mark.parametrize("spec", [SOURCE, REPORT], ids=lambda s: s.name)
def test_nested_models_and_defaults_equal_synalinks(spec, synalinks_reference):
    theirs = synalinks_reference["data_models"][spec.name]
    assert _exact(spec.json_schema(MODELS)) == _exact(theirs)
