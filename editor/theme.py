"""Light and dark themes shared by the canvas and every panel.

One :class:`Theme` holds every colour the editor paints with, so the canvas, the
docks and the run views agree, and switching theme at run time is one call per
consumer (``CanvasView.set_theme(theme)``, ``apply_to_application(app, theme)``).

Node-kind header colours come from ``NodeType.color`` (the registry stays the
one place a kind's identity lives) and are adjusted per theme by
:meth:`Theme.header_color`: a little deeper on light canvases so white titles
stay readable, a little muted on dark ones so cards do not glare.

Use::

    from editor.theme import system_theme, apply_to_application
    theme = system_theme()            # follows QStyleHints.colorScheme()
    apply_to_application(app, theme)  # palette for docks, menus, tooltips
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Literal

from PySide6.QtCore import QPointF, Qt
from PySide6.QtGui import (
    QColor,
    QGuiApplication,
    QIcon,
    QPainter,
    QPainterPath,
    QPalette,
    QPen,
    QPixmap,
)
from PySide6.QtWidgets import QApplication

ThemeName = Literal["light", "dark", "system"]
RUN_STATES: tuple[str, ...] = (
    "queued",
    "running",
    "done",
    "empty",  # finished with no value (None): a branch not taken reached it
    "failed",
    "skipped",
    "cancelled",
)


def _c(hex_color: str) -> QColor:
    return QColor(hex_color)


@dataclass(eq=False)
class Theme:
    """Every colour the editor paints with. Build one with :func:`light_theme`,
    :func:`dark_theme` or :func:`system_theme`; treat it as read-only."""

    name: str
    is_dark: bool
    # Application chrome (docks, panels, menus): turned into a QPalette.
    window: QColor
    window_text: QColor
    base: QColor
    alternate_base: QColor
    button: QColor
    border: QColor
    highlight: QColor
    highlighted_text: QColor
    link: QColor
    tooltip_base: QColor
    tooltip_text: QColor
    disabled_text: QColor
    # Canvas.
    canvas_background: QColor
    grid_minor: QColor
    grid_major: QColor
    card_fill: QColor
    card_border: QColor
    card_shadow: QColor
    card_divider: QColor
    text: QColor
    muted_text: QColor
    header_text: QColor
    selection: QColor
    hover: QColor
    port_colors: dict[str, QColor]
    edge_colors: dict[str, QColor]
    edge_selected: QColor
    edge_active: QColor
    wire_ok: QColor
    wire_refused: QColor
    error: QColor
    warning: QColor
    badge_text: QColor
    run_state_colors: dict[str, QColor]
    _headers: dict[str, QColor] = field(default_factory=dict, repr=False)

    # ------------------------------------------------------------- lookups
    def header_color(self, kind_color: str) -> QColor:
        """The card header colour for a node kind (``NodeType.color``), adjusted
        for this theme and cached (the canvas asks once per card)."""
        cached = self._headers.get(kind_color)
        if cached is None:
            base = QColor(kind_color)
            if not base.isValid():
                base = QColor("#6b7383")
            h, s, lightness, _a = base.getHslF()
            if self.is_dark:
                s, lightness = s * 0.78, min(lightness, 0.50) * 0.86
            else:
                lightness = min(lightness, 0.56) * 0.94
            cached = QColor.fromHslF(max(h, 0.0), min(s, 1.0), lightness)
            self._headers[kind_color] = cached
        return cached

    def port_color(self, role: str) -> QColor:
        return self.port_colors.get(role, self.port_colors["data"])

    def edge_color(self, role: str) -> QColor:
        return self.edge_colors.get(role, self.edge_colors["data"])

    def run_state_color(self, state: str) -> QColor:
        """Colour of a run state (queued, running, done, failed, skipped, cancelled)."""
        return self.run_state_colors.get(state, self.muted_text)


def light_theme() -> Theme:
    return Theme(
        name="light",
        is_dark=False,
        window=_c("#eef0f3"),
        window_text=_c("#1d2330"),
        base=_c("#ffffff"),
        alternate_base=_c("#f5f6f8"),
        button=_c("#f7f8fa"),
        border=_c("#cfd4dc"),
        highlight=_c("#2f6feb"),
        highlighted_text=_c("#ffffff"),
        link=_c("#2260d6"),
        tooltip_base=_c("#ffffff"),
        tooltip_text=_c("#1d2330"),
        disabled_text=_c("#9aa1ad"),
        canvas_background=_c("#f3f4f7"),
        grid_minor=_c("#eaecf0"),
        grid_major=_c("#e0e3e9"),
        card_fill=_c("#ffffff"),
        card_border=_c("#d3d8e0"),
        card_shadow=QColor(20, 30, 50, 28),
        card_divider=_c("#eceef2"),
        text=_c("#1d2330"),
        muted_text=_c("#6b7383"),
        header_text=_c("#ffffff"),
        selection=_c("#2f6feb"),
        hover=_c("#8fb2f5"),
        port_colors={"data": _c("#3f7fe0"), "branch": _c("#e0782f")},
        edge_colors={"data": _c("#98a2b5"), "branch": _c("#e39a63")},
        edge_selected=_c("#2f6feb"),
        edge_active=_c("#1aa260"),
        wire_ok=_c("#1aa260"),
        wire_refused=_c("#d93c3c"),
        error=_c("#d93c3c"),
        warning=_c("#e0a21b"),
        badge_text=_c("#ffffff"),
        run_state_colors={
            "queued": _c("#9aa3b5"),
            "running": _c("#2f6feb"),
            "done": _c("#1aa260"),
            "empty": _c("#7f8aa0"),
            "failed": _c("#d93c3c"),
            "skipped": _c("#b9bfca"),
            "cancelled": _c("#e0a21b"),
        },
    )


def dark_theme() -> Theme:
    return Theme(
        name="dark",
        is_dark=True,
        window=_c("#23262d"),
        window_text=_c("#e3e6ec"),
        base=_c("#2b2f37"),
        alternate_base=_c("#31353e"),
        button=_c("#2c3038"),
        border=_c("#3a3f4a"),
        highlight=_c("#3d7bf0"),
        highlighted_text=_c("#ffffff"),
        link=_c("#7aa9ff"),
        tooltip_base=_c("#2c3038"),
        tooltip_text=_c("#e3e6ec"),
        disabled_text=_c("#6c7380"),
        canvas_background=_c("#181a1f"),
        grid_minor=_c("#1e2026"),
        grid_major=_c("#262930"),
        card_fill=_c("#262a31"),
        card_border=_c("#3a3f4a"),
        card_shadow=QColor(0, 0, 0, 90),
        card_divider=_c("#30343c"),
        text=_c("#e6e9ef"),
        muted_text=_c("#99a1af"),
        header_text=_c("#ffffff"),
        selection=_c("#5b9bff"),
        hover=_c("#4a6fae"),
        port_colors={"data": _c("#6aa1ff"), "branch": _c("#f29a5c")},
        edge_colors={"data": _c("#6c7588"), "branch": _c("#c98252")},
        edge_selected=_c("#5b9bff"),
        edge_active=_c("#3ccf7f"),
        wire_ok=_c("#3ccf7f"),
        wire_refused=_c("#ff6b6b"),
        error=_c("#f05252"),
        warning=_c("#f0b429"),
        badge_text=_c("#ffffff"),
        run_state_colors={
            "queued": _c("#7d8597"),
            "running": _c("#5b9bff"),
            "done": _c("#3ccf7f"),
            "empty": _c("#8e98ab"),
            "failed": _c("#ff6b6b"),
            "skipped": _c("#5d6472"),
            "cancelled": _c("#f0b429"),
        },
    )


def system_theme() -> Theme:
    """The theme matching the desktop's colour scheme (light when unknown)."""
    app = QGuiApplication.instance()
    if app is not None and QGuiApplication.styleHints().colorScheme() == Qt.ColorScheme.Dark:
        return dark_theme()
    return light_theme()


def theme_by_name(name: ThemeName | str) -> Theme:
    """``"light"``, ``"dark"`` or ``"system"`` (what a settings file stores)."""
    if name == "dark":
        return dark_theme()
    if name == "light":
        return light_theme()
    if name == "system":
        return system_theme()
    raise ValueError(f"unknown theme {name!r}; use 'light', 'dark' or 'system'")


def palette_for(theme: Theme) -> QPalette:
    """A QPalette with every role set from ``theme`` (all colour groups)."""
    pal = QPalette()
    roles = {
        QPalette.ColorRole.Window: theme.window,
        QPalette.ColorRole.WindowText: theme.window_text,
        QPalette.ColorRole.Base: theme.base,
        QPalette.ColorRole.AlternateBase: theme.alternate_base,
        QPalette.ColorRole.ToolTipBase: theme.tooltip_base,
        QPalette.ColorRole.ToolTipText: theme.tooltip_text,
        QPalette.ColorRole.PlaceholderText: theme.muted_text,
        QPalette.ColorRole.Text: theme.window_text,
        QPalette.ColorRole.Button: theme.button,
        QPalette.ColorRole.ButtonText: theme.window_text,
        QPalette.ColorRole.BrightText: theme.error,
        QPalette.ColorRole.Highlight: theme.highlight,
        QPalette.ColorRole.HighlightedText: theme.highlighted_text,
        QPalette.ColorRole.Link: theme.link,
        QPalette.ColorRole.LinkVisited: theme.link,
        QPalette.ColorRole.Light: theme.button.lighter(125),
        QPalette.ColorRole.Midlight: theme.button.lighter(110),
        QPalette.ColorRole.Mid: theme.border,
        QPalette.ColorRole.Dark: theme.border.darker(130),
        QPalette.ColorRole.Shadow: QColor(0, 0, 0, 160 if theme.is_dark else 80),
    }
    for role, color in roles.items():
        pal.setColor(role, color)
    for role in (
        QPalette.ColorRole.WindowText,
        QPalette.ColorRole.Text,
        QPalette.ColorRole.ButtonText,
    ):
        pal.setColor(QPalette.ColorGroup.Disabled, role, theme.disabled_text)
    pal.setColor(QPalette.ColorGroup.Disabled, QPalette.ColorRole.Highlight, theme.border)
    pal.setColor(QPalette.ColorGroup.Inactive, QPalette.ColorRole.Highlight, theme.highlight)
    return pal


def menu_palette_for(theme: Theme) -> QPalette:
    """Menus as lifted surfaces. Fusion paints a menu on the Base colour and frames
    it with Window darkened; in a dark theme both sit close to the dark canvas and
    panels, so menus (the menu bar's and the canvas's right-click ones) melt into
    them. The card colour and a border-coloured frame set them off as cards are."""
    palette = palette_for(theme)
    if theme.is_dark:
        for group in (QPalette.ColorGroup.Active, QPalette.ColorGroup.Inactive):
            palette.setColor(group, QPalette.ColorRole.Base, theme.card_fill)
            palette.setColor(group, QPalette.ColorRole.Window, theme.border.lighter(150))
    return palette


def apply_to_application(app: QApplication, theme: Theme, fusion: bool = True) -> None:
    """Give the whole application ``theme``'s palette so docks and panels match
    the canvas. ``fusion`` switches to the Fusion style, the one style that
    honours a custom palette on every platform."""
    if fusion and app.style().name().lower() != "fusion":
        app.setStyle("Fusion")
    app.setPalette(palette_for(theme))
    app.setPalette(menu_palette_for(theme), "QMenu")
    app.setProperty("synalinksTheme", theme.name)


def arrow_icon(theme: Theme, back: bool) -> QIcon:
    """An undo (``back``) or redo arrow drawn in ``theme``'s text colours.

    The style's standard arrows are dark pixmaps that Fusion greys further when
    disabled: on a dark toolbar a disabled Undo vanished. Drawing the arrow in the
    theme's own text and disabled-text colours keeps both states visible."""
    icon = QIcon()
    for mode, color in (
        (QIcon.Mode.Normal, theme.window_text),
        (QIcon.Mode.Active, theme.window_text),
        (QIcon.Mode.Selected, theme.highlighted_text),
        (QIcon.Mode.Disabled, theme.disabled_text),
    ):
        for size in (16, 24, 32):
            icon.addPixmap(_arrow_pixmap(size, color, back), mode)
    return icon


def _arrow_pixmap(size: int, color: QColor, back: bool) -> QPixmap:
    pixmap = QPixmap(size, size)
    pixmap.fill(Qt.GlobalColor.transparent)
    painter = QPainter(pixmap)
    painter.setRenderHint(QPainter.RenderHint.Antialiasing)
    pen = QPen(color, max(1.5, size / 10.0))
    pen.setCapStyle(Qt.PenCapStyle.RoundCap)
    pen.setJoinStyle(Qt.PenJoinStyle.RoundJoin)
    painter.setPen(pen)
    if not back:  # redo is undo mirrored
        painter.translate(size, 0)
        painter.scale(-1, 1)
    u = size / 16.0
    path = QPainterPath(QPointF(3 * u, 6 * u))  # a hook: left, then round down
    path.lineTo(10 * u, 6 * u)
    path.cubicTo(QPointF(14.5 * u, 6 * u), QPointF(14.5 * u, 13 * u), QPointF(10 * u, 13 * u))
    path.lineTo(6 * u, 13 * u)
    painter.drawPath(path)
    head = QPainterPath(QPointF(6 * u, 3 * u))
    head.lineTo(3 * u, 6 * u)
    head.lineTo(6 * u, 9 * u)
    painter.drawPath(head)
    painter.end()
    return pixmap
