"""Offline model answers, response formats, answer checking, partial JSON, prompts, redaction."""

from __future__ import annotations

import json

import pytest

from core.engine.offline_model import answer_text, offline_answer, tokens
from core.engine.partial_json import NotJson, parse_complete, parse_partial
from core.engine.prompts import build_messages, input_of
from core.engine.redact import REDACTED, redact
from core.engine.structured_output import (
    AnswerInvalid,
    check_answer,
    response_format_for,
    strict_schema,
)
from core.nodes.language import decision_schema
from core.registry.node_type import GenerationRequest
from tests.core.graph_factory import every_field_kind_model


@pytest.fixture
def every_kind_schema():
    return every_field_kind_model().json_schema()


# ----------------------------------------------------------- offline model
def test_offline_answer_fits_every_field_kind(every_kind_schema):
    answer = offline_answer(every_kind_schema, {"query": "How tall is Everest?"})
    assert check_answer(answer, every_kind_schema) is answer
    assert set(answer) == set(every_kind_schema["properties"])
    assert isinstance(answer["texts"], list) and answer["texts"]
    assert answer["mood"] in ("calm", "busy")
    assert all(m in ("a", "b", "c") for m in answer["moods"])
    assert answer["maybe_text"] is not None  # optional fields are filled too


def test_offline_answer_is_deterministic_and_quotes_the_input():
    schema = {
        "type": "object",
        "properties": {"thinking": {"type": "string"}, "answer": {"type": "string"}},
    }
    first = offline_answer(schema, {"query": "Why is the sky blue?"})
    assert first == offline_answer(schema, {"query": "Why is the sky blue?"})
    assert "Why is the sky blue?" in first["answer"] and "Why is the sky blue?" in first["thinking"]
    assert first != offline_answer(schema, {"query": "Why is grass green?"})


def test_offline_decisions_pick_a_label_by_input():
    schema = decision_schema(["math", "science", "other"])
    choices = {offline_answer(schema, {"query": f"question {i}"})["choice"] for i in range(30)}
    assert choices == {"math", "science", "other"}
    assert offline_answer(schema, {"query": "q"}) == offline_answer(schema, {"query": "q"})


def test_offline_answer_resolves_refs_and_nested_objects():
    schema = {
        "$defs": {
            "Item": {
                "type": "object",
                "properties": {"n": {"type": "integer", "minimum": 5, "maximum": 6}},
            }
        },
        "type": "object",
        "properties": {
            "items": {"type": "array", "items": {"$ref": "#/$defs/Item"}, "minItems": 2}
        },
    }
    answer = offline_answer(schema, {"x": 1})
    assert len(answer["items"]) >= 2 and all(5 <= item["n"] <= 6 for item in answer["items"])


def test_offline_text_streams_as_several_tokens_reading_the_prompt():
    request = GenerationRequest(
        "id",
        "node",
        "",
        "",
        {"query": "hello there"},
        {"type": "object", "properties": {"answer": {"type": "string"}}},
    )
    fmt = response_format_for("offline", request.output_schema)
    text = answer_text(build_messages(request), fmt)
    assert json.loads(text) == {"answer": "Offline answer to “hello there”"}
    assert len(tokens(text)) > 5 and "".join(tokens(text)) == text


# -------------------------------------------------------- response format
def test_strict_schema_requires_every_property_and_forbids_extras(every_kind_schema):
    strict = strict_schema(every_kind_schema)
    assert strict["required"] == list(strict["properties"])
    assert strict["additionalProperties"] is False
    assert all("default" not in p for p in strict["properties"].values())
    assert "default" in every_kind_schema["properties"]["maybe_text"]  # the original is untouched


def test_response_format_is_shaped_per_provider(every_kind_schema):
    openai = response_format_for("openai/gpt-4o-mini", every_kind_schema)
    assert openai["type"] == "json_schema" and openai["json_schema"]["strict"] is True
    assert openai["json_schema"]["name"] == "EveryKind"
    assert openai["json_schema"]["schema"]["required"] == list(every_kind_schema["properties"])
    anthropic = response_format_for("anthropic/claude-3-5-haiku", every_kind_schema)
    assert "strict" not in anthropic["json_schema"]
    assert anthropic["json_schema"]["schema"] == every_kind_schema


def test_check_answer_says_where_and_why(every_kind_schema):
    answer = offline_answer(every_kind_schema, {"q": "x"})
    with pytest.raises(AnswerInvalid, match=r"mood: 'angry' is not one of"):
        check_answer({**answer, "mood": "angry"}, every_kind_schema)
    with pytest.raises(AnswerInvalid, match=r"counts/1: 'two' is not of type 'integer'"):
        check_answer({**answer, "counts": [1, "two"]}, every_kind_schema)
    with pytest.raises(AnswerInvalid, match="must be a JSON object"):
        check_answer([answer], every_kind_schema)
    assert check_answer({**answer, "maybe_text": None}, every_kind_schema)


# ------------------------------------------------------------ partial json
@pytest.mark.parametrize(
    ("raw", "expected"),
    [
        ("", None),
        ("Sure", None),
        ('{"thinking": "step o', {"thinking": "step o"}),
        ('```json\n{"a": 1, "b": [1, 2', {"a": 1, "b": [1, 2]}),
        ('{"a": "x"}', {"a": "x"}),
    ],
)
def test_parse_partial(raw, expected):
    assert parse_partial(raw) == expected


def test_parse_complete_accepts_fences_and_prose_and_explains_failures():
    assert parse_complete(' {"a": 1} ') == {"a": 1}
    assert parse_complete('Here you go:\n```json\n{"a": 1}\n```') == {"a": 1}
    with pytest.raises(NotJson, match="empty"):
        parse_complete("  ")
    with pytest.raises(NotJson, match="not valid JSON"):
        parse_complete('{"a": 1,}')


# ------------------------------------------------------------------ prompts
def test_prompt_holds_instructions_schema_and_input_json():
    schema = {"type": "object", "properties": {"answer": {"type": "string"}}, "title": "Answer"}
    request = GenerationRequest("id", "n", "", "Answer like a pirate.", {"query": "ahoy?"}, schema)
    system, user = build_messages(request)
    assert system["role"] == "system" and "Answer like a pirate." in system["content"]
    assert json.dumps(schema) in system["content"] and "JSON" in system["content"]
    assert json.loads(user["content"]) == {"query": "ahoy?"}
    assert input_of([system, user]) == {"query": "ahoy?"}
    default = build_messages(GenerationRequest("id", "n", "", "", {}, schema))[0]["content"]
    assert "['answer']" in default  # Synalinks' default instructions name the keys


# ---------------------------------------------------------------- redaction
def test_redact_hides_environment_keys_and_key_shaped_strings(monkeypatch):
    monkeypatch.setenv("MY_PROVIDER_API_KEY", "plain-secret-value-123")
    text = "bad key plain-secret-value-123 and sk-proj-abcdefghijklmnopqrstuvwxyz012345"
    cleaned = redact(text)
    assert "plain-secret-value-123" not in cleaned and "sk-proj-abc" not in cleaned
    assert cleaned.count(REDACTED) == 2


def test_offline_answer_speaks_as_the_asking_node():
    """Two parallel branches given the same input answer as themselves, not as copies."""
    schema = {
        "type": "object",
        "properties": {"thinking": {"type": "string"}, "answer": {"type": "string"}},
        "required": ["thinking", "answer"],
    }
    first = offline_answer(schema, {"query": "Why?"}, voice="branch_1")
    second = offline_answer(schema, {"query": "Why?"}, voice="branch_2")
    assert first != second
    assert first["answer"] == "Offline answer to “Why?” from branch_1"
    assert "branch_2" in second["thinking"]
    assert first == offline_answer(schema, {"query": "Why?"}, voice="branch_1")
