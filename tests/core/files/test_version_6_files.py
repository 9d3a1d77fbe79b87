"""Version-6 files (before subgraph definitions) open unchanged and save as the current version."""

from __future__ import annotations

import json

from core.files import FORMAT_VERSION, dumps_graph, load_graph


def test_a_version_6_file_opens_without_subgraphs_and_saves_as_the_current_version(
    registry, repo_root
):
    old = repo_root / "tests" / "core" / "files" / "data" / "version_6.json"
    assert json.loads(old.read_text())["version"] == 6
    graph = load_graph(old, registry)
    assert graph.subgraphs == {}
    saved = json.loads(dumps_graph(graph))
    assert saved["version"] == FORMAT_VERSION
    assert "subgraphs" not in saved  # a graph without subgraphs keeps the file it had
    current = json.loads((repo_root / "saved_graphs" / "parallel_branches.json").read_text())
    assert saved == current
