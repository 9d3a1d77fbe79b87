"""The catalogue against the real library: the snapshot is what synalinks 0.10 has,
every generated module that validates builds, and a program of them runs."""

from __future__ import annotations

import pytest

from core.catalogue.node_types import CatalogueModuleType
from core.catalogue.snapshot import shipped_catalogue
from core.engine import RunOptions
from core.registry import default_registry
from core.runtime import protocol as p
from core.runtime.backend import SynalinksBackend
from core.runtime.build_check import check_with_synalinks
from core.runtime.client import new_request_id
from core.validation import validate
from tests.core.builders import GraphBuilder
from tests.core.catalogue.test_catalogue_types import graph_with

pytestmark = pytest.mark.synalinks
REGISTRY = default_registry()
SANDBOXED = {"DeepAgent"}
FILLED = {
    "InMask": {"mask": ["answer"]},
    "OutMask": {"mask": ["answer"]},
    "MultiDecision": {"question": "Which topics?", "labels": ["science", "art"]},
}


def test_the_shipped_snapshot_matches_the_installed_synalinks(loop, pool):
    async def fetch():
        worker = await pool.get()
        async for message in worker.request(p.CatalogueRequest(id=new_request_id())):
            return message

    live = loop.run_until_complete(fetch())
    assert isinstance(live, p.Catalogue)
    version, shipped = shipped_catalogue()
    assert live.synalinks == version
    params = {m.class_name: [x.name for x in m.params] for m in shipped}
    assert {m.class_name: [x.name for x in m.params] for m in live.modules} == params


def test_every_generated_module_that_validates_builds_under_synalinks(loop, pool):
    built, refused = [], []
    for node_type in REGISTRY:
        if not isinstance(node_type, CatalogueModuleType):
            continue
        graph = graph_with(node_type.type_name, **FILLED.get(node_type.type_name, {}))
        if any(d.is_error for d in validate(graph, REGISTRY)):
            refused.append(node_type.type_name)
            continue
        problems = loop.run_until_complete(check_with_synalinks(graph, REGISTRY, pool))
        if node_type.type_name in SANDBOXED and problems:
            # Synalinks' sandbox needs libfuse, which this machine may lack: its own
            # message says so, on the module's node.
            assert "libfuse" in problems[0].message, problems
            assert problems[0].node_id == graph.node_by_name("module").id
            continue
        assert problems == [], (node_type.type_name, problems)
        built.append(node_type.type_name)
    assert {"Identity", "Not", "InMask", "OutMask", "SelfCritique", "MultiDecision"} <= set(built)
    assert {"FunctionCallingAgent", "RetrieveKnowledge", "Tool", "Lambda"} <= set(refused)


def test_validating_with_synalinks_teaches_the_canvas_each_output_schema(loop, pool):
    from core.schemas.flow import analyse

    registry = default_registry()
    b = GraphBuilder(registry)
    b.add("Input", "query", data_model="Query")
    b.add("ChainOfThought", "think", data_model="Answer")
    b.add("InMask", "only_answer", mask=["answer"])
    b.add("SelfCritique", "critique")
    b.add("Output", "out", order=0)
    b.chain("query", "think", "only_answer", "critique", "out")
    flow = analyse(b.graph, registry)
    assert flow.schemas[(b.id("critique"), "output")] is None
    assert loop.run_until_complete(check_with_synalinks(b.graph, registry, pool)) == []
    flow = analyse(b.graph, registry)
    masked = flow.schemas[(b.id("only_answer"), "output")]
    assert list(masked["properties"]) == ["answer"]
    assert list(flow.schemas[(b.id("critique"), "output")]["properties"]) == [
        "answer",
        "critique",
        "reward",
    ]


def test_a_build_error_lands_on_the_node_it_names(loop, pool):
    graph = graph_with("InMask")  # no mask: Synalinks refuses to build it
    problems = loop.run_until_complete(check_with_synalinks(graph, REGISTRY, pool))
    assert problems and problems[0].code == "synalinks-build"
    assert "mask" in problems[0].message
    assert problems[0].node_id == graph.node_by_name("module").id
    assert problems[0].message.startswith("Synalinks cannot build module: ValueError")


def test_a_program_of_generated_modules_runs_on_synalinks(loop, pool):
    b = GraphBuilder(REGISTRY)
    b.add("Input", "query", data_model="Query")
    b.add("ChainOfThought", "think", data_model="Answer")
    b.add("InMask", "only_answer", mask=["answer"])
    b.add("SelfCritique", "critique")
    b.add("MultiDecision", "topics", question="Which topics?", labels=["science", "art"])
    b.add("Output", "out", order=0)
    b.add("Output", "out2", order=1)
    b.chain("query", "think", "only_answer", "critique", "out")
    b.chain("query", "topics", "out2")
    backend = SynalinksBackend(REGISTRY, RunOptions(offline_delay=0), pool=pool)
    record = loop.run_until_complete(backend.run(b.graph, {"query": "What is art?"}))
    assert record.status == "succeeded", [r.error for r in record.nodes.values() if r.error]
    critique, topics = record.outputs
    assert list(critique)[:1] == ["answer"] and "thinking" not in critique  # masked
    assert {"critique", "reward"} <= set(critique) and 0.0 <= critique["reward"] <= 1.0
    assert set(topics["choices"]) <= {"science", "art"}
    assert "answering as topics" in topics["thinking"]  # the offline model's voice
    from core.schemas.flow import analyse

    learnt = analyse(b.graph, REGISTRY).schemas[(b.id("critique"), "output")]
    assert learnt and "reward" in learnt["properties"]  # the run taught the canvas
    by_name = {r.node_name: r for r in record.nodes.values()}
    assert by_name["think"].tokens_out > 0 and by_name["critique"].tokens_out > 0
    assert by_name["only_answer"].tokens_out is None  # no model call
    await_backend_close(loop, backend)


def await_backend_close(loop, backend) -> None:
    loop.run_until_complete(backend.offline.close())
