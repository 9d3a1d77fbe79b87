"""Every saved example gives the same outputs and node states on both backends.

One real worker (synalinks 0.10 in ``.venv-synalinks``) serves the module;
the models are the offline model (served to the worker over loopback) and
an OpenAI-compatible server on 127.0.0.1 that both backends call.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

from core.engine import Engine, RunOptions
from core.engine import events as ev
from core.files import load_graph
from core.registry import default_registry
from core.runtime.backend import OfflineAccess, SynalinksBackend
from tests.core.runtime.conftest import LOOPBACK_KEY
from tests.support.openai_server import OpenAIServer

pytestmark = pytest.mark.synalinks

ROOT = Path(__file__).resolve().parents[3]


def _both_backends_run(path: Path) -> bool:
    from core.engine.engine import synalinks_only

    registry = default_registry()
    return not synalinks_only(load_graph(path, registry), registry)


EXAMPLES = sorted(p.stem for p in (ROOT / "saved_graphs").glob("*.json") if _both_backends_run(p))
SENTINEL = "sk-canvas-sentinel-" + "7f3a9c" * 4


@pytest.fixture(scope="module")
def offline(loop):
    access = OfflineAccess()
    yield access
    loop.run_until_complete(access.close())


def ordered(value):
    if isinstance(value, dict):
        return [(k, ordered(v)) for k, v in value.items()]
    if isinstance(value, list):
        return [ordered(v) for v in value]
    return value


def states(record) -> dict[str, str]:
    return {r.node_name: str(r.state) for r in record.nodes.values()}


def both(loop, pool, offline, name: str, options: RunOptions, server=None):
    registry = default_registry()
    graph = load_graph(ROOT / "saved_graphs" / f"{name}.json", registry)
    events: list[ev.Event] = []
    backend = SynalinksBackend(registry, options, pool=pool, offline=offline)
    theirs = loop.run_until_complete(backend.run(graph, None, events.append))
    if server is not None:
        server.theirs = len(server.requests)
    ours = loop.run_until_complete(Engine(registry, options).run(graph, None))
    return ours, theirs, events


@pytest.mark.parametrize("name", EXAMPLES)
def test_offline_model_gives_the_same_outputs_on_both_backends(loop, pool, offline, name):
    ours, theirs, events = both(loop, pool, offline, name, RunOptions(offline_delay=0))
    assert theirs.status == ours.status == "succeeded", {
        r.node_name: r.error for r in theirs.nodes.values() if r.error
    }
    assert ordered(list(theirs.outputs)) == ordered(list(ours.outputs))
    assert states(theirs) == states(ours)
    for node_id, record in ours.nodes.items():
        assert ordered(theirs.nodes[node_id].result) == ordered(record.result), record.node_name
    # The stream keeps the engine's guarantees: RunStarted first, RunFinished last,
    # one end event per node, each after that node's start.
    assert isinstance(events[0], ev.RunStarted) and isinstance(events[-1], ev.RunFinished)
    ends = [e.node_id for e in events if isinstance(e, (ev.NodeFinished, ev.NodeFailed))]
    assert sorted(ends) == sorted(ours.nodes)
    started = set()
    for event in events:
        if isinstance(event, ev.NodeStarted):
            started.add(event.node_id)
        elif isinstance(event, ev.NodeFinished):
            assert event.node_id in started
    assert not any(isinstance(e, ev.TokenDelta) for e in events)  # Synalinks does not stream


@pytest.mark.parametrize("name", EXAMPLES)
def test_a_loopback_server_gives_the_same_outputs_on_both_backends(
    loop, pool, offline, name, monkeypatch
):
    monkeypatch.setenv("OPENAI_API_KEY", LOOPBACK_KEY)
    server = OpenAIServer()
    loop.run_until_complete(server.start())
    try:
        options = RunOptions(model_override="openai/test-model", api_base=server.base_url)
        ours, theirs, _events = both(loop, pool, offline, name, options, server)
    finally:
        loop.run_until_complete(server.stop())
    assert theirs.status == ours.status == "succeeded", {
        r.node_name: r.error for r in [*theirs.nodes.values(), *ours.nodes.values()] if r.error
    }
    assert ordered(list(theirs.outputs)) == ordered(list(ours.outputs))
    # The same model calls on both sides (a Branch's untaken module calls none).
    assert server.theirs > 0 and len(server.requests) == 2 * server.theirs
    assert theirs.tokens_out > 0  # usage reported by synalinks reaches the record


def test_keys_reach_the_worker_through_its_environment_only(loop, synalinks_python):
    """A sentinel key is used by the worker's model calls but appears in no
    protocol message, event or worker log line."""
    from core.runtime import client as client_module
    from core.runtime.client import WorkerPool

    lines: list[str] = []
    real_parse = client_module.p.parse_worker_line

    def spy(line: str):
        lines.append(line)
        return real_parse(line)

    server = OpenAIServer()
    loop.run_until_complete(server.start())
    pool = WorkerPool(synalinks_python)
    pool.configure(synalinks_python, {"OPENAI_API_KEY": SENTINEL})
    client_module.p.parse_worker_line = spy
    try:
        registry = default_registry()
        graph = load_graph(ROOT / "saved_graphs" / "parallel_branches.json", registry)
        events: list[ev.Event] = []
        options = RunOptions(model_override="openai/test-model", api_base=server.base_url)
        backend = SynalinksBackend(registry, options, pool=pool)
        record = loop.run_until_complete(backend.run(graph, None, events.append))
        worker = pool.worker
        log_text = worker.stderr_tail()
        env_key = worker.environment().get("OPENAI_API_KEY")
    finally:
        client_module.p.parse_worker_line = real_parse
        loop.run_until_complete(pool.close())
        loop.run_until_complete(server.stop())
    assert record.status == "succeeded"
    assert env_key == SENTINEL
    assert server.authorizations and all(a == f"Bearer {SENTINEL}" for a in server.authorizations)
    assert lines and not any(SENTINEL in line for line in lines)
    assert not any(SENTINEL in e.to_json() for e in events)
    assert SENTINEL not in log_text


def test_cli_runs_on_synalinks_with_json_events(synalinks_python, tmp_path):
    env = {**os.environ, "SYNALINKS_CANVAS_PYTHON": synalinks_python}
    completed = subprocess.run(
        [
            sys.executable,
            "-m",
            "editor.launcher",
            "run",
            str(ROOT / "saved_graphs" / "conditional_branches.json"),
            "--backend",
            "synalinks",
            "--python",
            synalinks_python,
            "--json",
            "--offline-delay",
            "0",
        ],
        capture_output=True,
        text=True,
        timeout=300,
        cwd=tmp_path,
        env=env,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    rows = [json.loads(line) for line in completed.stdout.splitlines()]
    kinds = [r.get("kind") for r in rows]
    assert kinds[0] == "run_started" and kinds[-2] == "run_finished"
    assert rows[-1]["status"] == "succeeded"
    registry = default_registry()
    graph = load_graph(ROOT / "saved_graphs" / "conditional_branches.json", registry)
    import asyncio

    ours = asyncio.run(Engine(registry, RunOptions(offline_delay=0)).run(graph, None))
    assert ordered(rows[-1]["outputs"]) == ordered(list(ours.outputs))
