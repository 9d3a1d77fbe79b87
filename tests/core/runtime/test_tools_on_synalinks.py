"""Agents call the user's tools in the worker: the shipped example runs offline,
bad tools are reported on the nodes that use them, an edited tool is read again."""

from __future__ import annotations

import os
import time
from pathlib import Path

import pytest

from core.engine import RunOptions
from core.files import load_graph
from core.model.resources import ToolSpec
from core.registry import default_registry
from core.runtime.backend import SynalinksBackend
from core.runtime.build_check import check_with_synalinks
from tests.core.catalogue.test_catalogue_types import graph_with

pytestmark = pytest.mark.synalinks
ROOT = Path(__file__).resolve().parents[3]
REGISTRY = default_registry()


def test_the_agent_example_calls_its_tools_offline(loop, pool):
    from core.engine import events as ev

    graph = load_graph(ROOT / "saved_graphs" / "agent_with_tools.json", REGISTRY)
    options = RunOptions(offline_delay=0, project_dir=str(ROOT / "saved_graphs"))
    backend = SynalinksBackend(REGISTRY, options, pool=pool)
    events: list = []
    record = loop.run_until_complete(backend.run(graph, None, events.append))
    loop.run_until_complete(backend.offline.close())
    assert record.status == "succeeded", [r.error for r in record.nodes.values() if r.error]
    (answer,) = record.outputs
    results = [m["content"] for m in answer["messages"] if m["role"] == "tool"]
    assert {"words": 10, "characters": 52} in results  # count_words on the offline text
    definitions = next(r for r in results if "definitions" in r)["definitions"]
    assert "a module that calls tools" in definitions["agent"]
    assert "from agent" in answer["answer"]  # the offline model answered as the agent
    # Each tool call is reported live, between the agent's start and its end.
    agent = graph.node_by_name("agent").id
    kinds = [type(e).__name__ for e in events if getattr(e, "node_id", None) == agent]
    assert kinds[:2] == ["NodeQueued", "NodeStarted"] and kinds[-1] == "NodeFinished"
    assert [k for k in kinds[2:-1] if k != "NodePrompt"] == ["NodeProgress", "NodeProgress"]
    # Each of the agent's model calls reports its messages (the tool results fed back).
    prompts = record.nodes[agent].prompts
    assert len(prompts) >= 2 and not any(p.exact for p in prompts)
    assert any(m.get("role") == "tool" for m in prompts[-1].messages)
    steps = record.nodes[agent].steps
    assert [s["tool"] for s in sorted(steps, key=lambda s: s["tool"])] == [
        "count_words",
        "define_term",
    ]
    counted = next(s for s in steps if s["tool"] == "count_words")
    assert counted["result"] == {"words": 10, "characters": 52} and counted["seconds"] >= 0
    assert "called count_words(text=" in ev.describe_step(counted)


TOOLS = '''
async def good(text: str) -> dict:
    """Echo.

    Args:
        text (str): anything.
    """
    return {"version": VERSION}


def not_async(text: str) -> dict:
    """Not a coroutine."""
    return {}


async def untyped(text) -> dict:
    """No type."""
    return {}


async def undocumented(text: str) -> dict:
    return {}

VERSION = "one"
'''


def project(tmp_path: Path, *names: str, module: str = "my_tools"):
    (tmp_path / "lib").mkdir(exist_ok=True)
    (tmp_path / "lib" / "my_tools.py").write_text(TOOLS)
    graph = graph_with("FunctionCallingAgent", tools=list(names))
    graph.set_meta(
        tools=tuple(ToolSpec(name=n, module=module, function=n, folder="lib") for n in names)
    )
    return graph


@pytest.mark.parametrize(
    ("tool", "problem"),
    [
        ("not_async", "is not async"),
        ("untyped", "give every parameter a type (text has none)"),
        ("undocumented", "write a docstring"),
        ("absent", "has no function 'absent'"),
    ],
)
def test_a_bad_tool_is_reported_on_the_node_that_uses_it(loop, pool, tmp_path, tool, problem):
    graph = project(tmp_path, tool)
    problems = loop.run_until_complete(check_with_synalinks(graph, REGISTRY, pool, str(tmp_path)))
    assert len(problems) == 1 and problems[0].code == "tool-problem"
    assert problems[0].node_id == graph.node_by_name("module").id
    assert problem in problems[0].message


def test_a_module_that_does_not_import_says_where_it_looked(loop, pool, tmp_path):
    graph = project(tmp_path, "good", module="missing_module")
    problems = loop.run_until_complete(check_with_synalinks(graph, REGISTRY, pool, str(tmp_path)))
    assert "cannot import missing_module" in problems[0].message
    assert str(tmp_path / "lib") in problems[0].message


def test_a_good_tool_builds_and_an_edited_tool_is_read_again(loop, pool, tmp_path):
    graph = project(tmp_path, "good")
    assert loop.run_until_complete(check_with_synalinks(graph, REGISTRY, pool, str(tmp_path))) == []
    options = RunOptions(offline_delay=0, project_dir=str(tmp_path))
    backend = SynalinksBackend(REGISTRY, options, pool=pool)
    first = loop.run_until_complete(backend.run(graph, {"query": "hello"}))
    path = tmp_path / "lib" / "my_tools.py"
    path.write_text(TOOLS.replace('VERSION = "one"', 'VERSION = "two"'))
    later = time.time() + 5
    os.utime(path, (later, later))
    second = loop.run_until_complete(backend.run(graph, {"query": "hello"}))
    loop.run_until_complete(backend.offline.close())

    def version(record):
        (answer,) = record.outputs
        return [m["content"] for m in answer["messages"] if m["role"] == "tool"][0]["version"]

    assert (version(first), version(second)) == ("one", "two")
