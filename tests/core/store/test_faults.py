"""A store that cannot be used never stops a run, and loses nothing already stored."""

from __future__ import annotations

import hashlib
import sqlite3
import subprocess
import sys
import threading
from pathlib import Path

from core.store import NodeCache

ROOT = Path(__file__).resolve().parents[3]


def _filled(path: Path, n: int = 3) -> None:
    cache = NodeCache(path)
    for i in range(n):
        cache.put(f"k{i}", {"i": i})
    cache.flush()
    cache.close()


def test_a_corrupt_file_is_moved_aside_never_deleted_and_a_new_store_starts(tmp_path):
    path = tmp_path / "runs.sqlite"
    garbage = b"this is not an SQLite file at all" * 100
    path.write_bytes(garbage)
    cache = NodeCache(path)
    assert cache.get("k") is None
    warning = cache.take_warning()
    assert warning and "damaged" in warning and "nothing was deleted" in warning
    [aside] = tmp_path.glob("runs.sqlite.damaged-*")
    assert aside.read_bytes() == garbage
    cache.put("k", {"v": 1})
    cache.flush()
    assert NodeCache(path).get("k") == {"v": 1}


def test_a_store_from_a_newer_version_is_left_untouched(tmp_path):
    path = tmp_path / "runs.sqlite"
    _filled(path)
    conn = sqlite3.connect(path)
    conn.execute("UPDATE schema_version SET version = 99")
    conn.commit()
    conn.close()
    before = hashlib.sha256(path.read_bytes()).hexdigest()
    cache = NodeCache(path)
    assert cache.get("k0") is None
    cache.put("new", {"v": 2})
    cache.flush()
    warning = cache.take_warning()
    assert "newer Synalinks Canvas" in warning and "schema version 99" in warning
    assert "update Synalinks Canvas" in warning
    assert cache.take_warning() is None  # said once
    cache.close()
    assert hashlib.sha256(path.read_bytes()).hexdigest() == before


def test_a_locked_store_costs_this_run_its_writes_only(tmp_path):
    path = tmp_path / "runs.sqlite"
    _filled(path)
    other = sqlite3.connect(path, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another process holding the write lock
    cache = NodeCache(path, busy_timeout=0.05)
    assert cache.get("k1") == {"i": 1}  # WAL: reading goes on
    cache.put("new", {"v": 1})
    cache.flush()
    warning = cache.take_warning()
    assert "locked by another program" in warning and "not cached" in warning
    other.execute("ROLLBACK")
    other.close()
    cache.put("new", {"v": 1})
    cache.flush()
    assert cache.take_warning() is None
    assert [NodeCache(path).get(k) for k in ("k0", "new")] == [{"i": 0}, {"v": 1}]


def test_a_full_disk_keeps_what_was_stored(tmp_path):
    path = tmp_path / "runs.sqlite"
    _filled(path)
    cache = NodeCache(path)
    cache.stats()
    pages = cache._conn.execute("PRAGMA page_count").fetchone()[0]
    cache._conn.execute(f"PRAGMA max_page_count = {pages}")  # SQLite's own "disk is full"
    for i in range(50):
        cache.put(f"more{i}", {"text": "x" * 2000})
    cache.flush()
    warning = cache.take_warning()
    assert "is full" in warning and "Free some space" in warning
    cache.close()
    fresh = NodeCache(path)
    assert fresh.stats()[0] == 3 and fresh.get("k2") == {"i": 2}


def test_two_writers_at_once_both_keep_everything(tmp_path):
    path = tmp_path / "runs.sqlite"
    _filled(path, 1)
    problems: list[str | None] = []

    def writer(tag: str) -> None:
        cache = NodeCache(path)
        for round_ in range(20):
            for i in range(25):
                cache.put(f"{tag}-{round_}-{i}", {"tag": tag})
            cache.flush()
            problems.append(cache.take_warning())
        cache.close()

    threads = [threading.Thread(target=writer, args=(t,)) for t in ("a", "b")]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    assert problems == [None] * 40
    assert NodeCache(path).stats()[0] == 1 + 2 * 20 * 25


def test_two_processes_writing_at_once_both_keep_everything(tmp_path):
    path = tmp_path / "runs.sqlite"
    code = (
        "import sys\n"
        "from core.store import NodeCache\n"
        "cache = NodeCache(sys.argv[1])\n"
        "for r in range(30):\n"
        "    for i in range(20):\n"
        "        cache.put(f'{sys.argv[2]}-{r}-{i}', {'r': r})\n"
        "    cache.flush()\n"
        "    w = cache.take_warning()\n"
        "    assert w is None, w\n"
    )
    procs = [
        subprocess.Popen([sys.executable, "-c", code, str(path), tag], cwd=ROOT)
        for tag in ("p", "q")
    ]
    assert [p.wait(timeout=60) for p in procs] == [0, 0]
    assert NodeCache(path).stats()[0] == 2 * 30 * 20
