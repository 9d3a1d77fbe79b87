"""Running a Subgraph node: the definition's nodes run as a nested dataflow.

A nested :class:`~core.engine.scheduler.Scheduler` runs the definition with
the run's own model slots, clock, cache and options, so inner nodes overlap
with everything else exactly as the document's nodes do. Its events reach the
run's listeners with node ids that say where the node is
(``outerNodeId/innerNodeId``, deeper ``a/b/c``) and names likewise
(``outer/inner``), so the editor can show them when the subgraph is opened
and the CLI labels them. The Subgraph node then finishes with what reached
the definition's Outputs; if a node inside failed, the Subgraph node fails and
says which one.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.engine import events as ev
from core.engine.errors import NodeRunError
from core.engine.options import resolve_model
from core.engine.record import NodeState
from core.model.graph import Node
from core.model.subgraphs import ordered_outputs
from core.schemas.flow import FlowAnalysis

if TYPE_CHECKING:
    from core.engine.node_context import NodeContext
    from core.engine.scheduler import Scheduler

SEPARATOR = "/"


def inner_address(outer_id: str, inner_id: str) -> str:
    """The id run events give an inner node (``outer/inner``)."""
    return f"{outer_id}{SEPARATOR}{inner_id}"


async def run_subgraph(
    ctx: NodeContext, node: Node, definition_id: str, inputs: dict[str, list[Any]]
) -> dict[str, Any]:
    """Run the definition ``definition_id`` for the Subgraph ``node``; return its
    outputs by port (inner Output ids)."""
    from core.engine.scheduler import Scheduler, Topology

    parent: Scheduler = ctx.run
    definition = parent.graph.subgraphs.get(definition_id)
    flow = parent.flow.subflow(definition_id)
    if definition is None or flow is None:
        raise NodeRunError("node_error", f"{node.name}: its subgraph is missing from the run")
    topology = parent.nested_topologies.get(definition_id)
    if topology is None:
        topology = parent.nested_topologies[definition_id] = Topology(definition, flow)
    fed = {port: values[0] if values else None for port, values in inputs.items()}
    child = Scheduler(
        graph=definition,
        flow=flow,
        options=parent.options,
        client=parent.client,
        run_id=parent.run_id,
        inputs_by_node={
            p.id: fed.get(p.id) for p in definition.nodes.values() if p.type == "Input"
        },
        emit=_prefixed(parent.emit, node),
        topology=topology,
    )
    child.adopt(parent)
    await child.execute_nested()
    usage = ctx.usage
    usage.tokens_in = _add(usage.tokens_in, child.tokens_in)
    usage.tokens_out = _add(usage.tokens_out, child.tokens_out)
    usage.cost = child.cost if usage.cost is None else usage.cost + (child.cost or 0.0)
    failed = [nid for nid in child.order if child.state[nid] is NodeState.FAILED]
    if failed:
        names = ", ".join(definition.nodes[nid].name for nid in failed)
        raise NodeRunError(
            "node_error",
            f"{node.name}: {names} inside it failed (open the subgraph to see why)",
        )
    return {
        out.id: (
            child.results.get(out.id) if child.state.get(out.id) is NodeState.FINISHED else None
        )
        for out in ordered_outputs(definition)
    }


def _add(total: int | None, more: int) -> int | None:
    if not more:
        return total
    return (total or 0) + more


def _prefixed(emit: Any, outer: Node) -> Any:
    """``emit`` for a nested run: inner node ids and names get the outer node's
    in front, and the nested run's own start and end stay inside."""
    prefix_id, prefix_name = outer.id, outer.name

    def nested(event: ev.Event) -> None:
        if isinstance(event, (ev.RunStarted, ev.RunFinished)):
            return
        if isinstance(event, ev.NodeEvent):
            event.node_id = inner_address(prefix_id, event.node_id)
            event.node_name = f"{prefix_name}{SEPARATOR}{event.node_name}"
            if isinstance(event, ev.NodeSkipped):
                event.cause_id = inner_address(prefix_id, event.cause_id)
                event.cause_name = f"{prefix_name}{SEPARATOR}{event.cause_name}"
        emit(event)

    return nested


def models_inside(
    flow: FlowAnalysis, node_ids: Any, default: str, override: str | None
) -> set[str]:
    """The models the Subgraph nodes among ``node_ids`` call inside (at any depth),
    so a run warms their routes before its clock starts."""
    found: set[str] = set()
    seen: set[str] = set()
    stack = [
        flow.params[nid].definition  # type: ignore[attr-defined]
        for nid in node_ids
        if nid in flow.types and flow.types[nid].runs_subgraph and nid in flow.params
    ]
    while stack:
        definition_id = stack.pop()
        if definition_id in seen:
            continue
        seen.add(definition_id)
        inner = flow.subflow(definition_id)
        if inner is None:
            continue
        for nid, node_type in inner.types.items():
            params = inner.params.get(nid)
            if params is None:
                continue
            if node_type.uses_language_model:
                found.add(resolve_model(getattr(params, "language_model", ""), default, override))
            elif node_type.runs_subgraph:
                stack.append(params.definition)  # type: ignore[attr-defined]
    return found
