"""Constructor parameters become editable fields, graph references or resources."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from core.catalogue.params import params_model, plan_param
from core.runtime.protocol import CatalogueParam


def plan(**fields):
    return plan_param(CatalogueParam(**fields))


@pytest.mark.parametrize(
    ("fields", "kind"),
    [
        ({"name": "data_model"}, "data_model"),
        ({"name": "entity_model"}, "data_model"),
        ({"name": "language_model"}, "model"),
        ({"name": "instructions", "doc_type": "list"}, "text"),
        ({"name": "temperature"}, "float"),
        ({"name": "k", "default": 10}, "int"),
        ({"name": "mask", "doc_type": "list"}, "labels"),
        ({"name": "return_inputs", "default": True}, "bool"),
        ({"name": "search_type", "annotation": "Literal['similarity', 'fulltext']"}, "choice"),
        ({"name": "knowledge_base", "doc_type": "KnowledgeBase"}, "knowledge_base"),
        ({"name": "embedding_model", "doc_type": "EmbeddingModel"}, "embedding_model"),
        ({"name": "data_models", "doc_type": "list"}, "data_models"),
        ({"name": "sandbox", "doc_type": "Sandbox"}, "resource"),
        ({"name": "func", "required": True, "annotation": "Callable"}, "resource"),
        ({"name": "output_format", "default": "json"}, "line"),
        ({"name": "anything", "doc_type": "SomethingNew"}, "resource"),
    ],
)
def test_kinds(fields, kind):
    assert plan(**fields).kind == kind


@pytest.mark.parametrize("name", ["name", "description", "trainable", "hooks", "schema", "_depth"])
def test_what_the_node_stands_for_is_not_a_parameter(name):
    assert plan(name=name) is None


def test_choices_are_read_from_the_literal():
    found = plan(name="search_type", annotation="Literal['similarity', \"fulltext\"]", default="x")
    assert found.choices == ("similarity", "fulltext")


def test_the_generated_model_is_strict_and_keeps_defaults():
    plans = [
        plan(name="k", default=10),
        plan(name="labels", doc_type="list"),
        plan(name="inline", default=True),
        plan(name="sandbox", doc_type="Sandbox"),
        plan(name="search_type", annotation="Literal['a', 'b']", default="a"),
    ]
    model = params_model("Demo", plans)
    assert model().model_dump() == {"k": 10, "labels": [], "inline": True, "search_type": "a"}
    assert "sandbox" not in model.model_fields  # resources stay out of the form
    with pytest.raises(ValidationError):
        model(unknown=1)
    assert model.model_fields["search_type"].json_schema_extra["choices"] == ["a", "b"]
