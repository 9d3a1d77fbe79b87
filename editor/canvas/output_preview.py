"""A node's output where the node is: its field rows show the run's values.

A card lists its output fields (``thinking  str``, ``answer  str``). While a
run streams, a :class:`PreviewItem` (a child of the card) paints over those
rows the values filling in: the field being written shows its latest words
(``…the sky scatters blue``), finished fields their first words; once the
node is done, the final value. The card keeps its size and ports, so edges,
the layout and the scene index never move while text streams in.

Speed, with dozens of branches streaming at once:

- the card's own cached picture is never invalidated by a token: the preview
  is a separate, uncached item over the rows band only;
- values that stream are only *noted* when they arrive (a reference and a
  set insert); :class:`PreviewLayer` repaints the noted cards on the scene's
  run tick (every 50 ms), so a card repaints at most 20 times a second however
  fast its tokens come; a final value shows at once;
- lines are elided and laid out (``QStaticText``) once per new value, from a
  bounded slice of the text (never the whole of a long answer), and only for
  cards actually painted; a running card repaints 20 times a second for its
  animated ring, and those repaints only draw the prepared lines;
- zoomed out far enough that card text is drawn as grey bars, the preview
  paints nothing and the card's own bars show.

Previews can be hidden (View → Show Output Previews, remembered in Settings):
values are still noted, so turning them back on shows the current ones.
"""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from PySide6.QtCore import QPointF, QRectF, Qt
from PySide6.QtGui import QPainter, QStaticText, QTransform
from PySide6.QtWidgets import QGraphicsItem, QStyleOptionGraphicsItem, QWidget

from editor.canvas.card import PAD, ROW
from editor.canvas.paint_kit import CARD_WIDTH

if TYPE_CHECKING:
    from editor.canvas.node_item import NodeItem
    from editor.canvas.scene import CanvasScene

TEXT_LOD = 0.45  # as the card: below this its text is grey bars
NAME_SHARE = 0.36  # of the row's width, at most, for the field's name
SLICE = 240  # characters of a value ever measured for one line
_ELIDE_LEFT = Qt.TextElideMode.ElideLeft
_ELIDE_RIGHT = Qt.TextElideMode.ElideRight


def one_line(value: Any) -> str:
    """A field's value as one line of text (strings as they are, the rest as JSON)."""
    if isinstance(value, str):
        text = value
    elif value is None:
        text = "null"
    else:
        text = json.dumps(value, ensure_ascii=False, default=str)
    return " ".join(text.split()) if "\n" in text or "  " in text else text


def preview_rows(names: list[str], value: Any, live: bool) -> list[tuple[str, str, bool]] | None:
    """``(field, text, tail)`` for each of the card's rows: ``tail`` when the line
    should show the end of the text (the field still being written). None when
    ``value`` has none of the card's fields (nothing to preview there)."""
    if not isinstance(value, dict) or not any(name in value for name in names):
        return None
    present = [name for name in names if name in value]
    writing = present[-1] if live and present else None
    rows = []
    for name in names:
        if name not in value:
            rows.append((name, "\u2026" if live else "", False))
            continue
        text = one_line(value[name])
        tail = name == writing
        # A bounded slice: eliding never measures a whole long answer.
        text = text[-SLICE:] if tail else text[:SLICE]
        rows.append((name, text, tail))
    return rows


class PreviewItem(QGraphicsItem):
    """The run's values over one card's field rows (see the module docstring)."""

    def __init__(self, card: NodeItem, kit_source: CanvasScene) -> None:
        super().__init__(card)
        self._card = card
        self._canvas = kit_source
        self.value: Any = None
        self.live = False
        self._lines: list[tuple[QPointF, QStaticText, QPointF, QStaticText, str, str]] | None = None
        self._labels: dict[tuple[str, float], QStaticText] = {}
        self._rect = QRectF()
        self.setAcceptedMouseButtons(Qt.MouseButton.NoButton)  # clicks reach the card
        self.setAcceptHoverEvents(False)
        self.card_changed()

    # ------------------------------------------------------------------ data
    def set_value(self, value: Any, live: bool) -> None:
        self.value, self.live = value, live
        self._lines = None

    def card_changed(self) -> None:
        """The card's layout changed (new fields, another height): follow it."""
        layout, content = self._card.layout, self._card.content
        band = QRectF()
        if layout.rows_y and not content.bullets:
            top = layout.rows_y[0] - ROW / 2.0
            bottom = layout.rows_y[-1] + ROW / 2.0
            band = QRectF(1.0, top, CARD_WIDTH - 2.0, bottom - top)
        if band != self._rect:
            self.prepareGeometryChange()
            self._rect = band
        self._lines = None
        self.update()

    def shown_lines(self) -> list[tuple[str, str]]:
        """``(field, text)`` as painted now (for tests: what a person reads)."""
        return [(name, text) for *_prepared, name, text in self._layout_lines()]

    # -------------------------------------------------------------- painting
    def boundingRect(self) -> QRectF:  # noqa: N802 (Qt override)
        return self._rect

    def _layout_lines(self) -> list[tuple[QPointF, QStaticText, QPointF, QStaticText, str, str]]:
        if self._lines is not None:
            return self._lines
        lines = []
        card = self._card
        names = [name for name, _kind in card.content.rows]
        rows = preview_rows(names, self.value, self.live) if self._rect.height() else None
        if rows:
            fonts = self._canvas.kit.fonts
            name_metrics, value_metrics = fonts.metrics["port"], fonts.metrics["field"]
            inner = CARD_WIDTH - 2 * PAD
            for (name, text, tail), center in zip(rows, card.layout.rows_y, strict=False):
                label = name_metrics.elidedText(name, _ELIDE_RIGHT, inner * NAME_SHARE)
                label_w = name_metrics.horizontalAdvance(label)
                x = PAD + label_w + 8.0
                width = CARD_WIDTH - PAD - x
                shown = value_metrics.elidedText(text, _ELIDE_LEFT if tail else _ELIDE_RIGHT, width)
                lines.append(
                    (
                        QPointF(PAD, fonts.top_for_center("port", center)),
                        self._label(label, fonts.port),
                        QPointF(x, fonts.top_for_center("field", center)),
                        _static(shown, fonts.field),
                        label,
                        shown,
                    )
                )
        self._lines = lines
        return lines

    def _label(self, text: str, font) -> QStaticText:
        """A field name's prepared text (names repeat on every new value)."""
        key = (text, font.pixelSize())
        label = self._labels.get(key)
        if label is None:
            label = self._labels[key] = _static(text, font)
        return label

    def paint(
        self, painter: QPainter, option: QStyleOptionGraphicsItem, widget: QWidget | None = None
    ) -> None:
        if self.value is None or option.levelOfDetailFromTransform(painter.worldTransform()) < (
            TEXT_LOD
        ):
            return
        lines = self._layout_lines()
        if not lines:
            return
        kit = self._canvas.kit
        painter.fillRect(self._rect, kit.card_brush)  # the field types underneath
        painter.setFont(kit.fonts.port)
        painter.setPen(kit.muted_pen)
        for at, label, *_rest in lines:
            painter.drawStaticText(at, label)
        painter.setFont(kit.fonts.field)
        painter.setPen(kit.text_pen)
        for _at, _label, value_at, value, _name, _text in lines:
            painter.drawStaticText(value_at, value)


def _static(text: str, font) -> QStaticText:
    prepared = QStaticText(text)
    prepared.setTextFormat(Qt.TextFormat.PlainText)
    prepared.prepare(QTransform(), font)
    return prepared


class PreviewLayer:
    """The scene's previews: which cards show a value, and when they repaint."""

    def __init__(self, scene: CanvasScene) -> None:
        self._scene = scene
        self.enabled = True
        self._shown: set[str] = set()  # nodes whose card has a preview with a value
        self._due: set[str] = set()  # streaming values not painted yet

    def set_value(self, node_id: str, value: Any, live: bool) -> None:
        """Note ``node_id``'s value; a final one (``live`` False) paints at once,
        a streaming one on the next :meth:`flush`."""
        card = self._scene.node_item(node_id)
        if card is None:
            return
        if value is None:
            self._drop(node_id, card)
            return
        preview = card.preview
        if preview is None:
            preview = card.preview = PreviewItem(card, self._scene)
            preview.setVisible(self.enabled)
        preview.set_value(value, live)
        self._shown.add(node_id)
        if live:
            self._due.add(node_id)
        else:
            self._due.discard(node_id)
            preview.update()

    def flush(self) -> None:
        """Repaint the cards whose streaming value changed since the last flush."""
        if not self._due:
            return
        due, self._due = self._due, set()
        if not self.enabled:
            return
        for node_id in due:
            card = self._scene.node_item(node_id)
            if card is not None and card.preview is not None:
                card.preview.update()

    def clear(self) -> None:
        for node_id in list(self._shown):
            card = self._scene.node_item(node_id)
            if card is not None:
                self._drop(node_id, card)
        self._shown.clear()
        self._due.clear()

    def set_enabled(self, on: bool) -> None:
        self.enabled = on
        for node_id in self._shown:
            card = self._scene.node_item(node_id)
            if card is not None and card.preview is not None:
                card.preview.setVisible(on)

    def _drop(self, node_id: str, card: NodeItem) -> None:
        self._shown.discard(node_id)
        self._due.discard(node_id)
        if card.preview is not None:
            card.preview.set_value(None, False)
            card.preview.update()
