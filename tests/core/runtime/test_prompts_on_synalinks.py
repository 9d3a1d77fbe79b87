"""The Synalinks backend reports each model call's messages, output schema and
answer as its hooks see them (never claiming it is the exact wire request)."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from core.engine import RunOptions
from core.engine import events as ev
from core.files import load_graph
from core.registry import default_registry
from core.runtime.backend import OfflineAccess, SynalinksBackend

pytestmark = pytest.mark.synalinks

ROOT = Path(__file__).resolve().parents[3]


@pytest.fixture(scope="module")
def offline(loop):
    access = OfflineAccess()
    yield access
    loop.run_until_complete(access.close())


def test_each_generator_reports_what_synalinks_sent_and_got(loop, pool, offline):
    registry = default_registry()
    graph = load_graph(ROOT / "saved_graphs" / "parallel_branches.json", registry)
    events: list[ev.Event] = []
    backend = SynalinksBackend(registry, RunOptions(offline_delay=0), pool=pool, offline=offline)
    record = loop.run_until_complete(backend.run(graph, None, events.append))
    assert record.status == "succeeded"
    for name in ("branch_1", "branch_2"):
        (prompt,) = [e for e in events if isinstance(e, ev.NodePrompt) and e.node_name == name]
        assert not prompt.exact and prompt.model == "offline" and prompt.attempt == 1
        roles = [m.get("role") for m in prompt.messages]
        assert "system" in roles and "user" in roles
        user = " ".join(str(m.get("content")) for m in prompt.messages if m.get("role") == "user")
        assert "What is the meaning of life?" in user
        assert set(prompt.response_format["properties"]) == {"thinking", "answer"}
        node = record.by_name(name)
        assert json.loads(prompt.response) == node.result
        (kept,) = node.prompts
        assert kept.messages == prompt.messages and not kept.exact
    assert record.by_name("inputs").prompts == []
