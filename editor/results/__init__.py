"""The Results dock: result panels per output, the run timeline, the run history."""

from editor.results.area import EMPTY_HINT, ResultsArea

__all__ = ["EMPTY_HINT", "ResultsArea"]
