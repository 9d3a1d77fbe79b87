"""The node card: one QGraphicsItem that paints header, ports, fields and badges.

It holds a node id and draws the :class:`~editor.canvas.card.CardContent` the
scene read from the core; it never changes the graph. Moving it with the
mouse only moves the picture (the scene re-routes its edges as it goes)
until the scene pushes one ``MoveNodes`` on release; the model's
``nodeMoved`` then confirms the position.

Speed: the bounding rect is computed when the content changes, never while
painting; text is laid out once into ``QStaticText`` on the first detailed
paint; zoomed out (level of detail below ``FAR_LOD``) the card is a flat
shape with no text or ports, which is what keeps a 1,000-node overview cheap.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from editor.canvas.card import CardContent, CardLayout, PortGeom, TextRun, card_layout, text_runs
from editor.canvas.paint_kit import CARD_WIDTH, HEADER_HEIGHT
from editor.canvas.pin_mark import PIN_TIP, paint_pin, pin_rect
from editor.canvas.port_item import paint_port, port_at
from editor.canvas.run_state import RunView
from editor.canvas.subgraph_mark import paint_stack

if TYPE_CHECKING:
    from editor.canvas.scene import CanvasScene

FAR_LOD = 0.38  # below this, cards are flat shapes
TEXT_LOD = 0.45  # below this, the header name is written and the rest drawn as grey bars
BADGE_RADIUS = 8.5
BADGE_CENTER = QPointF(CARD_WIDTH - 18.0, -5.0)  # on the top edge, clear of the output port
MARGIN = 12.0  # room around the card for outline, selection ring, badge and run ring
PILL_HEIGHT = 20.0
_FLAGS = (
    QGraphicsItem.GraphicsItemFlag.ItemIsSelectable | QGraphicsItem.GraphicsItemFlag.ItemIsMovable
)


class NodeItem(QGraphicsItem):
    """A card for one node. ``node_id`` is all it knows of the model."""

    def __init__(
        self,
        canvas: CanvasScene,
        node_id: str,
        content: CardContent,
        badge: tuple[str, str] | None,
        position: tuple[float, float],
    ) -> None:
        super().__init__()
        self.node_id = node_id
        self._canvas = canvas
        self.content = content
        self.badge = badge  # (severity, tooltip) or None
        self.layout: CardLayout = card_layout(content, canvas.kit.fonts, badge is not None)
        self.marks: dict[tuple[str, bool], str] = {}
        self.hovered_port: tuple[str, bool] | None = None
        self.run: RunView | None = None
        self.flow_signature: tuple | None = None  # what the last analysis gave it (see the scene)
        self.preview = None  # the run's values over the field rows (editor.canvas.output_preview)
        self._pill_width = 0.0
        self._static: list | None = None
        self._hovered = False
        self._bounds = QRectF()
        self._card = QRectF()
        self._update_bounds()
        self.setFlags(_FLAGS)
        self.setAcceptHoverEvents(True)
        # Panning repaints from a pixmap per card; zooming re-renders it.
        self.setCacheMode(QGraphicsItem.CacheMode.DeviceCoordinateCache)
        self.setPos(position[0], position[1])

    # ------------------------------------------------------------- geometry
    def _update_bounds(self) -> None:
        h = self.layout.height
        self._card = QRectF(0.0, 0.0, CARD_WIDTH, h)
        bottom = h + MARGIN
        if self.run is not None:
            bottom = max(bottom, h + 8.0 + PILL_HEIGHT + 2.0)
        self._bounds = QRectF(-MARGIN, -MARGIN, CARD_WIDTH + 2 * MARGIN, bottom + MARGIN)

    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._bounds

    def card_rect(self) -> QRectF:
        """The card itself in item coordinates (no outline or margins)."""
        return self._card

    def scene_card_rect(self) -> QRectF:
        return self._card.translated(self.pos())

    def port_point(self, port: str, is_output: bool, slot: int = -1) -> QPointF:
        """Scene point where an edge meets ``port`` (``slot``: edge index into a
        multiple input). Unknown ports fall back to the card's side."""
        geom = self.layout.port(port, is_output)
        if geom is None:
            local = QPointF(CARD_WIDTH if is_output else 0.0, HEADER_HEIGHT / 2.0)
        else:
            local = geom.slot(slot) if slot >= 0 else geom.anchor
        return QPointF(self.x() + local.x(), self.y() + local.y())

    def port_role(self, port: str, is_output: bool) -> str:
        geom = self.layout.port(port, is_output)
        return geom.view.role if geom else "data"

    def port_at(self, local: QPointF, want_output: bool | None = None) -> PortGeom | None:
        return port_at(self.layout, local, want_output)

    # --------------------------------------------------------------- content
    def set_content(self, content: CardContent, badge: tuple[str, str] | None) -> bool:
        """Show new content; True when the card's geometry changed (edges must follow)."""
        if content == self.content and badge == self.badge:
            return False
        relayout = content != self.content or (badge is None) != (self.badge is None)
        self.content, self.badge = content, badge
        if not relayout:
            self.update()
            return False
        old_ports = {k: (g.anchor, tuple(g.slots)) for k, g in self.layout.ports.items()}
        old_height = self.layout.height
        layout = card_layout(content, self._canvas.kit.fonts, badge is not None)
        self.prepareGeometryChange()
        self.layout = layout
        self._static = None
        self._update_bounds()
        self.update()
        if self.preview is not None:
            self.preview.card_changed()
        new_ports = {k: (g.anchor, tuple(g.slots)) for k, g in layout.ports.items()}
        return new_ports != old_ports or layout.height != old_height

    def set_run(self, run: RunView | None) -> None:
        if run == self.run:
            return
        self.prepareGeometryChange()
        self.run = run
        if run is not None:
            self._pill_text = QStaticText(run.pill_text())
            self._pill_text.setTextFormat(Qt.TextFormat.PlainText)
            self._pill_text.prepare(QTransform(), self._canvas.kit.fonts.pill)
            self._pill_width = (
                self._canvas.kit.fonts.metrics["pill"].horizontalAdvance(run.pill_text()) + 20.0
            )
        self._update_bounds()
        self.update()

    def set_marks(self, marks: dict[tuple[str, bool], str]) -> None:
        if marks != self.marks:
            self.marks = marks
            self.update()

    def theme_changed(self) -> None:
        self._static = None  # fonts may differ
        self.update()

    # --------------------------------------------------------------- painting
    def text_runs(self) -> list[TextRun]:
        """The card's text, measured and elided (computed on demand)."""
        return text_runs(self.content, self.layout, self._canvas.kit.fonts)

    def _prepare_text(self) -> list:
        kit = self._canvas.kit
        runs = []
        identity = QTransform()
        for run in self.text_runs():
            font = getattr(kit.fonts, run.font)
            st = QStaticText(run.text)
            st.setTextFormat(Qt.TextFormat.PlainText)
            st.prepare(identity, font)
            size = st.size()
            # The bar that stands for this text when it is too small to read.
            greek = QRectF(run.x, run.y + size.height() * 0.3, size.width(), size.height() * 0.42)
            runs.append((font, run.pen, QPointF(run.x, run.y), st, greek))
        self._static = runs
        return runs

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        kit = self._canvas.kit
        lod = option.levelOfDetailFromTransform(painter.worldTransform())
        selected = self.isSelected()
        card, outline, ring, run_ring = kit.card_paths(self.layout.height)
        header = kit.header_brush(self.content.color)
        painter.setPen(Qt.PenStyle.NoPen)
        if self.content.subgraph:
            paint_stack(painter, kit, card, outline, far=lod < FAR_LOD)
        if lod < FAR_LOD:
            painter.setRenderHint(QPainter.RenderHint.Antialiasing, False)
            painter.setBrush(kit.card_brush)
            painter.drawRect(self._card)
            painter.fillRect(QRectF(0, 0, CARD_WIDTH, HEADER_HEIGHT), header)
            if self.run is not None:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(kit.run_far_pens[self.run.state])
                painter.drawRect(self._card.adjusted(-6, -6, 6, 6))
            if selected:
                painter.setBrush(Qt.BrushStyle.NoBrush)
                painter.setPen(kit.far_selection_pen)
                painter.drawRect(self._card.adjusted(-3, -3, 3, 3))
            if self.badge is not None:
                painter.setPen(Qt.PenStyle.NoPen)
                painter.setBrush(kit.badge_brushes[self.badge[0]])
                painter.drawEllipse(BADGE_CENTER, 16.0, 16.0)
            return
        # Outline, card, header.
        painter.setBrush(kit.outline_hover_brush if self._hovered else kit.outline_brush)
        painter.drawPath(outline)
        painter.setBrush(kit.card_brush)
        painter.drawPath(card)
        painter.setBrush(header)
        painter.drawPath(kit.header_path)
        if self.layout.divider_y is not None:
            painter.setPen(kit.divider_pen)
            y = self.layout.divider_y
            painter.drawLine(QPointF(1.0, y), QPointF(CARD_WIDTH - 1.0, y))
        # Text.
        runs = self._static if self._static is not None else self._prepare_text()
        pens = {
            "text": kit.text_pen,
            "muted": kit.muted_pen,
            "header": kit.header_text_pen,
            "header_kind": kit.header_kind_pen,
        }
        last_font = last_pen = None
        small = lod < TEXT_LOD
        for i, (font, pen, point, st, greek) in enumerate(runs):
            if small and i > 0:
                if pen != "header_kind":
                    painter.fillRect(greek, kit.greek_brushes[pen])
                continue
            if font is not last_font:
                painter.setFont(font)
                last_font = font
            if pen is not last_pen:
                painter.setPen(pens[pen])
                last_pen = pen
            painter.drawStaticText(point, st)
        # Label bullets (Decision labels).
        if self.layout.bullets:
            painter.setPen(Qt.PenStyle.NoPen)
            painter.setBrush(header)
            for point in self.layout.bullets:
                painter.drawEllipse(point, 3.0, 3.0)
        # Rings go under the ports and the badge, so those stay whole.
        if selected:
            painter.setBrush(Qt.BrushStyle.NoBrush)
            painter.setPen(kit.selection_pen)
            painter.drawPath(ring)
        if self.run is not None:
            self._paint_run(painter, kit, run_ring)
        # Ports.
        for key, geom in self.layout.ports.items():
            paint_port(
                painter,
                kit,
                geom,
                geom.view.edges > 0,
                self.marks.get(key),
                key == self.hovered_port,
            )
        if self.content.pinned:
            paint_pin(painter, kit)
        # Badge.
        if self.badge is not None:
            center = BADGE_CENTER
            painter.setPen(kit.badge_ring_pen)
            painter.setBrush(kit.badge_brushes[self.badge[0]])
            painter.drawEllipse(center, BADGE_RADIUS, BADGE_RADIUS)
            painter.setPen(kit.badge_text_pen)
            painter.setFont(kit.fonts.badge)
            painter.drawText(
                QRectF(
                    center.x() - BADGE_RADIUS,
                    center.y() - BADGE_RADIUS,
                    2 * BADGE_RADIUS,
                    2 * BADGE_RADIUS,
                ),
                Qt.AlignmentFlag.AlignCenter,
                "!",
            )

    def _paint_run(self, painter: QPainter, kit, run_ring) -> None:
        state = self.run.state
        painter.setBrush(Qt.BrushStyle.NoBrush)
        painter.setPen(kit.running_pen if state == "running" else kit.run_pens[state])
        painter.drawPath(run_ring)
        h = self.layout.height
        pill = QRectF(0.0, h + 8.0, self._pill_width, PILL_HEIGHT)
        painter.setPen(Qt.PenStyle.NoPen)
        painter.setBrush(kit.run_brushes[state])
        painter.drawRoundedRect(pill, PILL_HEIGHT / 2.0, PILL_HEIGHT / 2.0)
        painter.setPen(kit.pill_text_pens[state])
        painter.setFont(kit.fonts.pill)
        m = kit.fonts.metrics["pill"]
        painter.drawStaticText(
            QPointF(10.0, h + 8.0 + (PILL_HEIGHT - m.height()) / 2.0), self._pill_text
        )

    # ------------------------------------------------------------ interaction
    def hoverEnterEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = True
        self._hover_at(event.pos())
        self.update()

    def hoverMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hover_at(event.pos())

    def hoverLeaveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        self._hovered = False
        self.hovered_port = None
        self.update()

    def badge_rect(self) -> QRectF:
        r = BADGE_RADIUS + 3.0
        return QRectF(BADGE_CENTER.x() - r, BADGE_CENTER.y() - r, 2 * r, 2 * r)

    def _hover_at(self, pos: QPointF) -> None:
        geom = self.port_at(pos)
        key = (geom.view.name, geom.view.is_output) if geom else None
        if key != self.hovered_port:
            self.hovered_port = key
            self.update()
        if geom is not None:
            tip = self._canvas.port_tooltip(self.node_id, geom.view.name, geom.view.is_output)
        elif self.badge is not None and self.badge_rect().contains(pos):
            tip = self.badge[1]
        elif self.content.pinned and pin_rect().contains(pos):
            tip = PIN_TIP
        elif pos.y() > HEADER_HEIGHT:
            # The body lists fields with types cut to fit: the tooltip has them whole.
            tip = self._canvas.card_tooltip(self.node_id)
        else:
            tip = ""
        if tip != self.toolTip():
            self.setToolTip(tip)

    def mouseDoubleClickEvent(self, event) -> None:  # noqa: N802 (Qt override)
        if event.button() == Qt.MouseButton.LeftButton:
            self._canvas.node_activated(self.node_id)
            event.accept()
            return
        super().mouseDoubleClickEvent(event)
