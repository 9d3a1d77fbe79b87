"""Graph validation: structured diagnostics built on networkx."""

from core.diagnostics import Diagnostic, error, has_errors, warning
from core.validation.validate import blocking, validate

__all__ = ["Diagnostic", "blocking", "error", "has_errors", "validate", "warning"]
