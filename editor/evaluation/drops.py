"""Which dropped files are datasets (by extension), and the file dialog's filter.

Kept apart from the panel so the window's drop filter costs no import of the
dataset readers until a file is actually dragged over it."""

from __future__ import annotations

from pathlib import Path

DATASET_FILTER = "Datasets (*.csv *.tsv *.json *.jsonl *.ndjson *.parquet *.pq);;All files (*)"


def dataset_paths(mime) -> list[Path]:
    """The dropped files that are datasets (by extension)."""
    if not mime.hasUrls():
        return []
    from core.datasets.readers import FORMATS

    paths = [Path(url.toLocalFile()) for url in mime.urls() if url.isLocalFile()]
    return [p for p in paths if p.suffix.lower() in FORMATS]
