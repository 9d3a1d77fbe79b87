"""The names Synalinks gives what a script creates without ``name=``.

Synalinks (as Keras) names an unnamed module, operation or program after its
class in snake case, with one counter per name for the whole process:
``generator``, ``generator_1``, ... in creation order, whatever program the
module ends up in. A name given with ``name=`` takes no number. An import
keeps these names, so the graph's nodes are called what ``program.modules``
calls them. A few classes create an unnamed helper as they are built or
called, which moves that helper's counter on (measured under synalinks 0.10,
checked by a synalinks-marked test): the tables below list them.
"""

from __future__ import annotations

import re
from collections import defaultdict

CLASS_NAMES = {
    "Input": "InputModule",
    "RLM": "RecursiveLanguageModelAgent",
    "Program": "Functional",
}
"""The class Synalinks really creates, where the name the script calls differs."""

BUILT_WITH = {"ChainOfThought": ("Concat",)}
"""Classes whose constructor creates an unnamed helper of another class."""

CALLED_WITH = {"InMask": ("InMask",), "OutMask": ("OutMask",)}
"""Modules whose call on a symbolic input creates an unnamed operation."""


def snake_case(text: str) -> str:
    """Synalinks' ``to_snake_case``: ``ChainOfThought`` -> ``chain_of_thought``."""
    name = re.sub(r"(?<=[a-z0-9])(?=[A-Z])", "_", text)
    name = re.sub(r"(?<=[A-Z])(?=[A-Z][a-z])", "_", name)
    parts = re.split(r"[^a-zA-Z0-9]+", name)
    return "_".join(p.lower() for p in parts if p)


class AutoNames:
    """One script's counters, advanced in the order the script creates things."""

    def __init__(self) -> None:
        self._counts: defaultdict[str, int] = defaultdict(int)

    def take(self, class_name: str) -> str:
        """The name an unnamed instance of ``class_name`` gets (its helpers counted too)."""
        name = self._next(snake_case(CLASS_NAMES.get(class_name, class_name)))
        for helper in BUILT_WITH.get(class_name, ()):
            self._next(snake_case(helper))
        return name

    def built_named(self, class_name: str) -> None:
        """A named instance: its own name takes no number, but its helpers do."""
        for helper in BUILT_WITH.get(class_name, ()):
            self._next(snake_case(helper))

    def called(self, class_name: str) -> None:
        for helper in CALLED_WITH.get(class_name, ()):
            self._next(snake_case(helper))

    def _next(self, prefix: str) -> str:
        count = self._counts[prefix]
        self._counts[prefix] += 1
        return f"{prefix}_{count}" if count else prefix
