"""Autosave to recovery files, and telling a crash from a clean exit."""

from __future__ import annotations

import json
import subprocess
import sys

from core.commands import SetMeta
from core.files import dumps_graph, load_graph
from editor.recovery import Autosaver, RecoverySlot, process_alive


def dead_pid() -> int:
    """The pid of a process that has just exited (so nothing runs under it)."""
    proc = subprocess.Popen([sys.executable, "-c", "pass"])
    proc.wait()
    return proc.pid


def test_autosave_writes_unsaved_work_and_a_clean_save_removes_it(
    qtbot, document, recovery_store, tmp_path, registry
):
    slot = recovery_store.new_slot()
    autosaver = Autosaver(document, slot, interval_ms=50)
    assert not slot.exists()
    document.push(SetMeta({"description": "changed"}))
    qtbot.waitUntil(slot.exists, timeout=3000)
    assert load_graph(slot.graph_file, registry).meta.description == "changed"
    marker = json.loads(slot.lock_file.read_text())
    assert marker["source_path"] == str(document.path)
    assert recovery_store.crashed_entries() == []  # we are alive: not a crash

    document.save(tmp_path / "saved.json")
    assert not slot.exists() and not slot.lock_file.exists()
    document.undo_stack.undo()  # unsaved again
    autosaver.write_now()
    assert slot.exists()
    autosaver.stop()
    assert not slot.exists() and not slot.lock_file.exists()


def test_autosave_refuses_to_write_a_key(qtbot, document, recovery_store):
    slot = recovery_store.new_slot()
    autosaver = Autosaver(document, slot, interval_ms=10_000)
    document.push(SetMeta({"description": "sk-" + "a" * 40}))
    with qtbot.waitSignal(autosaver.failed) as failed:
        autosaver.write_now()
    assert "looks like" in failed.args[0]
    assert not slot.exists()


def test_files_left_by_a_dead_process_are_a_crash(document, recovery_store, registry):
    slot = recovery_store.new_slot()
    slot.write(document.graph, "/somewhere/graph.json", "graph.json")
    marker = json.loads(slot.lock_file.read_text())
    marker["pid"] = dead_pid()
    slot.lock_file.write_text(json.dumps(marker))
    entries = recovery_store.crashed_entries()
    assert [e.slot for e in entries] == [slot.slot]
    assert entries[0].source_path == "/somewhere/graph.json" and entries[0].name == "graph.json"
    assert dumps_graph(entries[0].load(registry)) == dumps_graph(document.graph)
    recovery_store.discard(entries[0])
    assert recovery_store.crashed_entries() == [] and not slot.lock_file.exists()


def test_a_recovery_file_without_its_marker_is_offered_and_a_lone_marker_is_cleaned(
    document, recovery_store
):
    orphan = recovery_store.new_slot()
    orphan.write(document.graph, None, "untitled")
    orphan.lock_file.unlink()
    lone = RecoverySlot(recovery_store.directory)
    lone.lock_file.write_text(json.dumps({"pid": dead_pid()}))
    assert [e.slot for e in recovery_store.crashed_entries()] == [orphan.slot]
    assert not lone.lock_file.exists()


def test_process_alive():
    import os

    assert process_alive(os.getpid())
    assert not process_alive(dead_pid())
