"""A window on the three-level subgraph document (see tests/core/subgraph_graphs.py)."""

from __future__ import annotations

import pytest

from core.files import save_graph
from tests.core.subgraph_graphs import nested_review


@pytest.fixture
def nested(qtbot, workspace, registry, tmp_path):
    """``(window, builders)``: a window showing the nested_review document."""
    root, builders = nested_review(registry)
    path = tmp_path / "nested_review.json"
    save_graph(root, path)
    window = workspace.open_window_for(path)
    window.resize(1280, 720)
    qtbot.waitExposed(window)
    return window, builders
