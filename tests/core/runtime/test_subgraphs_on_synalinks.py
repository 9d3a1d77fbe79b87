"""Acceptance: a graph with a subgraph used twice and three levels of nesting
runs on the built-in engine and, exported as nested programs, under the real
synalinks 0.10 in the worker, with the same outputs on the offline model; the
worker's report of every inner node (Inputs, modules, nested programs,
Outputs) comes back with the same path ids and states as the built-in engine's."""

from __future__ import annotations

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.runtime.backend import OfflineAccess, SynalinksBackend
from tests.core.subgraph_graphs import nested_review

pytestmark = pytest.mark.synalinks


@pytest.fixture(scope="module")
def offline(loop):
    access = OfflineAccess()
    yield access
    loop.run_until_complete(access.close())


def states(record) -> dict[str, str]:
    return {r.node_id: str(r.state) for r in record.nodes.values()}


def test_nested_subgraphs_run_the_same_on_both_backends(loop, pool, offline, registry):
    graph, b = nested_review(registry)
    options = RunOptions(offline_delay=0)
    events: list[ev.Event] = []
    theirs = loop.run_until_complete(
        SynalinksBackend(registry, options, pool=pool, offline=offline).run(
            graph, None, events.append
        )
    )
    ours = loop.run_until_complete(Engine(registry, options).run(graph, None))
    assert theirs.status == ours.status == "succeeded", {
        r.node_name: r.error for r in theirs.nodes.values() if r.error
    }
    assert list(theirs.outputs) == list(ours.outputs)
    # Each inner module answered in its own voice, three levels down included.
    assert "from critic" in ours.outputs[2]["answer"]
    assert states(theirs) == states(ours)
    critic = b["critique"].id("critic")
    deep = "/".join(
        (
            b["root"].id("review"),
            b["review"].id("first"),
            b["summarise_and_critique"].id("check"),
            critic,
        )
    )
    assert theirs.nodes[deep].node_name == "review/first/check/critic"
    assert theirs.nodes[deep].state == ours.nodes[deep].state
    finished = [e.node_id for e in events if isinstance(e, ev.NodeFinished)]
    assert finished.index(deep) < finished.index(b["root"].id("review"))
