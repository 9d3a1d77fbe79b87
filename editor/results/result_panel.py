"""One node's result in one run: streaming text, fields filling in, final JSON.

A panel shows a :class:`~editor.results.panel_content.PanelContent` and is
told again whenever the run record changed; it updates incrementally (the
text views append, labels change only when their text does), so dozens of
panels streaming at once stay cheap. Three pages:

- **Fields**: the data model's fields as they parse from the partial JSON
  (for the seed: ``thinking`` fills in, then ``answer``), then the final object;
- **Raw**: the model's text exactly as it streamed (kept when the answer failed);
- **JSON**: the final value as pretty JSON (a copy button sits by the state chip);
- **Prompt**: the messages and response format sent to the model, and its raw
  answer, per attempt (:mod:`editor.results.prompt_page`).

A failure shows the provider's message above the text (and switches to the
raw text when there is some); a node that needs an API key offers the
provider settings.
"""

from __future__ import annotations

import html
from collections.abc import Callable

from PySide6.QtCore import QRectF, QSize, Qt, Signal
from PySide6.QtGui import QColor, QFont, QFontMetrics, QGuiApplication, QPainter, QPalette, QPen
from PySide6.QtWidgets import (
    QFrame,
    QHBoxLayout,
    QLabel,
    QSizePolicy,
    QStackedWidget,
    QTabBar,
    QToolButton,
    QVBoxLayout,
    QWidget,
)

from editor.canvas.run_state import state_label
from editor.results.elided_label import ElidedLabel
from editor.results.formatting import stats_text
from editor.results.panel_content import PanelContent
from editor.results.stream_text import StreamText, blocks_for
from editor.theme import Theme

PAGES = ("Fields", "Raw", "JSON", "Prompt")
PLACEHOLDERS = {
    "Raw": "The model's text as it streams.",
    "JSON": "The final value appears here when the node is done.",
    "Prompt": "The messages sent to the model appear here when the node starts.",
}


class StateChip(QWidget):
    """``● running``: a small rounded tag in the state's colour, painted directly
    (a style sheet per chip would cost more than the rest of the panel)."""

    def __init__(self, theme: Callable[[], Theme], parent: QWidget | None = None) -> None:
        super().__init__(parent)
        self._theme = theme
        self._state = ""
        self._text = ""
        self._font = QFont(self.font())
        self._font.setWeight(QFont.Weight.DemiBold)
        self.setSizePolicy(QSizePolicy.Policy.Fixed, QSizePolicy.Policy.Fixed)
        self.set_state("waiting")

    @property
    def state(self) -> str:
        return self._state

    def text(self) -> str:
        return self._text

    def set_state(self, state: str, force: bool = False) -> None:
        if state == self._state and not force:
            return
        self._state = state
        self._text = state_label(state)
        self.updateGeometry()
        self.update()

    def sizeHint(self) -> QSize:  # noqa: N802 (Qt override)
        metrics = QFontMetrics(self._font)
        width = max(
            metrics.horizontalAdvance(state_label("cancelled")),
            metrics.horizontalAdvance(self._text),
        )
        return QSize(width + 18, metrics.height() + 4)

    def paintEvent(self, event) -> None:  # noqa: N802 (Qt override)
        theme = self._theme()
        color = theme.run_state_color(self._state) if self._state != "waiting" else theme.muted_text
        fill = QColor(color)
        fill.setAlpha(46 if theme.is_dark else 30)
        painter = QPainter(self)
        painter.setRenderHint(QPainter.RenderHint.Antialiasing)
        rect = QRectF(self.rect()).adjusted(0.5, 0.5, -0.5, -0.5)
        painter.setPen(QPen(color, 1))
        painter.setBrush(fill)
        painter.drawRoundedRect(rect, rect.height() / 2, rect.height() / 2)
        painter.setPen(color.lighter(125) if theme.is_dark else color.darker(125))
        painter.setFont(self._font)
        painter.drawText(rect, int(Qt.AlignmentFlag.AlignCenter), self._text)


class ResultPanel(QFrame):
    """A titled panel for one node's result (see the module docstring)."""

    settingsRequested = Signal()
    copied = Signal(str)

    def __init__(
        self, title: str, subtitle: str, theme: Callable[[], Theme], parent: QWidget | None = None
    ) -> None:
        super().__init__(parent)
        self._theme = theme
        self.content = PanelContent()
        self._page_dirty = dict.fromkeys(PAGES, True)
        self._failure_shown = False
        self.setObjectName("resultPanel")
        self.setFrameShape(QFrame.Shape.StyledPanel)
        self.setAutoFillBackground(True)
        self.setBackgroundRole(QPalette.ColorRole.Base)

        self.title_label = ElidedLabel(title, self)
        font = self.title_label.font()
        font.setBold(True)
        self.title_label.setFont(font)
        self.chip = StateChip(theme, self)
        self.subtitle_label = ElidedLabel(subtitle, self, muted=True)
        self.stats_label = QLabel(self)
        self.stats_label.setForegroundRole(QPalette.ColorRole.PlaceholderText)
        self.stats_label.setAlignment(Qt.AlignmentFlag.AlignRight | Qt.AlignmentFlag.AlignVCenter)
        self.pages = QTabBar(self)
        self.pages.setDocumentMode(True)
        self.pages.setDrawBase(False)
        self.pages.setExpanding(False)
        self.pages.setUsesScrollButtons(False)  # narrow panels: smaller tabs, never arrows
        for page in PAGES:
            self.pages.addTab(page)
        self.pages.currentChanged.connect(self._page_changed)
        self.copy_button = QToolButton(self)
        self.copy_button.setText("Copy")
        self.copy_button.setToolTip("Copy the final value as JSON")
        self.copy_button.setAutoRaise(True)
        self.copy_button.setEnabled(False)
        self.copy_button.clicked.connect(self.copy_json)
        self.message_label = QLabel(self)
        self.message_label.setWordWrap(True)
        self.message_label.setTextFormat(
            Qt.TextFormat.RichText
        )  # escaped text, maybe a settings link
        self.message_label.setTextInteractionFlags(
            Qt.TextInteractionFlag.TextSelectableByMouse
            | Qt.TextInteractionFlag.LinksAccessibleByMouse
        )
        self.message_label.linkActivated.connect(lambda _link: self.settingsRequested.emit())
        self.message_label.hide()
        self.fields_view = StreamText(self)
        self._views: dict[str, StreamText] = {"Fields": self.fields_view}
        self.stack = QStackedWidget(self)
        self.stack.addWidget(self.fields_view)
        for _page in PAGES[1:]:
            self.stack.addWidget(QWidget(self.stack))  # built when first shown

        header = QWidget(self)
        header.setAutoFillBackground(True)
        header.setBackgroundRole(QPalette.ColorRole.Window)
        top = QHBoxLayout()
        top.setContentsMargins(0, 0, 0, 0)
        top.addWidget(self.title_label, 1)
        top.addWidget(self.chip)
        # Up here, not after the page tabs: four tabs take a narrow panel's width.
        top.addWidget(self.copy_button)
        middle = QHBoxLayout()
        middle.setContentsMargins(0, 0, 0, 0)
        middle.addWidget(self.subtitle_label, 1)
        middle.addWidget(self.stats_label)
        bottom = QHBoxLayout()
        bottom.setContentsMargins(0, 0, 0, 0)
        bottom.addWidget(self.pages)
        bottom.addStretch(1)
        header_layout = QVBoxLayout(header)
        header_layout.setContentsMargins(10, 7, 8, 0)
        header_layout.setSpacing(3)
        header_layout.addLayout(top)
        header_layout.addLayout(middle)
        header_layout.addLayout(bottom)
        layout = QVBoxLayout(self)
        layout.setContentsMargins(1, 1, 1, 1)
        layout.setSpacing(0)
        layout.addWidget(header)
        layout.addWidget(self.message_label)
        layout.addWidget(self.stack, 1)
        self.reset()

    # -------------------------------------------------------------- heading
    def set_heading(self, title: str, subtitle: str) -> None:
        self.title_label.setText(title)
        self._subtitle = subtitle
        self.subtitle_label.setText(subtitle)

    # -------------------------------------------------------------- content
    def reset(self, placeholder: str = "Waiting for the run to reach this node…") -> None:
        """Empty, waiting for a run."""
        self.content = PanelContent()
        self._failure_shown = False
        self.fields_view.clear_content(placeholder)
        for page, view in self._views.items():
            if page != "Fields":
                view.clear_content(PLACEHOLDERS[page])
        self._page_dirty = dict.fromkeys(PAGES, False)
        self.chip.set_state("waiting")
        self.stats_label.setText("")
        self.copy_button.setEnabled(False)
        self._set_message("", "")

    def show_content(self, content: PanelContent, render: bool = True) -> None:
        """Show ``content`` (called again on every change; cheap when little changed).
        ``render=False`` updates the header only and leaves the text for
        :meth:`render_pending` (a panel scrolled out of sight)."""
        previous = self.content
        self.content = content
        self.chip.set_state(content.state)
        if content.model != previous.model:
            base = getattr(self, "_subtitle", "")
            self.subtitle_label.setText(
                f"{base} \u00b7 {content.model}" if content.model and base else base
            )
        stats = stats_text(content.elapsed, content.tokens_in, content.tokens_out, content.cost)
        if stats != self.stats_label.text():
            self.stats_label.setText(stats)
        self.copy_button.setEnabled(content.has_final)
        if (content.message, content.message_kind, content.error_kind) != (
            previous.message,
            previous.message_kind,
            previous.error_kind,
        ):
            self._set_message(content.message, content.message_kind, content.error_kind)
        if (
            content.live_value != previous.live_value
            or content.has_final != previous.has_final
            or content.state != previous.state
        ):
            self._page_dirty["Fields"] = True
        if content.raw != previous.raw:
            self._page_dirty["Raw"] = True
        if content.has_final != previous.has_final or content.final != previous.final:
            self._page_dirty["JSON"] = True
        if (content.prompt_sig, content.state, content.cached) != (
            previous.prompt_sig,
            previous.state,
            previous.cached,
        ):
            self._page_dirty["Prompt"] = True
        if content.state == "failed" and content.raw and not self._failure_shown:
            self._failure_shown = True
            self.pages.setCurrentIndex(PAGES.index("Raw"))
        if render:
            self._render_current()

    def copy_json(self) -> None:
        if self.content.has_final:
            text = self.content.final_json()
            QGuiApplication.clipboard().setText(text)
            self.copied.emit(text)

    # ---------------------------------------------------------------- tests
    def displayed_text(self) -> str:
        """What the Fields page shows now (rendered even when another page is up)."""
        self._render("Fields")
        return self.fields_view.shown_text()

    def displayed_json(self) -> str:
        self._render("JSON")
        return self.json_view.shown_text()

    def displayed_raw(self) -> str:
        self._render("Raw")
        return self.raw_view.shown_text()

    def displayed_prompt(self) -> str:
        """What the Prompt page shows now (its text, or the sentence saying why it is empty)."""
        self._render("Prompt")
        view = self.view("Prompt")
        return view.shown_text() or view.placeholderText()

    # ------------------------------------------------------------ internals
    @property
    def raw_view(self) -> StreamText:
        return self.view("Raw")

    @property
    def json_view(self) -> StreamText:
        return self.view("JSON")

    def view(self, page: str) -> StreamText:
        """A page's text view, built on first use (most panels never show two of them)."""
        view = self._views.get(page)
        if view is None:
            view = StreamText(self.stack, monospace=True)
            view.clear_content(PLACEHOLDERS[page])
            index = PAGES.index(page)
            current = self.stack.currentIndex()
            placeholder = self.stack.widget(index)
            self.stack.insertWidget(index, view)
            self.stack.removeWidget(placeholder)
            placeholder.deleteLater()
            self.stack.setCurrentIndex(current)
            self._views[page] = view
        return view

    def render_pending(self) -> None:
        """Bring the shown page up to date (after :meth:`show_content` with ``render=False``)."""
        self._render_current()

    def _page_changed(self, index: int) -> None:
        self.view(PAGES[index])
        self.stack.setCurrentIndex(index)
        self._render_current()

    def _render_current(self) -> None:
        self._render(PAGES[self.pages.currentIndex()])

    def _render(self, page: str) -> None:
        """Bring one page up to date (hidden pages wait until they are shown)."""
        if not self._page_dirty.get(page):
            return
        self._page_dirty[page] = False
        content = self.content
        if page == "Fields":
            value = content.live_value
            if value is None and content.state != "done":
                self.fields_view.clear_content(_placeholder(content))
                return
            self.fields_view.show_blocks(blocks_for(value) or [(None, "null")])
        elif page == "Raw":
            self.raw_view.show_text(content.raw)
        elif page == "Prompt":
            from editor.results.prompt_page import prompt_placeholder, prompt_text

            view = self.view("Prompt")
            if content.prompts:
                opening = not view.shown_text()
                view.show_text(prompt_text(content.prompts))
                if opening:  # read from the instructions down, not from the answer's end
                    view.verticalScrollBar().setValue(0)
            else:
                view.clear_content(
                    prompt_placeholder(
                        content.state,
                        content.cached,
                        content.model,
                        content.backend,
                        pinned=content.pinned,
                        reused_from=content.reused_from,
                    )
                )
        else:
            if content.has_final:
                self.json_view.show_text(content.final_json())
            else:
                self.json_view.clear_content(PLACEHOLDERS["JSON"])

    def _set_message(self, message: str, kind: str, error_kind: str | None = None) -> None:
        if not message:
            self.message_label.hide()
            self.message_label.clear()
            return
        theme = self._theme()
        color = {"error": theme.error, "warning": theme.warning}.get(kind, theme.muted_text)
        fill = QColor(color)
        fill.setAlpha(34 if theme.is_dark else 22)
        text = html.escape(message)
        if error_kind == "missing_api_key":
            text += " <a href='settings'>Add the key in Settings…</a>"
        self.message_label.setText(text)
        self.message_label.setStyleSheet(
            f"QLabel {{ background: rgba({fill.red()},{fill.green()},{fill.blue()},{fill.alpha()});"
            f" border-left: 3px solid {color.name()}; padding: 5px 8px; }}"
        )
        self.message_label.show()

    def changeEvent(self, event) -> None:  # noqa: N802 (Qt override)
        super().changeEvent(event)
        if event.type() in (
            event.Type.PaletteChange,
            event.Type.ApplicationPaletteChange,
        ) and hasattr(self, "message_label"):
            self.chip.set_state(self.chip.state, force=True)
            content = self.content
            self._set_message(content.message, content.message_kind, content.error_kind)


def _placeholder(content: PanelContent) -> str:
    """What an empty Fields page says, by state."""
    if content.state == "running":
        return (
            "Receiving… the fields appear as they parse."
            if content.raw
            else "Waiting for the first token…"
        )
    return {
        "queued": "Queued: waiting for a model slot…",
        "failed": "No usable answer (see the message above).",
        "skipped": "Not run.",
        "cancelled": "Cancelled before any answer.",
    }.get(content.state, "Waiting for the run to reach this node…")
