"""The Synalinks backend for evaluations: every row runs the same exported program.

A row is an ordinary run on the worker (which keeps the built program), so
what an evaluation runs is exactly what a single run, and the export, run.
The only difference is that the program is exported once per evaluation
rather than once per row.
"""

from __future__ import annotations

from core.model.graph import Graph
from core.runtime.backend import SynalinksBackend


class EvalSynalinksBackend(SynalinksBackend):
    """A :class:`SynalinksBackend` that exports each graph snapshot once."""

    task_prefix = "synalinks evaluation row"

    def __init__(self, *args, **kwargs) -> None:
        super().__init__(*args, **kwargs)
        self._sources: dict[int, tuple[Graph, str]] = {}

    def source(self, graph: Graph) -> str:
        kept = self._sources.get(id(graph))
        if kept is not None and kept[0] is graph:
            return kept[1]
        text = super().source(graph)
        self._sources = {id(graph): (graph, text)}  # one snapshot per evaluation
        return text
