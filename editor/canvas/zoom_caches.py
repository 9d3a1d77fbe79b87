"""Which picture each item is drawn from, as the zoom changes and settles.

A card or edge painted anew at every step of a zoom costs more than the step
allows, and a device-pixel cache would be remade at every step too. So while
the zoom changes, the cards and edges in view are drawn from a picture of each
made once at 1:1 and scaled (Qt's item-coordinate cache); zoomed out, the
overview item is one picture of the whole graph, scaled. Once the zoom has been
still for ``SETTLE_MS`` everything returns to a crisp device cache, so panning
blits. The view calls :meth:`ZoomCaches.painting` before each paint.
"""

from __future__ import annotations

from typing import TYPE_CHECKING

import shiboken6
from PySide6.QtCore import QObject, QTimer
from PySide6.QtWidgets import QGraphicsItem

from editor.canvas.edge_item import EdgeItem
from editor.canvas.node_item import NodeItem

if TYPE_CHECKING:
    from PySide6.QtWidgets import QGraphicsView

    from editor.canvas.scene import CanvasScene

SETTLE_MS = 250
DEVICE_CACHE = QGraphicsItem.CacheMode.DeviceCoordinateCache
ITEM_CACHE = QGraphicsItem.CacheMode.ItemCoordinateCache
NO_CACHE = QGraphicsItem.CacheMode.NoCache


class ZoomCaches(QObject):
    def __init__(self, view: QGraphicsView, scene: CanvasScene) -> None:
        super().__init__(view)
        self.view, self.scene = view, scene
        self._painted_zoom: float | None = None
        self._scaled: set[QGraphicsItem] = set()  # items drawn from a scaled picture now
        self._idle = QTimer(self)
        self._idle.setSingleShot(True)
        self._idle.setInterval(SETTLE_MS)
        self._idle.timeout.connect(self.settled)

    def painting(self, zoom: float) -> None:
        """A paint at ``zoom`` is about to happen."""
        if zoom == self._painted_zoom:
            return
        if self._painted_zoom is None:
            self._idle.start()  # the first paint: settle into the caches soon
        else:
            self.zooming()
        self._painted_zoom = zoom

    def zooming(self) -> None:
        self._idle.start()
        if self.scene.far:
            # Cards and edges paint nothing zoomed out: only the overview changes.
            overview = self.scene.overview
            overview.setCacheMode(NO_CACHE)
            overview.set_picture_mode(True)
            return
        view = self.view
        visible = view.mapToScene(view.viewport().rect()).boundingRect()
        for item in self.scene.items(visible):
            if item not in self._scaled and isinstance(item, (NodeItem, EdgeItem)):
                item.setCacheMode(ITEM_CACHE)
                self._scaled.add(item)

    def settled(self) -> None:
        overview = self.scene.overview
        overview.set_picture_mode(False)
        if self.scene.far:
            overview.setCacheMode(DEVICE_CACHE)
        items, self._scaled = self._scaled, set()
        for item in items:
            if shiboken6.isValid(item) and item.scene() is self.scene:
                item.setCacheMode(DEVICE_CACHE)
