"""Dataflow scheduling of one run.

Each node starts the moment its last input is ready (no levels, no barriers),
as its own asyncio task, so independent branches overlap and an uneven fork
is never held back by a slower sibling. Language-model nodes also wait for a
slot of the run-wide concurrency limit. A failed node's dependents are
skipped while independent branches go on. Cancelling the run cancels every
node task (stopping their model calls) and marks what had not ended as
cancelled. Every state change is one event, emitted in order.
"""

from __future__ import annotations

import asyncio
import logging
from collections.abc import Callable
from typing import Any

from core.engine import events as ev
from core.engine.cache_key import node_cache_key
from core.engine.errors import NodeRunError
from core.engine.model_client import ModelClient, make_ready
from core.engine.node_context import NodeContext
from core.engine.options import RunOptions, resolve_model
from core.engine.record import NodeState
from core.engine.redact import redact
from core.engine.reporting import node_skipped, run_finished
from core.engine.scope import Plan, Preset
from core.engine.subgraph_run import models_inside
from core.model.graph import Graph
from core.nodes.program_io import RESULT_KEY, program_outputs
from core.schemas.flow import FlowAnalysis

log = logging.getLogger(__name__)

PROGRAM_INPUT_PORT = "program_input"
"""The pseudo-port on which an Input node receives the run's input."""


class Topology:
    """Who feeds whom, in the shape one run reads: built once per prepared graph
    (it depends on the graph alone), so re-running a graph does not redo it.

    With a ``plan``, only its scheduled nodes are in it, and a node with a
    preset value (pinned, or from an earlier run) waits for nothing."""

    def __init__(self, graph: Graph, flow: FlowAnalysis, plan: Plan | None = None) -> None:
        only = plan.scheduled if plan is not None else None
        presets = plan.presets if plan is not None else {}
        self.order: list[str] = [n for n in flow.order if only is None or n in only]
        self.preds: dict[str, list[str]] = {}
        self.succs: dict[str, list[str]] = {nid: [] for nid in self.order}
        for nid in self.order:
            if nid in presets:
                self.preds[nid] = []
                continue
            sources = list(dict.fromkeys(e.source for e in graph.incoming(nid)))
            self.preds[nid] = sources
            for source in sources:
                self.succs[source].append(nid)
        self.in_degree = {nid: len(self.preds[nid]) for nid in self.order}
        self.in_edges = {
            nid: [(p.name, graph.incoming(nid, p.name)) for p in flow.input_ports(nid)]
            for nid in self.order
        }
        self.out_ports = {nid: [p.name for p in flow.output_ports(nid)] for nid in self.order}
        self.uses_models = any(
            flow.types[nid].uses_language_model or flow.types[nid].runs_subgraph
            for nid in self.order
            if nid not in presets
        )


class Scheduler:
    """Runs one prepared graph once. Create, then ``await execute()``."""

    def __init__(
        self,
        *,
        graph: Graph,
        flow: FlowAnalysis,
        options: RunOptions,
        client: ModelClient,
        run_id: str,
        inputs_by_node: dict[str, dict[str, Any]],
        emit: Callable[[ev.Event], None],
        topology: Topology | None = None,
        presets: dict[str, Preset] | None = None,
    ) -> None:
        self.graph, self.flow, self.options, self.client = graph, flow, options, client
        self.presets = presets or {}
        self.run_id = run_id
        self.inputs_by_node = inputs_by_node
        self.emit = emit
        self.api_base = options.api_base or graph.meta.api_base
        self.cache = options.cache if options.use_cache else None
        topology = topology or Topology(graph, flow)
        self.order, self.preds, self.succs = topology.order, topology.preds, topology.succs
        self.in_edges, self.out_ports = topology.in_edges, topology.out_ports
        self.waiting = dict(topology.in_degree)  # counts down as inputs arrive
        self.uses_models = topology.uses_models
        self.state: dict[str, NodeState] = dict.fromkeys(self.order, NodeState.PENDING)
        self.root_cause: dict[str, str] = {}
        self.values: dict[tuple[str, str], Any] = {}
        self.results: dict[str, Any] = {}
        self.tasks: dict[str, asyncio.Task[None]] = {}
        self.unsettled = len(self.order)
        self.cancelling = False
        self._done = asyncio.Event()
        self._slots = asyncio.Semaphore(options.max_concurrency)
        self._loop = asyncio.get_running_loop()
        self._t0 = self._loop.time()
        self._tokens_in = self._tokens_out = 0
        self._cost: float | None = None
        # Definitions' topologies, built once per run however often they run.
        self.nested_topologies: dict[str, Topology] = {}

    def elapsed(self) -> float:
        return self._loop.time() - self._t0

    # ----------------------------------------------------------------- run
    async def execute(self, inputs_for_event: dict[str, Any]) -> None:
        self._t0 = self._loop.time()
        self.emit(
            ev.RunStarted(
                run_id=self.run_id,
                elapsed=0.0,
                graph_name=self.graph.meta.name,
                nodes=tuple((nid, self.graph.nodes[nid].name) for nid in self.order),
                inputs=inputs_for_event,
                model_override=self.options.model_override,
            )
        )
        try:
            if self.uses_models:
                # A first run may have to import the model library: its nodes'
                # clocks (and timeouts) start once that is done. Cancelling here
                # cancels the run like anywhere else.
                await make_ready(self.client, self._models())
                self._t0 = self._loop.time()
            roots = [nid for nid in self.order if self.waiting[nid] == 0]
            for nid in roots:
                self._start(nid, inline_ok=False)
            if self.unsettled:
                await self._done.wait()
        except asyncio.CancelledError:
            await self._cancel_all()
            self._finish("cancelled")
            raise
        status = "failed" if NodeState.FAILED in self.state.values() else "succeeded"
        self._finish(status)

    def _models(self) -> set[str]:
        """The models this run's nodes call (their routes are warmed before the clock)."""
        inside = models_inside(
            self.flow,
            [nid for nid in self.order if nid not in self.presets],
            self.graph.meta.default_model,
            self.options.model_override,
        )
        return inside | {
            resolve_model(
                getattr(self.flow.params[nid], "language_model", ""),
                self.graph.meta.default_model,
                self.options.model_override,
            )
            for nid in self.order
            if self.flow.types[nid].uses_language_model and nid not in self.presets
        }

    async def _cancel_all(self) -> None:
        self.cancelling = True
        running = [t for t in self.tasks.values() if not t.done()]
        for task in running:
            task.cancel()
        if running:
            # Node tasks emit their own NodeCancelled as the cancellation reaches them.
            await asyncio.gather(*running, return_exceptions=True)
        for nid in self.order:
            if not self.state[nid].is_final:
                self._cancelled(nid, was_running=False)

    def _finish(self, status: str) -> None:
        outputs = tuple(
            self.results.get(node.id) if self.state.get(node.id) is NodeState.FINISHED else None
            for node in program_outputs(self.graph)
        )
        self.emit(
            run_finished(
                self.run_id,
                self.elapsed(),
                status,
                outputs,
                self.state.values(),
                self._tokens_in,
                self._tokens_out,
                self._cost,
            )
        )

    def _settle(self, nid: str) -> list[str]:
        """``nid`` ended: release its dependents (skipping those it starves).

        Returns the dependents now ready that the caller should run inline
        (nodes that call no model: they take microseconds, so a task of their
        own would cost more than their work)."""
        inline: list[str] = []
        stack = [nid]
        while stack:
            ended = stack.pop()
            self.unsettled -= 1
            if self.cancelling:
                continue
            for succ in self.succs[ended]:
                self.waiting[succ] -= 1
                if self.waiting[succ] == 0:
                    outcome = self._start(succ)
                    if outcome == "skipped":
                        stack.append(succ)
                    elif outcome == "inline":
                        inline.append(succ)
        if self.unsettled == 0:
            self._done.set()
        return inline

    def _start(self, nid: str, *, inline_ok: bool = True) -> str:
        """Queue ``nid`` (all its inputs are there) or skip it: returns "skipped",
        "task" (a task of its own was started) or "inline" (the caller runs it)."""
        node = self.graph.nodes[nid]
        blocker = next(
            (p for p in self.preds[nid] if self.state[p] is not NodeState.FINISHED), None
        )
        if blocker is not None:
            root = self.root_cause.get(blocker, blocker)
            self.root_cause[nid] = root
            self.state[nid] = NodeState.SKIPPED
            names = {i: self.graph.nodes[i].name for i in (nid, root, blocker)}
            self.emit(node_skipped(self.run_id, self.elapsed(), nid, names, root, blocker))
            return "skipped"
        self.state[nid] = NodeState.QUEUED
        self.emit(
            ev.NodeQueued(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                node_type=node.type,
            )
        )
        node_type = self.flow.types[nid]
        if inline_ok and not (node_type.uses_language_model or node_type.runs_subgraph):
            return "inline"
        self.tasks[nid] = asyncio.create_task(self._run_chain(nid), name=f"node {node.name}")
        return "task"

    def _inputs_of(self, nid: str) -> dict[str, list[Any]]:
        inputs: dict[str, list[Any]] = {}
        for port, edges in self.in_edges[nid]:
            inputs[port] = [self.values.get((e.source, e.source_port)) for e in edges]
        if nid in self.inputs_by_node:
            inputs[PROGRAM_INPUT_PORT] = [self.inputs_by_node[nid]]
        return inputs

    # ------------------------------------------------------------- nested
    def adopt(self, parent: Scheduler) -> None:
        """Run as part of ``parent``'s run (a subgraph's nodes): its model slots,
        clock, cache and server, and its definitions' topologies."""
        self._slots = parent._slots
        self._t0 = parent._t0
        self.cache = parent.cache
        self.api_base = parent.api_base
        self.nested_topologies = parent.nested_topologies

    async def execute_nested(self) -> None:
        """Run every node to its end, without a run's own start and end events
        (the Subgraph node running this reports those)."""
        try:
            for nid in [n for n in self.order if self.waiting[n] == 0]:
                self._start(nid, inline_ok=False)
            if self.unsettled:
                await self._done.wait()
        except asyncio.CancelledError:
            await self._cancel_all()
            raise

    @property
    def tokens_in(self) -> int:
        return self._tokens_in

    @property
    def tokens_out(self) -> int:
        return self._tokens_out

    @property
    def cost(self) -> float | None:
        return self._cost

    # --------------------------------------------------------- one node
    async def _run_chain(self, nid: str) -> None:
        """A node's task: run it, then any model-free dependents it made ready."""
        pending = [nid]
        while pending:
            pending.extend(await self._run_node(pending.pop()))

    async def _run_node(self, nid: str) -> list[str]:
        preset = self.presets.get(nid)
        if preset is not None:
            self._hand_on(nid, preset)
            return self._settle(nid)
        node = self.graph.nodes[nid]
        node_type, params = self.flow.types[nid], self.flow.params[nid]
        inputs = self._inputs_of(nid)
        model = None
        if node_type.uses_language_model:
            model = resolve_model(
                getattr(params, "language_model", ""),
                self.graph.meta.default_model,
                self.options.model_override,
            )
        timeout = self.options.node_timeout if model is not None else None
        started: float | None = None
        ctx: NodeContext | None = None
        key = None
        if model is not None and self.cache is not None:
            key = self._cache_key(nid, params, inputs, model)
            if self._replay(nid, model, self.cache.get(key)):
                return self._settle(nid)
        try:
            if model is None:
                # Model-free nodes do no I/O and take microseconds: no model slot,
                # no timer (their cost is most of a merge-heavy run's overhead).
                started = self._loop.time()
                ctx = self._begin(nid, node, None, None)
                outputs = await node_type.run(node, params, inputs, ctx)
            else:
                async with self._slots:
                    started = self._loop.time()
                    deadline = None if timeout is None else started + timeout
                    ctx = self._begin(nid, node, model, deadline)
                    async with asyncio.timeout(timeout):
                        outputs = await node_type.run(node, params, inputs, ctx)
        except asyncio.CancelledError:
            self._cancelled(nid, was_running=started is not None)
            raise
        except TimeoutError:
            self._failed(
                nid,
                ctx,
                started,
                "timeout",
                f"{node.name}: no result within "
                f"{f'{timeout:g} s' if timeout is not None else 'its time limit'} (the node timeout); raise the timeout "
                "in the run settings or use a faster model",
                ctx.last_raw if ctx else "",
            )
        except NodeRunError as exc:
            self._failed(nid, ctx, started, exc.kind, exc.message, exc.raw_text)
        except (
            Exception
        ) as exc:  # a node's own failure (e.g. Concat given None) ends only that node
            log.debug("node %s failed", node.name, exc_info=True)
            message = str(exc) or type(exc).__name__
            if not message.startswith(node.name):
                message = f"{node.name}: {message}"
            self._failed(
                nid, ctx, started, "node_error", redact(message), ctx.last_raw if ctx else ""
            )
        else:
            self._finished(nid, ctx, started, outputs)
            if key is not None and ctx.usage.attempts:  # a model was really asked
                self.cache.put(key, {"outputs": outputs})
        return self._settle(nid)

    # -------------------------------------------------------------- cache
    def _cache_key(self, nid: str, params: Any, inputs: dict[str, list[Any]], model: str) -> str:
        node = self.graph.nodes[nid]
        fed = self.flow.feeding_branch(nid)
        decision = self.results.get(fed[0].id) if fed is not None else None
        return node_cache_key(
            node_type=node.type,
            node_name=node.name,
            params=params.model_dump(mode="json") if hasattr(params, "model_dump") else {},
            output_schemas={p: self.flow.schemas.get((nid, p)) for p in self.out_ports[nid]},
            model=model,
            api_base=self.api_base,
            inputs=inputs,
            decision=decision,
            variables=node.variables,
        )

    def _replay(self, nid: str, model: str, hit: Any) -> bool:
        """Finish ``nid`` with a cached result (True), or say there is none to use."""
        if not isinstance(hit, dict) or not isinstance(hit.get("outputs"), dict):
            return False
        started = self._loop.time()
        ctx = self._begin(nid, self.graph.nodes[nid], model, None)
        self._finished(nid, ctx, started, hit["outputs"], cached=True)
        return True

    def _hand_on(self, nid: str, preset: Preset) -> None:
        """Finish ``nid`` with its pinned or earlier value, without running it."""
        started = self._loop.time()
        ctx = self._begin(nid, self.graph.nodes[nid], None, None)
        self._finished(
            nid,
            ctx,
            started,
            preset.outputs,
            result=preset.result,
            pinned=preset.pinned,
            reused_from=preset.reused_from,
        )

    def _begin(self, nid: str, node: Any, model: str | None, deadline: float | None) -> NodeContext:
        """Mark ``nid`` running (its ``NodeStarted``) and return its context."""
        self.state[nid] = NodeState.RUNNING
        self.emit(
            ev.NodeStarted(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                node_type=node.type,
                model=model,
            )
        )
        return NodeContext(self, node, deadline)

    def _finished(
        self,
        nid: str,
        ctx: NodeContext,
        started: float | None,
        outputs: dict[str, Any],
        *,
        cached: bool = False,
        result: Any = None,
        pinned: bool = False,
        reused_from: str | None = None,
    ) -> None:
        node = self.graph.nodes[nid]
        ports = {port: outputs.get(port) for port in self.out_ports[nid]}
        for port, value in ports.items():
            self.values[(nid, port)] = value
        if not (pinned or reused_from):
            result = outputs[RESULT_KEY] if RESULT_KEY in outputs else ports.get("output")
        self.results[nid] = result
        self.state[nid] = NodeState.FINISHED
        usage = ctx.usage
        self._add_usage(usage.tokens_in, usage.tokens_out, usage.cost)
        self.emit(
            ev.NodeFinished(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                outputs=ports,
                result=result,
                duration=self._loop.time() - (started or self._loop.time()),
                tokens_in=usage.tokens_in,
                tokens_out=usage.tokens_out,
                cost=usage.cost,
                attempts=usage.attempts,
                cached=cached,
                pinned=pinned,
                reused_from=reused_from,
            )
        )

    def _failed(
        self,
        nid: str,
        ctx: NodeContext | None,
        started: float | None,
        kind: Any,
        message: str,
        raw: str,
    ) -> None:
        node = self.graph.nodes[nid]
        self.state[nid] = NodeState.FAILED
        usage = ctx.usage if ctx else None
        if usage:
            self._add_usage(usage.tokens_in, usage.tokens_out, usage.cost)
        self.emit(
            ev.NodeFailed(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                error_kind=kind,
                message=message,
                duration=0.0 if started is None else self._loop.time() - started,
                raw_text=raw,
                tokens_in=usage.tokens_in if usage else None,
                tokens_out=usage.tokens_out if usage else None,
                cost=usage.cost if usage else None,
            )
        )

    def _cancelled(self, nid: str, *, was_running: bool) -> None:
        if self.state[nid].is_final:
            return
        self.state[nid] = NodeState.CANCELLED
        node = self.graph.nodes[nid]
        self.emit(
            ev.NodeCancelled(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                was_running=was_running,
            )
        )

    def _add_usage(self, tokens_in: int | None, tokens_out: int | None, cost: float | None) -> None:
        self._tokens_in += tokens_in or 0
        self._tokens_out += tokens_out or 0
        if cost is not None:
            self._cost = (self._cost or 0.0) + cost
