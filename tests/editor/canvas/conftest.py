"""Fixtures for canvas tests: a shown CanvasView over a loaded or fresh graph,
and helpers that drive it with real mouse events on the viewport."""

from __future__ import annotations

import warnings
from pathlib import Path

import pytest
from PySide6.QtCore import QPoint, QPointF, Qt
from PySide6.QtGui import QDragEnterEvent, QDropEvent
from PySide6.QtTest import QTest
from PySide6.QtWidgets import QApplication

from core.files import load_graph
from core.model.graph import Graph
from core.registry import default_registry
from editor.canvas import CanvasView
from editor.document import GraphDocument
from editor.theme import light_theme

ROOT = Path(__file__).resolve().parents[3]
GRAPHS = ROOT / "saved_graphs"


def drop_mime(viewport, mime, point: QPoint):
    """A drag carrying ``mime`` entering ``viewport`` at ``point``, then dropped
    there, as Qt delivers them; returns both events (to read what was accepted)."""
    with warnings.catch_warnings():  # PySide marks the QPoint constructor deprecated
        warnings.simplefilter("ignore", DeprecationWarning)
        enter = QDragEnterEvent(
            point,
            Qt.DropAction.CopyAction,
            mime,
            Qt.MouseButton.LeftButton,
            Qt.KeyboardModifier.NoModifier,
        )
    QApplication.sendEvent(viewport, enter)
    drop = QDropEvent(
        QPointF(point),
        Qt.DropAction.CopyAction,
        mime,
        Qt.MouseButton.LeftButton,
        Qt.KeyboardModifier.NoModifier,
    )
    QApplication.sendEvent(viewport, drop)
    return enter, drop


class Canvas:
    """A view under test plus mouse helpers in scene coordinates."""

    def __init__(self, qtbot, view: CanvasView) -> None:
        self.qtbot = qtbot
        self.view = view
        self.document = view.document
        self.graph = view.document.graph

    @property
    def viewport(self):
        return self.view.viewport()

    def to_view(self, scene_point: QPointF) -> QPoint:
        return self.view.mapFromScene(scene_point)

    def node(self, name: str):
        node = self.graph.node_by_name(name)
        assert node is not None, f"no node named {name!r}"
        return node

    def header(self, name: str) -> QPointF:
        """A point on the header of ``name``'s card (where a card is grabbed)."""
        rect = self.view.node_item(self.node(name).id).scene_card_rect()
        return QPointF(rect.center().x(), rect.top() + 14)

    def port(self, name: str, port: str, is_output: bool) -> QPointF:
        return self.view.port_scene_pos(self.node(name).id, port, is_output)

    def press(
        self,
        scene_point: QPointF,
        button=Qt.MouseButton.LeftButton,
        modifier=Qt.KeyboardModifier.NoModifier,
    ):
        QTest.mousePress(self.viewport, button, modifier, self.to_view(scene_point))

    def move(self, scene_point: QPointF):
        QTest.mouseMove(self.viewport, self.to_view(scene_point))

    def hover(self, scene_point: QPointF):
        """Move the pointer onto ``scene_point`` without a button. The first move
        into a freshly shown window only enters it, so approach in two moves."""
        QTest.mouseMove(self.viewport, self.to_view(scene_point) + QPoint(4, 0))
        QTest.mouseMove(self.viewport, self.to_view(scene_point))

    def release(
        self,
        scene_point: QPointF,
        button=Qt.MouseButton.LeftButton,
        modifier=Qt.KeyboardModifier.NoModifier,
    ):
        QTest.mouseRelease(self.viewport, button, modifier, self.to_view(scene_point))

    def drag(
        self,
        start: QPointF,
        end: QPointF,
        steps: int = 6,
        button=Qt.MouseButton.LeftButton,
        modifier=Qt.KeyboardModifier.NoModifier,
    ):
        """Press at ``start``, move in steps, release at ``end`` (scene coordinates)."""
        self.press(start, button, modifier)
        for i in range(1, steps + 1):
            t = i / steps
            self.move(
                QPointF(
                    start.x() + (end.x() - start.x()) * t, start.y() + (end.y() - start.y()) * t
                )
            )
        self.release(end, button, modifier)

    def empty_point(self) -> QPointF:
        """A scene point well away from every card."""
        rect = self.view.canvas_scene.content_rect()
        return QPointF(rect.center().x(), rect.bottom() + 120.0)

    def settle(self):
        """Let the document's deferred analysis run (schema rows, badges)."""
        self.qtbot.wait(1)
        QTest.qWait(0)


def _show(qtbot, document: GraphDocument) -> Canvas:
    view = CanvasView(document, light_theme())
    qtbot.addWidget(view)
    view.resize(1400, 900)
    view.show()
    qtbot.waitExposed(view)
    view.reset_zoom()
    view.fit_all()
    return Canvas(qtbot, view)


@pytest.fixture
def open_canvas(qtbot):
    """``open_canvas("parallel_branches")`` -> Canvas over that saved graph."""
    registry = default_registry()

    def make(name: str | None = None, graph: Graph | None = None) -> Canvas:
        if graph is None:
            graph = load_graph(GRAPHS / f"{name}.json", registry) if name else Graph()
        return _show(qtbot, GraphDocument(graph, registry))

    return make
