"""Building evaluations for tests: the offline model without litellm, a store in tmp."""

from __future__ import annotations

import asyncio
import json
from pathlib import Path
from typing import Any

from core.engine import Engine, OfflineModelClient, RunOptions
from core.engine.model_client import ModelCall, StreamEnd
from core.evaluation import EvalOptions, Evaluator, make_plan
from core.files import load_graph
from core.registry import default_registry
from core.store.evaluations import EvalStore

ROOT = Path(__file__).resolve().parents[3]
OPTIONS = RunOptions(model_override="offline", offline_delay=0, node_timeout=30)


class CountingClient(OfflineModelClient):
    """The offline model, counting calls and the most in flight at once; a query
    containing ``FAIL`` gets a provider error."""

    def __init__(self, latency: float = 0.0) -> None:
        super().__init__(latency=latency)
        self.in_flight = 0
        self.most = 0
        self.queries: list[str] = []

    async def stream(self, call: ModelCall):
        self.in_flight += 1
        self.most = max(self.most, self.in_flight)
        try:
            text = json.dumps(call.messages)
            self.queries.append(text)
            if "FAIL" in text:
                from core.engine.errors import ProviderError

                await asyncio.sleep(0)
                raise ProviderError("bad_request", "the provider said: 400 this prompt is refused")
            async for piece in super().stream(call):
                yield piece
        finally:
            self.in_flight -= 1


def graph(name: str = "parallel_branches"):
    registry = default_registry()
    return load_graph(ROOT / "saved_graphs" / f"{name}.json", registry), registry


def engine(client=None, options: RunOptions = OPTIONS) -> Engine:
    return Engine(default_registry(), options, model_client=client or CountingClient())


def answers(g, inputs: list[dict[str, Any]], output: int = 0) -> list[Any]:
    """What the graph answers for each input (the offline model is deterministic)."""

    async def go():
        e = engine()
        return [(await e.run(g, value)).outputs[output] for value in inputs]

    return asyncio.run(go())


def write_jsonl(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(r) + "\n" for r in rows), encoding="utf-8")
    return path


def evaluate(g, registry, data: Path, store: EvalStore, client=None, progress=None, **options):
    plan = make_plan(g, registry, data, EvalOptions(**options))
    e = engine(client)
    outcome = asyncio.run(Evaluator(e, store, run_options=OPTIONS).run(plan, progress))
    return plan, outcome


StreamEnd = StreamEnd
