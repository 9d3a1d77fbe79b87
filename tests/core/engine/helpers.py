"""Graphs, model clients and event checks shared by the engine tests.

``ScriptedClient`` is a real :class:`~core.engine.model_client.ModelClient`
whose behaviour per node is set by the test (answers, failures, latency), so
scheduling and retry tests run without litellm and assert exact behaviour.
"""

from __future__ import annotations

import asyncio
import json
from collections import defaultdict, deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass, field
from typing import Any

from core.engine import Engine, RunOptions, RunRecord
from core.engine import events as ev
from core.engine.model_client import ModelCall, StreamEnd
from core.engine.offline_model import answer_text, tokens
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, GraphMeta, Node
from core.nodes.language import branch_port
from core.registry import default_registry

QUERY = DataModelSpec(
    name="Query",
    description="The input query.",
    fields=(FieldSpec(name="query", description="The user query"),),
)
ANSWER = DataModelSpec(
    name="Answer",
    description="An answer.",
    fields=(FieldSpec(name="answer", description="The answer"),),
)


class GraphBuilder:
    """Small fluent builder: node names double as ids, so tests read naturally."""

    def __init__(self, name: str = "test", example: dict[str, Any] | None = None) -> None:
        self.graph = Graph(
            GraphMeta(name=name, example_input=example or {"query": "What is 2 + 2?"})
        )
        self.graph.set_data_model(QUERY)
        self.graph.set_data_model(ANSWER)
        self._edges = 0

    def add(self, type_name: str, name: str, **params: Any) -> str:
        defaults = default_registry().get(type_name).default_params()
        self.graph.add_node(Node(name, type_name, name, {**defaults, **params}))
        return name

    def input(self, name: str = "inputs", data_model: str = "Query") -> str:
        return self.add("Input", name, data_model=data_model)

    def generator(self, name: str, source: str, port: str = "output", **params: Any) -> str:
        self.add("Generator", name, data_model=params.pop("data_model", "Answer"), **params)
        return self.connect(source, name, port)

    def output(self, name: str, source: str, order: int = 0, port: str = "output") -> str:
        self.add("Output", name, order=order)
        return self.connect(source, name, port)

    def merge(self, type_name: str, name: str, *sources: str) -> str:
        self.add(type_name, name)
        for source in sources:
            self.connect(source, name)
        return name

    def branch(self, name: str, source: str, labels: list[str], **params: Any) -> str:
        self.add("Branch", name, labels=labels, question="Which way?", **params)
        return self.connect(source, name)

    def connect(
        self, source: str, target: str, port: str = "output", target_port: str = "inputs"
    ) -> str:
        self._edges += 1
        self.graph.add_edge(Edge(f"e{self._edges}", source, port, target, target_port))
        return target


def fan_out(n: int) -> Graph:
    """Input -> n Generators -> n Outputs."""
    b = GraphBuilder("fan_out")
    b.input()
    for i in range(n):
        b.generator(f"g{i}", "inputs")
        b.output(f"out{i}", f"g{i}", order=i)
    return b.graph


def branch_graph(merge: str = "Or") -> Graph:
    """Input -> Branch(yes/no) -> g_yes / g_no -> merge -> Output."""
    b = GraphBuilder("branching")
    b.input()
    b.branch("route", "inputs", ["yes", "no"])
    b.generator("g_yes", "route", port=branch_port(0))
    b.generator("g_no", "route", port=branch_port(1))
    b.merge(merge, "joined", "g_yes", "g_no")
    b.output("result", "joined")
    return b.graph


# ------------------------------------------------------------------ clients
@dataclass
class Behaviour:
    """One scripted model reply: text pieces, or an exception, after ``delay``."""

    text: str | None = None  # None: a valid offline answer
    raise_: BaseException | None = None
    delay: float = 0.0
    pieces: int = 3
    finish_reason: str | None = "stop"
    hang: bool = False


@dataclass
class ScriptedClient:
    """Answers per node name from a queue of :class:`Behaviour` (default: a valid
    answer at once); records every call and the calls in flight."""

    script: dict[str, deque[Behaviour]] = field(default_factory=lambda: defaultdict(deque))
    decide: Callable[[ModelCall], str] | None = None
    calls: list[ModelCall] = field(default_factory=list)
    in_flight: int = 0
    max_in_flight: int = 0
    closed: list[str] = field(default_factory=list)
    started: dict[str, asyncio.Event] = field(default_factory=lambda: defaultdict(asyncio.Event))

    def on(self, node: str, *behaviours: Behaviour) -> ScriptedClient:
        self.script[node].extend(behaviours)
        return self

    async def stream(self, call: ModelCall) -> AsyncIterator[str | StreamEnd]:
        self.calls.append(call)
        self.in_flight += 1
        self.max_in_flight = max(self.max_in_flight, self.in_flight)
        self.started[call.node_name].set()
        try:
            queue = self.script.get(call.node_name)
            behaviour = queue.popleft() if queue else Behaviour()
            if behaviour.hang:
                await asyncio.Event().wait()
            if behaviour.delay:
                await asyncio.sleep(behaviour.delay)
            if behaviour.raise_ is not None:
                raise behaviour.raise_
            text = behaviour.text
            if text is None:
                text = answer_text(call.messages, call.response_format)
                if self.decide is not None and "choice" in json.loads(text):
                    text = json.dumps({**json.loads(text), "choice": self.decide(call)})
            size = max(1, -(-len(text) // max(1, behaviour.pieces)))
            for start in range(0, len(text), size):
                await asyncio.sleep(0)
                yield text[start : start + size]
            yield StreamEnd(behaviour.finish_reason, 10, len(tokens(text)), 0.001)
        finally:
            self.in_flight -= 1
            self.closed.append(call.node_name)


# ------------------------------------------------------------------- running
class Collector:
    """A listener keeping every event (and a record rebuilt from them)."""

    def __init__(self) -> None:
        self.events: list[ev.Event] = []

    def __call__(self, event: ev.Event) -> None:
        self.events.append(event)

    def kinds(self, node: str | None = None) -> list[str]:
        return [
            e.kind for e in self.events if node is None or getattr(e, "node_name", None) == node
        ]

    def of(self, cls: type, node: str | None = None) -> list[Any]:
        return [
            e for e in self.events if isinstance(e, cls) and (node is None or e.node_name == node)
        ]

    def first(self, cls: type, node: str) -> Any:
        found = self.of(cls, node)
        assert found, f"no {cls.__name__} for {node}; got {self.kinds(node)}"
        return found[0]

    def index(self, cls: type, node: str) -> int:
        return next(
            i
            for i, e in enumerate(self.events)
            if isinstance(e, cls) and getattr(e, "node_name", None) == node
        )


async def run(
    graph: Graph, client: Any | None = None, inputs: Any = None, **options: Any
) -> tuple[RunRecord, Collector]:
    collector = Collector()
    engine = Engine(
        default_registry(), RunOptions(**options), model_client=client or ScriptedClient()
    )
    record = await engine.run(graph, inputs, collector)
    check_event_order(collector.events)
    return record, collector


def check_event_order(events: list[ev.Event]) -> None:
    """The ordering contract of :mod:`core.engine.events`, for any run."""
    assert isinstance(events[0], ev.RunStarted), events[0]
    assert isinstance(events[-1], ev.RunFinished), events[-1]
    assert sum(isinstance(e, ev.RunFinished) for e in events) == 1
    times = [e.elapsed for e in events]
    assert times == sorted(times), "elapsed must never go backwards"
    ends = (ev.NodeFinished, ev.NodeFailed, ev.NodeCancelled, ev.NodeSkipped)
    seen: dict[str, list[str]] = defaultdict(list)
    for e in events:
        if isinstance(e, ev.NodeEvent):
            assert not any(
                k in ("node_finished", "node_failed", "node_cancelled", "node_skipped")
                for k in seen[e.node_id]
            ), f"{e.kind} for {e.node_name} after its end: {seen[e.node_id]}"
            seen[e.node_id].append(e.kind)
    for node_id, name in events[0].nodes:
        kinds = seen[node_id]
        assert kinds and kinds[-1] in {c.kind for c in ends}, f"{name} has no end event: {kinds}"
        if kinds[-1] == "node_skipped" or (kinds[-1] == "node_cancelled" and len(kinds) == 1):
            continue
        assert kinds[0] == "node_queued", f"{name}: {kinds}"
        if len(kinds) > 2:
            assert kinds[1] == "node_started", f"{name}: {kinds}"
