"""Saving: atomic replace, deterministic bytes, normal permissions, clear failures."""

from __future__ import annotations

import errno
import json
import math
import os
import stat

import pytest

from core.files import GraphFileError, dumps_graph, load_graph, save_graph
from core.files import save as save_module
from tests.core.graph_factory import random_graph


def _leftovers(folder):
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".tmp"))


@pytest.fixture
def saved(tmp_path):
    path = tmp_path / "graph.json"
    save_graph(random_graph(1, size=24), path)
    return path


@pytest.mark.parametrize("failing", ["fsync", "replace"])
def test_failure_during_write_or_replace_keeps_the_old_file(saved, monkeypatch, failing):
    before = saved.read_bytes()

    def disk_full(*args, **kwargs):
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(save_module.os, failing, disk_full)
    with pytest.raises(GraphFileError) as info:
        save_graph(random_graph(2, size=40), saved)
    assert str(info.value) == f"{saved}: could not save: No space left on device"
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_failure_in_the_middle_of_writing_keeps_the_old_file(saved, monkeypatch):
    before = saved.read_bytes()
    real_fdopen = os.fdopen

    class HalfWriter:
        def __init__(self, handle):
            self.handle = handle

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            self.handle.close()

        def write(self, text):
            self.handle.write(text[: len(text) // 2])
            raise OSError(errno.EIO, "Input/output error")

    monkeypatch.setattr(save_module.os, "fdopen", lambda *a, **k: HalfWriter(real_fdopen(*a, **k)))
    with pytest.raises(GraphFileError, match="could not save: Input/output error"):
        save_graph(random_graph(2, size=40), saved)
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_an_unexpected_error_still_removes_the_temporary_file(saved, monkeypatch):
    before = saved.read_bytes()

    def crash(*args, **kwargs):
        raise RuntimeError("simulated crash")

    monkeypatch.setattr(save_module.os, "replace", crash)
    with pytest.raises(RuntimeError):
        save_graph(random_graph(2, size=40), saved)
    assert saved.read_bytes() == before
    assert _leftovers(saved.parent) == []


def test_saving_into_a_missing_folder_names_the_file(tmp_path):
    path = tmp_path / "nowhere" / "graph.json"
    with pytest.raises(GraphFileError) as info:
        save_graph(random_graph(1, size=24), path)
    assert str(info.value).startswith(f"{path}: could not save")
    assert not path.parent.exists()


def test_saving_over_a_folder_fails_cleanly(tmp_path):
    folder = tmp_path / "graph.json"
    folder.mkdir()
    with pytest.raises(GraphFileError, match="could not save"):
        save_graph(random_graph(1, size=24), folder)
    assert folder.is_dir() and _leftovers(tmp_path) == []


def test_bytes_are_deterministic_sorted_indented_with_final_newline(registry, tmp_path):
    graph = random_graph(5, size=40)
    text = dumps_graph(graph)
    assert text == dumps_graph(graph)
    assert text.endswith("}\n") and not text.endswith("\n\n")
    assert text.startswith('{\n  "data_models": [\n')

    def sorted_pairs(pairs):
        keys = [k for k, _ in pairs]
        assert keys == sorted(keys), keys
        return dict(pairs)

    json.loads(text, object_pairs_hook=sorted_pairs)  # every object, at every depth
    assert "\\u" not in text, "non-ASCII text is written as itself, so files diff readably"
    path = tmp_path / "g.json"
    save_graph(graph, path)
    assert path.read_bytes() == text.encode("utf-8")
    # The same graph built again (other dict insertion orders) gives the same bytes.
    assert dumps_graph(load_graph(path, registry)) == text


def test_new_files_get_normal_permissions(tmp_path):
    old = os.umask(0o022)
    try:
        path = tmp_path / "fresh.json"
        save_graph(random_graph(1, size=24), path)
    finally:
        os.umask(old)
    assert stat.S_IMODE(path.stat().st_mode) == 0o644


def test_existing_files_keep_their_permissions(saved):
    saved.chmod(0o600)
    save_graph(random_graph(3, size=24), saved)
    assert stat.S_IMODE(saved.stat().st_mode) == 0o600


def test_non_finite_numbers_are_refused_before_touching_the_file(saved):
    before = saved.read_bytes()
    graph = random_graph(3, size=24)
    node = next(n for n in graph.nodes.values() if n.type == "Generator")
    graph.set_params(node.id, {"temperature": math.nan})
    where = f"nodes[{list(graph.nodes).index(node.id)}].params.temperature"
    with pytest.raises(GraphFileError) as info:
        save_graph(graph, saved)
    assert str(info.value).startswith(f"{saved}: refusing to save: {where}")
    assert "not a finite number" in str(info.value)
    assert saved.read_bytes() == before and _leftovers(saved.parent) == []


def test_lone_surrogates_are_refused_before_touching_the_file(saved, registry):
    before = saved.read_bytes()
    graph = load_graph(saved, registry)
    node = next(n for n in graph.nodes.values() if n.type == "Generator")
    graph.set_params(node.id, {"instructions": "broken \ud800 text"})
    index = list(graph.nodes).index(node.id)
    with pytest.raises(GraphFileError) as info:
        save_graph(graph, saved)
    message = str(info.value)
    assert f"nodes[{index}].params.instructions" in message and "retype that text" in message
    assert saved.read_bytes() == before and _leftovers(saved.parent) == []


def test_a_file_with_an_escaped_surrogate_loads_but_cannot_be_saved_silently(tmp_path, registry):
    text = dumps_graph(random_graph(3, size=24))
    broken = text.replace('"description": "', '"description": "\\ud800', 1)
    graph = load_graph(_write(tmp_path / "in.json", broken), registry)
    with pytest.raises(GraphFileError, match="lone UTF-16 surrogate"):
        save_graph(graph, tmp_path / "out.json")
    assert not (tmp_path / "out.json").exists()


def _write(path, text):
    path.write_text(text, encoding="utf-8")
    return path
