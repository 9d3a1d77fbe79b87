"""A retriever over a knowledge base whose file does not exist is refused before
the run (Synalinks would create an empty file and find nothing), unless the
program itself fills that base."""

from __future__ import annotations

import shutil

import pytest

from core.engine import RunOptions
from core.engine.errors import RunRefused
from core.files import load_graph
from core.knowledge.files import missing_files
from core.registry import default_registry
from core.runtime.backend import SynalinksBackend
from core.runtime.client import WorkerPool

REGISTRY = default_registry()


@pytest.fixture
def project(tmp_path, repo_root):
    for name in ("knowledge_ingest.json", "knowledge_retrieval.json"):
        shutil.copy(repo_root / "saved_graphs" / name, tmp_path / name)
    return tmp_path


def test_a_search_over_a_missing_file_is_refused_on_the_node(project):
    graph = load_graph(project / "knowledge_retrieval.json", REGISTRY)
    backend = SynalinksBackend(
        REGISTRY, RunOptions(project_dir=str(project)), pool=WorkerPool("unused-python")
    )
    with pytest.raises(RunRefused) as refused:
        backend.prepare(graph, {"question": "anything"})
    (problem,) = refused.value.diagnostics
    assert problem.node_id == graph.node_by_name("retriever").id
    assert "knowledge base notes has no file yet" in problem.message
    assert str(project / "knowledge" / "notes.db") in problem.message
    assert "python -m core.knowledge.seed" in problem.message
    assert not (project / "knowledge").exists()  # nothing was created
    (project / "knowledge").mkdir()
    (project / "knowledge" / "notes.db").write_bytes(b"")
    assert missing_files(graph, REGISTRY, project) == []


def test_a_program_that_fills_the_base_may_start_without_its_file(project):
    graph = load_graph(project / "knowledge_ingest.json", REGISTRY)
    assert missing_files(graph, REGISTRY, project) == []
