"""A read-only text view that grows by appending, for text that streams in.

Streaming answers only ever grow at the end: the field being written gets
longer, then the next field starts. :class:`StreamText` compares what it shows
with what it should show and, when the new content extends the old, inserts
just the new characters at the end (no rebuild, no layout of the whole text,
no jump). Anything else (a retry starting over, a value that changed in the
middle) is rebuilt in one go. The view follows the end while the reader is
at the bottom, and stays put when they scrolled up to read.
"""

from __future__ import annotations

import json
from typing import Any

from PySide6.QtGui import QFont, QPalette, QTextCharFormat, QTextCursor, QTextOption
from PySide6.QtWidgets import QFrame, QPlainTextEdit, QWidget

Block = tuple[str | None, str]
"""A heading (a field name, or None) and the text under it."""

_FOLLOW_SLACK = 6  # pixels from the bottom that still count as "at the bottom"


def value_text(value: Any) -> str:
    """How one field's value reads: strings as they are, the rest as JSON."""
    if isinstance(value, str):
        return value
    if value is None:
        return ""
    return json.dumps(value, indent=2, ensure_ascii=False, default=str)


def blocks_for(value: Any) -> list[Block]:
    """An object's fields in order as headed blocks; anything else as one block."""
    if isinstance(value, dict):
        return [(str(key), value_text(item)) for key, item in value.items()]
    if value is None:
        return []
    return [(None, value_text(value))]


class StreamText(QPlainTextEdit):
    """Shows headed blocks (:meth:`show_blocks`) or plain text (:meth:`show_text`)."""

    def __init__(self, parent: QWidget | None = None, *, monospace: bool = False) -> None:
        super().__init__(parent)
        self.setReadOnly(True)
        self.setFrameShape(QFrame.Shape.NoFrame)
        self.setWordWrapMode(QTextOption.WrapMode.WrapAtWordBoundaryOrAnywhere)
        self.setUndoRedoEnabled(False)
        self.document().setDocumentMargin(8)
        if monospace:
            font = QFont("monospace")
            font.setStyleHint(QFont.StyleHint.Monospace)
            font.setPointSizeF(max(8.0, self.font().pointSizeF() - 0.5))
            self.setFont(font)
        self._blocks: list[Block] = []
        self._text = ""
        self._mode = ""  # "blocks" or "text"
        self._cursor: QTextCursor | None = None

    # ------------------------------------------------------------------ API
    def shown_text(self) -> str:
        """Exactly what the view displays (for tests and copy)."""
        return self.toPlainText()

    def show_text(self, text: str) -> None:
        """Plain text; appended when it extends what is shown."""
        if self._mode == "text" and text == self._text:
            return
        if self._mode == "text" and text.startswith(self._text) and self._text:
            self._append(text[len(self._text) :], self._body_format())
        else:
            self._rebuild(lambda cursor: cursor.insertText(text, self._body_format()))
        self._mode, self._text, self._blocks = "text", text, []

    def show_blocks(self, blocks: list[Block]) -> None:
        """Headed blocks; the last block's growth and new blocks are appended."""
        if self._mode == "blocks" and blocks == self._blocks:
            return
        if self._mode == "blocks" and self._extends(blocks):
            self._append_blocks(blocks)
        else:
            self._rebuild(lambda cursor: self._insert_blocks(cursor, blocks, first=True))
        self._mode, self._blocks, self._text = "blocks", list(blocks), ""

    def clear_content(self, placeholder: str = "") -> None:
        if self._mode == "" and self.placeholderText() == placeholder and self.document().isEmpty():
            return
        self._mode, self._blocks, self._text = "", [], ""
        self._cursor = None
        self.setPlaceholderText(placeholder)
        self.clear()

    # ------------------------------------------------------------ internals
    def _extends(self, blocks: list[Block]) -> bool:
        old = self._blocks
        if not old or len(blocks) < len(old):
            return False
        if blocks[: len(old) - 1] != old[:-1]:
            return False
        heading, body = blocks[len(old) - 1]
        return heading == old[-1][0] and body.startswith(old[-1][1])

    def _append_blocks(self, blocks: list[Block]) -> None:
        old = self._blocks
        last = len(old) - 1
        grown = blocks[last][1][len(old[last][1]) :]
        follow = self._at_bottom()
        cursor = self._end_cursor()
        if len(blocks) > len(old):
            cursor.beginEditBlock()
            if grown:
                cursor.insertText(grown, self._body_format())
            self._insert_blocks(cursor, blocks[len(old) :], first=False)
            cursor.endEditBlock()
        elif grown:
            cursor.insertText(grown, self._body_format())
        self._follow(follow)

    def _end_cursor(self) -> QTextCursor:
        """A cursor kept at the end of the text (inserting through it keeps it
        there), so appending never searches for the end."""
        cursor = self._cursor
        if cursor is None or cursor.document() is not self.document():
            cursor = QTextCursor(self.document())
            cursor.movePosition(QTextCursor.MoveOperation.End)
            self._cursor = cursor
        return cursor

    def _insert_blocks(self, cursor: QTextCursor, blocks: list[Block], *, first: bool) -> None:
        heading_format = self._heading_format()
        body = self._body_format()
        for index, (heading, text) in enumerate(blocks):
            if not (first and index == 0):
                cursor.insertBlock()
                cursor.insertBlock()
            if heading is not None:
                cursor.insertText(heading, heading_format)
                cursor.insertBlock()
            cursor.insertText(text, body)

    def _append(self, text: str, fmt: QTextCharFormat) -> None:
        follow = self._at_bottom()
        self._end_cursor().insertText(text, fmt)
        self._follow(follow)

    def _rebuild(self, fill) -> None:
        bar = self.verticalScrollBar()
        follow = self._at_bottom()
        position = bar.value()
        self.clear()
        cursor = QTextCursor(self.document())
        cursor.beginEditBlock()
        fill(cursor)
        cursor.endEditBlock()
        self._cursor = cursor  # at the end of what was just written
        if follow:
            self._follow(True)
        else:
            bar.setValue(min(position, bar.maximum()))

    def _at_bottom(self) -> bool:
        bar = self.verticalScrollBar()
        return bar.value() >= bar.maximum() - _FOLLOW_SLACK

    def _follow(self, follow: bool) -> None:
        if follow:
            bar = self.verticalScrollBar()
            bar.setValue(bar.maximum())

    def _body_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setForeground(self.palette().color(QPalette.ColorRole.Text))
        return fmt

    def _heading_format(self) -> QTextCharFormat:
        fmt = QTextCharFormat()
        fmt.setFontWeight(QFont.Weight.DemiBold)
        fmt.setFontCapitalization(QFont.Capitalization.AllUppercase)
        fmt.setFontLetterSpacing(104.0)
        size = self.font().pointSizeF()
        if size > 0:
            fmt.setFontPointSize(max(7.0, size - 1.5))
        fmt.setForeground(self.palette().color(QPalette.ColorRole.PlaceholderText))
        return fmt

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (
            event.Type.PaletteChange,
            event.Type.ApplicationPaletteChange,
        ) and hasattr(self, "_mode"):
            # Colours are baked into the text formats: draw again in the new theme.
            blocks, text, mode = self._blocks, self._text, self._mode
            self._mode = ""
            if mode == "blocks":
                self.show_blocks(blocks)
            elif mode == "text":
                self.show_text(text)
