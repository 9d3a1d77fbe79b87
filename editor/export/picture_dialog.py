"""File → Export → Picture…: choose format, area, scale and background, then save.

The dialog only gathers :class:`~editor.export.pictures.PictureOptions` and
shows what they give (the size in pixels and a small preview); the picture
itself is made by :mod:`editor.export.pictures`, the same code tests and a
command line use.
"""

from __future__ import annotations

from pathlib import Path
from typing import TYPE_CHECKING

from PySide6.QtCore import QSize, Qt, Signal
from PySide6.QtGui import QColor, QImage, QPainter, QPixmap
from PySide6.QtWidgets import (
    QButtonGroup,
    QCheckBox,
    QDialog,
    QDialogButtonBox,
    QDoubleSpinBox,
    QFileDialog,
    QFormLayout,
    QFrame,
    QHBoxLayout,
    QLabel,
    QMessageBox,
    QRadioButton,
    QVBoxLayout,
    QWidget,
)

from editor.canvas.node_item import TEXT_LOD
from editor.export.pictures import (
    MAX_SCALE,
    MIN_SCALE,
    PictureError,
    PictureFrame,
    PictureOptions,
    export_picture,
    graph_area,
    picture_frame,
    render_image,
    view_area,
)
from editor.export.text_preview import safe_file_stem

if TYPE_CHECKING:
    from editor.canvas.view import CanvasView

PRESET_SCALES = (1.0, 2.0, 3.0)
PREVIEW_SIZE = QSize(420, 220)
SHARP_PREVIEW_PPU = TEXT_LOD + 0.05
"""Below this many pixels per unit the cards leave out their text (and further
down become flat shapes); the preview is rendered at least this large, then
scaled down, so it shows the cards the exported picture will have (a margin
above the threshold: rounding puts some cards on either side of it)."""
MAX_PREVIEW_RENDER = 3000
"""Longest side of that sharper rendering (larger graphs preview as flat shapes)."""
FILTERS = {"png": "PNG images (*.png)", "svg": "SVG drawings (*.svg)"}


class PictureDialog(QDialog):
    exported = Signal(str)  # a sentence for the status bar

    def __init__(
        self,
        view: CanvasView,
        graph_name: str,
        folder: Path,
        parent: QWidget | None = None,
        initial: PictureOptions | None = None,
    ) -> None:
        super().__init__(parent)
        self.setObjectName("pictureExportDialog")
        self.setWindowTitle("Export Picture")
        self.view = view
        self.graph_name = graph_name
        self.folder = folder
        self.exported_path: Path | None = None

        self.png_radio = QRadioButton("&PNG image", self)
        self.svg_radio = QRadioButton("S&VG drawing (vector, text stays text)", self)
        self.graph_radio = QRadioButton("&Whole graph", self)
        self.view_radio = QRadioButton("What is on &screen", self)
        self.scale_radios: dict[float, QRadioButton] = {
            scale: QRadioButton(f"{scale:g}×", self) for scale in PRESET_SCALES
        }
        self.custom_radio = QRadioButton("C&ustom", self)
        self.custom_scale = QDoubleSpinBox(self)
        self.custom_scale.setRange(MIN_SCALE, MAX_SCALE)
        self.custom_scale.setSingleStep(0.25)
        self.custom_scale.setDecimals(2)
        self.custom_scale.setValue(1.5)
        self.custom_scale.setSuffix("×")
        self.custom_scale.setEnabled(False)
        self.transparent_check = QCheckBox("&Transparent background", self)
        theme = view.canvas_scene.kit.theme
        self.background_note = QLabel(f"Otherwise the {theme.name} theme's canvas colour.", self)
        self.background_note.setEnabled(False)
        self.size_label = QLabel(self)
        self.size_label.setObjectName("pictureSize")
        self.preview_label = QLabel(self)
        self.preview_label.setObjectName("picturePreview")
        self.preview_label.setAlignment(Qt.AlignmentFlag.AlignCenter)
        self.preview_label.setFixedSize(PREVIEW_SIZE + QSize(16, 16))
        self.preview_label.setFrameShape(QFrame.Shape.StyledPanel)

        self._groups = []
        for buttons in (
            (self.png_radio, self.svg_radio),
            (self.graph_radio, self.view_radio),
            (*self.scale_radios.values(), self.custom_radio),
        ):
            group = QButtonGroup(self)
            for button in buttons:
                group.addButton(button)
            self._groups.append(group)
        # Checked once grouped: radios sharing a parent are otherwise all one group.
        self._check(initial or PictureOptions())
        for group in self._groups:
            group.buttonToggled.connect(self._changed)
        self.custom_scale.valueChanged.connect(self._changed)
        self.transparent_check.toggled.connect(self._changed)

        form = QFormLayout()
        form.addRow("Format:", _row(self.png_radio, self.svg_radio))
        form.addRow("Area:", _row(self.graph_radio, self.view_radio))
        form.addRow(
            "Scale:", _row(*self.scale_radios.values(), self.custom_radio, self.custom_scale)
        )
        background = QVBoxLayout()
        background.setSpacing(2)
        background.addWidget(self.transparent_check)
        background.addWidget(self.background_note)
        form.addRow("Background:", background)
        form.addRow("Size:", self.size_label)
        self.buttons = QDialogButtonBox(QDialogButtonBox.StandardButton.Cancel, self)
        self.export_button = self.buttons.addButton(
            "&Export…", QDialogButtonBox.ButtonRole.AcceptRole
        )
        self.export_button.setDefault(True)
        self.buttons.accepted.connect(self.export)
        self.buttons.rejected.connect(self.reject)
        layout = QVBoxLayout(self)
        layout.addLayout(form)
        layout.addWidget(self.preview_label, 0, Qt.AlignmentFlag.AlignHCenter)
        layout.addWidget(self.buttons)
        self._preview_key: tuple | None = None
        self._changed()

    # ---------------------------------------------------------------- options
    def _check(self, options: PictureOptions) -> None:
        """Show ``options`` (the last export's, or the defaults) as the dialog's choice."""
        (self.svg_radio if options.format == "svg" else self.png_radio).setChecked(True)
        (self.view_radio if options.area == "view" else self.graph_radio).setChecked(True)
        preset = self.scale_radios.get(options.scale)
        if preset is not None:
            preset.setChecked(True)
        else:
            self.custom_radio.setChecked(True)
            self.custom_scale.setValue(options.scale)
        self.transparent_check.setChecked(options.transparent)

    def scale(self) -> float:
        if self.custom_radio.isChecked():
            return round(self.custom_scale.value(), 2)
        for scale, radio in self.scale_radios.items():
            if radio.isChecked():
                return scale
        return 1.0

    def options(self) -> PictureOptions:
        return PictureOptions(
            format="svg" if self.svg_radio.isChecked() else "png",
            area="view" if self.view_radio.isChecked() else "graph",
            scale=self.scale(),
            transparent=self.transparent_check.isChecked(),
        )

    def _changed(self, *_args) -> None:
        self.custom_scale.setEnabled(self.custom_radio.isChecked())
        options = self.options()
        try:
            frame = picture_frame(self.view, options)
        except PictureError as exc:
            self.size_label.setText(str(exc))
            self.export_button.setEnabled(False)
            self.preview_label.clear()
            return
        self.export_button.setEnabled(True)
        size = frame.size
        kind = "pixels" if options.format == "png" else "pixels, vector"
        self.size_label.setText(f"{size.width():,} × {size.height():,} {kind}")
        self._update_preview(options)

    def _update_preview(self, options: PictureOptions) -> None:
        key = (options.area, options.transparent)
        if key == self._preview_key:
            return
        self._preview_key = key
        ratio = self.devicePixelRatioF()
        box = QSize(round(PREVIEW_SIZE.width() * ratio), round(PREVIEW_SIZE.height() * ratio))
        unit = self._frame_at(options.area, 1.0)
        scale = min(box.width() / unit.size.width(), box.height() / unit.size.height())
        sharp = SHARP_PREVIEW_PPU / unit.pixels_per_unit
        if (
            scale < sharp
            and max(unit.size.width(), unit.size.height()) * sharp <= MAX_PREVIEW_RENDER
        ):
            scale = sharp  # then scaled down below
        frame = self._frame_at(options.area, scale)
        image = render_image(self.view.canvas_scene, frame, options.transparent)
        if image.width() > box.width() or image.height() > box.height():
            image = image.scaled(
                box, Qt.AspectRatioMode.KeepAspectRatio, Qt.TransformationMode.SmoothTransformation
            )
        if options.transparent:
            image = _on_checkerboard(image)
        pixmap = QPixmap.fromImage(image)
        pixmap.setDevicePixelRatio(ratio)
        self.preview_label.setPixmap(pixmap)

    def _frame_at(self, area: str, scale: float) -> PictureFrame:
        if area == "view":
            return view_area(self.view, scale)
        return graph_area(self.view.canvas_scene, scale)

    # ----------------------------------------------------------------- export
    def export(self) -> Path | None:
        """Ask where, then write the picture; None when cancelled or failed (shown)."""
        options = self.options()
        suffix = f".{options.format}"
        start = self.folder / f"{safe_file_stem(self.graph_name, 'graph')}{suffix}"
        chosen, _filter = QFileDialog.getSaveFileName(
            self, "Export picture", str(start), FILTERS[options.format]
        )
        if not chosen:
            return None
        path = Path(chosen)
        if path.suffix.lower() != suffix:
            path = path.with_name(path.name + suffix)
        try:
            export_picture(self.view, path, options, self.graph_name)
        except PictureError as exc:
            QMessageBox.critical(self, "Could not export the picture", str(exc))
            return None
        self.exported_path = path
        frame = picture_frame(self.view, options)
        self.exported.emit(f"Exported {path} ({frame.size.width()} × {frame.size.height()} px)")
        self.accept()
        return path


def _on_checkerboard(image: QImage) -> QImage:
    """``image`` over grey and white squares, the usual sign of a transparent background."""
    board = QImage(image.size(), QImage.Format.Format_ARGB32_Premultiplied)
    board.fill(QColor("#ffffff"))
    painter = QPainter(board)
    square = 8
    for y in range(0, board.height(), square):
        for x in range((y // square) % 2 * square, board.width(), 2 * square):
            painter.fillRect(x, y, square, square, QColor("#d9dce1"))
    painter.drawImage(0, 0, image)
    painter.end()
    return board


def _row(*widgets: QWidget) -> QHBoxLayout:
    row = QHBoxLayout()
    for widget in widgets:
        row.addWidget(widget)
    row.addStretch(1)
    return row
