"""Structured diagnostics: what is wrong, where, and how bad.

The canvas paints badges from these, the problems panel lists them, the engine
refuses to start while any has severity ``error``. No legality decision lives
in the editor.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

Severity = Literal["error", "warning"]


@dataclass(frozen=True, slots=True)
class Diagnostic:
    code: str
    severity: Severity
    message: str
    node_id: str | None = None
    port: str | None = None

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def to_dict(self) -> dict[str, str | None]:
        return {
            "code": self.code,
            "severity": self.severity,
            "node_id": self.node_id,
            "port": self.port,
            "message": self.message,
        }


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
