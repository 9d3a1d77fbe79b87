"""Commands on graph data models: add or edit, remove, rename (references follow)."""

from __future__ import annotations

from core.commands.base import Command
from core.model.data_models import DataModelSpec
from core.model.graph import Graph
from core.model.names import identifier_problem
from core.registry.registry import Registry, UnknownNodeType


class SetDataModel(Command):
    """Add a data model, or replace the one with the same name (field edits)."""

    def __init__(self, spec: DataModelSpec, index: int | None = None) -> None:
        self.spec = spec
        self.index = index
        self.previous: DataModelSpec | None = None
        self.text = f"Edit data model {spec.name}"

    def redo(self, graph: Graph) -> None:
        self.previous = graph.data_models.get(self.spec.name)
        graph.set_data_model(self.spec, None if self.previous else self.index)

    def undo(self, graph: Graph) -> None:
        if self.previous is None:
            graph.remove_data_model(self.spec.name)
        else:
            graph.set_data_model(self.previous)


class RemoveDataModel(Command):
    def __init__(self, name: str) -> None:
        self.name = name
        self.removed: tuple[DataModelSpec, int] | None = None
        self.text = f"Delete data model {name}"

    def redo(self, graph: Graph) -> None:
        self.removed = graph.remove_data_model(self.name)

    def undo(self, graph: Graph) -> None:
        assert self.removed is not None
        spec, index = self.removed
        graph.set_data_model(spec, index)


def data_model_name_problem(graph: Graph, name: str, current: str | None = None) -> str | None:
    problem = identifier_problem(name)
    if problem:
        return problem
    if name != current and name in graph.data_models:
        return f"a data model named {name!r} already exists"
    return None


class RenameDataModel(Command):
    """Rename a data model and every reference to it: node parameters (a data
    model, a retriever's list of tables) and the knowledge bases' tables."""

    def __init__(self, registry: Registry, old: str, new: str) -> None:
        self.registry = registry
        self.old, self.new = old, new
        self.changed: list[tuple[str, str]] = []  # (node id, parameter name)
        self.listed: list[tuple[str, str, list[str]]] = []  # (node id, parameter, before)
        self.bases: dict = {}  # the knowledge bases before, when some listed it
        self.text = f"Rename data model to {new}"

    def redo(self, graph: Graph) -> None:
        graph.rename_data_model(self.old, self.new)
        self.changed, self.listed, self.bases = [], [], {}
        for node in list(graph.nodes.values()):
            try:
                node_type = self.registry.get(node.type)
            except UnknownNodeType:
                continue
            for field in node_type.param_fields():
                if field.widget == "data_model" and node.params.get(field.name) == self.old:
                    graph.set_params(node.id, {field.name: self.new})
                    self.changed.append((node.id, field.name))
            for plan in getattr(node_type, "plans", None) or ():
                listed = node.params.get(plan.name)
                if plan.kind == "data_models" and isinstance(listed, list) and self.old in listed:
                    renamed = [self.new if n == self.old else n for n in listed]
                    graph.set_params(node.id, {plan.name: renamed})
                    self.listed.append((node.id, plan.name, listed))
        bases = graph.meta.knowledge_bases
        if any(self.old in kb.data_models for kb in bases):
            self.bases = graph.set_meta(
                knowledge_bases=tuple(
                    kb.model_copy(
                        update={
                            "data_models": tuple(
                                self.new if n == self.old else n for n in kb.data_models
                            )
                        }
                    )
                    for kb in bases
                )
            )

    def undo(self, graph: Graph) -> None:
        if self.bases:
            graph.set_meta(**self.bases)
        for node_id, key, listed in self.listed:
            graph.set_params(node_id, {key: listed})
        for node_id, key in self.changed:
            graph.set_params(node_id, {key: self.old})
        graph.rename_data_model(self.new, self.old)
