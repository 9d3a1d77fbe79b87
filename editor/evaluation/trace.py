"""One evaluated example as a run the results area and the canvas can show.

The store keeps each row's trace per node name (state, result, time,
tokens, cost, error); this rebuilds a :class:`~core.engine.record.RunRecord`
on a copy of the window's graph, matching nodes by name, so the canvas
paints the example's node states and outputs exactly as after a single run.
The row keeps each node's duration, not its start: nodes are laid on the
timeline in dataflow order (each starts when the last node feeding it ended).
"""

from __future__ import annotations

from typing import Any

from core.engine.record import NodeRecord, NodeState, RunRecord
from core.engine.runnable import copy_graph
from core.store.evaluations import EvalMeta, EvalRow

RUN_STATUS = {"scored": "succeeded", "failed": "failed", "invalid": "failed"}


def trace_record(graph: Any, meta: EvalMeta, row: EvalRow) -> RunRecord:
    trace = row.trace if isinstance(row.trace, dict) else {}
    record = RunRecord(
        run_id=f"eval-{meta.id}-{row.index}",
        graph_name=meta.graph_name,
        status=RUN_STATUS.get(row.status, "failed"),
        outputs=(row.predicted,) if row.predicted is not None else (),
        duration=row.duration,
        tokens_in=int(row.tokens_in or 0),
        tokens_out=int(row.tokens_out or 0),
        cost=row.cost,
    )
    ends: dict[str, float] = {}
    for node_id in _dataflow_order(graph):
        node = graph.nodes[node_id]
        step = trace.get(node.name)
        if not isinstance(step, dict):
            continue
        try:
            state = NodeState(str(step.get("state") or "pending"))
        except ValueError:
            state = NodeState.PENDING
        duration = step.get("duration")
        start = max((ends.get(e.source, 0.0) for e in graph.incoming(node_id)), default=0.0)
        end = start + float(duration or 0.0)
        ends[node_id] = end
        result = step.get("result")
        outputs: dict[str, Any] = {}
        if state is NodeState.FINISHED and result is not None:
            outputs = {edge.source_port: result for edge in graph.outgoing(node_id)}
        ran = state in (NodeState.FINISHED, NodeState.FAILED, NodeState.CANCELLED)
        record.nodes[node_id] = NodeRecord(
            node_id=node_id,
            node_name=node.name,
            state=state,
            started_at=start if ran else None,
            ended_at=end if ran else None,
            outputs=outputs,
            result=result,
            error=step.get("error"),
            tokens_in=step.get("tokens_in"),
            tokens_out=step.get("tokens_out"),
            cost=step.get("cost"),
            duration=duration,
            cached=bool(step.get("cached")),
        )
    return record


def trace_entry(document: Any, meta: EvalMeta, row: EvalRow, model_label: str):
    """A results entry for ``row`` of evaluation ``meta``, bound to ``document``."""
    from editor.run.history import RunEntry

    graph = copy_graph(document.graph)
    inputs = row.inputs if isinstance(row.inputs, dict) else {"input": row.inputs}
    entry = RunEntry(
        number=0,
        graph=graph,
        inputs=inputs,
        model_label=model_label,
        model_override=None,
        document_name=document.display_name(),
        backend=str(meta.config.get("backend") or "builtin"),
        started_wall=row.finished_at or meta.updated_at,
        record=trace_record(graph, meta, row),
        label=f"Row {row.index + 1} of evaluation {meta.id[:8]}",
    )
    entry.bind_document(document)
    return entry


def _dataflow_order(graph: Any) -> list[str]:
    """Node ids with every node after those feeding it (cycles: file order)."""
    waiting = {nid: {e.source for e in graph.incoming(nid)} for nid in graph.nodes}
    order: list[str] = []
    ready = [nid for nid, deps in waiting.items() if not deps]
    placed: set[str] = set()
    while ready:
        nid = ready.pop(0)
        if nid in placed:
            continue
        placed.add(nid)
        order.append(nid)
        for edge in graph.outgoing(nid):
            deps = waiting.get(edge.target)
            if deps is not None:
                deps.discard(nid)
                if not deps and edge.target not in placed:
                    ready.append(edge.target)
    order.extend(nid for nid in graph.nodes if nid not in placed)
    return order
