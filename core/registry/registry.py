"""The node-type registry: an instance (never a module global) that every part reads."""

from __future__ import annotations

import difflib
from collections.abc import Iterable, Iterator

from core.registry.node_type import NodeType


class UnknownNodeType(KeyError):
    def __init__(self, type_name: str, known: Iterable[str]) -> None:
        super().__init__(type_name)
        self.type_name = type_name
        names = sorted(known)
        close = difflib.get_close_matches(type_name, names, n=3, cutoff=0.6)
        hint = f"did you mean {' or '.join(close)}? " if close else ""
        shown = ", ".join(names) if len(names) <= 12 else ", ".join(names[:12]) + ", …"
        self.message = f"unknown node type {type_name!r}; {hint}known types ({len(names)}): {shown}"

    def __str__(self) -> str:
        return self.message


class Registry:
    """Node types by name, in palette order."""

    def __init__(self, types: Iterable[NodeType] = ()) -> None:
        self._types: dict[str, NodeType] = {}
        self.schema_cache = None  # Synalinks-computed output schemas (core.catalogue)
        for node_type in types:
            self.register(node_type)

    def register(self, node_type: NodeType) -> None:
        name = node_type.type_name
        if name in self._types:
            raise ValueError(f"node type {name!r} is registered twice")
        self._types[name] = node_type

    def get(self, type_name: str) -> NodeType:
        try:
            return self._types[type_name]
        except KeyError:
            raise UnknownNodeType(type_name, self._types) from None

    def __contains__(self, type_name: object) -> bool:
        return type_name in self._types

    def __iter__(self) -> Iterator[NodeType]:
        return iter(self._types.values())

    def names(self) -> list[str]:
        return list(self._types)

    def by_synalinks_class(self, class_name: str) -> NodeType | None:
        """The node type a Synalinks module class maps to (for import)."""
        return next((t for t in self if t.synalinks_class == class_name), None)

    def categories(self) -> dict[str, list[NodeType]]:
        grouped: dict[str, list[NodeType]] = {}
        for node_type in self:
            grouped.setdefault(node_type.category, []).append(node_type)
        return grouped
