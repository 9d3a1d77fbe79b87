"""Any valid graph runs to completion: seeded random graphs of every node type,
through the offline model, keep the event contract and produce valid outputs."""

from __future__ import annotations

import asyncio

import pytest

from core.engine import OfflineModelClient
from core.engine import events as ev
from core.engine.record import NodeState
from core.engine.structured_output import check_answer
from core.schemas.flow import analyse
from tests.core.engine.helpers import run
from tests.core.graph_factory import node_types_in, random_graph


@pytest.mark.parametrize("seed", [1, 2, 3, 4, 5, 6])
def test_random_graph_runs_to_the_end_with_schema_valid_results(seed, registry):
    graph = random_graph(seed, size=60 if seed % 2 else 30)
    record, got = asyncio.run(
        run(graph, OfflineModelClient(), model_override="offline", offline_delay=0)
    )
    assert record.status == "succeeded", [
        (n.node_name, n.error) for n in record.nodes.values() if n.error
    ]
    assert all(n.state is NodeState.FINISHED for n in record.nodes.values())
    flow = analyse(graph, registry)
    for event in got.of(ev.NodeFinished):
        node_type = flow.types[event.node_id]
        for port, value in event.outputs.items():
            schema = flow.schemas.get((event.node_id, port))
            # A model's answer (with any decision prefix) fits the schema analysis predicts.
            # (Or/Xor values may take either input's shape, as in Synalinks: not checked.)
            if (
                node_type.uses_language_model
                and node_type.type_name != "Branch"
                and value is not None
            ):
                check_answer(value, schema)
            if value is None:
                assert flow.may_be_none[(event.node_id, port)], (
                    f"{event.node_name}.{port} was None unexpectedly"
                )
    assert len(record.outputs) == len(graph.nodes_of_type("Output"))
    if seed == 1:
        assert {
            "Branch",
            "Concat",
            "Or",
            "Xor",
            "And",
            "Decision",
            "ChainOfThought",
        } <= node_types_in(graph)
