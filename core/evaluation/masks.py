"""Synalinks' field masks on plain JSON, as its rewards apply them.

``in_mask`` keeps the fields whose base name (see
:func:`~core.evaluation.field_names.base_key`) is listed or matches the
pattern, ``out_mask`` drops them; both walk into nested objects and into
objects inside lists. An ``in_mask`` that keeps nothing gives ``{}``, as in
Synalinks.
"""

from __future__ import annotations

import copy
import re
from typing import Any

from core.evaluation.field_names import base_key


def _walk(json: dict[str, Any], recursive: bool):
    stack = [json]
    while stack:
        current = stack.pop()
        yield current
        if not recursive:
            continue
        for value in current.values():
            if isinstance(value, dict):
                stack.append(value)
            elif isinstance(value, list):
                stack.extend(item for item in value if isinstance(item, dict))


def in_mask_json(
    json: dict[str, Any],
    mask: list[str] | None = None,
    pattern: str | None = None,
    recursive: bool = True,
) -> dict[str, Any]:
    """A copy of ``json`` keeping only the masked fields."""
    json = copy.deepcopy(json)
    if not mask and not pattern:
        return {}
    keep = {base_key(k) for k in mask or ()}
    compiled = re.compile(pattern) if pattern else None
    for current in _walk(json, recursive):
        kept = [
            key
            for key in current
            if base_key(key) in keep or (compiled is not None and compiled.search(base_key(key)))
        ]
        for key in set(current) - set(kept):
            del current[key]
    return json


def out_mask_json(
    json: dict[str, Any],
    mask: list[str] | None = None,
    pattern: str | None = None,
    recursive: bool = True,
) -> dict[str, Any]:
    """A copy of ``json`` without the masked fields."""
    json = copy.deepcopy(json)
    drop = {base_key(k) for k in mask or ()}
    compiled = re.compile(pattern) if pattern else None
    for current in _walk(json, recursive):
        gone = [
            key
            for key in current
            if base_key(key) in drop or (compiled is not None and compiled.search(base_key(key)))
        ]
        for key in gone:
            del current[key]
    return json


def apply_masks(
    y_true: Any,
    y_pred: Any,
    in_mask: list[str] | None = None,
    in_mask_pattern: str | None = None,
    out_mask: list[str] | None = None,
    out_mask_pattern: str | None = None,
) -> tuple[Any, Any]:
    """Both sides masked as ``synalinks.rewards.reward.apply_masks`` does
    (in-mask first, then out-mask; None stays None)."""
    if in_mask or in_mask_pattern:
        y_pred = in_mask_json(y_pred, in_mask, in_mask_pattern) if y_pred is not None else None
        y_true = in_mask_json(y_true, in_mask, in_mask_pattern) if y_true is not None else None
    if out_mask or out_mask_pattern:
        y_pred = out_mask_json(y_pred, out_mask, out_mask_pattern) if y_pred is not None else None
        y_true = out_mask_json(y_true, out_mask, out_mask_pattern) if y_true is not None else None
    return y_true, y_pred
