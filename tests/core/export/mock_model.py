"""A deterministic stand-in for a language model: it fills the requested JSON schema.

Used on both sides of the comparisons: inside the real-synalinks subprocess
(patched over ``litellm.acompletion``) and in-process for our engine. It is
plain standard library so both interpreters can import it. Values depend only
on the schema (property names, types, enum values), never on the prompt, so
two programs that send the same schemas get the same answers; enum choices
are spread over the labels (not always the first) so Branches take different
routes in different graphs.
"""

from __future__ import annotations

import json
from typing import Any


def fill_schema(schema: dict[str, Any], defs: dict[str, Any] | None = None) -> Any:
    """A value valid for ``schema`` (objects, arrays, enums and single-value
    ``const`` enums, scalars, optionals, $refs)."""
    defs = {**(defs or {}), **schema.get("$defs", {})}
    if "$ref" in schema:
        return fill_schema(defs[schema["$ref"].rsplit("/", 1)[-1]], defs)
    if "const" in schema:
        return schema["const"]
    if "enum" in schema:
        choices = list(schema["enum"])
        return choices[sum(len(str(c)) for c in choices) % len(choices)]
    if "anyOf" in schema:
        options = [s for s in schema["anyOf"] if s.get("type") != "null"]
        return fill_schema(options[0], defs) if options else None
    kind = schema.get("type")
    if kind == "object" or "properties" in schema:
        return {
            name: _fill_property(name, prop, defs)
            for name, prop in schema.get("properties", {}).items()
        }
    if kind == "array":
        return [fill_schema(schema.get("items", {"type": "string"}), defs)]
    return _scalar(kind, "value")


def _fill_property(name: str, prop: dict[str, Any], defs: dict[str, Any]) -> Any:
    """Scalars are named after their property so outputs show where they came from."""
    kind = prop.get("type")
    items = prop.get("items", {})
    if kind in _SCALARS and not _special(prop):
        return _scalar(kind, name)
    if kind == "array" and items.get("type") in _SCALARS and not _special(items):
        return [_scalar(items["type"], name)]
    return fill_schema(prop, defs)


_SCALARS = ("string", "integer", "number", "boolean")


def _special(schema: dict[str, Any]) -> bool:
    return any(key in schema for key in ("const", "enum", "$ref", "anyOf"))


def _scalar(kind: str | None, name: str) -> Any:
    if kind == "integer":
        return len(name)
    if kind == "number":
        return len(name) / 4
    if kind == "boolean":
        return len(name) % 2 == 0
    return f"mock {name}"


def requested_schema(kwargs: dict[str, Any]) -> dict[str, Any]:
    """The JSON schema of a litellm ``response_format`` argument."""
    response_format = kwargs.get("response_format") or {}
    json_schema = response_format.get("json_schema") or {}
    return json_schema.get("schema") or response_format.get("schema") or {}


def completion_response(kwargs: dict[str, Any]) -> dict[str, Any]:
    """What ``litellm.acompletion`` returns (non-streaming) for a request."""
    content = json.dumps(fill_schema(requested_schema(kwargs)))
    return {"choices": [{"message": {"content": content}, "finish_reason": "stop"}]}
