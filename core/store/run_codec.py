"""A run record as plain JSON and back, for the run store.

Everything a node record holds goes in, except ``partial`` (the parsed object
while streaming, which the final result replaces); states go as their names.
"""

from __future__ import annotations

from dataclasses import fields, is_dataclass
from typing import Any

from core.engine import record as rec
from core.engine.record import NodeRecord, NodeState, RunRecord

_NODE_FIELDS = tuple(f.name for f in fields(NodeRecord) if f.name != "partial")
_LISTS_OF = {"prompts": getattr(rec, "PromptRecord", None)}
"""Node record fields holding lists of records, and the class of each item."""


def record_to_json(record: RunRecord) -> dict[str, Any]:
    """``record`` as JSON-ready data. Values are shared, not copied (they are
    plain JSON already): a 128-node run with its prompts takes milliseconds."""
    nodes = []
    for node in record.nodes.values():
        item = {name: getattr(node, name) for name in _NODE_FIELDS}
        item["state"] = _plain(node.state)
        for name in _LISTS_OF:
            if item.get(name):
                item[name] = [_shallow(v) for v in item[name]]
        nodes.append(item)
    return {
        "run_id": record.run_id,
        "graph_name": record.graph_name,
        "status": record.status,
        "outputs": list(record.outputs),
        "duration": record.duration,
        "tokens_in": record.tokens_in,
        "tokens_out": record.tokens_out,
        "cost": record.cost,
        "events": record.events,
        "nodes": nodes,
    }


def record_from_json(data: dict[str, Any]) -> RunRecord:
    """The record ``data`` holds; fields this version does not know are ignored
    and missing ones keep their defaults (a store written by an older release)."""
    record = RunRecord(
        run_id=str(data.get("run_id", "")),
        graph_name=str(data.get("graph_name", "")),
        status=str(data.get("status", "failed")),
        outputs=tuple(data.get("outputs") or ()),
        duration=data.get("duration"),
        tokens_in=int(data.get("tokens_in") or 0),
        tokens_out=int(data.get("tokens_out") or 0),
        cost=data.get("cost"),
        events=int(data.get("events") or 0),
    )
    for item in data.get("nodes") or ():
        values = {k: v for k, v in item.items() if k in _NODE_FIELDS}
        for name, cls in _LISTS_OF.items():
            if cls is not None and isinstance(values.get(name), list):
                values[name] = [_rebuilt(cls, v) for v in values[name]]
        try:
            values["state"] = NodeState(values.get("state", "pending"))
        except ValueError:
            values["state"] = NodeState.PENDING
        node = NodeRecord(**values)
        record.nodes[node.node_id] = node
    return record


def _plain(value: Any) -> Any:
    return value.value if isinstance(value, NodeState) else value


def _shallow(value: Any) -> Any:
    """A dataclass as a dict of its fields (not a deep copy: asdict copies every
    message of every prompt, most of the cost of saving a run)."""
    if not is_dataclass(value):
        return value
    names = _FIELD_NAMES.get(type(value))
    if names is None:
        names = _FIELD_NAMES[type(value)] = tuple(f.name for f in fields(value))
    return {name: getattr(value, name) for name in names}


_FIELD_NAMES: dict[type, tuple[str, ...]] = {}


def _rebuilt(cls: type, value: Any) -> Any:
    if not isinstance(value, dict):
        return value
    known = {f.name for f in fields(cls)}
    try:
        return cls(**{k: v for k, v in value.items() if k in known})
    except TypeError:
        return value
