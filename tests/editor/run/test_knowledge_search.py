"""Searching a knowledge base from the Knowledge panel: the panel builds
Synalinks' search request from the graph's knowledge base and shows the rows;
on the real worker, a similarity search over offline embeddings finds the
note that shares the query's words."""

from __future__ import annotations

import asyncio
import shutil
from types import SimpleNamespace

import pytest

from editor.run.synalinks_runtime import SynalinksRuntime
from tests.editor.conftest import ROOT
from tests.editor.knowledge.test_knowledge_panel import make_notes_db
from tests.support.synalinks_runner import require_synalinks_python


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "saved_graphs" / "knowledge_retrieval.json", tmp_path)
    make_notes_db(tmp_path / "knowledge" / "notes.db")
    return tmp_path


def _panel(workspace, project):
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    panel = window.knowledge_panel
    panel.show_selected()
    return window, panel


def test_a_search_builds_synalinks_request_and_shows_its_rows(qtbot, qloop, workspace, project):
    _window, panel = _panel(workspace, project)
    asked = []

    async def searcher(request):
        asked.append(request)
        return [{"id": "agent", "title": "Agents", "score": 0.2}]

    async def offline_base():
        return "http://127.0.0.1:9/v1"

    panel.searcher, panel.offline_base = searcher, offline_base
    panel.search_type.setCurrentIndex(panel.search_type.findData("similarity"))
    panel.query_edit.setText("Which module calls tools?")
    with qtbot.waitSignal(panel.searchFinished, timeout=5000):
        panel.start_search()
    (request,) = asked
    assert request.path == str(project / "knowledge" / "notes.db")
    assert (request.table, request.search_type, request.k) == ("Document", "similarity", 5)
    assert request.embedding == {"model": "offline", "api_base": None}
    assert request.offline == {"api_base": "http://127.0.0.1:9/v1"}
    assert panel.rows.item(0, 0).text() == "agent"
    assert "similarity search in Document: 1 row(s)" in panel.status.text()
    panel.query_edit.setText("  ")
    with qtbot.waitSignal(panel.searchFinished, timeout=5000):
        panel.start_search()
    assert panel.status.text() == "type what to search for"


def test_a_search_without_an_embedding_model_says_which_searches_remain(
    qtbot, qloop, workspace, project
):
    window, panel = _panel(workspace, project)
    kb = window.document.graph.meta.knowledge_bases[0]
    from core.commands import SetMeta

    window.document.push(
        SetMeta({"knowledge_bases": (kb.model_copy(update={"embedding_model": ""}),)})
    )

    async def searcher(request):
        raise AssertionError("no request is sent")

    panel.searcher = searcher
    panel.query_edit.setText("tools")
    panel.search_type.setCurrentIndex(panel.search_type.findData("hybrid_fts"))
    with qtbot.waitSignal(panel.searchFinished, timeout=5000):
        panel.start_search()
    assert "has no embedding model" in panel.status.text()
    assert "search by fulltext or regex" in panel.status.text()


@pytest.mark.synalinks
def test_a_similarity_search_runs_on_the_real_worker(qtbot, qloop, workspace, project):
    python = str(require_synalinks_python())
    runtime = SynalinksRuntime(finder=lambda _setting: SimpleNamespace(python=python, problem=None))
    workspace.synalinks = runtime
    try:
        _window, panel = _panel(workspace, project)
        panel.search_type.setCurrentIndex(panel.search_type.findData("similarity"))
        panel.query_edit.setText("Which module calls tools?")
        with qtbot.waitSignal(panel.searchFinished, timeout=180_000):
            panel.start_search()
        assert "similarity search in Document: 3 row(s)" in panel.status.text(), panel.status.text()
        assert panel.rows.item(0, 0).text() == "agent"
        headers = [
            panel.rows.horizontalHeaderItem(i).text() for i in range(panel.rows.columnCount())
        ]
        assert "score" in headers and "embedding" not in headers
        # The worker let the file go: the panel reads it again at once.
        panel.show_selected()
        assert panel.table_list.item(0).text() == "Document: 3 row(s), with embeddings"
    finally:
        task = asyncio.get_running_loop().create_task(runtime.close())
        qtbot.waitUntil(task.done, timeout=30_000)
