"""The exported program under real synalinks and our engine give the same outputs.

Both are fed the same mocked model (:mod:`tests.core.export.mock_model`
answers from the requested schema alone), on the graph's example input.
Outputs are compared with their key order: merges suffix clashing keys
(``thinking_1``), so order and names must agree exactly.
"""

from __future__ import annotations

import asyncio
import json
from collections.abc import AsyncIterator

import pytest

from core.engine import Engine, ModelCall, RunOptions, StreamEnd
from core.registry import default_registry
from tests.core.export import mock_model

pytestmark = pytest.mark.synalinks

COMPARED = (
    "parallel_branches",
    "conditional_branches",
    "fork_merge",
    "chain_of_thought",
    "generated_3",
    "generated_4",
    "generated_7",
    "generated_12",
    "hostile",
    "nested",
)


class SchemaFillingClient:
    """The engine's model seam, answering like the mocked ``litellm.acompletion``."""

    def __init__(self) -> None:
        self.calls = 0

    async def stream(self, call: ModelCall) -> AsyncIterator[str | StreamEnd]:
        self.calls += 1
        schema = mock_model.requested_schema({"response_format": call.response_format})
        yield json.dumps(mock_model.fill_schema(schema))
        yield StreamEnd("stop")


def engine_outputs(graph) -> tuple[list, int]:
    client = SchemaFillingClient()
    engine = Engine(
        default_registry(), RunOptions(model_override="openai/mock-model"), model_client=client
    )
    record = asyncio.run(engine.run(graph, None))
    assert record.status == "succeeded", {
        n.node_name: n.error for n in record.nodes.values() if n.error
    }
    return list(record.outputs), client.calls


def ordered(value):
    """A value with dict key order made significant."""
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


@pytest.mark.parametrize("name", COMPARED)
def test_exported_program_and_engine_agree(name, synalinks_cases):
    case = synalinks_cases[name]
    assert case.report["ok"], case.report.get("trace")
    exported = [value for _label, value in case.report["results"]]
    ours, calls = engine_outputs(case.graph)
    assert calls > 0
    assert ordered(ours) == ordered(exported)


def test_two_inputs_agree_up_to_the_merge_order(synalinks_cases):
    """With several Inputs the export lists the Input last in merges (Synalinks'
    IndexError otherwise), so the merged fields come in another order."""
    case = synalinks_cases["two_inputs"]
    exported = [value for _label, value in case.report["results"]]
    ours, _calls = engine_outputs(case.graph)
    assert ours == exported  # dict equality ignores key order
    assert list(exported[0]) == ["answer", "context"]
    assert list(ours[0]) == ["context", "answer"]
