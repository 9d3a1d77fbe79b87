"""A card's run entries: Run to Here, Run from Here, Pin Output, Unpin Output.

"Run to Here" opens the input form and runs only what leads to the node.
"Run from Here" runs the node and its dependents at once, on the last input,
with the outputs of the nodes feeding them taken from this session's runs,
then the kept ones; when one has none, one message names it and says what to
run first. "Pin Output…" edits the node's output by hand
(:class:`~editor.run.pin_dialog.PinDialog`); pin and unpin are undoable
commands. Scoped runs are the built-in engine's: with Synalinks chosen, the
refusal says so.
"""

from __future__ import annotations

from typing import TYPE_CHECKING, Any

from PySide6.QtCore import Qt
from PySide6.QtWidgets import QMessageBox

from core.commands.pin_commands import PinOutput, pinnable_ports

if TYPE_CHECKING:
    from editor.run.controller import RunController


class NodeRuns:
    """The run feature's entries on a card's context menu, for one window."""

    def __init__(self, controller: RunController) -> None:
        self.controller = controller
        self.pin_dialog = None
        self.last_message: QMessageBox | None = None

    # ---------------------------------------------------------------- menu
    def extend_menu(self, builder: Any, node_id: str) -> None:
        """Add this node's run and pin entries to its context menu."""
        document = self.controller.window.document
        if document is None or node_id not in document.graph.nodes:
            return
        node = document.graph.nodes[node_id]
        idle = not self.controller.running
        builder.local(
            "Run &to Here…",
            lambda _v: self.run_to(node_id),
            enabled=idle,
            later=True,
            tip=f"Run only what leads to {node.name} (asks for the input)",
        )
        builder.local(
            "Run &from Here",
            lambda _v: self.run_from(node_id),
            enabled=idle,
            later=True,
            tip=f"Run {node.name} and what depends on it, with the nodes feeding them "
            "answering as in the last run",
        )
        ports = pinnable_ports(document.flow, node_id)
        if node.pinned is None:
            builder.local(
                "&Pin Output…",
                lambda _v: self.open_pin(node_id),
                enabled=isinstance(ports, list),
                later=True,
                tip=f"Set {node.name}'s output by hand: runs use it instead of running it"
                if isinstance(ports, list)
                else f"{node.name} cannot be pinned: {ports}",
            )
        else:
            builder.local(
                "Edit &Pinned Output…",
                lambda _v: self.open_pin(node_id),
                later=True,
                tip=f"Change the output pinned on {node.name}",
            )
            builder.local(
                "&Unpin Output",
                lambda _v: self.unpin(node_id),
                tip=f"Run {node.name} again instead of handing on its pinned output",
            )

    # ----------------------------------------------------------------- runs
    def run_to(self, node_id: str) -> None:
        from core.engine.scope import RunScope

        self.controller.request_run(RunScope(to_node=node_id))

    def run_from(self, node_id: str) -> None:
        """Run ``node_id`` and its dependents now, on the last input."""
        from core.engine import InputError, RunRefused
        from core.engine.scope import RunScope, ScopeError
        from editor.run.kept_runs import latest_inputs

        controller = self.controller
        document = controller.window.document
        if document is None or controller.running or node_id not in document.graph.nodes:
            return
        kept = controller.kept
        scope = RunScope(from_node=node_id, seeds=kept.seeds(document, controller.history))
        inputs = controller.prefill(document)
        if inputs is None:
            inputs = latest_inputs(kept, document)
        engine = controller.engine_for(document)
        try:
            prepared = engine.prepare(document.graph, inputs, scope)
        except ScopeError as exc:
            self._say("Cannot run from here", str(exc))
            return
        except RunRefused as exc:
            controller.refuse(exc.diagnostics)
            return
        except InputError:  # the last input no longer fits: ask for one
            controller.request_run(scope)
            return
        controller.begin(document, engine, prepared)

    # ------------------------------------------------------------------ pins
    def open_pin(self, node_id: str) -> None:
        from editor.run.pin_dialog import PinDialog

        document = self.controller.window.document
        if document is None or node_id not in document.graph.nodes:
            return
        dialog = PinDialog(document, node_id, self._last_outputs(node_id), self.controller.window)
        dialog.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        self.pin_dialog = dialog
        dialog.open()

    def unpin(self, node_id: str) -> None:
        document = self.controller.window.document
        if document is None or node_id not in document.graph.nodes:
            return
        node = document.graph.nodes[node_id]
        if node.pinned is not None:
            document.push(PinOutput(node_id, None, node.name))
            self.controller.window.status.show_message(f"Unpinned {node.name}: runs run it again")

    def _last_outputs(self, node_id: str) -> dict[str, Any] | None:
        """The node's outputs in the shown run, else this session's latest, else kept."""
        controller = self.controller
        document = controller.window.document
        shown = controller.window.results_area.shown
        entries = [shown] if shown is not None and shown.belongs_to(document) else []
        entries += [e for e in reversed(controller.history.entries) if e.belongs_to(document)]
        for entry in entries:
            record = entry.node_record(node_id)
            if record is not None and record.state == "finished":
                return record.outputs
        seed = controller.kept.seeds(document, controller.history)([node_id]).get(node_id)
        return seed.outputs if seed is not None else None

    def _say(self, title: str, text: str) -> None:
        box = QMessageBox(
            QMessageBox.Icon.Information,
            title,
            text,
            QMessageBox.StandardButton.Close,
            self.controller.window,
        )
        box.setAttribute(Qt.WidgetAttribute.WA_DeleteOnClose)
        box.setWindowModality(Qt.WindowModality.NonModal)
        box.show()
        self.last_message = box
        self.controller.window.status.show_message(text)
