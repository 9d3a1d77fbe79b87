"""The Dataset page of the Evaluation panel: the file's rows (read as they are
scrolled), the column → field mapping, and the rows that do not fit."""

from __future__ import annotations

from PySide6.QtCore import Qt, Signal
from PySide6.QtWidgets import (
    QHeaderView,
    QLabel,
    QListWidget,
    QScrollArea,
    QSplitter,
    QTableView,
    QVBoxLayout,
    QWidget,
)

from editor.evaluation.binding import DatasetBinding
from editor.evaluation.dataset_rows import DatasetRowsModel
from editor.evaluation.mapping_editor import MappingEditor
from editor.evaluation.row_check import CheckResult, RowCheck


def scrolled(widget: QWidget) -> QScrollArea:
    """``widget`` in a scroll area: in a short dock it scrolls instead of
    making the dock (and so the window's bottom area) taller."""
    area = QScrollArea()
    area.setWidgetResizable(True)
    area.setFrameShape(QScrollArea.Shape.NoFrame)
    area.setWidget(widget)
    area.setMinimumHeight(36)
    widget.setMinimumHeight(150)
    return area


class DatasetPage(QWidget):
    overridesChanged = Signal(dict)
    checked = Signal(object)  # CheckResult

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.binding: DatasetBinding | None = None
        self.result: CheckResult | None = None
        self.rows_model = DatasetRowsModel(self)
        self.rows_view = QTableView(self)
        self.rows_view.setModel(self.rows_model)
        self.rows_view.setObjectName("datasetRows")
        self.rows_view.setWordWrap(False)
        self.rows_view.verticalHeader().setDefaultSectionSize(
            self.rows_view.fontMetrics().height() + 6
        )
        self.rows_view.horizontalHeader().setSectionResizeMode(QHeaderView.ResizeMode.Interactive)
        self.rows_view.horizontalHeader().setDefaultSectionSize(220)
        self.rows_view.horizontalHeader().setStretchLastSection(True)
        self.info = QLabel(self)
        self.info.setWordWrap(True)
        self.info.setTextInteractionFlags(Qt.TextInteractionFlag.TextSelectableByMouse)
        self.mapping_editor = MappingEditor(self)
        self.mapping_editor.overridesChanged.connect(self.overridesChanged)
        self.problems_label = QLabel("Rows that do not fit", self)
        self.problems = QListWidget(self)
        self.problems.setObjectName("datasetProblems")
        for view in (self.rows_view, self.mapping_editor, self.problems):
            view.setMinimumHeight(36)  # a short dock (1280×720) keeps the canvas its half
        self.check = RowCheck(self)
        self.check.finished.connect(self._checked)

        side = QWidget(self)
        side_layout = QVBoxLayout(side)
        side_layout.setContentsMargins(0, 0, 0, 0)
        side_layout.setSpacing(2)
        side_layout.addWidget(self.info)
        side_layout.addWidget(self.mapping_editor, 1)
        side_layout.addWidget(self.problems_label)
        side_layout.addWidget(self.problems, 1)
        self.splitter = QSplitter(Qt.Orientation.Horizontal, self)
        self.splitter.addWidget(self.rows_view)
        self.splitter.addWidget(scrolled(side))
        self.splitter.setStretchFactor(0, 3)
        self.splitter.setStretchFactor(1, 2)
        self.splitter.setChildrenCollapsible(False)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.addWidget(self.splitter)
        self.set_binding(None)

    def set_binding(self, binding: DatasetBinding | None, *, same_file: bool = False) -> None:
        """Show ``binding`` (None: no dataset); ``same_file``: only the mapping
        changed, so the rows already read stay."""
        self.binding = binding
        if not same_file:
            self.rows_model.set_file(binding.data if binding is not None else None)
        self.mapping_editor.set_binding(binding)
        self.problems.clear()
        self.result = None
        if binding is None:
            self.check.cancel()
            self.info.setText("Open a dataset: Evaluate → Open Dataset…, or drop a file here.")
            self.problems_label.setText("Rows that do not fit")
            return
        text = f"<b>{binding.path.name}</b> · {binding.counts_text()}"
        if binding.problem:
            text += f"<br><span style='color:#c0392b'>{binding.problem}</span>"
        self.info.setText(text)
        self.info.setToolTip(str(binding.path))
        if binding.mapper() is None:
            self.check.cancel()
            self.problems_label.setText("Rows that do not fit: fix the mapping first")
            return
        self.problems_label.setText("Rows that do not fit: checking every row…")
        self.check.start(binding)

    def _checked(self, result: CheckResult) -> None:
        if result.generation != self.check.generation:
            return  # a check of an earlier file or mapping, queued before it was replaced
        self.result = result
        self.problems.clear()
        if result.error:
            self.problems_label.setText(f"Rows could not be checked: {result.error}")
        elif result.problem_count == 0:
            self.problems_label.setText(f"All {result.examples:,} rows fit the graph")
        else:
            shown = (
                f" (the first {len(result.problems):,} listed)"
                if result.problem_count > len(result.problems)
                else ""
            )
            self.problems_label.setText(
                f"{result.problem_count:,} rows do not fit{shown}; {result.examples:,} rows fit"
            )
            self.problems.addItems([p.describe() for p in result.problems])
        self.checked.emit(result)
