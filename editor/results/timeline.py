"""The run timeline: one bar per node on a shared time axis, growing live.

Each row is a node in the run's order. A light hatched segment is the time a
node waited for a model slot (queued), the solid bar the time it ran,
coloured by state; nodes that never ran (skipped, cancelled while waiting) get
a small mark where that was decided. While the run goes on the axis stretches
to the current time and running bars reach a "now" line, so parallel branches
are seen overlapping and a node held back is seen waiting. Hovering a bar
shows its timing, tokens and cost; clicking it selects the node on the canvas.

Everything is painted from the run record in one ``paintEvent`` (no item per
bar), so a 1,000-node run repaints in a few milliseconds.
"""

from __future__ import annotations

import html
import math
import time
from collections.abc import Callable
from dataclasses import dataclass

from PySide6.QtCore import QPointF, QRectF, QSize, Qt, Signal
from PySide6.QtGui import QBrush, QColor, QPainter, QPalette, QPen
from PySide6.QtWidgets import QHBoxLayout, QLabel, QScrollArea, QToolTip, QVBoxLayout, QWidget

from editor.canvas.run_state import LABELS
from editor.results.formatting import cost_text, format_seconds, tokens_text
from editor.results.panel_content import display_state
from editor.run.history import RunEntry
from editor.theme import Theme

ROW_HEIGHT = 22
AXIS_HEIGHT = 24
LABEL_WIDTH = 150
RIGHT_PAD = 16
BAR_INSET = 5


@dataclass(frozen=True)
class Bar:
    """One node's row as drawn: seconds on the run's clock (``end`` None: no bar)."""

    node_id: str
    name: str
    state: str
    queued: float | None
    start: float | None
    end: float | None
    row: int


def nice_step(span: float, pixels: float, min_gap: float = 70.0) -> float:
    """A round tick step (1, 2 or 5 times a power of ten) at least ``min_gap`` px apart."""
    if span <= 0 or pixels <= 0:
        return 1.0
    raw = span * min_gap / pixels
    power = 10 ** math.floor(math.log10(raw))
    for factor in (1, 2, 5, 10):
        if factor * power >= raw:
            return factor * power
    return 10 * power


class TimelineChart(QWidget):
    nodeClicked = Signal(str)

    def __init__(self, theme: Callable[[], Theme], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.entry: RunEntry | None = None
        self.setMouseTracking(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)
        self.setAutoFillBackground(True)
        self._rows = 0

    # ------------------------------------------------------------------ API
    def set_entry(self, entry: RunEntry | None) -> None:
        self.entry = entry
        self.refresh()

    def refresh(self) -> None:
        rows = len(self._node_order())
        if rows != self._rows:
            self._rows = rows
            self.updateGeometry()
            self.setMinimumHeight(self.sizeHint().height())
        self.update()

    def bars(self, now: float | None = None) -> list[Bar]:
        """Every row's bar as it would be drawn now (also what tests read)."""
        entry = self.entry
        if entry is None:
            return []
        clock = entry.elapsed_now(now)
        result = []
        for row, (node_id, name) in enumerate(self._node_order()):
            record = entry.node_record(node_id)
            if record is None:
                result.append(Bar(node_id, name, "waiting", None, None, None, row))
                continue
            state = display_state(record)
            end = record.ended_at
            if end is None and record.queued_at is not None:
                end = clock  # still waiting or running: the bar reaches "now"
            result.append(Bar(node_id, name, state, record.queued_at, record.started_at, end, row))
        return result

    def span(self, now: float | None = None) -> float:
        """Seconds the axis covers: the run so far (at least half a second)."""
        entry = self.entry
        if entry is None:
            return 1.0
        latest = entry.elapsed_now(now)
        if entry.record is not None:
            for record in entry.record.nodes.values():
                if record.ended_at is not None:
                    latest = max(latest, record.ended_at)
        return max(latest * 1.04, 0.5)

    def x_of(self, seconds: float, span: float) -> float:
        width = max(1.0, self.width() - LABEL_WIDTH - RIGHT_PAD)
        return LABEL_WIDTH + seconds / span * width

    # --------------------------------------------------------------- sizing
    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(600, AXIS_HEIGHT + max(1, self._rows) * ROW_HEIGHT + 8)

    def minimumSizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        return QSize(LABEL_WIDTH + 120, AXIS_HEIGHT + ROW_HEIGHT)

    # -------------------------------------------------------------- drawing
    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        theme = self._theme()
        palette = self.palette()
        entry = self.entry
        if entry is None:
            painter.setPen(palette.color(QPalette.ColorRole.PlaceholderText))
            painter.drawText(
                self.rect(), int(Qt.AlignmentFlag.AlignCenter), "Run the graph to see its timeline"
            )
            return
        now = time.perf_counter()
        span = self.span(now)
        self._paint_axis(painter, theme, span)
        bars = self.bars(now)
        metrics = self.fontMetrics()
        text_color = palette.color(QPalette.ColorRole.Text)
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        for bar in bars:
            top = AXIS_HEIGHT + bar.row * ROW_HEIGHT
            if bar.row % 2:
                painter.fillRect(
                    QRectF(0, top, self.width(), ROW_HEIGHT),
                    palette.color(QPalette.ColorRole.AlternateBase),
                )
            painter.setPen(text_color if bar.state != "waiting" else muted)
            label = metrics.elidedText(bar.name, Qt.TextElideMode.ElideRight, LABEL_WIDTH - 16)
            painter.drawText(
                QRectF(8, top, LABEL_WIDTH - 12, ROW_HEIGHT),
                int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
                label,
            )
            self._paint_bar(painter, theme, bar, top, span)
        if entry.active and entry.record is not None:
            x = self.x_of(entry.elapsed_now(now), span)
            pen = QPen(theme.run_state_color("running"), 1, Qt.PenStyle.DashLine)
            painter.setPen(pen)
            painter.drawLine(
                QPointF(x, AXIS_HEIGHT - 4), QPointF(x, AXIS_HEIGHT + len(bars) * ROW_HEIGHT)
            )

    def _paint_axis(self, painter: QPainter, theme: Theme, span: float) -> None:
        palette = self.palette()
        muted = palette.color(QPalette.ColorRole.PlaceholderText)
        grid = QColor(theme.border)
        grid.setAlpha(110)
        width = self.width() - LABEL_WIDTH - RIGHT_PAD
        step = nice_step(span, width)
        bottom = AXIS_HEIGHT + self._rows * ROW_HEIGHT
        painter.setPen(muted)
        painter.drawText(
            QRectF(8, 0, LABEL_WIDTH - 12, AXIS_HEIGHT),
            int(Qt.AlignmentFlag.AlignVCenter | Qt.AlignmentFlag.AlignLeft),
            "node",
        )
        tick = 0.0
        while tick <= span + 1e-9:
            x = self.x_of(tick, span)
            painter.setPen(QPen(grid, 1))
            painter.drawLine(QPointF(x, AXIS_HEIGHT - 3), QPointF(x, bottom))
            painter.setPen(muted)
            painter.drawText(
                QRectF(x - 40, 0, 80, AXIS_HEIGHT - 4),
                int(Qt.AlignmentFlag.AlignCenter),
                _tick_label(tick, step),
            )
            tick += step

    def _paint_bar(
        self, painter: QPainter, theme: Theme, bar: Bar, top: float, span: float
    ) -> None:
        if bar.end is None:
            return
        color = theme.run_state_color(bar.state)
        y = top + BAR_INSET
        height = ROW_HEIGHT - 2 * BAR_INSET
        painter.setPen(Qt.PenStyle.NoPen)
        if bar.queued is not None:
            wait_end = bar.start if bar.start is not None else bar.end
            if wait_end - bar.queued > 0:
                waiting = QColor(theme.run_state_color("queued"))
                waiting.setAlpha(120)
                painter.setBrush(QBrush(waiting, Qt.BrushStyle.BDiagPattern))
                x0, x1 = self.x_of(bar.queued, span), self.x_of(wait_end, span)
                painter.drawRect(QRectF(x0, y + 2, max(1.0, x1 - x0), height - 4))
        if bar.start is None:
            # Never ran: a small diamond where it was skipped or cancelled.
            if bar.state in ("skipped", "cancelled"):
                x = self.x_of(bar.end, span)
                painter.setBrush(color)
                painter.drawPolygon(
                    [
                        QPointF(x, y),
                        QPointF(x + 4, y + height / 2),
                        QPointF(x, y + height),
                        QPointF(x - 4, y + height / 2),
                    ]
                )
            return
        x0, x1 = self.x_of(bar.start, span), self.x_of(bar.end, span)
        fill = QColor(color)
        if bar.state == "running":
            fill.setAlpha(200)
        painter.setBrush(fill)
        painter.drawRoundedRect(QRectF(x0, y, max(3.0, x1 - x0), height), 3, 3)

    # -------------------------------------------------------------- hovering
    def bar_at(self, point: QPointF) -> Bar | None:
        row = int((point.y() - AXIS_HEIGHT) // ROW_HEIGHT)
        if point.y() < AXIS_HEIGHT or row < 0:
            return None
        return next((bar for bar in self.bars() if bar.row == row), None)

    def tooltip_html(self, bar: Bar) -> str:
        entry = self.entry
        record = entry.node_record(bar.node_id) if entry else None
        node = entry.node(bar.node_id) if entry else None
        lines = [
            f"<b>{html.escape(bar.name)}</b>"
            + (f" \u00b7 {html.escape(node.type)}" if node else "")
        ]
        if record is None or bar.start is None and bar.queued is None:
            lines.append(bar.state)
            if record is not None and record.error:
                lines.append(html.escape(record.error))
            return _nowrap(lines)
        if bar.start is not None:
            ran = (bar.end or bar.start) - bar.start
            verb = "running for" if bar.state == "running" else f"{bar.state} after"
            lines.append(
                f"{verb} {format_seconds(ran)} (from {bar.start:.2f} s to {(bar.end or bar.start):.2f} s)"
            )
        if bar.queued is not None:
            waited = (bar.start if bar.start is not None else (bar.end or bar.queued)) - bar.queued
            if waited >= 0.005:
                lines.append(f"waited {format_seconds(waited)} for a model slot")
        if record.cached:
            lines.append("cached: replayed from the node cache, no model call")
        if getattr(record, "pinned", False):
            lines.append("pinned: its output was set by hand, the node did not run")
        elif getattr(record, "reused_from", None):
            lines.append("not run: its output of an earlier run was handed on")
        tokens = tokens_text(record.tokens_in, record.tokens_out)
        if tokens:
            lines.append(f"tokens: {tokens}")
        if record.cost is not None:
            lines.append(f"cost: {cost_text(record.cost)}")
        if record.model:
            lines.append(f"model: {html.escape(record.model)}")
        if record.error:
            lines.append(html.escape(record.error))
        return _nowrap(lines)

    def mouseMoveEvent(self, event) -> None:  # noqa: N802 (Qt override)
        bar = self.bar_at(event.position())
        if bar is None:
            QToolTip.hideText()
        else:
            QToolTip.showText(event.globalPosition().toPoint(), self.tooltip_html(bar), self)
        super().mouseMoveEvent(event)

    def mousePressEvent(self, event) -> None:  # noqa: N802 (Qt override)
        bar = self.bar_at(event.position())
        if bar is not None and event.button() == Qt.MouseButton.LeftButton:
            self.nodeClicked.emit(bar.node_id)
        super().mousePressEvent(event)

    # ------------------------------------------------------------ internals
    def _node_order(self) -> list[tuple[str, str]]:
        entry = self.entry
        if entry is None:
            return []
        if entry.record is not None and entry.record.nodes:
            return [(nid, rec.node_name) for nid, rec in entry.record.nodes.items()]
        return [(nid, node.name) for nid, node in entry.graph.nodes.items()]


def _nowrap(lines: list[str]) -> str:
    return "<div style='white-space:nowrap'>" + "<br>".join(lines) + "</div>"


def _tick_label(seconds: float, step: float) -> str:
    if step >= 1:
        return f"{seconds:.0f} s"
    decimals = max(1, -math.floor(math.log10(step)))
    return f"{seconds:.{decimals}f} s"


class TimelineView(QWidget):
    """The Timeline page: a legend above the scrollable chart."""

    nodeClicked = Signal(str)

    def __init__(self, theme: Callable[[], Theme], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self.chart = TimelineChart(theme)
        self.chart.nodeClicked.connect(self.nodeClicked)
        self.legend = QLabel(self)
        self.legend.setTextFormat(Qt.TextFormat.RichText)
        self.summary = QLabel(self)
        self.summary.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        scroll = QScrollArea(self)
        scroll.setWidgetResizable(True)
        scroll.setFrameShape(QScrollArea.Shape.NoFrame)
        scroll.setWidget(self.chart)
        top = QHBoxLayout()
        top.setContentsMargins(8, 4, 8, 2)
        top.addWidget(self.summary, 1)
        top.addWidget(self.legend)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(0, 0, 0, 0)
        layout.setSpacing(0)
        layout.addLayout(top)
        layout.addWidget(scroll, 1)
        self._fill_legend()

    def set_entry(self, entry: RunEntry | None) -> None:
        self.chart.set_entry(entry)
        self._summarise()

    def refresh(self) -> None:
        self.chart.refresh()
        self._summarise()

    def _summarise(self) -> None:
        entry = self.chart.entry
        if entry is None or entry.record is None:
            self.summary.setText("")
            return
        records = list(entry.record.nodes.values())
        ran = [r for r in records if r.started_at is not None]
        busy = sum(
            ((r.ended_at if r.ended_at is not None else entry.elapsed_now()) - r.started_at)
            for r in ran
        )
        wall = entry.elapsed_now()
        text = f"{entry.title}: {format_seconds(wall)} wall"
        if wall > 0 and busy > 0:
            text += f" \u00b7 {format_seconds(busy)} of node time \u00b7 overlap \u00d7{busy / wall:.1f}"
        self.summary.setText(text)

    def _fill_legend(self) -> None:
        theme = self._theme()
        parts = []
        for state in ("queued", "running", "done", "empty", "failed", "skipped", "cancelled"):
            label = "waiting" if state == "queued" else LABELS.get(state, state)
            parts.append(
                f"<span style='color:{theme.run_state_color(state).name()}'>\u25a0</span>&nbsp;{label}"
            )
        self.legend.setText("&nbsp;&nbsp;".join(parts))

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (
            event.Type.PaletteChange,
            event.Type.ApplicationPaletteChange,
        ) and hasattr(self, "legend"):
            self._fill_legend()
