"""The node cache table: look-ups, writes at flush, the size cap, schema steps."""

from __future__ import annotations

import sqlite3

import pytest

from core.store import SCHEMA_VERSION, NodeCache, default_store_path
from core.store import schema as store_schema


@pytest.fixture
def path(tmp_path):
    return tmp_path / "data" / "runs.sqlite"


def test_a_result_put_is_read_back_after_flush_from_a_new_connection(path):
    cache = NodeCache(path)
    assert cache.get("k1") is None
    cache.put("k1", {"outputs": {"output": {"answer": "4"}}})
    assert cache.get("k1") == {"outputs": {"output": {"answer": "4"}}}  # before the flush too
    cache.flush()
    cache.close()
    again = NodeCache(path)
    assert again.get("k1") == {"outputs": {"output": {"answer": "4"}}}
    assert again.stats() == (1, len("k1") + len('{"outputs":{"output":{"answer":"4"}}}'))
    assert again.take_warning() is None


def test_the_store_is_wal_with_a_schema_version(path):
    NodeCache(path).stats()
    conn = sqlite3.connect(path)
    assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
    assert conn.execute("SELECT version FROM schema_version").fetchone()[0] == SCHEMA_VERSION
    columns = [r[1] for r in conn.execute("PRAGMA table_info(node_cache)")]
    assert columns == ["key", "result", "created_at", "used_at", "size"]


def test_past_the_cap_the_least_recently_used_results_go_first(path):
    cache = NodeCache(path, max_bytes=1000)
    value = {"text": "x" * 180}  # about 200 bytes with its key
    for i in range(4):
        cache.put(f"old{i}", value)
        cache.flush()
    assert cache.get("old0") is not None  # used again: now the most recent
    cache.flush()
    for i in range(3):
        cache.put(f"new{i}", value)
        cache.flush()
    entries, size = cache.stats()
    assert size <= 1000
    assert cache.get("old0") is not None and cache.get("new2") is not None
    assert cache.get("old1") is None  # the least recently used went first
    assert cache.get("old2") is None and entries == 5


def test_a_result_bigger_than_the_cap_is_not_kept(path):
    cache = NodeCache(path, max_bytes=50)
    cache.put("big", {"text": "x" * 100})
    cache.flush()
    assert cache.get("big") is None


def test_an_older_store_is_migrated_step_by_step(path, monkeypatch):
    NodeCache(path).stats()  # the current version
    now = store_schema.SCHEMA_VERSION
    steps = {
        **store_schema.MIGRATIONS,
        now + 1: ("CREATE TABLE later (id TEXT PRIMARY KEY)",),
        now + 2: ("ALTER TABLE later ADD COLUMN graph TEXT",),
    }
    monkeypatch.setattr(store_schema, "MIGRATIONS", steps)
    monkeypatch.setattr(store_schema, "SCHEMA_VERSION", now + 2)
    conn = sqlite3.connect(path, isolation_level=None)
    store_schema.migrate(conn)
    assert store_schema.stored_version(conn) == now + 2
    assert [r[1] for r in conn.execute("PRAGMA table_info(later)")] == ["id", "graph"]


def test_the_default_path_follows_the_data_dir_override(monkeypatch, tmp_path):
    monkeypatch.setenv("SYNALINKS_CANVAS_DATA_DIR", str(tmp_path / "elsewhere"))
    assert default_store_path() == tmp_path / "elsewhere" / "runs.sqlite"


def test_a_nonsense_cap_is_refused_with_the_value(path):
    with pytest.raises(ValueError, match="got 0"):
        NodeCache(path, max_bytes=0)
