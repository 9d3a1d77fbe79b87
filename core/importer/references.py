"""What the script's names refer to, from its import statements.

``import synalinks as sl`` makes ``sl.Generator`` mean Synalinks' Generator;
``from synalinks import Generator as G`` makes ``G`` mean it too; the same for
``typing`` (Literal, Optional, List, Union) and ``enum`` (Enum, StrEnum).
Synalinks exports many classes under several paths (``synalinks.Generator``,
``synalinks.modules.Generator``, ``synalinks.ops.json.concat``): they are
normalised to one short name (``Generator``, ``ops.concat``).
"""

from __future__ import annotations

import ast

KNOWN_ROOTS = ("synalinks", "typing", "typing_extensions", "enum", "pydantic", "asyncio")


class References:
    """Local name -> qualified dotted name, for the roots the importer cares about."""

    def __init__(self) -> None:
        self._aliases: dict[str, str] = {}

    def add(self, statement: ast.Import | ast.ImportFrom) -> None:
        if isinstance(statement, ast.Import):
            for alias in statement.names:
                root = alias.name.split(".")[0]
                if root not in KNOWN_ROOTS:
                    continue
                if alias.asname:
                    self._aliases[alias.asname] = alias.name
                else:
                    self._aliases[root] = root
        elif statement.module and statement.level == 0:
            root = statement.module.split(".")[0]
            if root not in KNOWN_ROOTS:
                return
            for alias in statement.names:
                if alias.name != "*":
                    self._aliases[alias.asname or alias.name] = f"{statement.module}.{alias.name}"

    def qualify(self, expr: ast.expr) -> str | None:
        """``synalinks.modules.Generator`` for ``sl.modules.Generator`` (None if not ours)."""
        parts: list[str] = []
        while isinstance(expr, ast.Attribute):
            parts.append(expr.attr)
            expr = expr.value
        if not isinstance(expr, ast.Name) or expr.id not in self._aliases:
            return None
        return ".".join([self._aliases[expr.id], *reversed(parts)])

    def synalinks_name(self, expr: ast.expr) -> str | None:
        """The short Synalinks name (``Generator``, ``ops.concat``) or None."""
        qualified = self.qualify(expr)
        if qualified is None or not qualified.startswith("synalinks."):
            return None
        return normalise(qualified)

    def is_typing(self, expr: ast.expr, *names: str) -> bool:
        qualified = self.qualify(expr)
        if qualified is None:
            return False
        module, _, name = qualified.rpartition(".")
        return module in ("typing", "typing_extensions") and name in names

    def is_enum_base(self, expr: ast.expr) -> bool:
        qualified = self.qualify(expr)
        return qualified in ("enum.Enum", "enum.StrEnum")


def normalise(qualified: str) -> str:
    parts = qualified.split(".")[1:]
    parts = [p for p in parts if p not in ("src", "modules", "json", "api")]
    if "ops" in parts:
        return f"ops.{parts[-1]}"
    if "utils" in parts:
        return f"utils.{parts[-1]}"
    return parts[-1] if parts else ""
