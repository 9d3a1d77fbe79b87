"""What the worker reports about programs called inside the program (subgraphs).

A subgraph runs in Synalinks as one module named after its definition, with
its own modules inside. Its hooks report the program module starting and
ending (with the list of its outputs) and each inner module, by name. This
turns them into the events the built-in engine gives: the Subgraph node's
own, and its inner nodes' with ids that say where they are
(``outerNodeId/innerNodeId``), names likewise (``outer/inner``), Inputs
finishing as the program starts and Outputs as it ends.

A definition used twice runs its modules twice under the same names, at the
same time when nothing orders them. A start goes to the use (among those
running the enclosing definition) whose inputs are the values the call was
given, the first in graph order when several are; its end is found by the
call's id. Uses given the same values compute the same results, so which of
them gets a start never changes a value shown.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from core.engine import events as ev
from core.model.graph import Graph, Node
from core.model.subgraphs import INPUT_TYPE, OUTPUT_TYPE, SUBGRAPH_TYPE, ordered_outputs, uses_of
from core.nodes.subgraph import named_result
from core.runtime import protocol as p

if TYPE_CHECKING:
    from core.runtime.translate import RunTranslator

Use = tuple[str, str, Graph, Node]
"""A running use: its path of ids, its path of names, the graph holding it, the node."""


class NestedRuns:
    def __init__(self, translator: RunTranslator) -> None:
        self.tr = translator
        graph = translator.graph
        self.root = graph
        self.programs = {d.definition_name: d for d in graph.subgraphs.values()}
        self.inner: dict[str, tuple[Graph, Node]] = {}
        for definition in graph.subgraphs.values():
            for node in definition.nodes.values():
                if node.type not in (INPUT_TYPE, OUTPUT_TYPE, SUBGRAPH_TYPE):
                    self.inner.setdefault(node.name, (definition, node))
        self.active: dict[str, list[Use]] = {}
        self.started: set[str] = set()
        self.calls: dict[str, tuple[str, str, Node, Use | None]] = {}
        self.open: dict[str, str] = {}  # inner paths started and not ended -> names
        self.values: dict[str, Any] = {}  # "path#port" -> value, inside subgraphs
        self.start_times: dict[str, float] = {}

    def module_names(self) -> list[str]:
        """The modules to watch: each definition's program, and the modules inside
        subgraphs (each answers in its own voice offline)."""
        return [*self.programs, *self.inner]

    # ------------------------------------------------------------ messages
    def on_message(self, message: Any) -> bool:
        """Handle ``message`` if it is about a subgraph (True), else leave it."""
        name = getattr(message, "module", "")
        definition = self.programs.get(name)
        if definition is not None:
            if isinstance(message, p.ModuleStarted):
                self._program_started(definition, message)
            elif isinstance(message, (p.ModuleFinished, p.ModuleFailed)):
                self._program_ended(definition, message)
            return True
        found = self.inner.get(name)
        if found is None:
            return False
        definition, node = found
        if isinstance(message, p.ModuleStarted):
            self._inner_started(definition, node, message)
        elif isinstance(message, (p.ModuleFinished, p.ModuleFailed)):
            self._inner_ended(message)
        return True

    # ------------------------------------------------------------ programs
    def _program_started(self, definition: Graph, message: Any) -> None:
        inputs = [n for n in definition.nodes.values() if n.type == INPUT_TYPE]
        given = list(message.inputs or [])
        if len(inputs) > 1 and len(given) == 1 and isinstance(given[0], list):
            given = given[0]
        use = self._choose(self._waiting_uses(definition), given)
        if use is None:
            return
        path, names, graph, node = use
        self.started.add(path)
        self.active.setdefault(definition.definition_id, []).append(use)  # type: ignore[arg-type]
        self.calls[message.call or path] = (path, names, node, use)
        self.start_times[path] = message.t
        if graph is self.root:
            self.tr._queue_and_start(node.id, None)
            self.tr.started_at[node.id] = message.t
        else:
            self._start(path, names, node)
        for index, inner in enumerate(inputs):
            value = given[index] if index < len(given) else None
            self.values[f"{path}/{inner.id}#output"] = value
            self._start(f"{path}/{inner.id}", f"{names}/{inner.name}", inner)
            self._end(f"{path}/{inner.id}", f"{names}/{inner.name}", {"output": value}, value)

    def _waiting_uses(self, definition: Graph) -> list[tuple[Use, list[Any]]]:
        """The uses of ``definition`` that may start now (their enclosing graph
        runs, they have not started), each with the values it is fed."""
        found: list[tuple[Use, list[Any]]] = []
        for graph, node in uses_of(self.root, definition.definition_id):  # type: ignore[arg-type]
            if graph is self.root:
                parents = [("", "")]
            else:
                running = self.active.get(graph.definition_id, [])  # type: ignore[arg-type]
                parents = [(f"{u[0]}/", f"{u[1]}/") for u in running]
            for path_prefix, name_prefix in parents:
                path = f"{path_prefix}{node.id}"
                if path in self.started:
                    continue
                fed = [
                    self._value(graph, path_prefix, edge.source, edge.source_port)
                    for port in node.params.get("inputs", [])
                    for edge in graph.incoming(node.id, port["id"])[:1]
                ]
                found.append(((path, f"{name_prefix}{node.name}", graph, node), fed))
        return found

    def _program_ended(self, definition: Graph, message: Any) -> None:
        call = self.calls.pop(message.call or "", None)
        running = self.active.get(definition.definition_id, [])  # type: ignore[arg-type]
        use = call[3] if call is not None else (running[0] if running else None)
        if use is None:
            return
        if use in running:
            running.remove(use)
        path, names, graph, node = use
        took = max(0.0, message.t - self.start_times.get(path, message.t))
        if isinstance(message, p.ModuleFailed):
            text = f"{node.name}: {message.message}"
            if graph is self.root:
                self.tr._fail(node.id, "node_error", text, took)
            else:
                self._failed(path, names, text, took)
            return
        results = message.output if isinstance(message.output, list) else [message.output]
        outputs = ordered_outputs(definition)
        by_port = {o.id: (results[i] if i < len(results) else None) for i, o in enumerate(outputs)}
        for inner in outputs:
            value = by_port[inner.id]
            self._start(f"{path}/{inner.id}", f"{names}/{inner.name}", inner)
            self._end(f"{path}/{inner.id}", f"{names}/{inner.name}", {}, value)
        result = named_result(node.params.get("outputs", []), by_port)
        if graph is self.root:
            self.tr._finish(node.id, by_port, result, took, message)
            for edge in self.root.outgoing(node.id):
                target = self.root.nodes[edge.target]
                if target.type == OUTPUT_TYPE and not self.tr.state[target.id].is_final:
                    self.tr._queue_and_start(target.id, None)
                    self.tr._finish(target.id, {}, by_port.get(edge.source_port), 0.0)
        else:
            for port, value in by_port.items():
                self.values[f"{path}#{port}"] = value
            self._end(path, names, by_port, result, took)

    # -------------------------------------------------------- inner modules
    def _inner_started(self, definition: Graph, node: Node, message: Any) -> None:
        candidates = []
        for use in self.active.get(definition.definition_id, []):  # type: ignore[arg-type]
            if f"{use[0]}/{node.id}" in self.started:
                continue
            fed = [
                self._value(definition, f"{use[0]}/", edge.source, edge.source_port)
                for edge in definition.incoming(node.id)
            ]
            candidates.append((use, [fed[0] if len(fed) == 1 else fed]))
        use = self._choose(candidates, list(message.inputs or [])[:1])
        if use is None:
            return
        path, names = f"{use[0]}/{node.id}", f"{use[1]}/{node.name}"
        self.started.add(path)
        self.calls[message.call or path] = (path, names, node, None)
        self.start_times[path] = message.t
        self._start(path, names, node)

    def _inner_ended(self, message: Any) -> None:
        call = self.calls.pop(message.call or "", None)
        if call is None:
            return
        path, names, node, _ = call
        self.tr._usage(message)
        took = max(0.0, message.t - self.start_times.get(path, message.t))
        if isinstance(message, p.ModuleFailed):
            self._failed(path, names, f"{node.name}: {message.message}", took)
            return
        self.values[f"{path}#output"] = message.output
        self._end(path, names, {"output": message.output}, message.output, took, message)

    # -------------------------------------------------------------- values
    def _value(self, graph: Graph, prefix: str, source: str, port: str) -> Any:
        """What leaves ``port`` of ``source`` (in ``graph``, under ``prefix``)."""
        if graph is self.root:
            return self.tr.values.get((source, port))
        return self.values.get(f"{prefix}{source}#{port}")

    @staticmethod
    def _choose(candidates: list[tuple[Use, list[Any]]], given: list[Any]) -> Use | None:
        """The first candidate fed exactly ``given``, else the first of all."""
        for use, fed in candidates:
            if fed == given:
                return use
        return candidates[0][0] if candidates else None

    def settle(self, cancelled: bool, error: str | None) -> None:
        """The run ended: inner nodes still running were cancelled (or, when the
        run failed, failed with it), so none is left running."""
        for path, names in list(self.open.items()):
            if cancelled:
                self.open.pop(path)
                self.tr.emit(
                    ev.NodeCancelled(
                        run_id=self.tr.run_id,
                        elapsed=self.tr.elapsed(),
                        node_id=path,
                        node_name=names,
                        was_running=True,
                    )
                )
            else:
                self._failed(path, names, f"{names}: {error or 'the run ended before it did'}", 0.0)

    # -------------------------------------------------------------- events
    def _start(self, path: str, names: str, node: Node) -> None:
        self.open[path] = names
        common = {"run_id": self.tr.run_id, "node_id": path, "node_name": names}
        self.tr.emit(ev.NodeQueued(elapsed=self.tr.elapsed(), node_type=node.type, **common))
        self.tr.emit(ev.NodeStarted(elapsed=self.tr.elapsed(), node_type=node.type, **common))

    def _end(
        self,
        path: str,
        names: str,
        outputs: dict[str, Any],
        result: Any,
        took: float = 0.0,
        message: Any = None,
    ) -> None:
        self.open.pop(path, None)
        self.tr.emit(
            ev.NodeFinished(
                run_id=self.tr.run_id,
                elapsed=self.tr.elapsed(),
                node_id=path,
                node_name=names,
                outputs=outputs,
                result=result,
                duration=took,
                tokens_in=getattr(message, "tokens_in", None),
                tokens_out=getattr(message, "tokens_out", None),
                cost=getattr(message, "cost", None),
                attempts=1 if message is not None else 0,
            )
        )

    def _failed(self, path: str, names: str, text: str, took: float) -> None:
        self.open.pop(path, None)
        self.tr.emit(
            ev.NodeFailed(
                run_id=self.tr.run_id,
                elapsed=self.tr.elapsed(),
                node_id=path,
                node_name=names,
                error_kind="node_error",
                message=text,
                duration=took,
            )
        )
