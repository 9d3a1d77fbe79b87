"""Whether a node can be pinned, and whether a hand-written output fits it.

A pinned node does not run: a run hands its pinned value on as if the node had
produced it. The value is checked against the schema of each output port (the
node's data model) before it is pinned (the editor's dialog), live while the
graph is edited (Problems), and again before each run, since its data model
may have changed since.
"""

from __future__ import annotations

from typing import Any

from core.diagnostics import Diagnostic, error
from core.model.graph import Graph
from core.schemas.flow import FlowAnalysis

PINNED_OUTPUT = "pinned_output"


def pin_checks(graph: Graph, flow: FlowAnalysis) -> list[Diagnostic]:
    """One error per pinned node whose pinned output does not fit it (any more)."""
    found: list[Diagnostic] = []
    for node in graph.nodes.values():
        if node.pinned is not None and node.id in flow.types:
            problem = pin_problem(flow, node.id, node.pinned)
            if problem:
                found.append(error(PINNED_OUTPUT, f"{problem} Edit the pin or unpin it.", node.id))
    return found


def pinnable_ports(flow: FlowAnalysis, node_id: str) -> list[str] | str:
    """The output ports a pin of ``node_id`` fills, or why it cannot be pinned."""
    node_type = flow.types.get(node_id)
    if node_type is None:
        return "its type or parameters are not valid; fix them first"
    if node_type.is_program_output:
        return "an Output passes its input on; pin the node that feeds it"
    if node_type.is_program_input:
        return "an Input takes the run's input; give that input when you run"
    ports = flow.output_ports(node_id)
    if not ports:
        return "it has no output"
    if any(p.role == "branch" for p in ports):
        return "a Branch routes rather than answers; pin the module on a label instead"
    return [p.name for p in ports]


def pin_problem(flow: FlowAnalysis, node_id: str, outputs: Any) -> str | None:
    """Why ``outputs`` (``{port: value}``) cannot be the pinned output of
    ``node_id``, in one sentence; None when it fits every port's schema."""
    node = flow.graph.nodes.get(node_id)
    name = node.name if node is not None else node_id
    ports = pinnable_ports(flow, node_id)
    if isinstance(ports, str):
        return f"{name} cannot be pinned: {ports}."
    if not isinstance(outputs, dict):
        return f"{name}: a pinned output is an object keyed by output port ({', '.join(ports)})."
    unknown = sorted(set(outputs) - set(ports))
    if unknown:
        return (
            f"{name} has no output port {', '.join(map(repr, unknown))}; "
            f"its ports are {', '.join(ports)}."
        )
    for port in ports:
        if port not in outputs:
            return f"{name}: the pinned output has no value for port {port!r}."
        problem = value_problem(flow.schemas.get((node_id, port)), outputs[port])
        if problem:
            where = "" if len(ports) == 1 else f" (port {port})"
            return f"{name}'s pinned output{where} does not fit its data model: {problem}."
    return None


def value_problem(schema: dict[str, Any] | None, value: Any) -> str | None:
    """Why ``value`` does not fit the JSON ``schema`` (None: it fits, or no schema is known)."""
    if schema is None:
        return None
    from jsonschema import Draft202012Validator

    error = next(iter(sorted(Draft202012Validator(schema).iter_errors(value), key=_depth)), None)
    if error is None:
        return None
    where = "/".join(str(p) for p in error.absolute_path)
    return f"{where + ': ' if where else ''}{error.message}"


def _depth(error: Any) -> tuple[int, str]:
    return (len(error.absolute_path), error.message)
