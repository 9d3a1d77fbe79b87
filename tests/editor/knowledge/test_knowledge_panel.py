"""Knowledge in the editor: Graph settings adds and edits embedding models and
knowledge bases (undoable), the inspector picks them for a retriever, and the
Knowledge panel reads a DuckDB file read-only: tables, row counts, rows."""

from __future__ import annotations

import shutil

import duckdb
import pytest

from core.engine.offline_embeddings import embed
from editor.inspector.graph_settings import GraphSettingsForm
from editor.inspector.knowledge_sections import KnowledgeBasesSection
from editor.inspector.node_form import NodeForm
from editor.inspector.resource_editor import ResourceEditor
from tests.editor.conftest import ROOT, flush_analysis

NOTES = [
    ("agent", "Agents", "An agent calls the tools it was given."),
    ("training", "Training", "Training optimises instructions with a reward."),
    ("branch", "Branches", "A Branch runs the module on the chosen label."),
]


def make_notes_db(path) -> None:
    """The table Synalinks' ingest example writes: Document rows with embeddings."""
    path.parent.mkdir(parents=True, exist_ok=True)
    connection = duckdb.connect(str(path))
    connection.execute(
        "CREATE TABLE Document (id VARCHAR PRIMARY KEY, title VARCHAR, text VARCHAR, "
        "embedding FLOAT[256])"
    )
    connection.executemany(
        "INSERT INTO Document VALUES (?, ?, ?, ?)",
        [(i, title, text, embed(text)) for i, title, text in NOTES],
    )
    connection.close()


@pytest.fixture
def project(tmp_path):
    shutil.copy(ROOT / "saved_graphs" / "knowledge_retrieval.json", tmp_path)
    return tmp_path


# ------------------------------------------------------------ graph settings
def test_embedding_models_are_added_edited_and_removed_as_undoable_edits(qtbot, document):
    form = GraphSettingsForm(document)  # refreshes its sections when the settings change
    qtbot.addWidget(form)
    section = form.embedding_models
    section.name_edit.setText("embeddings")
    section.model_edit.setText("ollama/mxbai-embed-large")
    section.add()
    (spec,) = document.graph.meta.embedding_models
    assert (spec.name, spec.model) == ("embeddings", "ollama/mxbai-embed-large")
    assert section.list.count() == 1
    section.list.item(0).setSelected(True)
    assert section.model_edit.text() == "ollama/mxbai-embed-large"
    section.model_edit.setText("offline")
    section.apply()
    assert document.graph.meta.embedding_models[0].model == "offline"
    section.name_edit.setText("renamed")
    section.apply()
    assert "Renaming is not an edit" in section.error.text()
    assert document.graph.meta.embedding_models[0].name == "embeddings"
    section.remove_selected()
    assert document.graph.meta.embedding_models == ()
    for _ in range(3):
        document.undo_stack.undo()
    assert document.graph.meta.embedding_models == ()
    form.detach()


def test_a_knowledge_base_file_beside_the_graph_is_kept_relative(qtbot, workspace, project):
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    document = window.document
    section = KnowledgeBasesSection(document)
    qtbot.addWidget(section)
    section.set_file(str(project / "data" / "people.db"))
    assert section.path_edit.text() == "data/people.db"
    assert section.name_edit.text() == "people"
    section.tables_edit.setText("Document, Ghost")
    section.add()
    assert "Ghost is not a data model of this graph" in section.error.text()
    section.tables_edit.setText("Document")
    section.embedder_combo.setCurrentIndex(section.embedder_combo.findData("embeddings"))
    section.metric_combo.setCurrentText("l2sq")
    section.add()
    added = document.graph.meta.knowledge_bases[-1]
    assert (added.name, added.path, added.data_models, added.embedding_model, added.metric) == (
        "people",
        "data/people.db",
        ("Document",),
        "embeddings",
        "l2sq",
    )
    outside = project.parent / "elsewhere.db"
    section.set_file(str(outside))
    assert section.path_edit.text() == str(outside.resolve())
    document.undo_stack.undo()
    assert [kb.name for kb in document.graph.meta.knowledge_bases] == ["notes"]


def test_graph_settings_show_both_sections(qtbot, workspace, project):
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    form = GraphSettingsForm(window.document)
    qtbot.addWidget(form)
    assert form.embedding_models.list.item(0).text() == "embeddings: offline"
    assert form.knowledge_bases.list.item(0).text() == (
        "notes: knowledge/notes.db (Document, embeds with embeddings)"
    )
    form.detach()


def test_the_inspector_picks_a_knowledge_base_by_name(qtbot, workspace, project):
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    document = window.document
    retriever = document.graph.node_by_name("retriever")
    form = NodeForm(document, retriever.id)
    qtbot.addWidget(form)
    editor = form.editors["knowledge_base"]
    assert isinstance(editor, ResourceEditor)
    assert [editor.combo.itemText(i) for i in range(editor.combo.count())] == ["(none)", "notes"]
    assert editor.combo.currentText() == "notes"
    editor.combo.setCurrentIndex(0)
    editor.combo.activated.emit(0)
    assert document.graph.node_by_name("retriever").params["knowledge_base"] == ""
    flush_analysis(qtbot, document)
    messages = [d.message for d in document.diagnostics if d.node_id == retriever.id]
    assert any("set knowledge base" in m for m in messages), messages
    document.undo_stack.undo()
    assert document.graph.node_by_name("retriever").params["knowledge_base"] == "notes"
    form.detach()


# --------------------------------------------------------- the Knowledge panel
def test_the_panel_lists_tables_with_counts_and_shows_rows(qtbot, workspace, project):
    make_notes_db(project / "knowledge" / "notes.db")
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    panel = window.knowledge_panel
    assert window.knowledge_dock.widget() is panel
    assert panel.chooser.currentText() == "notes (knowledge/notes.db)"
    panel.show_selected()
    assert [panel.table_list.item(i).text() for i in range(panel.table_list.count())] == [
        "Document: 3 row(s), with embeddings"
    ]
    assert [panel.rows.horizontalHeaderItem(i).text() for i in range(4)] == [
        "id",
        "title",
        "text",
        "embedding",
    ]
    assert panel.rows.rowCount() == 3
    assert panel.rows.item(0, 0).text() == "agent"
    assert panel.rows.item(0, 3).text() == "[256 numbers]"
    assert "Document: all 3 row(s)" in panel.status.text()


def test_a_missing_or_foreign_file_is_one_sentence_in_the_panel(qtbot, workspace, project):
    window = workspace.open_window_for(project / "knowledge_retrieval.json")
    panel = window.knowledge_panel
    panel.show_selected()
    assert "does not exist yet" in panel.status.text()
    assert panel.table_list.count() == 0
    fake = project / "fake.db"
    fake.write_text("no database here")
    panel.open_file(fake)
    assert panel.chooser.currentText() == "fake.db (opened, read-only)"
    assert "choose another file" in panel.status.text()
    assert fake.read_text() == "no database here"
