"""Structured output: the response format each provider wants, and checking the answer.

Providers differ (as Synalinks' own ``LanguageModel`` knows): OpenAI and the
OpenAI-compatible servers (vLLM, llama.cpp, groq, openrouter...) take
``json_schema`` with ``strict: true`` and then insist that every property is
listed in ``required`` and that objects forbid extra keys; Anthropic, Gemini,
Ollama and Mistral take the schema as it is (litellm translates it). The answer
is always checked against the node's own schema (not the strict copy).

Checking runs once per model answer, so it is on the hot path of a wide
fan-out: the ``jsonschema`` library takes ~80 µs for a two-field answer here.
The schemas our data models produce are a small subset of JSON Schema, so each
is also compiled once into a strict pydantic model (~2 µs a check). That fast
path only ever *accepts*: anything it rejects, or any schema it cannot
compile, goes to ``jsonschema``, which decides and words the error.
"""

from __future__ import annotations

import copy
import json
import re
from functools import lru_cache
from typing import Any, Literal

from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    StrictBool,
    StrictFloat,
    StrictInt,
    StrictStr,
    ValidationError,
    create_model,
)

JsonSchema = dict[str, Any]

_AS_IS_PROVIDERS = (
    "anthropic",
    "gemini",
    "vertex_ai",
    "ollama",
    "ollama_chat",
    "mistral",
    "xai",
    "cohere",
)


class AnswerInvalid(ValueError):
    """The answer does not fit the schema; ``str()`` says where and why."""


def strict_schema(schema: JsonSchema) -> JsonSchema:
    """A copy shaped for strict providers: every object lists all its properties as
    required and forbids others; defaults are dropped (optional fields are
    already nullable, so "required" only means "present, maybe null")."""
    result = copy.deepcopy(schema)
    _make_strict(result)
    return result


def _make_strict(node: Any) -> None:
    if isinstance(node, dict):
        node.pop("default", None)
        if "$ref" in node:
            node.pop("description", None)  # OpenAI rejects siblings of $ref
        props = node.get("properties")
        if isinstance(props, dict):
            node["required"] = list(props)
            node["additionalProperties"] = False
        for value in node.values():
            _make_strict(value)
    elif isinstance(node, list):
        for item in node:
            _make_strict(item)


_KEYS: dict[int, tuple[JsonSchema, str]] = {}
_KEYS_LIMIT = 1024


def schema_key(schema: JsonSchema) -> str:
    """The schema as JSON text: the cache key for formats and validators (a run of
    128 nodes answering one data model shapes and compiles it once).

    Memoised by object identity (the flow analysis hands every node answering one
    data model the same dict); the cache holds the dict, so its id cannot be
    reused while cached. Schemas are never mutated once built.
    """
    hit = _KEYS.get(id(schema))
    if hit is not None and hit[0] is schema:
        return hit[1]
    key = json.dumps(schema, ensure_ascii=False)
    if len(_KEYS) >= _KEYS_LIMIT:
        _KEYS.clear()
    _KEYS[id(schema)] = (schema, key)
    return key


def response_format_for(model: str, schema: JsonSchema, key: str | None = None) -> dict[str, Any]:
    """The litellm ``response_format`` for ``model`` answering ``schema`` (a shared,
    cached value: do not mutate it)."""
    provider = model.split("/", 1)[0] if "/" in model else ""
    return _response_format(provider in _AS_IS_PROVIDERS, key or schema_key(schema))


@lru_cache(maxsize=512)
def _response_format(as_is: bool, key: str) -> dict[str, Any]:
    schema = json.loads(key)
    name = re.sub(r"[^A-Za-z0-9_-]", "_", str(schema.get("title") or "answer"))[:64] or "answer"
    if as_is:
        return {"type": "json_schema", "json_schema": {"name": name, "schema": schema}}
    return {
        "type": "json_schema",
        "json_schema": {"name": name, "schema": strict_schema(schema), "strict": True},
    }


def check_answer(value: Any, schema: JsonSchema, key: str | None = None) -> dict[str, Any]:
    """Return ``value`` if it is an object valid for ``schema``; raise :class:`AnswerInvalid`."""
    if not isinstance(value, dict):
        raise AnswerInvalid(f"the answer must be a JSON object, got {type(value).__name__}")
    key = key or schema_key(schema)
    fast = _fast_model(key)
    if fast is not None:
        try:
            fast.model_validate(value)
            return value
        except ValidationError:
            pass  # jsonschema decides and explains
    validator = _validator(key)
    if validator.is_valid(value):
        return value
    from jsonschema.exceptions import relevance

    errors = sorted(validator.iter_errors(value), key=relevance, reverse=True)
    problems = []
    for err in errors[:3]:
        where = "/".join(str(p) for p in err.absolute_path) or "the answer"
        problems.append(f"{where}: {err.message}")
    more = f" (and {len(errors) - 3} more)" if len(errors) > 3 else ""
    raise AnswerInvalid("; ".join(problems) + more)


@lru_cache(maxsize=512)
def _fast_model(key: str) -> type[BaseModel] | None:
    """A strict pydantic model accepting only what ``key``'s schema accepts, or None
    when the schema uses anything outside the subset translated here."""
    try:
        return _object_model(json.loads(key), "Answer")
    except _Unsupported:
        return None


class _Unsupported(Exception):
    pass


_IGNORED = {"title", "description", "default", "examples"}


def _object_model(schema: JsonSchema, name: str) -> type[BaseModel]:
    if schema.get("type") != "object" or set(schema) - _IGNORED - {
        "type",
        "properties",
        "required",
        "additionalProperties",
    }:
        raise _Unsupported
    extra = schema.get("additionalProperties", True)
    if extra not in (True, False):
        raise _Unsupported
    required = set(schema.get("required", []))
    fields: dict[str, Any] = {}
    for index, (prop, sub) in enumerate(schema.get("properties", {}).items()):
        annotation = _annotation(sub, f"{name}_{index}")
        default = ... if prop in required else None
        # Aliases keep any property name (even "json" or "model_config") usable.
        fields[f"f{index}"] = (annotation, Field(default, alias=prop))
    return create_model(  # type: ignore[call-overload]
        name,
        __config__=ConfigDict(strict=True, extra="forbid" if extra is False else "ignore"),
        **fields,
    )


def _annotation(schema: Any, name: str) -> Any:
    if not isinstance(schema, dict):
        raise _Unsupported
    keys = set(schema) - _IGNORED
    if "anyOf" in schema:
        options = schema["anyOf"]
        if keys != {"anyOf"} or len(options) != 2 or {"type": "null"} not in options:
            raise _Unsupported
        other = next(o for o in options if o != {"type": "null"})
        return _annotation(other, name) | None
    if "enum" in schema:
        values = schema["enum"]
        if keys - {"enum", "type"} or not values or not all(isinstance(v, str) for v in values):
            raise _Unsupported
        return Literal[tuple(values)]
    kind = schema.get("type")
    if kind == "array":
        if keys - {"type", "items"}:
            raise _Unsupported
        return list[_annotation(schema.get("items", {}), name)] if "items" in schema else list[Any]
    if kind == "object":
        return _object_model(schema, name)
    if keys != {"type"} or kind not in _SCALARS:
        raise _Unsupported
    return _SCALARS[kind]


_SCALARS: dict[str, Any] = {
    "string": StrictStr,
    "integer": StrictInt,
    "number": StrictFloat,
    "boolean": StrictBool,
}


@lru_cache(maxsize=512)
def _validator(key: str) -> Any:
    from jsonschema import Draft202012Validator

    return Draft202012Validator(json.loads(key))
