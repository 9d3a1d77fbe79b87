"""What part of a graph one run executes, and which nodes hand on a value without running.

A whole run executes what reaches an Output. "Run to here" executes only what
leads to one node. "Run from here" executes one node and its dependents: the
nodes that feed them from outside get their outputs from an earlier run
(``RunScope.seeds`` looks them up), and the run is refused, naming them, when
one has none. A pinned node never runs in any of them: it hands on the output
pinned on it, and whatever only fed it is left out, so nothing upstream of a
pin calls a model.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

from core.model.graph import Graph
from core.nodes.program_io import RESULT_KEY
from core.schemas.flow import FlowAnalysis


@dataclass(frozen=True, slots=True)
class Seed:
    """A node's outputs (``{port: value}``) and result from an earlier run."""

    outputs: dict[str, Any]
    result: Any
    run_id: str | None = None


SeedLookup = Callable[[Sequence[str]], Mapping[str, Seed]]
"""Given node ids, the earlier values found for them (those with none are left out)."""


@dataclass(frozen=True, slots=True)
class RunScope:
    """``to_node`` or ``from_node`` (node ids; at most one), and for a run from a
    node, where the values of the nodes feeding it come from."""

    to_node: str | None = None
    from_node: str | None = None
    seeds: SeedLookup | None = None

    def __post_init__(self) -> None:
        if self.to_node and self.from_node:
            raise ValueError("a run goes either to a node or from a node, not both")

    @property
    def whole(self) -> bool:
        return not self.to_node and not self.from_node

    def targets(self, graph: Graph) -> list[str] | None:
        """What the runnable part must reach (None: the Outputs)."""
        if self.to_node:
            return [self.to_node]
        if self.from_node:
            outputs = [n.id for n in graph.nodes.values() if n.type == "Output"]
            return [*outputs, self.from_node]
        return None


@dataclass(frozen=True, slots=True)
class Preset:
    """A node that hands on a value without running: pinned, or reused from an earlier run."""

    outputs: dict[str, Any]
    result: Any
    pinned: bool = False
    reused_from: str | None = None


@dataclass(slots=True)
class Plan:
    """The nodes one run executes (``scheduled``) and those of them with a preset value."""

    scheduled: set[str]
    presets: dict[str, Preset] = field(default_factory=dict)


class ScopeError(ValueError):
    """A run from a node that cannot start (``str()`` is the sentence to show)."""

    def __init__(self, message: str, missing: Sequence[str] = ()) -> None:
        super().__init__(message)
        self.missing = tuple(missing)


def resolve_node(graph: Graph, ref: str) -> str:
    """The id of the node named ``ref`` (or with id ``ref``); ValueError naming the
    nodes there are when none is."""
    if ref in graph.nodes:
        return ref
    node = graph.node_by_name(ref)
    if node is not None:
        return node.id
    names = sorted(n.name for n in graph.nodes.values())
    shown = ", ".join(names[:12]) + (f" and {len(names) - 12} more" if len(names) > 12 else "")
    raise ValueError(f"the graph has no node named {ref!r}; its nodes are {shown}")


def describe_scope(graph: Graph, scope: RunScope | None) -> str:
    """``to NAME`` / ``from NAME`` (empty for a whole run), as lists of runs show it."""
    if scope is None or scope.whole:
        return ""
    nid = scope.to_node or scope.from_node
    name = graph.nodes[nid].name if nid in graph.nodes else nid
    return f"{'to' if scope.to_node else 'from'} {name}"


def pinned_preset(outputs: dict[str, Any]) -> Preset:
    return Preset(dict(outputs), result_of(outputs), pinned=True)


def result_of(outputs: dict[str, Any]) -> Any:
    """What a result panel shows for these outputs (as the scheduler decides it)."""
    if RESULT_KEY in outputs:
        return outputs[RESULT_KEY]
    if "output" in outputs:
        return outputs["output"]
    return next(iter(outputs.values()), None) if len(outputs) == 1 else dict(outputs)


def plan_run(graph: Graph, flow: FlowAnalysis, scope: RunScope | None) -> Plan:
    """The nodes of ``graph`` (a runnable part) the run executes, and the presets
    among them. Raises :class:`ScopeError` when a run from a node lacks the
    earlier value of a node feeding it."""
    scope = scope or RunScope()
    presets: dict[str, Preset] = {
        nid: pinned_preset(node.pinned)
        for nid, node in graph.nodes.items()
        if node.pinned is not None
    }
    allowed: set[str] | None = None
    sinks: list[str]
    boundary: set[str] = set()
    if scope.from_node:
        start = scope.from_node
        downstream = _descendants(flow, start)
        boundary = {
            p for d in downstream for p in flow.predecessors.get(d, ()) if p not in downstream
        }
        allowed = downstream | boundary
        sinks = [n for n in downstream if flow.types[n].is_program_output] + [start]
        for nid in boundary:
            presets.setdefault(nid, Preset({}, None))  # a placeholder until the seeds come
    elif scope.to_node:
        sinks = [scope.to_node] + [n.id for n in graph.nodes.values() if n.type == "Input"]
    else:
        sinks = [nid for nid, t in flow.types.items() if t.is_program_output or t.is_program_input]
    needed = _needed(graph, flow, sinks, presets, allowed)
    wanted = sorted(
        (n for n in boundary & needed if not presets[n].pinned),
        key=lambda n: flow.order.index(n) if n in flow.order else 0,
    )
    if wanted:
        found = dict(scope.seeds(wanted)) if scope.seeds is not None else {}
        missing = [n for n in wanted if n not in found]
        if missing:
            names = [graph.nodes[n].name for n in missing]
            listed = ", ".join(names)
            start_name = graph.nodes[scope.from_node].name  # type: ignore[index]
            raise ScopeError(
                f"Run from {start_name} needs the output of {listed} from an earlier run, and "
                f"no earlier run of this graph has {'it' if len(names) == 1 else 'them'}: run "
                f"to {names[0]} first (or run the whole graph), then run from {start_name} again.",
                missing,
            )
        for nid in wanted:
            seed = found[nid]
            presets[nid] = Preset(dict(seed.outputs), seed.result, reused_from=seed.run_id)
    return Plan(needed, {n: p for n, p in presets.items() if n in needed})


def _descendants(flow: FlowAnalysis, start: str) -> set[str]:
    seen = {start}
    stack = [start]
    while stack:
        for succ in flow.successors.get(stack.pop(), ()):
            if succ not in seen:
                seen.add(succ)
                stack.append(succ)
    return seen


def _needed(
    graph: Graph,
    flow: FlowAnalysis,
    sinks: list[str],
    presets: Mapping[str, Preset],
    allowed: set[str] | None,
) -> set[str]:
    """``sinks`` and what they need, walking up and stopping at presets; a Branch
    that runs brings the module on each of its labels (it routes to them)."""
    needed: set[str] = set()
    stack = [n for n in sinks if n in graph.nodes and (allowed is None or n in allowed)]
    while stack:
        nid = stack.pop()
        if nid in needed:
            continue
        needed.add(nid)
        if nid in presets:
            continue
        stack.extend(flow.predecessors.get(nid, ()))
        for port in flow.output_ports(nid):
            if port.role == "branch":
                stack.extend(
                    e.target
                    for e in graph.outgoing(nid, port.name)
                    if allowed is None or e.target in allowed
                )
    return needed
