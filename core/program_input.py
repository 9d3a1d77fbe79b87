"""A program's input, checked against the Input nodes' data models.

The engine checks a run's input with it before anything runs, and validation
checks the graph's example input with it, so both agree on the contract.

With one Input node the input is that data model as a JSON object; with
several, an object keyed by Input node name. Without an input the graph's
``example_input`` is used. A bad input is an :class:`InputError` whose message
names the field and shows what is expected.
"""

from __future__ import annotations

import json
from typing import Any

from pydantic import ValidationError

from core.model.data_models import DataModelError
from core.model.graph import Graph, Node
from core.nodes.program_io import program_inputs


class InputError(ValueError):
    """The run's input does not fit the Input data model(s); the run never started."""


def resolve_inputs(graph: Graph, given: Any | None) -> dict[str, dict[str, Any]]:
    """Input node id -> validated value (as JSON)."""
    nodes = program_inputs(graph)
    data = graph.meta.example_input if given is None else given
    if not isinstance(data, dict):
        raise InputError(
            f"the input must be a JSON object, got {type(data).__name__}: {_short(data)}"
        )
    if len(nodes) == 1:
        node = nodes[0]
        value = data
        fields = _field_names(graph, node)
        if (
            set(data) == {node.name}
            and node.name not in fields
            and isinstance(data[node.name], dict)
        ):
            value = data[node.name]  # also accept {"<input name>": {...}}
        return {node.id: _validated(graph, node, value)}
    names = {n.name: n for n in nodes}
    unknown = sorted(set(data) - set(names))
    if unknown:
        raise InputError(
            f"the input names {', '.join(map(repr, unknown))}, which are not Input nodes; "
            f"with several Input nodes give an object keyed by their names: {sorted(names)}"
        )
    missing = [name for name in names if name not in data]
    if missing:
        raise InputError(
            f"the input has no value for Input node(s) {', '.join(map(repr, missing))}; "
            f"give an object keyed by Input name: {sorted(names)}"
        )
    return {n.id: _validated(graph, n, data[n.name], prefix=f"{n.name}: ") for n in nodes}


def _validated(graph: Graph, node: Node, value: Any, prefix: str = "") -> dict[str, Any]:
    name = node.params.get("data_model", "")
    spec = graph.data_models.get(name)
    if spec is None:
        raise InputError(
            f"{prefix}Input {node.name!r} uses data model {name!r}, which does not exist"
        )
    if not isinstance(value, dict):
        raise InputError(f"{prefix}the input for {name} must be a JSON object, got {_short(value)}")
    try:
        model = spec.to_pydantic(graph.data_models).model_validate(value)
    except DataModelError as exc:
        raise InputError(f"{prefix}{exc}") from None
    except ValidationError as exc:
        problems = []
        for err in exc.errors()[:5]:
            where = ".".join(str(p) for p in err.get("loc", ())) or name
            problems.append(f"{where}: {err.get('msg')}")
        example = {f.name: f"<{f.type_label()}>" for f in spec.fields}
        raise InputError(
            f"{prefix}the input does not fit the data model {name}: {'; '.join(problems)}. "
            f"Expected an object like {json.dumps(example)}"
        ) from None
    return model.model_dump(mode="json")


def _field_names(graph: Graph, node: Node) -> set[str]:
    spec = graph.data_models.get(node.params.get("data_model", ""))
    return {f.name for f in spec.fields} if spec else set()


def _short(value: Any) -> str:
    text = json.dumps(value, default=str)
    return text if len(text) <= 80 else text[:77] + "..."
