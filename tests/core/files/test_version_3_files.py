"""Version-3 files (before pinned outputs) open unchanged and save as the current version."""

from __future__ import annotations

import json

from core.files import FORMAT_VERSION, dumps_graph, load_graph


def test_a_version_3_file_opens_without_pins_and_saves_as_the_current_version(registry, repo_root):
    old = repo_root / "tests" / "core" / "files" / "data" / "version_3.json"
    assert json.loads(old.read_text())["version"] == 3
    graph = load_graph(old, registry)
    assert all(node.pinned is None for node in graph.nodes.values())
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    assert all("pinned" not in node for node in saved["nodes"])
    current = json.loads((repo_root / "saved_graphs" / "fork_merge.json").read_text())
    current["meta"].pop("datasets")  # version 6: the example's dataset, added since
    assert saved == current
