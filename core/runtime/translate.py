"""What the worker reports, as the built-in engine's own events.

The worker says which module of the program started, finished or failed,
with its output, as Synalinks sees it. This module knows the graph and turns
that into :mod:`core.engine.events`, so the canvas, the result panels, the
timeline, the history and ``run --json`` never care which backend ran:

- Input nodes finish with the program input at once; Output nodes finish
  as soon as the module that feeds them does.
- A Branch finishes with its decision as its result and, on each label's
  port, what the module of that label received; the modules of untaken
  labels finish with no value (None), as on the built-in engine.
- A language-model module that returned None although it was given a value
  failed: Synalinks gives None (with only a warning) when every retry of the
  model call fails. Its dependents are skipped, naming it.
- Synalinks does not stream structured output, so no token deltas are made
  up: a module is running from its start to its end.
- Each language-model call a module makes is reported with the messages and
  output schema Synalinks' hooks saw and the answer it parsed, as a
  ``NodePrompt`` that says it is not the exact wire request.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from typing import Any

from core.engine import events as ev
from core.engine.engine import PreparedRun
from core.engine.options import resolve_model
from core.engine.record import NodeState
from core.engine.redact import redact, redact_messages
from core.engine.reporting import node_skipped, run_finished
from core.nodes.language import branch_port
from core.nodes.program_io import program_inputs, program_outputs
from core.runtime import protocol as p
from core.runtime.translate_subgraphs import NestedRuns


class RunTranslator:
    def __init__(
        self,
        prepared: PreparedRun,
        run_id: str,
        emit: Callable[[ev.Event], None],
        model_override: str | None = None,
    ) -> None:
        self.prepared = prepared
        self.graph = prepared.graph
        self.flow = prepared.flow
        self.run_id = run_id
        self.emit = emit
        self.override = model_override
        self.by_name = {n.name: n for n in self.graph.nodes.values()}
        self.state: dict[str, NodeState] = {nid: NodeState.PENDING for nid in self.graph.nodes}
        self.started_at: dict[str, float] = {}
        self.values: dict[tuple[str, str], Any] = {}
        self.received: dict[str, Any] = {}  # what each module was given (first input)
        self.decisions: dict[str, Any] = {}
        self.deferred: dict[str, p.ModuleFinished] = {}  # Branch targets wait for their Branch
        self.failed: list[str] = []
        self.root_cause: dict[str, str] = {}
        self.prompt_counts: dict[str, int] = {}
        self.tokens_in = 0
        self.tokens_out = 0
        self.cost: float | None = None
        self.t0 = time.perf_counter()
        self.outputs_nodes = program_outputs(self.graph)
        self.modules = [
            n.name
            for n in self.graph.nodes.values()
            if n.type != "Input" and not self.flow.types[n.id].is_program_output
        ]
        self.nested = NestedRuns(self) if self.graph.subgraphs else None
        if self.nested is not None:
            self.modules += [m for m in self.nested.module_names() if m not in self.modules]

    def elapsed(self) -> float:
        return time.perf_counter() - self.t0

    # ------------------------------------------------------------ begin/end
    def begin(self) -> None:
        self.t0 = time.perf_counter()
        self.emit(
            ev.RunStarted(
                run_id=self.run_id,
                elapsed=0.0,
                graph_name=self.graph.meta.name,
                nodes=tuple((n.id, n.name) for n in self.graph.nodes.values()),
                inputs=dict(self.prepared.inputs_by_name),
                model_override=self.override,
            )
        )
        for node in program_inputs(self.graph):
            value = self.prepared.inputs_by_node.get(node.id)
            self._queue_and_start(node.id, None)
            self._finish(node.id, {"output": value}, value, 0.0)

    def input_values(self) -> list[dict[str, Any]]:
        """The program's inputs in ``Program(inputs=[...])`` order."""
        return [self.prepared.inputs_by_node[n.id] for n in program_inputs(self.graph)]

    def finish(self, status: str | None, outputs: list[Any] | None, error: str | None) -> None:
        """The worker's run ended (``outputs``), failed (``error``) or was cancelled."""
        if self.nested is not None:
            self.nested.settle(status == "cancelled", error)
        if status == "cancelled":
            for nid, state in self.state.items():
                if not state.is_final:
                    self._end_cancelled(nid, state is NodeState.RUNNING)
        else:
            if outputs is not None:
                for node, value in zip(self.outputs_nodes, outputs, strict=False):
                    if not self.state[node.id].is_final:
                        self._queue_and_start(node.id, None)
                        self._finish(node.id, {}, value, 0.0)
            if error is not None:
                running = [nid for nid, s in self.state.items() if s is NodeState.RUNNING]
                for nid in running or ([] if self.failed else self._first_pending()):
                    self._fail(nid, "node_error", error, 0.0)
            self._settle_rest()
            status = "failed" if self.failed else "succeeded"
        final = tuple(self._output_value(n.id) for n in self.outputs_nodes)
        self.emit(
            run_finished(
                self.run_id,
                self.elapsed(),
                status,
                final,
                self.state.values(),
                self.tokens_in,
                self.tokens_out,
                self.cost,
            )
        )

    def _first_pending(self) -> list[str]:
        return [
            nid
            for nid in self.flow.order
            if not self.state[nid].is_final and self.graph.nodes[nid].name in self.modules
        ][:1]

    # ----------------------------------------------------- worker messages
    def on_message(self, message: Any) -> None:
        if self.nested is not None and self.nested.on_message(message):
            return
        node = self.by_name.get(getattr(message, "module", ""))
        if node is None:
            return
        nid = node.id
        if isinstance(message, p.ModuleStarted):
            if self.state[nid] is NodeState.PENDING:
                self._queue_and_start(nid, self._model_of(nid))
                self.started_at[nid] = message.t
            if message.inputs:
                self.received.setdefault(nid, message.inputs[0])
        elif isinstance(message, p.ModuleDetail):
            if message.detail == "decision":
                self.decisions[nid] = message.value
            elif message.detail == "prompt" and isinstance(message.value, dict):
                self._prompt(nid, message.value)
            elif message.detail == "tool_call" and isinstance(message.value, dict):
                self.emit(
                    ev.NodeProgress(
                        run_id=self.run_id,
                        elapsed=self.elapsed(),
                        node_id=nid,
                        node_name=node.name,
                        step={"kind": "tool_call", **message.value},
                    )
                )
        elif isinstance(message, p.ModuleFinished):
            self._usage(message)
            if self.flow.feeding_branch(nid) is not None:
                self.deferred[nid] = message
                return
            self._module_finished(nid, message)
        elif isinstance(message, p.ModuleFailed):
            self._usage(message)
            if not self.state[nid].is_final:
                self._fail(
                    nid, "node_error", f"{node.name}: {message.message}", self._took(nid, message)
                )

    def _module_finished(self, nid: str, message: p.ModuleFinished) -> None:
        node_type = self.flow.types[nid]
        params = self.flow.params[nid]
        ports = [port.name for port in self.flow.output_ports(nid)]
        took = self._took(nid, message)
        if node_type.type_name == "Branch":
            outputs = {
                branch_port(i): self.received.get(target.id)
                for i, target in enumerate(self._branch_targets(nid, len(params.labels)))
            }
            self._finish(nid, outputs, self.decisions.get(nid), took, message)
            results = message.output if isinstance(message.output, list) else []
            for i, target in enumerate(self._branch_targets(nid, len(params.labels))):
                if target is None:
                    continue
                held = self.deferred.pop(target.id, None)
                value = results[i] if i < len(results) else None
                if held is not None:
                    self._finish_plain(target.id, value, self._took(target.id, held), held)
            return
        value = message.output
        if value is None and node_type.uses_language_model and self.received.get(nid) is not None:
            why = f": {message.warning}" if message.warning else ""
            self._fail(
                nid,
                "provider_error",
                f"{self.graph.nodes[nid].name}: Synalinks returned no value (its language-model "
                f"call failed after every retry){why}",
                took,
            )
            return
        self._finish(nid, {port: value for port in ports}, value, took, message)
        self._finish_outputs_fed_by(nid, value)

    def _finish_plain(self, nid: str, value: Any, took: float, message: Any) -> None:
        ports = [port.name for port in self.flow.output_ports(nid)]
        self._finish(nid, {port: value for port in ports}, value, took, message)
        self._finish_outputs_fed_by(nid, value)

    def _branch_targets(self, nid: str, count: int) -> list[Any]:
        targets: list[Any] = [None] * count
        for edge in self.graph.outgoing(nid):
            index = _index(edge.source_port)
            if index is not None and index < count:
                targets[index] = self.graph.nodes[edge.target]
        return targets

    def _finish_outputs_fed_by(self, nid: str, value: Any) -> None:
        for edge in self.graph.outgoing(nid):
            target = self.graph.nodes[edge.target]
            if self.flow.types[target.id].is_program_output and not self.state[target.id].is_final:
                self._queue_and_start(target.id, None)
                self._finish(target.id, {}, value, 0.0)

    # ------------------------------------------------------------ settling
    def _settle_rest(self) -> None:
        """Nodes the program never called: skipped behind a failure, else given
        None (a Branch's untaken path), as the built-in engine reports them."""
        for nid in self.flow.order:
            if self.state[nid].is_final:
                continue
            if nid in self.deferred:
                held = self.deferred.pop(nid)
                self._finish_plain(nid, held.output, self._took(nid, held), held)
                continue
            blocker = next(
                (
                    e.source
                    for e in self.graph.incoming(nid)
                    if self.state[e.source] in (NodeState.FAILED, NodeState.SKIPPED)
                ),
                None,
            )
            if blocker is not None:
                root = self.root_cause.get(blocker, blocker)
                self.root_cause[nid] = root
                self.state[nid] = NodeState.SKIPPED
                names = {i: self.graph.nodes[i].name for i in (nid, root, blocker)}
                self.emit(node_skipped(self.run_id, self.elapsed(), nid, names, root, blocker))
                continue
            self._queue_and_start(nid, None)
            ports = [port.name for port in self.flow.output_ports(nid)]
            self._finish(nid, {port: None for port in ports}, None, 0.0)

    # ------------------------------------------------------------- events
    def _prompt(self, nid: str, value: dict[str, Any]) -> None:
        """A model call of the node, as Synalinks' hooks saw it: the messages and
        output schema it builds the request from (keys redacted here), and the
        answer it parsed (the wire request itself is made inside Synalinks)."""
        messages = value.get("messages")
        if not isinstance(messages, list):
            return
        node = self.graph.nodes[nid]
        self.prompt_counts[nid] = self.prompt_counts.get(nid, 0) + 1
        response = value.get("response")
        if response is None:
            text = redact(str(value.get("error") or "no answer"))
        else:
            text = json.dumps(response, ensure_ascii=False, indent=2, default=str)
        self.emit(
            ev.NodePrompt(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                model=self._model_of(nid),
                messages=redact_messages([m for m in messages if isinstance(m, dict)]),
                response_format=value.get("schema"),
                attempt=self.prompt_counts[nid],
                exact=False,
                response=text,
            )
        )

    def _model_of(self, nid: str) -> str | None:
        if not self.flow.types[nid].uses_language_model:
            return None
        params = self.flow.params[nid]
        return resolve_model(
            getattr(params, "language_model", ""), self.graph.meta.default_model, self.override
        )

    def _queue_and_start(self, nid: str, model: str | None) -> None:
        node = self.graph.nodes[nid]
        common = {"run_id": self.run_id, "node_id": nid, "node_name": node.name}
        self.emit(ev.NodeQueued(elapsed=self.elapsed(), node_type=node.type, **common))
        self.emit(
            ev.NodeStarted(elapsed=self.elapsed(), node_type=node.type, model=model, **common)
        )
        self.state[nid] = NodeState.RUNNING

    def _finish(
        self,
        nid: str,
        outputs: dict[str, Any],
        result: Any,
        took: float,
        message: Any = None,
    ) -> None:
        node = self.graph.nodes[nid]
        for port, value in outputs.items():
            self.values[(nid, port)] = value
        self.state[nid] = NodeState.FINISHED
        self.emit(
            ev.NodeFinished(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                outputs=outputs,
                result=result,
                duration=took,
                tokens_in=getattr(message, "tokens_in", None),
                tokens_out=getattr(message, "tokens_out", None),
                cost=getattr(message, "cost", None),
                attempts=1 if self.flow.types[nid].uses_language_model and message else 0,
            )
        )

    def _fail(self, nid: str, kind: str, text: str, took: float) -> None:
        node = self.graph.nodes[nid]
        self.state[nid] = NodeState.FAILED
        self.failed.append(nid)
        self.emit(
            ev.NodeFailed(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                error_kind=kind,  # type: ignore[arg-type]
                message=text,
                duration=took,
            )
        )

    def _end_cancelled(self, nid: str, was_running: bool) -> None:
        node = self.graph.nodes[nid]
        self.state[nid] = NodeState.CANCELLED
        self.emit(
            ev.NodeCancelled(
                run_id=self.run_id,
                elapsed=self.elapsed(),
                node_id=nid,
                node_name=node.name,
                was_running=was_running,
            )
        )

    def _took(self, nid: str, message: Any) -> float:
        start = self.started_at.get(nid)
        return max(0.0, message.t - start) if start is not None else 0.0

    def _usage(self, message: Any) -> None:
        self.tokens_in += message.tokens_in or 0
        self.tokens_out += message.tokens_out or 0
        if message.cost is not None:
            self.cost = (self.cost or 0.0) + message.cost

    def _output_value(self, nid: str) -> Any:
        for edge in self.graph.incoming(nid):
            return self.values.get((edge.source, edge.source_port))
        return None


def _index(port: str) -> int | None:
    from core.nodes.language import branch_port_index

    return branch_port_index(port)
