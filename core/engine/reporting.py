"""Events whose content both backends compute the same way.

The built-in scheduler and the Synalinks backend's translator each keep
their own per-node state, but the end of a run and a skipped node must read
the same whichever ran: the counts per state, the wording of "not run
because X failed (through Y)". Built once here, per run or per node, never
per token.
"""

from __future__ import annotations

from collections.abc import Iterable
from typing import Any

from core.engine import events as ev
from core.engine.record import NodeState


def run_finished(
    run_id: str,
    elapsed: float,
    status: str,
    outputs: tuple[Any, ...],
    states: Iterable[NodeState],
    tokens_in: int,
    tokens_out: int,
    cost: float | None,
) -> ev.RunFinished:
    counts: dict[str, int] = {}
    for state in states:
        counts[state.value] = counts.get(state.value, 0) + 1
    return ev.RunFinished(
        run_id=run_id,
        elapsed=elapsed,
        status=status,  # type: ignore[arg-type]
        outputs=outputs,
        duration=elapsed,
        tokens_in=tokens_in,
        tokens_out=tokens_out,
        cost=cost,
        counts=counts,
    )


def node_skipped(
    run_id: str, elapsed: float, node_id: str, names: dict[str, str], root: str, blocker: str
) -> ev.NodeSkipped:
    """``node_id`` did not run because ``root`` failed, reached through ``blocker``
    (its own failed or skipped input); ``names`` maps node ids to names."""
    via = "" if root == blocker else f" (through {names[blocker]})"
    return ev.NodeSkipped(
        run_id=run_id,
        elapsed=elapsed,
        node_id=node_id,
        node_name=names[node_id],
        reason=f"not run because {names[root]} failed{via}",
        cause_id=root,
        cause_name=names[root],
    )
