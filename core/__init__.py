"""Synalinks Canvas core: the graph model and everything that works on it without Qt.

Nothing under ``core`` may import PySide6, qasync or the ``editor`` package; the
editor depends on the core, never the other way round.
"""
