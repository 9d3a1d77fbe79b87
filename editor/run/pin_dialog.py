"""Pin a node's output: write it by hand as JSON, checked against the node's data model.

The text starts from what is pinned already, else the node's output in the
shown (or latest) run, else an empty answer shaped by the data model. Each
keystroke re-checks it (:func:`~core.commands.pin_commands.pin_problem`): the
problem shows under the text and "Pin" waits until there is none. A node with
one output port is edited as that port's value; one with several as an object
keyed by port. "Pin" and "Unpin" are undoable commands on the document.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtCore import Qt
from PySide6.QtGui import QFontDatabase
from PySide6.QtWidgets import (
    QDialog,
    QDialogButtonBox,
    QLabel,
    QPlainTextEdit,
    QPushButton,
    QVBoxLayout,
    QWidget,
)

from core.commands.pin_commands import PinOutput, pin_problem, pinnable_ports


class PinDialog(QDialog):
    def __init__(
        self,
        document: Any,
        node_id: str,
        last_outputs: dict[str, Any] | None = None,
        parent: QWidget | None = None,
    ) -> None:
        super().__init__(parent)
        self.document = document
        self.node_id = node_id
        node = document.graph.nodes[node_id]
        self.node_name = node.name
        ports = pinnable_ports(document.flow, node_id)
        self.ports: list[str] = ports if isinstance(ports, list) else []
        self.setWindowTitle(f"Pin Output of {node.name}")
        intro = QLabel(
            f"Runs hand this value on as {node.name}'s output without running it (nor what "
            "only feeds it), so what lies downstream can be tried without calling any model "
            "upstream. It must fit the node's data model.",
            self,
        )
        intro.setWordWrap(True)
        self.editor = QPlainTextEdit(self)
        self.editor.setFont(QFontDatabase.systemFont(QFontDatabase.SystemFont.FixedFont))
        self.editor.setPlainText(self._initial_text(node.pinned, last_outputs))
        self.editor.textChanged.connect(self._check)
        self.problem = QLabel(self)
        self.problem.setWordWrap(True)
        self.problem.setTextFormat(Qt.TextFormat.PlainText)
        self.buttons = QDialogButtonBox(
            QDialogButtonBox.StandardButton.Ok | QDialogButtonBox.StandardButton.Cancel, self
        )
        self.pin_button = self.buttons.button(QDialogButtonBox.StandardButton.Ok)
        self.pin_button.setText("Pin")
        self.unpin_button: QPushButton | None = None
        if node.pinned is not None:
            self.unpin_button = self.buttons.addButton(
                "Unpin", QDialogButtonBox.ButtonRole.DestructiveRole
            )
            self.unpin_button.clicked.connect(self.unpin)
        self.buttons.accepted.connect(self.pin)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addWidget(intro)
        layout.addWidget(self.editor, 1)
        layout.addWidget(self.problem)
        layout.addWidget(self.buttons)
        self.resize(560, 420)
        self._check()

    # ----------------------------------------------------------------- value
    def _initial_text(self, pinned: dict | None, last: dict | None) -> str:
        source = pinned if pinned is not None else last
        if source is None or not all(p in source for p in self.ports):
            source = {
                p: _skeleton(self.document.flow.schemas.get((self.node_id, p))) for p in self.ports
            }
        shown: Any = (
            source[self.ports[0]] if len(self.ports) == 1 else {p: source[p] for p in self.ports}
        )
        return json.dumps(shown, indent=2, ensure_ascii=False)

    def outputs(self) -> tuple[dict[str, Any] | None, str | None]:
        """The outputs the text gives (``{port: value}``) and why they cannot be
        pinned (None when they can)."""
        if not self.ports:
            return None, pin_problem(self.document.flow, self.node_id, {})
        try:
            value = json.loads(self.editor.toPlainText())
        except json.JSONDecodeError as exc:
            return None, f"Not valid JSON: {exc.msg} (line {exc.lineno}, column {exc.colno})."
        outputs = {self.ports[0]: value} if len(self.ports) == 1 else value
        return outputs, pin_problem(self.document.flow, self.node_id, outputs)

    def _check(self) -> None:
        _outputs, problem = self.outputs()
        self.problem.setText(problem or "Fits the data model.")
        self.problem.setStyleSheet("color: #c0392b;" if problem else "")
        self.pin_button.setEnabled(problem is None)

    # --------------------------------------------------------------- actions
    def pin(self) -> None:
        outputs, problem = self.outputs()
        if problem is not None or outputs is None:
            return
        self.document.push(PinOutput(self.node_id, outputs, self.node_name))
        self.accept()

    def unpin(self) -> None:
        self.document.push(PinOutput(self.node_id, None, self.node_name))
        self.accept()


def _skeleton(schema: dict[str, Any] | None) -> Any:
    """An empty value of ``schema``'s shape, for the person to fill in."""
    if not isinstance(schema, dict):
        return {}
    if "enum" in schema and schema["enum"]:
        return schema["enum"][0]
    kind = schema.get("type")
    if isinstance(kind, list):
        kind = next((k for k in kind if k != "null"), None)
    if "anyOf" in schema:
        return _skeleton(next((s for s in schema["anyOf"] if s.get("type") != "null"), None))
    if "$ref" in schema:
        return {}
    if kind == "object" or "properties" in schema:
        return {name: _skeleton(sub) for name, sub in (schema.get("properties") or {}).items()}
    return {"string": "", "integer": 0, "number": 0.0, "boolean": False, "array": []}.get(
        kind, None
    )
