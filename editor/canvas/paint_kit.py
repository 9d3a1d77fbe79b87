"""Pens, brushes, fonts and shared paths, made once per theme.

Items paint hundreds of times a second while panning; creating a QPen or a
QFont inside ``paint()`` would allocate on every frame. The scene owns one
:class:`PaintKit` per theme and items only read from it, so switching theme
is: build a new kit, ``update()`` every item.
"""

from __future__ import annotations

from PySide6.QtCore import QRectF, Qt
from PySide6.QtGui import QBrush, QColor, QFont, QFontMetricsF, QPainterPath, QPen

from editor.theme import RUN_STATES, Theme

CARD_WIDTH = 240.0
CARD_RADIUS = 9.0
HEADER_HEIGHT = 32.0


def _pen(color: QColor, width: float, style: Qt.PenStyle = Qt.PenStyle.SolidLine) -> QPen:
    pen = QPen(color, width, style)
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    return pen


def _cosmetic(color: QColor, width: float = 0.0) -> QPen:
    """A pen of ``width`` screen pixels at any zoom (0: a hairline, the
    raster engine's fastest line)."""
    pen = QPen(color, width)
    pen.setCosmetic(True)
    return pen


def _font(
    base: QFont,
    pixel_size: int,
    weight: QFont.Weight = QFont.Weight.Normal,
    italic: bool = False,
    mono: bool = False,
) -> QFont:
    font = QFont(base)
    if mono:
        font = QFont("DejaVu Sans Mono")
        font.setStyleHint(QFont.StyleHint.TypeWriter)
    font.setPixelSize(pixel_size)
    font.setWeight(weight)
    font.setItalic(italic)
    font.setHintingPreference(QFont.HintingPreference.PreferNoHinting)
    return font


class Fonts:
    """The card typography (independent of the theme's colours)."""

    def __init__(self, base: QFont | None = None) -> None:
        base = QFont(base) if base is not None else QFont()
        self.title = _font(base, 13, QFont.Weight.DemiBold)
        self.kind = _font(base, 11, QFont.Weight.Medium)
        self.port = _font(base, 11)
        self.field = _font(base, 12)
        self.type = _font(base, 11, mono=True)
        self.section = _font(base, 11, QFont.Weight.DemiBold)
        self.note = _font(base, 11, italic=True)
        self.index = _font(base, 9, QFont.Weight.DemiBold)
        self.badge = _font(base, 11, QFont.Weight.Bold)
        self.pill = _font(base, 10, QFont.Weight.Medium)
        names = ("title", "kind", "port", "field", "type", "section", "note", "pill", "index")
        self.metrics = {name: QFontMetricsF(getattr(self, name)) for name in names}
        self.line_height = {name: m.height() for name, m in self.metrics.items()}
        self._half_height = {
            name: (m.ascent() + m.descent()) / 2.0 for name, m in self.metrics.items()
        }
        self._advances: dict[tuple[str, str], float] = {}
        self._elided: dict[tuple[str, str, float], str] = {}

    def top_for_center(self, font: str, center_y: float) -> float:
        """The top of a line of ``font`` whose middle is at ``center_y``."""
        return center_y - self._half_height[font]

    def advance(self, font: str, text: str) -> float:
        """Width of ``text`` (memoised: cards repeat the same labels)."""
        key = (font, text)
        width = self._advances.get(key)
        if width is None:
            if len(self._advances) > 50_000:
                self._advances.clear()
            width = self._advances[key] = self.metrics[font].horizontalAdvance(text)
        return width

    def elide(self, font: str, text: str, width: float) -> str:
        """``text`` cut with an ellipsis to fit ``width`` (memoised)."""
        if self.advance(font, text) <= width:
            return text
        key = (font, text, width)
        out = self._elided.get(key)
        if out is None:
            if len(self._elided) > 50_000:
                self._elided.clear()
            out = self._elided[key] = self.metrics[font].elidedText(
                text, Qt.TextElideMode.ElideRight, width
            )
        return out


class PaintKit:
    """Everything a canvas item needs to paint in one theme."""

    def __init__(self, theme: Theme, fonts: Fonts | None = None) -> None:
        self.theme = theme
        self.fonts = fonts or Fonts()
        t = theme
        self.card_brush = QBrush(t.card_fill)
        # The card's outline is a fill one pixel larger than the card (two at the
        # bottom, for a touch of depth), not a stroke: an antialiased stroke of a
        # rounded rectangle costs the raster engine more than a fill.
        self.outline_brush = QBrush(
            _over(t.card_shadow, t.card_border) if not t.is_dark else t.card_border
        )
        self.outline_hover_brush = QBrush(t.hover)
        self.divider_pen = _pen(t.card_divider, 1.0)
        self.selection_pen = _pen(t.selection, 2.4)
        self.text_pen = QPen(t.text)
        self.muted_pen = QPen(t.muted_text)
        self.header_text_pen = QPen(t.header_text)
        self.header_kind_pen = QPen(QColor(255, 255, 255, 200))
        # Stand-ins for text too small to read (between the overview and 1:1).
        self.greek_brushes = {
            "text": QBrush(
                _over(QColor(t.text.red(), t.text.green(), t.text.blue(), 70), t.card_fill)
            ),
            "muted": QBrush(
                _over(
                    QColor(t.muted_text.red(), t.muted_text.green(), t.muted_text.blue(), 60),
                    t.card_fill,
                )
            ),
            "header": QBrush(QColor(255, 255, 255, 150)),
        }
        self.port_brushes = {role: QBrush(c) for role, c in t.port_colors.items()}
        self.port_pens = {role: _pen(c, 2.0) for role, c in t.port_colors.items()}
        self.port_ring_pen = _pen(t.card_fill, 2.0)
        self.hole_brush = QBrush(t.card_fill)
        self.target_ok_pen = _pen(t.wire_ok, 2.2)
        self.target_ok_brush = QBrush(
            QColor(t.wire_ok.red(), t.wire_ok.green(), t.wire_ok.blue(), 60)
        )
        self.target_refused_pen = _pen(t.wire_refused, 2.2)
        self.target_refused_brush = QBrush(
            QColor(t.wire_refused.red(), t.wire_refused.green(), t.wire_refused.blue(), 50)
        )
        self.hover_port_brush = QBrush(QColor(t.hover.red(), t.hover.green(), t.hover.blue(), 70))
        self.badge_brushes = {"error": QBrush(t.error), "warning": QBrush(t.warning)}
        self.badge_ring_pen = _pen(t.card_fill, 2.0)
        self.badge_text_pen = QPen(t.badge_text)
        # Edges.
        self.edge_pens = {role: _pen(c, 2.0) for role, c in t.edge_colors.items()}
        self.edge_hover_pens = {
            role: _pen(c.darker(115) if not t.is_dark else c.lighter(135), 3.0)
            for role, c in t.edge_colors.items()
        }
        self.edge_far_pens = {role: _cosmetic(c) for role, c in t.edge_colors.items()}
        self.edge_selected_pen = _pen(t.edge_selected, 3.0)
        self.edge_active_pen = _pen(t.edge_active, 3.2)
        # The wire a drop would replace (an input that takes one connection).
        self.edge_replaced_pen = _pen(t.wire_refused, 3.0, Qt.PenStyle.DashLine)
        self.edge_index_brush = QBrush(t.card_fill)
        self.wire_pens = {
            "free": _pen(t.port_colors["data"], 2.2, Qt.PenStyle.DashLine),
            "ok": _pen(t.wire_ok, 2.6),
            "refused": _pen(t.wire_refused, 2.2, Qt.PenStyle.DashLine),
        }
        # Zoomed-out cards: flat shapes, no text.
        self.far_card_pen = _cosmetic(t.card_border)
        self.far_selection_pen = _cosmetic(t.selection, 2.0)
        # Run states.
        self.run_pens = {s: _pen(t.run_state_color(s), 2.6) for s in RUN_STATES}
        self.run_brushes = {s: QBrush(t.run_state_color(s)) for s in RUN_STATES}
        self.running_pen = _pen(t.run_state_color("running"), 2.6, Qt.PenStyle.CustomDashLine)
        self.running_pen.setDashPattern([4.0, 3.0])
        # Whichever of white and near-black contrasts more with the state colour.
        self.pill_text_pens = {
            s: QPen(
                QColor("#ffffff") if _luminance(t.run_state_color(s)) < 0.21 else QColor("#161a22")
            )
            for s in RUN_STATES
        }
        self._header_brushes: dict[str, QBrush] = {}
        self.run_far_pens = {s: _cosmetic(t.run_state_color(s), 3.0) for s in RUN_STATES}
        self._card_paths: dict[float, tuple[QPainterPath, ...]] = {}
        self.header_path = _header_path()

    def header_brush(self, kind_color: str) -> QBrush:
        brush = self._header_brushes.get(kind_color)
        if brush is None:
            brush = QBrush(self.theme.header_color(kind_color))
            self._header_brushes[kind_color] = brush
        return brush

    def card_paths(self, height: float) -> tuple[QPainterPath, ...]:
        """(card, outline, selection ring, run ring) outlines
        for a card of ``height``, shared by every card of that height."""
        paths = self._card_paths.get(height)
        if paths is None:
            card = QPainterPath()
            card.addRoundedRect(QRectF(0, 0, CARD_WIDTH, height), CARD_RADIUS, CARD_RADIUS)
            outline = QPainterPath()
            outline.addRoundedRect(
                QRectF(-1.0, -1.0, CARD_WIDTH + 2, height + 3.0), CARD_RADIUS + 1, CARD_RADIUS + 1
            )
            ring = QPainterPath()
            ring.addRoundedRect(
                QRectF(-3.5, -3.5, CARD_WIDTH + 7, height + 7), CARD_RADIUS + 3, CARD_RADIUS + 3
            )
            run = QPainterPath()
            run.addRoundedRect(
                QRectF(-6.5, -6.5, CARD_WIDTH + 13, height + 13), CARD_RADIUS + 6, CARD_RADIUS + 6
            )
            paths = (card, outline, ring, run)
            self._card_paths[height] = paths
        return paths


def _luminance(color: QColor) -> float:
    """Relative luminance (WCAG), 0 for black to 1 for white."""

    def channel(c: float) -> float:
        return c / 12.92 if c <= 0.03928 else ((c + 0.055) / 1.055) ** 2.4

    return (
        0.2126 * channel(color.redF())
        + 0.7152 * channel(color.greenF())
        + 0.0722 * channel(color.blueF())
    )


def _over(top: QColor, below: QColor) -> QColor:
    """``top`` (with its alpha) composited over the opaque ``below``."""
    a = top.alphaF()
    return QColor.fromRgbF(
        top.redF() * a + below.redF() * (1 - a),
        top.greenF() * a + below.greenF() * (1 - a),
        top.blueF() * a + below.blueF() * (1 - a),
    )


def _header_path() -> QPainterPath:
    """The header band: rounded top corners, square bottom edge."""
    r = CARD_RADIUS
    path = QPainterPath()
    path.moveTo(0, HEADER_HEIGHT)
    path.lineTo(0, r)
    path.arcTo(QRectF(0, 0, 2 * r, 2 * r), 180, -90)
    path.lineTo(CARD_WIDTH - r, 0)
    path.arcTo(QRectF(CARD_WIDTH - 2 * r, 0, 2 * r, 2 * r), 90, -90)
    path.lineTo(CARD_WIDTH, HEADER_HEIGHT)
    path.closeSubpath()
    return path
