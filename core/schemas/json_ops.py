"""Concatenation of data models, as Synalinks does it, for schemas and for values.

Synalinks' merges (Concat, And, Or, Xor) fold their inputs pairwise with these
rules: the properties of both sides in order, and a clashing key gets the first
free suffix ``_1``, ``_2``... (``answer``, ``answer`` -> ``answer``, ``answer_1``).
Our engine must give byte-identical results to an exported program, so the
rules live here once and both schema inference and execution call them.
"""

from __future__ import annotations

import copy
from typing import Any

JsonObject = dict[str, Any]


def _free_key(key: str, taken: dict[str, Any]) -> str:
    if key not in taken:
        return key
    n = 1
    while f"{key}_{n}" in taken:
        n += 1
    return f"{key}_{n}"


def concat_json(left: JsonObject, right: JsonObject) -> JsonObject:
    """Merge two JSON objects; clashing keys of ``right`` get a numeric suffix."""
    result: JsonObject = {}
    for source in (left, right):
        for key, value in source.items():
            result[_free_key(key, result)] = copy.deepcopy(value)
    return result


def concat_schema(left: JsonObject, right: JsonObject) -> JsonObject:
    """Merge two object schemas the way Synalinks' ``concatenate_schema`` does.

    The result is a new schema whose property entries are fresh dicts, but the
    values nested inside them (``items``, ``enum`` lists, ``$defs`` entries) are
    shared with the inputs: schemas are values that nobody mutates, and a deep
    copy per merge made schema flow quadratic on long merge chains.
    """
    result: JsonObject = {"additionalProperties": False}
    defs = {**left.get("$defs", {}), **right.get("$defs", {})}
    if defs:
        result["$defs"] = defs  # second, where Synalinks puts it
    result["properties"] = {}
    result["required"] = []
    result["title"] = left.get("title")
    result["type"] = "object"
    # Synalinks marks a key required when either side lists it as required,
    # whichever side the property came from; mirror that exactly.
    required = set(left.get("required", ()))
    required.update(right.get("required", ()))
    properties = result["properties"]
    required_out = result["required"]
    for source in (left.get("properties", {}), right.get("properties", {})):
        for key, prop in source.items():
            if key in properties:
                new_key = _free_key(key, properties)
                prop = {**prop, "title": new_key.title().replace("_", " ")}
            else:
                new_key, prop = key, dict(prop)
            properties[new_key] = prop
            if key in required:
                required_out.append(new_key)
    return result


def prepend_fields(schema: JsonObject, fields: JsonObject, required: list[str]) -> JsonObject:
    """A copy of ``schema`` with ``fields`` (name -> property schema) placed first."""
    head: JsonObject = {"properties": fields, "required": required}
    merged = concat_schema(head, schema)
    merged["title"] = schema.get("title")
    if "description" in schema:
        merged["description"] = schema["description"]
    return merged


def fold(values: list[Any], step) -> Any:
    """Fold ``values`` left to right with ``step`` (Synalinks merges pairwise)."""
    result = values[0]
    for value in values[1:]:
        result = step(result, value)
    return result
