"""The inspector's "Learnt by training" section: a trained module's instructions
and few-shot examples, readable and editable.

Shown only for nodes that carry trained state (a program opened from
``program.save``, or trained later). Both backends prompt with this state, so
what is edited here is what the model is sent. An edit is one undoable
command; examples are edited as JSON (a list of ``[inputs, outputs]`` pairs),
checked before anything changes.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Signal
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QHBoxLayout,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands import Command, SetLearntPrompt
from core.nodes.learnt import learnt_prompt, learnt_state
from editor.inspector.form_rows import hint_label, section_heading


def examples_problem(text: str) -> tuple[list[tuple[Any, Any]] | None, str | None]:
    """The examples ``text`` holds, or why it cannot be used (one sentence)."""
    try:
        value = json.loads(text or "[]")
    except ValueError as exc:
        return None, f"The examples are not valid JSON ({exc.msg}, line {exc.lineno})."
    if not isinstance(value, list):
        return None, "The examples are a list of [inputs, outputs] pairs."
    pairs = []
    for index, item in enumerate(value, start=1):
        if isinstance(item, dict) and "inputs" in item:
            item = [item.get("inputs"), item.get("outputs")]
        if not (isinstance(item, list) and len(item) == 2):
            return None, f"Example {index} is not an [inputs, outputs] pair."
        if not all(isinstance(part, dict) for part in item):
            return None, f"Example {index}: its inputs and outputs are JSON objects."
        pairs.append((item[0], item[1]))
    return pairs, None


def examples_text(examples: tuple[tuple[Any, Any], ...]) -> str:
    """One example per line, so a dozen of them still fit the box."""
    if not examples:
        return "[]"
    lines = ",\n".join(
        " " + json.dumps([inputs, outputs], ensure_ascii=False) for inputs, outputs in examples
    )
    return f"[\n{lines}\n]"


class LearntSection(QWidget):
    """Instructions and examples of one trained node, with Apply and Revert."""

    commandReady = Signal(object)

    def __init__(self, parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self.node_id = ""
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(4)
        layout.addWidget(section_heading("Learnt by training"))
        layout.addWidget(
            hint_label(
                "What training left in this module: both backends prompt with it "
                "instead of the instructions above."
            )
        )
        layout.addWidget(QLabel("Instructions", self))
        self.instructions = QPlainTextEdit(self)
        self.instructions.setMinimumHeight(60)
        self.instructions.setMaximumHeight(110)
        layout.addWidget(self.instructions)
        self.examples_label = QLabel("Examples", self)
        layout.addWidget(self.examples_label)
        self.examples = QPlainTextEdit(self)
        self.examples.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.examples.setMinimumHeight(90)
        self.examples.setMaximumHeight(220)
        self.examples.setLineWrapMode(QPlainTextEdit.LineWrapMode.NoWrap)
        self.examples.setToolTip("A JSON list of [inputs, outputs] pairs")
        layout.addWidget(self.examples)
        self.error_label = QLabel(self)
        self.error_label.setWordWrap(True)
        self.error_label.setStyleSheet("color: #d0463b;")
        self.error_label.hide()
        layout.addWidget(self.error_label)
        buttons = QHBoxLayout()
        buttons.addStretch(1)
        self.revert_button = QPushButton("Revert", self)
        self.apply_button = QPushButton("Apply", self)
        buttons.addWidget(self.revert_button)
        buttons.addWidget(self.apply_button)
        layout.addLayout(buttons)
        self.revert_button.clicked.connect(self._revert)
        self.apply_button.clicked.connect(self.apply)
        self.instructions.textChanged.connect(self._edited)
        self.examples.textChanged.connect(self._edited)
        self._shown: tuple[str, str] = ("", "")
        self._variables: dict[str, Any] = {}

    @staticmethod
    def applies_to(variables: dict[str, Any]) -> bool:
        return learnt_state(variables) is not None

    def show_variables(self, node_id: str, variables: dict[str, Any]) -> None:
        """Show ``variables``; keep what is being typed if the node changed elsewhere."""
        self.node_id = node_id
        self._variables = variables
        if self.is_edited():
            return
        self._revert()

    def _revert(self) -> None:
        learnt = learnt_prompt(self._variables)
        examples = examples_text(learnt.examples)
        self._shown = (learnt.instructions, examples)
        for widget, text in zip((self.instructions, self.examples), self._shown, strict=True):
            widget.blockSignals(True)
            widget.setPlainText(text)
            widget.blockSignals(False)
        self.examples_label.setText(f"Examples ({len(learnt.examples)})")
        self._show_error(None)
        self._edited()

    def is_edited(self) -> bool:
        return (self.instructions.toPlainText(), self.examples.toPlainText()) != self._shown

    def _edited(self) -> None:
        edited = self.is_edited()
        self.apply_button.setEnabled(edited)
        self.revert_button.setEnabled(edited)

    def command(self) -> tuple[Command | None, str | None]:
        """The edit as a command, or why it cannot be made."""
        pairs, problem = examples_problem(self.examples.toPlainText())
        if problem:
            return None, problem
        return SetLearntPrompt(self.node_id, self.instructions.toPlainText(), pairs or []), None

    def apply(self) -> None:
        command, problem = self.command()
        self._show_error(problem)
        if command is not None:
            self._shown = (self.instructions.toPlainText(), self.examples.toPlainText())
            self._edited()
            self.commandReady.emit(command)

    def _show_error(self, message: str | None) -> None:
        self.error_label.setText(message or "")
        self.error_label.setVisible(bool(message))
