"""Structured diagnostics: what is wrong, where, and how bad.

The canvas paints badges from these, the problems panel lists them, the engine
refuses to start while any has severity ``error``. No legality decision lives
in the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any, Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    node_id: str | None = None
    port: str | None = None
    path: tuple[str, ...] = ()
    """Inside a subgraph: the ids of the Subgraph nodes from the document down to
    the graph that holds ``node_id`` (empty for the document's own nodes)."""
    definition_id: str | None = None
    """Inside a subgraph: the definition that holds ``node_id``."""

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    @property
    def address(self) -> str | None:
        """``outer/inner`` node path (the ids run events use for inner nodes)."""
        if self.node_id is None:
            return None
        return "/".join((*self.path, self.node_id))

    def to_dict(self) -> dict[str, str | None]:
        data: dict[str, Any] = {
            "code": self.code,
            "severity": self.severity,
            "node_id": self.node_id,
            "port": self.port,
            "message": self.message,
        }
        if self.definition_id is not None:
            data["path"] = list(self.path)
            data["subgraph"] = self.definition_id
        return data


def error(
    code: str, message: str, node_id: str | None = None, port: str | None = None
) -> Diagnostic:
    return Diagnostic(code, "error", message, node_id, port)


def warning(
    code: str, message: str, node_id: str | None = None, port: str | None = None
) -> Diagnostic:
    return Diagnostic(code, "warning", message, node_id, port)


def has_errors(diagnostics: list[Diagnostic]) -> bool:
    return any(d.is_error for d in diagnostics)
