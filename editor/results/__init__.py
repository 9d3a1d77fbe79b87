"""The results area (filled by the run issue: result panels, timeline, history)."""

from editor.results.area import ResultsArea

__all__ = ["ResultsArea"]
