"""Node types generated from catalogue entries: every Synalinks module on the canvas.

One :class:`CatalogueModuleType` per module class that has no hand-written
node type. Its parameters, ports and palette group come from the entry; its
output schema is the one Synalinks computed when it last built the module
with these parameters and inputs (:mod:`core.catalogue.schema_cache`), else
a first guess: the chosen data model when the module takes one, the input's
schema for modules that pass their input through (Identity), and unknown
otherwise, which validation accepts. These nodes run on the Synalinks backend
(``builtin_runs = False``); the built-in engine does not imitate them.
"""

from __future__ import annotations

import keyword
import re
from collections.abc import Iterable
from typing import Any

from pydantic import BaseModel

from core.catalogue.params import ParamPlan, params_model, plan_param
from core.catalogue.schema_cache import SchemaCache, schema_key
from core.diagnostics import Diagnostic, error
from core.model.graph import Graph, Node
from core.registry.node_type import JsonSchema, NodeType, PortSpec, SchemaContext
from core.runtime.protocol import CatalogueModule

GROUPS: dict[str, tuple[str, str]] = {
    "core": ("Synalinks: core", "#5b7083"),
    "merging": ("Synalinks: merging", "#1f9aa6"),
    "masking": ("Synalinks: masking", "#8a6d3b"),
    "ttc": ("Synalinks: test-time compute", "#5a55d6"),
    "agents": ("Synalinks: agents", "#b0417a"),
    "knowledge": ("Synalinks: knowledge", "#2f7d4f"),
    "retrievers": ("Synalinks: retrievers", "#3d7ea6"),
    "rerankers": ("Synalinks: rerankers", "#6b8e23"),
    "synthesis": ("Synalinks: synthesis", "#9c5a1a"),
}
NOT_NODES = frozenset({"Module", "InputModule"})
"""The base class and the Input's own module (the Input node stands for it)."""
PASS_THROUGH = frozenset({"Identity"})
"""Modules whose output is their input."""
MISSING_RESOURCE = "missing-resource"
MISSING_VALUE = "missing-value"
UNKNOWN_TOOL = "unknown-tool"
UNKNOWN_RESOURCE = "unknown-resource"
NEEDS_GRAPH_STORE = "needs-graph-store"
NEEDED: dict[str, tuple[str, ...]] = {
    "*": ("knowledge_base", "python_script"),
    "FunctionCallingAgent": ("tools",),
    "EmbedKnowledge": ("embedding_model",),
    "MultiDecision": ("question", "labels"),
}
"""Parameters Synalinks defaults to None but refuses to build without (its own
build errors say so); validation says it while the graph is drawn."""
GRAPH_STORE_PREFIXES = ("Entity", "Relation", "Path", "LocalGraph", "GlobalGraph")
GRAPH_STORE_MODULES = frozenset({"CypherAgent", "Text2Cypher"})
"""Modules that query a knowledge base's property-graph store (LadybugDB,
``graph_uri=``), which the canvas's DuckDB knowledge bases do not have."""
REFERENCES = {
    "knowledge_base": ("knowledge base", "knowledge_bases", "Knowledge bases"),
    "embedding_model": ("embedding model", "embedding_models", "Embedding models"),
}


def needs_graph_store(class_name: str) -> bool:
    return class_name in GRAPH_STORE_MODULES or class_name.startswith(GRAPH_STORE_PREFIXES)


class CatalogueModuleType(NodeType):
    builtin_runs = False

    def __init__(self, entry: CatalogueModule, schemas: SchemaCache | None = None) -> None:
        self.entry = entry
        self.schemas = schemas if schemas is not None else SchemaCache()
        self.type_name = entry.class_name
        self.synalinks_class = entry.class_name
        self.title = _spaced(entry.class_name)
        self.category, self.color = GROUPS.get(
            entry.group, (f"Synalinks: {entry.group}", "#707070")
        )
        self.description = entry.summary or f"synalinks.{entry.class_name}"
        name = _snake(entry.class_name)
        self.default_name = f"{name}_" if keyword.iskeyword(name) else name  # Not -> not_
        self.aliases: tuple[str, ...] = ()  # other names synalinks gives this class
        self.plans: list[ParamPlan] = [p for s in entry.params if (p := plan_param(s))]
        self.params_model = params_model(entry.class_name, self.plans)
        self.uses_language_model = any(p.kind == "model" for p in self.plans)
        self.call_style = str(entry.call.get("inputs", "inputs"))
        self.is_merge = self.call_style == "list"
        multiple = self.call_style == "list"
        self._inputs = (
            PortSpec(
                "inputs",
                "inputs",
                multiple=multiple,
                description="Data models to combine, in order" if multiple else "",
            ),
        )

    @property
    def resources(self) -> list[ParamPlan]:
        """Parameters the canvas cannot set yet (knowledge bases, tools, functions)."""
        return [p for p in self.plans if p.kind == "resource"]

    def initial_params(self, graph: Graph) -> dict[str, Any]:
        params = self.default_params()
        if "data_model" in params and graph.data_models:
            used = {n.params.get("data_model") for n in graph.nodes.values() if n.type == "Input"}
            names = list(graph.data_models)
            params["data_model"] = next((n for n in names if n not in used), names[0])
        return params

    def input_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return self._inputs

    def output_schemas(
        self,
        node: Node,
        params: Any,
        inputs: dict[str, list[JsonSchema | None]],
        ctx: SchemaContext,
    ) -> dict[str, JsonSchema | None]:
        learnt = self.schemas.get(self.schema_key(params, inputs))
        if learnt is not None:  # what Synalinks itself built (an agent adds its messages)
            return {"output": learnt}
        data_model = getattr(params, "data_model", "")
        if data_model:
            return {"output": ctx.data_model_schema(data_model)}
        if self.type_name in PASS_THROUGH:
            incoming = inputs.get("inputs") or [None]
            return {"output": incoming[0]}
        return {"output": None}

    def schema_key(self, params: BaseModel, inputs: dict[str, list[JsonSchema | None]]) -> str:
        """What decides this module's output schema (see :mod:`core.catalogue.schema_cache`)."""
        return schema_key(self.type_name, params.model_dump(mode="json"), inputs)

    def needed(self, plan: ParamPlan) -> bool:
        return plan.required or plan.name in NEEDED["*"] + NEEDED.get(self.type_name, ())

    def check(self, node: Node, params: BaseModel, graph: Graph) -> list[Diagnostic]:
        problems = [
            error(
                MISSING_RESOURCE,
                f"{node.name}: synalinks.{self.type_name} needs {plan.name} "
                f"({plan.type_text or 'an object'}), which the canvas cannot configure yet; "
                "build this part in Python for now",
                node.id,
            )
            for plan in self.resources
            if self.needed(plan)
        ]
        for plan in self.plans:
            if plan.kind != "resource" and self.needed(plan) and not getattr(params, plan.name):
                where = ""
                if plan.kind in REFERENCES:
                    where = f"; add one in Graph settings → {REFERENCES[plan.kind][2]}"
                problems.append(
                    error(
                        MISSING_VALUE,
                        f"{node.name}: set {plan.name.replace('_', ' ')} "
                        f"(synalinks.{self.type_name} cannot be built without it){where}",
                        node.id,
                    )
                )
        problems += self._check_tools(node, params, graph)
        problems += self._check_knowledge(node, params, graph)
        return problems

    def _check_tools(self, node: Node, params: BaseModel, graph: Graph) -> list[Diagnostic]:
        problems = []
        known = {tool.name for tool in graph.meta.tools}
        for plan in self.plans:
            if plan.kind not in ("tools", "tool"):
                continue
            value = getattr(params, plan.name)
            names = value if isinstance(value, list) else [value] if value else []
            for name in names:
                if name not in known:
                    problems.append(
                        error(
                            UNKNOWN_TOOL,
                            f"{node.name}: no tool named {name!r} in this graph; add it in "
                            "Graph settings → Tools (module and async function of your project)"
                            + (f" or use one of {', '.join(sorted(known))}" if known else ""),
                            node.id,
                        )
                    )
        return problems

    def _check_knowledge(self, node: Node, params: BaseModel, graph: Graph) -> list[Diagnostic]:
        """Knowledge bases and embedding models are named; each name must be the
        graph's, and a data model listed as a table must exist."""
        problems = []
        for plan in self.plans:
            value = getattr(params, plan.name, None)
            if plan.kind in REFERENCES and value:
                what, field, section = REFERENCES[plan.kind]
                known = sorted(spec.name for spec in getattr(graph.meta, field))
                if value not in known:
                    problems.append(
                        error(
                            UNKNOWN_RESOURCE,
                            f"{node.name}: no {what} named {value!r} in this graph; add it in "
                            f"Graph settings → {section}"
                            + (f" or use one of {', '.join(known)}" if known else ""),
                            node.id,
                        )
                    )
            elif plan.kind == "data_models":
                for name in value or []:
                    if name not in graph.data_models:
                        problems.append(
                            error(
                                UNKNOWN_RESOURCE,
                                f"{node.name}: {plan.name} names {name!r}, which is not a data "
                                "model of this graph; create it in the data-models panel or "
                                "remove it from the list",
                                node.id,
                            )
                        )
        if needs_graph_store(self.type_name) and getattr(params, "knowledge_base", ""):
            problems.append(
                error(
                    NEEDS_GRAPH_STORE,
                    f"{node.name}: synalinks.{self.type_name} searches a knowledge graph "
                    "(a LadybugDB graph store), and the canvas's knowledge bases are DuckDB "
                    "tables only; use a table retriever (RetrieveKnowledge, SimilaritySearch...) "
                    "or build this part in Python",
                    node.id,
                )
            )
        return problems

    async def run(self, node, params, inputs, ctx):
        raise NotImplementedError(
            f"{node.name}: synalinks.{self.type_name} runs on the Synalinks backend only "
            "(choose Synalinks in the toolbar or run with --backend synalinks)"
        )


def catalogue_node_types(
    modules: Iterable[CatalogueModule], hand_written: set[str], schemas: SchemaCache | None = None
) -> list[CatalogueModuleType]:
    """A node type for every catalogue module without a hand-written one, grouped
    as Synalinks groups its modules (aliases such as ``Concatenate`` for
    ``Concat`` are left out: one node per class)."""
    order = {group: index for index, group in enumerate(GROUPS)}
    kept = [
        entry
        for entry in modules
        if not entry.alias_of
        and entry.class_name not in NOT_NODES
        and entry.class_name not in hand_written
    ]
    kept.sort(key=lambda e: (order.get(e.group, len(order)), e.group, e.class_name))
    schemas = schemas if schemas is not None else SchemaCache()
    types = [CatalogueModuleType(entry, schemas) for entry in kept]
    by_class = {t.type_name: t for t in types}
    for entry in modules:
        if entry.alias_of in by_class:
            by_class[entry.alias_of].aliases += (entry.class_name,)
    return types


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", "_", name).lower()


def _spaced(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])(?=[A-Z])|(?<=[A-Z])(?=[A-Z][a-z])", " ", name)
