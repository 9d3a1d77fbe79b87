"""Runs kept across sessions: saved whole, listed per graph, opened, deleted, capped; faults cost only the keeping."""

from __future__ import annotations

import asyncio
import json
import sqlite3

import pytest

from core.engine.scope import RunScope
from core.files import graph_from_document
from core.store import RunStore, graph_key_for
from core.store.run_codec import record_from_json
from tests.core.engine.helpers import GraphBuilder, ScriptedClient, run


def small():
    b = GraphBuilder("kept")
    b.input()
    b.generator("a", "inputs")
    b.output("out", "a")
    return b.graph


@pytest.fixture
def store(tmp_path):
    runs = RunStore(tmp_path / "runs.sqlite")
    yield runs
    runs.close()


def _run(graph, query="What is 2 + 2?"):
    record, _events = asyncio.run(run(graph, ScriptedClient(), {"query": query}))
    return record


def test_a_run_is_kept_whole_and_comes_back_as_it_was(store, registry):
    graph = small()
    record = _run(graph)
    assert store.save(
        graph_key="/g.json",
        graph=graph,
        record=record,
        inputs={"inputs": {"query": "What is 2 + 2?"}},
        model="offline",
        origin="editor",
    )
    [summary] = store.list("/g.json")
    assert summary.run_id == record.run_id and summary.status == "succeeded"
    assert summary.input_preview == "What is 2 + 2?"
    assert summary.counts == {"finished": 3} and summary.origin == "editor"
    stored = store.load(record.run_id[:10])  # the first characters are enough
    assert stored is not None and stored.inputs == {"inputs": {"query": "What is 2 + 2?"}}
    again = record_from_json(stored.record)
    assert again.by_name("a").outputs == record.by_name("a").outputs
    assert again.by_name("a").state == "finished" and again.outputs == record.outputs
    assert again.by_name("a").started_at == record.by_name("a").started_at
    assert again.by_name("a").prompts == record.by_name("a").prompts
    snapshot = graph_from_document(stored.graph, registry)
    assert [n.name for n in snapshot.nodes.values()] == ["inputs", "a", "out"]
    assert store.list("/other.json") == []


def test_runs_are_listed_newest_first_and_deleted(store):
    graph = small()
    ids = []
    for i in range(3):
        record = _run(graph, f"question {i}")
        store.save(graph_key="k", graph=graph, record=record, inputs={}, started_at=100.0 + i)
        ids.append(record.run_id)
    assert [s.run_id for s in store.list("k")] == ids[::-1]
    assert [s.run_id for s in store.list("k", limit=2)] == ids[:0:-1]
    assert store.delete([ids[1], "nonexistent"]) == 1
    assert [s.run_id for s in store.list("k")] == [ids[2], ids[0]]
    assert store.load(ids[1]) is None
    conn = sqlite3.connect(store.path)
    assert conn.execute("SELECT count(*) FROM run_details").fetchone() == (2,)


def test_the_oldest_runs_go_past_the_size_cap(tmp_path):
    graph = small()
    runs = RunStore(tmp_path / "runs.sqlite", max_bytes=60_000)
    kept = []
    for i in range(40):
        record = _run(graph, f"question {i} " + "x" * 200)
        runs.save(graph_key="k", graph=graph, record=record, inputs={}, started_at=float(i))
        kept.append(record.run_id)
    listed = [s.run_id for s in runs.list("k")]
    count, size = runs.stats()
    assert 0 < count < 40 and size <= 60_000
    assert listed == kept[::-1][: len(listed)]  # the newest survive
    assert runs.take_warning() is None


def test_latest_values_come_from_the_newest_run_where_each_node_finished(store):
    graph = small()
    first, second = _run(graph, "one"), _run(graph, "two")
    store.save(graph_key="k", graph=graph, record=first, inputs={}, started_at=1.0)
    second.nodes["a"].state = "failed"
    store.save(graph_key="k", graph=graph, record=second, inputs={}, started_at=2.0)
    found = store.latest_values("k", ["a", "inputs", "missing"])
    assert found["a"].run_id == first.run_id  # the newest run where a finished
    assert found["a"].outputs == first.by_name("a").outputs
    assert found["inputs"].run_id == second.run_id
    assert "missing" not in found


def test_keys_never_reach_the_store(store, monkeypatch):
    monkeypatch.setenv("OPENAI_API_KEY", "sk-test-abcdefghijklmnopqrstuvwxyz0123456789")
    graph = small()
    graph.set_meta(api_base="http://user:hunter2secret@127.0.0.1:9/v1?key=zzz")
    record = _run(graph, "my key is sk-test-abcdefghijklmnopqrstuvwxyz0123456789")
    store.save(
        graph_key="k",
        graph=graph,
        record=record,
        inputs={"q": "sk-test-abcdefghijklmnopqrstuvwxyz0123456789"},
    )
    raw = store.path.read_bytes() + (store.path.parent / "runs.sqlite-wal").read_bytes()
    stored = store.load(record.run_id)
    text = json.dumps([stored.graph, stored.inputs, stored.outputs, stored.record])
    for blob in (raw, text.encode()):
        assert b"sk-test-abcdefghijklmnopqrstuvwxyz0123456789" not in blob
        assert b"hunter2secret" not in blob
    assert "[redacted]" in json.dumps(stored.inputs) and "[redacted]" in text


def test_a_locked_store_costs_only_the_keeping_with_one_warning(tmp_path):
    path = tmp_path / "runs.sqlite"
    RunStore(path).stats()
    blocker = sqlite3.connect(path, isolation_level=None)
    blocker.execute("BEGIN EXCLUSIVE")
    runs = RunStore(path, busy_timeout=0.05)
    graph = small()
    assert not runs.save(graph_key="k", graph=graph, record=_run(graph), inputs={})
    warning = runs.take_warning()
    assert warning and "locked" in warning and "this run was not kept" in warning
    assert runs.take_warning() is None
    blocker.execute("ROLLBACK")
    assert runs.save(graph_key="k", graph=graph, record=_run(graph), inputs={})


def test_a_corrupt_store_is_moved_aside_and_a_newer_one_left_alone(tmp_path):
    path = tmp_path / "runs.sqlite"
    path.write_bytes(b"not a database " * 200)
    runs = RunStore(path)
    graph = small()
    assert runs.save(graph_key="k", graph=graph, record=_run(graph), inputs={})
    assert "damaged" in runs.take_warning()
    assert list(tmp_path.glob("runs.sqlite.damaged-*"))
    runs.close()
    conn = sqlite3.connect(path, isolation_level=None)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.close()
    newer = RunStore(path)
    assert newer.list("k") == [] and "newer Synalinks Canvas" in newer.take_warning()
    assert not newer.save(graph_key="k", graph=graph, record=_run(graph), inputs={})


def test_graph_keys_are_resolved_paths_or_unsaved_ids(tmp_path, monkeypatch):
    monkeypatch.chdir(tmp_path)
    assert graph_key_for("g.json") == str(tmp_path / "g.json")
    assert graph_key_for(None, "abc") == "unsaved:abc"


def test_a_run_from_a_node_finds_its_upstream_values_in_the_store(store, registry):
    from core.engine import Engine, RunOptions

    b = GraphBuilder("chain")
    b.input()
    b.generator("a", "inputs")
    b.generator("b", "a")
    b.output("out", "b")
    graph = b.graph
    first = _run(graph)
    store.save(graph_key="k", graph=graph, record=first, inputs={})
    client = ScriptedClient()
    engine = Engine(registry, RunOptions(), model_client=client)
    scope = RunScope(from_node="b", seeds=lambda ids: store.latest_values("k", ids))
    record = asyncio.run(engine.run(engine.prepare(graph, None, scope)))
    assert [c.node_name for c in client.calls] == ["b"]
    assert record.by_name("a").reused_from == first.run_id


def test_two_windows_saving_at_once_both_keep_their_runs(tmp_path):
    import threading

    path = tmp_path / "runs.sqlite"
    graph = small()
    records = [_run(graph, f"q{i}") for i in range(8)]
    stores = [RunStore(path), RunStore(path)]
    results: list[bool] = []

    def save(store, batch):
        for record in batch:
            results.append(store.save(graph_key="k", graph=graph, record=record, inputs={}))

    threads = [
        threading.Thread(target=save, args=(stores[0], records[:4])),
        threading.Thread(target=save, args=(stores[1], records[4:])),
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert results == [True] * 8
    assert {s.run_id for s in stores[0].list("k")} == {r.run_id for r in records}
    assert all(store.take_warning() is None for store in stores)


def test_a_full_disk_costs_this_run_its_keeping_and_nothing_kept_before(tmp_path):
    path = tmp_path / "runs.sqlite"
    runs = RunStore(path)
    graph = small()
    first = _run(graph, "kept before")
    assert runs.save(graph_key="k", graph=graph, record=first, inputs={})
    pages = runs._connection().execute("PRAGMA page_count").fetchone()[0]
    runs._connection().execute(f"PRAGMA max_page_count = {pages}")  # the disk is full now
    big = _run(graph, "x" * 200_000)
    assert not runs.save(graph_key="k", graph=graph, record=big, inputs={"q": "x" * 200_000})
    warning = runs.take_warning()
    assert warning and "full" in warning and "this run was not kept" in warning
    assert [s.run_id for s in runs.list("k")] == [first.run_id]
    assert runs.load(first.run_id) is not None
