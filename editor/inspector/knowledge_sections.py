"""Graph settings → Embedding models and Knowledge bases.

Both are named resources of the graph that knowledge modules refer to (a
retriever's ``knowledge_base``, ``EmbedKnowledge``'s ``embedding_model``).
Select one in the list to edit it (Apply), or fill the fields and Add; a
knowledge base's DuckDB file is picked with a file dialog and kept relative
to the graph when it lies beside it. Every change is one ``SetMeta``
command, so it undoes. The Knowledge panel (View → Knowledge) opens the file.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Qt
from PySide6.QtWidgets import (
    QComboBox,
    QFileDialog,
    QGridLayout,
    QHBoxLayout,
    QLabel,
    QLineEdit,
    QListWidget,
    QListWidgetItem,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands import SetMeta
from core.model.resources import METRICS, EmbeddingModelSpec, KnowledgeBaseSpec, path_for_graph
from editor.document import GraphDocument
from editor.inspector.form_rows import hint_label, section_heading


def _reason(exc: Exception) -> str:
    errors = getattr(exc, "errors", None)
    text = errors()[0]["msg"] if callable(errors) else str(exc)
    return text.removeprefix("Value error, ")


class _ResourceSection(QWidget):
    """A list of named specs of one GraphMeta field, with Add / Apply / Remove."""

    field = ""
    noun = ""

    def __init__(self, document: GraphDocument, title: str, hint: str, parent=None) -> None:
        super().__init__(parent)
        self.document = document
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(section_heading(title))
        layout.addWidget(hint_label(hint))
        self.list = QListWidget(self)
        self.list.setMaximumHeight(64)
        self.list.itemSelectionChanged.connect(self._selection_changed)
        layout.addWidget(self.list)
        self.grid = QGridLayout()
        self.grid.setHorizontalSpacing(6)
        layout.addLayout(self.grid)
        buttons = QHBoxLayout()
        self.add_button = QPushButton(f"Add {self.noun}", self)
        self.add_button.clicked.connect(self.add)
        self.apply_button = QPushButton("Apply", self)
        self.apply_button.setToolTip(f"Save the fields into the selected {self.noun}")
        self.apply_button.clicked.connect(self.apply)
        self.remove_button = QPushButton("Remove", self)
        self.remove_button.clicked.connect(self.remove_selected)
        for button in (self.add_button, self.apply_button, self.remove_button):
            buttons.addWidget(button)
        layout.addLayout(buttons)
        self.error = QLabel(self)
        self.error.setWordWrap(True)
        self.error.setStyleSheet("color: #d0463b;")
        self.error.hide()
        layout.addWidget(self.error)
        self._shown: tuple | None = None

    # ------------------------------------------------------------- helpers
    def specs(self) -> tuple:
        return getattr(self.document.graph.meta, self.field)

    def selected_name(self) -> str | None:
        items = self.list.selectedItems()
        return items[0].data(Qt.ItemDataRole.UserRole) if items else None

    def refresh(self) -> None:
        specs = self.specs()
        self.refresh_choices()
        if specs == self._shown:
            return  # analysis refreshes often: keep the selection and the typing
        selected = self.selected_name()
        self._shown = specs
        self.list.clear()
        for spec in specs:
            item = QListWidgetItem(self.describe(spec))
            item.setToolTip(self.describe(spec))
            item.setData(Qt.ItemDataRole.UserRole, spec.name)
            self.list.addItem(item)
            if spec.name == selected:
                item.setSelected(True)
        self.list.setVisible(bool(specs))
        self._selection_changed()

    def _selection_changed(self) -> None:
        name = self.selected_name()
        self.apply_button.setEnabled(name is not None)
        self.remove_button.setEnabled(name is not None)
        spec = next((s for s in self.specs() if s.name == name), None)
        if spec is not None:
            self.show_spec(spec)

    def add(self) -> None:
        spec = self._read()
        if spec is None:
            return
        if any(s.name == spec.name for s in self.specs()):
            self._show_error(f"A {self.noun} named {spec.name!r} is already in this graph.")
            return
        self._push((*self.specs(), spec), f"Add {self.noun} {spec.name}")

    def apply(self) -> None:
        name = self.selected_name()
        spec = self._read()
        if name is None or spec is None:
            return
        if spec.name != name:
            self._show_error(
                f"Renaming is not an edit: nodes refer to {name!r} by name. Add a new {self.noun} "
                "and point the nodes at it instead."
            )
            return
        self._push(
            tuple(spec if s.name == name else s for s in self.specs()),
            f"Edit {self.noun} {name}",
        )

    def remove_selected(self) -> None:
        name = self.selected_name()
        if name is not None:
            kept = tuple(s for s in self.specs() if s.name != name)
            self._push(kept, f"Remove {self.noun} {name}")

    def _read(self):
        try:
            return self.read_fields()
        except ValueError as exc:
            self._show_error(f"Not saved: {_reason(exc)}")
            return None

    def _push(self, specs: tuple, text: str) -> None:
        self.document.push(SetMeta({self.field: specs}, text=text))
        self.error.hide()

    def _show_error(self, text: str) -> None:
        self.error.setText(text)
        self.error.show()

    # ------------------------------------------------------- for subclasses
    def describe(self, spec) -> str:  # pragma: no cover - overridden
        raise NotImplementedError

    def show_spec(self, spec) -> None:  # pragma: no cover - overridden
        raise NotImplementedError

    def read_fields(self):  # pragma: no cover - overridden
        raise NotImplementedError

    def refresh_choices(self) -> None:
        """Refill the choices that depend on the rest of the graph."""


class EmbeddingModelsSection(_ResourceSection):
    field = "embedding_models"
    noun = "embedding model"

    def __init__(self, document: GraphDocument, parent: QWidget | None = None) -> None:
        super().__init__(
            document,
            "Embedding models",
            "Turn text into vectors for knowledge bases and EmbedKnowledge. offline is the "
            "built-in deterministic embedder (no key, no network).",
            parent,
        )
        self.list.setObjectName("graphEmbeddingModels")
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("name, e.g. embeddings")
        self.model_edit = QLineEdit(self)
        self.model_edit.setPlaceholderText("offline, or e.g. openai/text-embedding-3-small")
        self.api_base_edit = QLineEdit(self)
        self.api_base_edit.setPlaceholderText("API base (optional)")
        self.grid.addWidget(self.name_edit, 0, 0)
        self.grid.addWidget(self.model_edit, 0, 1)
        self.grid.addWidget(self.api_base_edit, 1, 0, 1, 2)
        self.refresh()

    def describe(self, spec: EmbeddingModelSpec) -> str:
        return f"{spec.name}: {spec.model}" + (f" at {spec.api_base}" if spec.api_base else "")

    def show_spec(self, spec: EmbeddingModelSpec) -> None:
        self.name_edit.setText(spec.name)
        self.model_edit.setText(spec.model)
        self.api_base_edit.setText(spec.api_base or "")

    def read_fields(self) -> EmbeddingModelSpec:
        return EmbeddingModelSpec(
            name=self.name_edit.text().strip(),
            model=self.model_edit.text().strip() or "offline",
            api_base=self.api_base_edit.text().strip() or None,
        )


class KnowledgeBasesSection(_ResourceSection):
    field = "knowledge_bases"
    noun = "knowledge base"

    def __init__(self, document: GraphDocument, parent: QWidget | None = None) -> None:
        super().__init__(
            document,
            "Knowledge bases",
            "DuckDB files that retrievers search and UpdateKnowledge fills; their tables are "
            "the graph's data models. A file beside the graph is kept relative to it.",
            parent,
        )
        self.list.setObjectName("graphKnowledgeBases")
        self.name_edit = QLineEdit(self)
        self.name_edit.setPlaceholderText("name, e.g. notes")
        self.path_edit = QLineEdit(self)
        self.path_edit.setPlaceholderText("DuckDB file, e.g. knowledge/notes.db")
        self.browse_button = QPushButton("Choose…", self)
        self.browse_button.clicked.connect(self.choose_file)
        self.tables_edit = QLineEdit(self)
        self.tables_edit.setPlaceholderText("tables: data models, comma-separated")
        self.embedder_combo = QComboBox(self)
        self.embedder_combo.setToolTip("The embedding model that embeds queries and records")
        self.metric_combo = QComboBox(self)
        self.metric_combo.addItems(list(METRICS))
        self.metric_combo.setToolTip("Vector distance for similarity search")
        self.grid.addWidget(self.name_edit, 0, 0)
        self.grid.addWidget(self.path_edit, 0, 1)
        self.grid.addWidget(self.browse_button, 0, 2)
        self.grid.addWidget(self.tables_edit, 1, 0, 1, 3)
        self.grid.addWidget(self.embedder_combo, 2, 0, 1, 2)
        self.grid.addWidget(self.metric_combo, 2, 2)
        self.refresh()

    def graph_folder(self) -> Path | None:
        path = self.document.path
        return Path(path).resolve().parent if path else None

    def refresh_choices(self) -> None:
        current = self.embedder_combo.currentData()
        self.embedder_combo.clear()
        self.embedder_combo.addItem("no embedding model (full-text and regex only)", "")
        for spec in self.document.graph.meta.embedding_models:
            self.embedder_combo.addItem(f"embeds with {spec.name}", spec.name)
        self.embedder_combo.setCurrentIndex(max(0, self.embedder_combo.findData(current or "")))

    def describe(self, spec: KnowledgeBaseSpec) -> str:
        tables = ", ".join(spec.data_models) or "its own tables"
        embedder = f", embeds with {spec.embedding_model}" if spec.embedding_model else ""
        return f"{spec.name}: {spec.path} ({tables}{embedder})"

    def show_spec(self, spec: KnowledgeBaseSpec) -> None:
        self.name_edit.setText(spec.name)
        self.path_edit.setText(spec.path)
        self.tables_edit.setText(", ".join(spec.data_models))
        index = self.embedder_combo.findData(spec.embedding_model)
        if index < 0:
            self.embedder_combo.addItem(f"{spec.embedding_model} (missing)", spec.embedding_model)
            index = self.embedder_combo.count() - 1
        self.embedder_combo.setCurrentIndex(index)
        self.metric_combo.setCurrentText(spec.metric)

    def read_fields(self) -> KnowledgeBaseSpec:
        tables = tuple(t.strip() for t in self.tables_edit.text().split(",") if t.strip())
        unknown = [t for t in tables if t not in self.document.graph.data_models]
        if unknown:
            raise ValueError(
                f"{', '.join(unknown)} {'is' if len(unknown) == 1 else 'are'} not a data model "
                "of this graph (create it in the Data Models panel first)"
            )
        return KnowledgeBaseSpec(
            name=self.name_edit.text().strip(),
            path=self.path_edit.text().strip(),
            data_models=tables,
            embedding_model=self.embedder_combo.currentData() or "",
            metric=self.metric_combo.currentText(),
        )

    def choose_file(self) -> None:
        folder = self.graph_folder()
        chosen, _ = QFileDialog.getSaveFileName(
            self,
            "Knowledge base file (an existing DuckDB file, or a new name)",
            str(folder or Path.home()),
            "DuckDB files (*.db *.duckdb);;All files (*)",
            options=QFileDialog.Option.DontConfirmOverwrite,
        )
        if chosen:
            self.set_file(chosen)

    def set_file(self, chosen: str) -> None:
        """Show ``chosen`` as the graph will keep it (relative when beside the graph)."""
        self.path_edit.setText(path_for_graph(chosen, self.graph_folder()))
        if not self.name_edit.text().strip():
            stem = "".join(c if c.isalnum() else "_" for c in Path(chosen).stem).strip("_")
            self.name_edit.setText(stem if stem.isidentifier() else "knowledge_base")
