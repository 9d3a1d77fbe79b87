"""The Evaluation panel (a dock): the dataset, the running evaluation's progress,
the results and the comparison of two evaluations.

A header line holds the dataset chooser (the files the graph remembers and
those opened this session) and the run buttons; the progress line shows
under it while an evaluation runs or after one stopped. Dropping a CSV,
JSON, JSONL or Parquet file on the panel opens it.
"""

from __future__ import annotations

from pathlib import Path

from PySide6.QtCore import Signal
from PySide6.QtWidgets import (
    QComboBox,
    QHBoxLayout,
    QLabel,
    QProgressBar,
    QPushButton,
    QSizePolicy,
    QTabWidget,
    QVBoxLayout,
    QWidget,
)

from editor.evaluation.compare_page import ComparePage
from editor.evaluation.dataset_page import DatasetPage
from editor.evaluation.drops import dataset_paths
from editor.evaluation.results_page import ResultsPage


class EvaluationPanel(QWidget):
    openRequested = Signal()
    datasetChosen = Signal(str)  # a path from the chooser
    datasetDropped = Signal(str)
    runRequested = Signal()
    cancelRequested = Signal()
    resumeRequested = Signal()

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.setAcceptDrops(True)
        self.chooser = QComboBox(self)
        self.chooser.setObjectName("datasetChooser")
        self.chooser.setSizeAdjustPolicy(
            QComboBox.SizeAdjustPolicy.AdjustToMinimumContentsLengthWithIcon
        )
        self.chooser.setMinimumContentsLength(18)
        self.chooser.setPlaceholderText("No dataset")
        self.chooser.activated.connect(
            lambda i: self.datasetChosen.emit(str(self.chooser.itemData(i)))
        )
        self.open_button = QPushButton("Open…", self)
        self.open_button.setToolTip("Open a CSV, JSON, JSONL or Parquet file (or drop one here)")
        self.open_button.clicked.connect(self.openRequested)
        self.run_button = QPushButton("Evaluate…", self)
        self.run_button.setToolTip("Run the graph on every row and score it (Ctrl+E)")
        self.run_button.clicked.connect(self.runRequested)
        self.cancel_button = QPushButton("Cancel", self)
        self.cancel_button.clicked.connect(self.cancelRequested)
        self.resume_button = QPushButton("Resume", self)
        self.resume_button.setToolTip(
            "Run the rows that have no result yet, with the same settings"
        )
        self.resume_button.clicked.connect(self.resumeRequested)
        self.progress = QProgressBar(self)
        self.progress.setObjectName("evalProgress")
        self.progress.setTextVisible(True)
        self.progress.setMaximumHeight(self.fontMetrics().height() + 4)
        self.progress_label = QLabel(self)
        self.progress_label.setObjectName("evalProgressLabel")
        # Ignored: a new text ten times a second must not re-lay out the window.
        self.progress_label.setSizePolicy(QSizePolicy.Policy.Ignored, QSizePolicy.Policy.Preferred)

        header = QHBoxLayout()
        header.setContentsMargins(0, 0, 0, 0)
        header.addWidget(QLabel("Dataset", self))
        header.addWidget(self.chooser, 1)
        for button in (self.open_button, self.run_button, self.cancel_button, self.resume_button):
            header.addWidget(button)
        progress_row = QHBoxLayout()
        progress_row.setContentsMargins(0, 0, 0, 0)
        progress_row.addWidget(self.progress, 1)
        progress_row.addWidget(self.progress_label, 2)
        self.progress_line = QWidget(self)
        self.progress_line.setLayout(progress_row)
        self.progress_line.hide()

        self.dataset_page = DatasetPage(self)
        self.results_page = ResultsPage(self)
        self.compare_page = ComparePage(self)
        self.tabs = QTabWidget(self)
        self.tabs.setDocumentMode(True)
        self.tabs.addTab(self.dataset_page, "Dataset")
        self.tabs.addTab(self.results_page, "Results")
        self.tabs.addTab(self.compare_page, "Compare")
        layout = QVBoxLayout(self)
        layout.setContentsMargins(4, 2, 4, 2)
        layout.setSpacing(2)
        layout.addLayout(header)
        layout.addWidget(self.progress_line)
        layout.addWidget(self.tabs, 1)
        self.set_running(False, can_resume=False)

    def set_datasets(self, paths: list[Path], current: Path | None) -> None:
        self.chooser.clear()
        for path in paths:
            self.chooser.addItem(path.name, str(path))
            self.chooser.setItemData(self.chooser.count() - 1, str(path), 3)  # tooltip
        if current is not None:
            self.chooser.setCurrentIndex(self.chooser.findData(str(current)))
        else:
            self.chooser.setCurrentIndex(-1)

    def set_running(self, running: bool, *, can_resume: bool, can_run: bool = True) -> None:
        self.run_button.setEnabled(can_run and not running)
        self.cancel_button.setVisible(running)
        self.resume_button.setVisible(not running and can_resume)
        self.open_button.setEnabled(not running)
        self.chooser.setEnabled(not running)

    def show_progress(self, done: int, total: int | None, text: str) -> None:
        self.progress_line.show()
        if total:
            self.progress.setRange(0, total)
            self.progress.setValue(min(done, total))
        else:
            self.progress.setRange(0, 0)  # busy: the row count is unknown
        self.progress_label.setText(text)
        self.progress_label.setToolTip(text)

    # --------------------------------------------------------------- drops
    def dragEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if dataset_paths(event.mimeData()):
            event.acceptProposedAction()

    def dragMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if dataset_paths(event.mimeData()):
            event.acceptProposedAction()

    def dropEvent(self, event) -> None:  # noqa: N802 (Qt override)
        paths = dataset_paths(event.mimeData())
        if paths:
            event.acceptProposedAction()
            self.datasetDropped.emit(str(paths[0]))
