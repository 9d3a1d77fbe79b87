"""The engine's front door: check a graph, run it, watch it, cancel it."""

from __future__ import annotations

import asyncio
import logging
import uuid
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from core.engine import events as ev
from core.engine.errors import RunRefused
from core.engine.model_client import ModelClient
from core.engine.options import RunOptions
from core.engine.record import RunRecord
from core.engine.runnable import copy_graph, runnable_part
from core.engine.scheduler import Scheduler, Topology
from core.engine.scope import Plan, RunScope, plan_run
from core.model.graph import Graph
from core.program_input import resolve_inputs
from core.registry.registry import Registry
from core.schemas.flow import FlowAnalysis
from core.validation import blocking, validate

log = logging.getLogger(__name__)

Listener = Callable[[ev.Event], None]


@dataclass(frozen=True)
class PreparedRun:
    """A graph snapshot that passed validation, with its checked inputs."""

    graph: Graph
    flow: FlowAnalysis
    inputs_by_node: dict[str, dict[str, Any]]
    inputs_by_name: dict[str, Any]
    topology: Topology
    plan: Plan | None = None
    scope: RunScope | None = None

    @property
    def presets(self) -> dict:
        """Nodes that hand on a pinned or earlier value instead of running."""
        return self.plan.presets if self.plan is not None else {}


class Runner:
    """What every backend shares: ``run`` to the end or ``start`` as a task, each
    over :meth:`prepare` (the backend's own checks) and :meth:`_execute` (its way
    of running), with a listener that hears every event after the record does."""

    options: RunOptions
    task_prefix = "run"

    def prepare(self, graph: Graph, inputs: Any | None = None) -> PreparedRun:
        raise NotImplementedError

    async def _execute(
        self,
        prepared: PreparedRun,
        record: RunRecord,
        listener: Listener | None,
        options: RunOptions,
    ) -> RunRecord:
        raise NotImplementedError

    async def run(
        self,
        graph: Graph | PreparedRun,
        inputs: Any | None = None,
        listener: Listener | None = None,
        *,
        options: RunOptions | None = None,
    ) -> RunRecord:
        """Run to the end and return the record. Cancelling the awaiting task cancels
        the run: unfinished nodes get ``NodeCancelled``, then ``RunFinished`` with
        status ``cancelled``, then ``CancelledError`` propagates."""
        prepared = graph if isinstance(graph, PreparedRun) else self.prepare(graph, inputs)
        record = RunRecord(run_id=uuid.uuid4().hex)
        await self._execute(prepared, record, listener, options or self.options)
        return record

    def start(
        self,
        graph: Graph | PreparedRun,
        inputs: Any | None = None,
        listener: Listener | None = None,
        *,
        options: RunOptions | None = None,
    ) -> RunHandle:
        """Start a run as a task on the running loop and return its handle at once
        (checks happen first, so a bad graph or input raises here)."""
        prepared = graph if isinstance(graph, PreparedRun) else self.prepare(graph, inputs)
        record = RunRecord(run_id=uuid.uuid4().hex)
        task = asyncio.get_running_loop().create_task(
            self._execute(prepared, record, listener, options or self.options),
            name=f"{self.task_prefix} {prepared.graph.meta.name}",
        )
        return RunHandle(record, task)


def emitter(record: RunRecord, listener: Listener | None) -> Callable[[ev.Event], None]:
    """Apply each event to ``record``, then tell ``listener`` (whose exceptions are
    logged, never allowed to break the run)."""

    def emit(event: ev.Event) -> None:
        record.apply(event)
        if listener is not None:
            try:
                listener(event)
            except Exception:  # a broken listener must not break the run
                log.exception("run listener failed on %s", event.kind)

    return emit


class Engine(Runner):
    """Runs graphs. One engine can run many graphs, one after another or at once.

    ``model_client`` is the seam for model calls; by default every call goes
    through litellm (imported on first use, in a worker thread).
    """

    def __init__(
        self,
        registry: Registry,
        options: RunOptions | None = None,
        *,
        model_client: ModelClient | None = None,
    ) -> None:
        self.registry = registry
        self.options = options or RunOptions()
        self._client = model_client

    @property
    def model_client(self) -> ModelClient:
        if self._client is None:
            from core.engine.litellm_client import LiteLLMClient

            self._client = LiteLLMClient()
        return self._client

    def prepare(
        self, graph: Graph, inputs: Any | None = None, scope: RunScope | None = None
    ) -> PreparedRun:
        """Snapshot and check ``graph`` and ``inputs`` without running anything.

        Raises :class:`RunRefused` (validation errors),
        :class:`~core.engine.errors.InputError` (input not fitting the Input data
        model) or :class:`~core.engine.scope.ScopeError` (a run from a node whose
        upstream values no earlier run has).
        """
        prepared = prepare_run(graph, self.registry, inputs, scope)
        elsewhere = synalinks_only(prepared.graph, self.registry)
        if elsewhere:
            raise RunRefused(elsewhere)
        return prepared

    async def _execute(
        self,
        prepared: PreparedRun,
        record: RunRecord,
        listener: Listener | None,
        options: RunOptions,
    ) -> RunRecord:
        emit = emitter(record, listener)
        scheduler = Scheduler(
            graph=prepared.graph,
            flow=prepared.flow,
            options=options,
            client=self.model_client,
            run_id=record.run_id,
            inputs_by_node=prepared.inputs_by_node,
            emit=emit,
            topology=prepared.topology,
            presets=prepared.presets,
        )
        try:
            await scheduler.execute(prepared.inputs_by_name)
        finally:
            if scheduler.cache is not None:
                scheduler.cache.flush()  # one write per run, cancelled runs included
        return record


class RunHandle:
    """A run started with :meth:`Engine.start`: its live record, cancel, wait."""

    def __init__(self, record: RunRecord, task: asyncio.Task[RunRecord]) -> None:
        self.record = record
        self.task = task

    @property
    def run_id(self) -> str:
        return self.record.run_id

    def cancel(self) -> None:
        """Ask the run to stop: in-flight model calls are cancelled at once."""
        self.task.cancel()

    def done(self) -> bool:
        return self.task.done()

    async def wait(self) -> RunRecord:
        """The finished record (status ``cancelled`` after :meth:`cancel`)."""
        try:
            return await asyncio.shield(self.task)
        except asyncio.CancelledError:
            if not self.task.cancelled():
                raise  # the waiter itself was cancelled, not the run
            if self.record.status == "running":
                self.record.status = "cancelled"  # cancelled before it began
            return self.record

    def __await__(self):
        return self.wait().__await__()


def prepare_run(
    graph: Graph, registry: Registry, inputs: Any | None = None, scope: RunScope | None = None
) -> PreparedRun:
    """Snapshot the part of ``graph`` that reaches an Output, refuse it on its
    validation errors, check ``inputs``: what every backend does before it runs
    anything (see :meth:`Engine.prepare`). Nodes that reach no Output are left
    out of the snapshot, so they neither run nor block the run with their errors
    (see :mod:`core.engine.runnable`). ``scope`` narrows the run to what leads to
    a node, or to a node and its dependents; pinned nodes never run (see
    :mod:`core.engine.scope`)."""
    for ref in (scope.to_node, scope.from_node) if scope is not None else ():
        if ref and ref not in graph.nodes:
            raise ValueError(f"no node with id {ref!r} in the graph")
    snapshot, flow = runnable_part(graph, registry, scope.targets(graph) if scope else None)
    errors = blocking(snapshot, validate(snapshot, registry, flow))
    if scope is not None and scope.to_node:  # the run reaches its node, not an Output
        errors = [d for d in errors if d.code != "no_output"]
    if errors:
        raise RunRefused(errors)
    by_node = resolve_inputs(snapshot, inputs)
    by_name = {snapshot.nodes[nid].name: value for nid, value in by_node.items()}
    plan = plan_run(snapshot, flow, scope)
    topology = Topology(snapshot, flow, plan)
    return PreparedRun(snapshot, flow, by_node, by_name, topology, plan, scope)


SYNALINKS_ONLY = "synalinks-only"


def synalinks_only(graph: Graph, registry: Registry) -> list:
    """One error per node whose type the built-in engine does not run (a Synalinks
    module it does not imitate): such graphs run on the Synalinks backend."""
    from core.diagnostics import error

    return [
        error(
            SYNALINKS_ONLY,
            f"{node.name}: synalinks.{node.type} runs only on the Synalinks backend; choose "
            "Synalinks in the toolbar (or run with --backend synalinks)",
            node.id,
        )
        for node in graph.nodes.values()
        if node.type in registry and not getattr(registry.get(node.type), "builtin_runs", True)
    ]


def snapshot_graph(graph: Graph) -> Graph:
    """A private copy to run, so edits made in the editor during a run cannot
    change what the run sees (and the run never writes to the editor's graph)."""
    return copy_graph(graph)
