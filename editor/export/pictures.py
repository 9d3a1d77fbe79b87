"""Pictures of the canvas: PNG and SVG of the whole graph or of what is on screen.

Callable without any dialog (tests, a future CLI): pick the scene rectangle
with :func:`graph_area` or :func:`view_area`, then :func:`render_png` or
:func:`render_svg` return the file's bytes and :func:`export_picture` writes
them atomically. The picture is painted by the same items the canvas shows,
so it can never disagree with the screen; while it is painted the scene is
put in an export state (no selection ring, no pixmap caches so SVG gets real
vector paths and text, the detailed cards whenever they are large enough to
read) and put back exactly as it was afterwards.

Scale: 1x is one pixel per scene unit for the whole graph (the canvas at
100 % zoom) and one pixel per (logical) screen pixel for what is on screen; 2x and 3x
double and triple the pixels, for sharp pictures on high-density screens
and in slides.
"""

from __future__ import annotations

import math
import re
from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Literal

from PySide6.QtCore import (
    QBuffer,
    QByteArray,
    QIODevice,
    QPoint,
    QRect,
    QRectF,
    QSaveFile,
    QSize,
    QSizeF,
    Qt,
)
from PySide6.QtGui import QColor, QFont, QFontInfo, QImage, QPainter
from PySide6.QtSvg import QSvgGenerator
from PySide6.QtWidgets import QGraphicsItem

from editor.canvas.overview import FAR_ZOOM

if TYPE_CHECKING:
    from editor.canvas.scene import CanvasScene
    from editor.canvas.view import CanvasView

PictureFormat = Literal["png", "svg"]
PictureArea = Literal["graph", "view"]

PADDING = 24.0
"""Scene units of background around the whole graph (room for shadows and badges)."""
MIN_SCALE = 0.25
MAX_SCALE = 8.0
MAX_SIDE = 32_000
"""QPainter on a QImage works in 16.16 fixed point in places: keep sides below 32,767."""
MAX_PIXELS = 80_000_000
"""About 320 MB of pixels: a PNG bigger than this is a mistake, not a picture."""
NO_CACHE = QGraphicsItem.CacheMode.NoCache


class PictureError(Exception):
    """A picture that cannot be made or written; ``str()`` is ready to show a user."""


@dataclass(frozen=True, slots=True)
class PictureOptions:
    """What to export. ``transparent`` leaves the background out (the theme's
    canvas colour otherwise)."""

    format: PictureFormat = "png"
    area: PictureArea = "graph"
    scale: float = 1.0
    transparent: bool = False

    def __post_init__(self) -> None:
        if self.format not in ("png", "svg"):
            raise ValueError(f"unknown picture format {self.format!r}; use 'png' or 'svg'")
        if self.area not in ("graph", "view"):
            raise ValueError(f"unknown picture area {self.area!r}; use 'graph' or 'view'")
        if not (MIN_SCALE <= self.scale <= MAX_SCALE):
            raise ValueError(
                f"scale {self.scale!r} is out of range; use {MIN_SCALE} to {MAX_SCALE}"
            )


@dataclass(frozen=True, slots=True)
class PictureFrame:
    """The scene rectangle to paint and the pixel size it becomes."""

    source: QRectF
    size: QSize

    @property
    def pixels_per_unit(self) -> float:
        return self.size.width() / self.source.width() if self.source.width() else 1.0


# ------------------------------------------------------------------ areas
def graph_area(scene: CanvasScene, scale: float = 1.0) -> PictureFrame:
    """Every card and edge with :data:`PADDING` around, at ``scale`` pixels per unit.

    The rectangle is snapped to whole scene units, so the 2x picture is exactly
    twice the 1x one. Raises :class:`PictureError` for an empty graph.
    """
    rect = QRectF()
    for item in [*scene.node_items(), *scene.edge_items()]:
        if item.isVisible():
            rect = rect.united(item.sceneBoundingRect())
    if rect.isEmpty():
        raise PictureError("The graph is empty: add nodes before exporting a picture.")
    rect = rect.adjusted(-PADDING, -PADDING, PADDING, PADDING)
    left, top = math.floor(rect.left()), math.floor(rect.top())
    width, height = math.ceil(rect.right()) - left, math.ceil(rect.bottom()) - top
    size = QSize(max(1, round(width * scale)), max(1, round(height * scale)))
    return PictureFrame(QRectF(left, top, size.width() / scale, size.height() / scale), size)


def view_area(view: CanvasView, scale: float = 1.0) -> PictureFrame:
    """What the canvas shows now: the viewport's pixels times ``scale``."""
    viewport = view.viewport().rect()
    zoom = view.zoom()
    top_left = view.mapToScene(QPoint(0, 0))
    source = QRectF(top_left, QSizeF(viewport.width() / zoom, viewport.height() / zoom))
    size = QSize(max(1, round(viewport.width() * scale)), max(1, round(viewport.height() * scale)))
    return PictureFrame(source, size)


def picture_frame(view: CanvasView, options: PictureOptions) -> PictureFrame:
    if options.area == "view":
        return view_area(view, options.scale)
    return graph_area(view.canvas_scene, options.scale)


# ------------------------------------------------------------- rendering
def background_color(scene: CanvasScene) -> QColor:
    """The current theme's canvas colour (what the picture sits on)."""
    return QColor(scene.kit.theme.canvas_background)


def render_image(scene: CanvasScene, frame: PictureFrame, transparent: bool = False) -> QImage:
    """The frame painted into an ARGB image (transparent where there is no item
    when ``transparent``; the theme's canvas colour otherwise)."""
    size = frame.size
    if (
        size.width() > MAX_SIDE
        or size.height() > MAX_SIDE
        or size.width() * size.height() > MAX_PIXELS
    ):
        raise PictureError(
            f"The picture would be {size.width():,} × {size.height():,} pixels, too large for a PNG "
            f"(at most {MAX_SIDE:,} pixels a side and {MAX_PIXELS // 1_000_000} million in all). "
            "Choose a smaller scale, export what is on screen, or export SVG."
        )
    image = QImage(size, QImage.Format.Format_ARGB32_Premultiplied)
    if image.isNull():
        raise PictureError(
            f"Not enough memory for a {size.width():,} × {size.height():,} picture; choose a smaller scale."
        )
    image.fill(Qt.GlobalColor.transparent if transparent else background_color(scene))
    painter = QPainter(image)
    try:
        _paint(scene, painter, frame)
    finally:
        painter.end()
    return image


def render_png(scene: CanvasScene, frame: PictureFrame, transparent: bool = False) -> bytes:
    """PNG bytes of :func:`render_image`."""
    image = render_image(scene, frame, transparent)
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    if not image.save(buffer, "PNG"):
        raise PictureError("Qt could not encode the picture as PNG.")
    buffer.close()
    return bytes(data.data())


def render_svg(
    scene: CanvasScene,
    frame: PictureFrame,
    transparent: bool = False,
    title: str = "",
    description: str = "",
) -> bytes:
    """SVG bytes: the cards and edges as vector paths and their text as text."""
    data = QByteArray()
    buffer = QBuffer(data)
    buffer.open(QIODevice.OpenModeFlag.WriteOnly)
    generator = QSvgGenerator()
    generator.setOutputDevice(buffer)
    generator.setSize(frame.size)
    generator.setViewBox(QRect(QPoint(0, 0), frame.size))
    generator.setTitle(title or "Synalinks Canvas graph")
    generator.setDescription(description or "Exported by Synalinks Canvas")
    painter = QPainter()
    if not painter.begin(generator):
        raise PictureError("Qt could not start an SVG drawing.")
    try:
        if not transparent:
            painter.fillRect(QRectF(QPoint(0, 0), QSizeF(frame.size)), background_color(scene))
        _paint(scene, painter, frame)
    finally:
        painter.end()
    buffer.close()
    return portable_svg(bytes(data.data()), frame.size)


def portable_svg(svg: bytes, size: QSize) -> bytes:
    """QSvgGenerator's text, fixed to show the same everywhere.

    It writes the size in millimetres at 72 dpi (a 952-pixel picture becomes
    336 mm, which browsers show 1.33 times too large): the size becomes pixels.
    It writes Qt's font aliases (``Sans Serif``), which no browser knows, so the
    text would fall back to a serif face: each family becomes the font Qt
    actually drew with, then the CSS generic family.
    """
    text = svg.decode("utf-8")
    text = _SVG_SIZE.sub(f'<svg width="{size.width()}" height="{size.height()}"', text, count=1)
    families: dict[str, str] = {}

    def family(match: re.Match[str]) -> str:
        name = match.group(1)
        if name not in families:
            info = QFontInfo(QFont(name))
            generic = "monospace" if info.fixedPitch() else "sans-serif"
            resolved = info.family().replace("'", "").replace('"', "")
            families[name] = f"{resolved}, {generic}" if resolved else generic
        return f'font-family="{families[name]}"'

    return _SVG_FAMILY.sub(family, text).encode("utf-8")


_SVG_SIZE = re.compile(r'<svg width="[^"]*" height="[^"]*"')
_SVG_FAMILY = re.compile(r'font-family="([^"]*)"')


def _paint(scene: CanvasScene, painter: QPainter, frame: PictureFrame) -> None:
    painter.setRenderHints(
        QPainter.RenderHint.Antialiasing
        | QPainter.RenderHint.TextAntialiasing
        | QPainter.RenderHint.SmoothPixmapTransform
    )
    target = QRectF(QPoint(0, 0), QSizeF(frame.size))
    with export_state(scene, frame.pixels_per_unit):
        scene.render(painter, target, frame.source, Qt.AspectRatioMode.IgnoreAspectRatio)


@contextmanager
def export_state(scene: CanvasScene, pixels_per_unit: float) -> Iterator[None]:
    """The scene as a picture shows it, then exactly as it was.

    No selection (a picture is of the graph, not of the editing session), no
    pixmap caches (they would turn SVG cards into bitmaps), and the detailed
    cards unless they are too small to read at this size (then the zoomed-out
    overview, as on screen).
    """
    items = [*scene.node_items(), *scene.edge_items()]
    selected = [item for item in items if item.isSelected()]
    caches = {item: item.cacheMode() for item in items}
    was_far = scene.far
    blocked = scene.blockSignals(True)
    try:
        for item in selected:
            item.setSelected(False)
        for item in items:
            if caches[item] != NO_CACHE:
                item.setCacheMode(NO_CACHE)
        # Leaving and entering the zoomed-out mode makes the overview gather the
        # graph afresh (it keeps what it gathered, selection included).
        scene.set_far(False)
        scene.set_far(pixels_per_unit < FAR_ZOOM)
        yield
    finally:
        scene.set_far(False)
        scene.set_far(was_far)
        for item, mode in caches.items():
            if mode != NO_CACHE:
                item.setCacheMode(mode)
        for item in selected:
            item.setSelected(True)
        scene.blockSignals(blocked)


# ---------------------------------------------------------------- writing
def picture_bytes(view: CanvasView, options: PictureOptions, title: str = "") -> bytes:
    """The file content ``options`` describe, for the graph ``view`` shows."""
    scene = view.canvas_scene
    frame = picture_frame(view, options)
    if options.format == "svg":
        return render_svg(scene, frame, options.transparent, title)
    return render_png(scene, frame, options.transparent)


def write_bytes_atomically(path: str | Path, data: bytes) -> None:
    """Replace ``path`` with ``data`` through a temporary file renamed over it
    (QSaveFile): a failure leaves the old file, never half a new one."""
    path = Path(path)
    saver = QSaveFile(str(path))
    if not saver.open(QIODevice.OpenModeFlag.WriteOnly):
        raise PictureError(f"{path}: could not save: {saver.errorString()}")
    written = saver.write(QByteArray(data))
    if written != len(data):
        problem = saver.errorString()
        saver.cancelWriting()
        saver.commit()  # discards the temporary file
        raise PictureError(f"{path}: could not save: {problem}")
    if not saver.commit():
        raise PictureError(f"{path}: could not save: {saver.errorString()}")


def export_picture(
    view: CanvasView, path: str | Path, options: PictureOptions, title: str = ""
) -> int:
    """Render and write the picture atomically; return the number of bytes written.
    Raises :class:`PictureError` with a message ready to show."""
    data = picture_bytes(view, options, title)
    write_bytes_atomically(path, data)
    return len(data)
