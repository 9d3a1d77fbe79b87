"""From a catalogue entry's constructor parameters to a pydantic parameter model.

Each Synalinks constructor parameter gets a kind, read from its annotation,
the type its docstring names and its default: plain values the inspector can
edit (text, numbers, switches, label lists, choices), references the graph
already knows (a data model, a language model, its tools, knowledge bases
and embedding models), and *resources* the canvas cannot configure yet (a
Python function, a sandbox...). A
resource parameter is kept out of the form; a required one is reported on the
node by validation rather than guessed.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from typing import Any, Literal

from pydantic import BaseModel, create_model

from core.nodes.params import STRICT, param
from core.runtime.protocol import CatalogueParam

Kind = Literal[
    "text",
    "line",
    "int",
    "float",
    "bool",
    "labels",
    "choice",
    "data_model",
    "model",
    "tools",
    "tool",
    "knowledge_base",
    "embedding_model",
    "data_models",
    "resource",
]

SKIPPED = frozenset(
    {"name", "description", "hooks", "trainable", "schema", "subj_schema", "obj_schema", "kwargs"}
)
"""Parameters the node itself stands for (its name) or that the canvas replaces
(``schema``: the node's data model gives it)."""

DATA_MODEL_PARAMS = frozenset(
    {"data_model", "entity_model", "relation_model", "subj_entity_model", "obj_entity_model"}
)
MODEL_PARAMS = frozenset({"language_model", "sub_language_model"})
TOOL_LISTS = frozenset({"tools"})
"""Parameters taking a list of ``synalinks.Tool``: names of the graph's tools."""
TOOL_PARAMS = frozenset({"tool"})
"""Parameters taking one ``synalinks.Tool`` (Action)."""
KNOWLEDGE_BASE_PARAMS = frozenset({"knowledge_base"})
"""Parameters taking a ``synalinks.KnowledgeBase``: the name of one of the graph's."""
EMBEDDING_MODEL_PARAMS = frozenset({"embedding_model"})
"""Parameters taking a ``synalinks.EmbeddingModel``: the name of one of the graph's."""
DATA_MODEL_LISTS = frozenset({"data_models"})
"""Parameters taking a list of DataModel classes (the tables a retriever searches)."""
REFERENCE_KINDS = ("tools", "tool", "knowledge_base", "embedding_model", "data_models")
"""Kinds whose values name something else in the graph (checked by validation)."""
TEXT_PARAMS = frozenset({"instructions", "final_instructions", "question", "prompt_template"})
FLOAT_PARAMS = frozenset(
    {
        "temperature",
        "top_p",
        "threshold",
        "similarity_threshold",
        "fulltext_threshold",
        "score_threshold",
        "subj_threshold",
        "obj_threshold",
        "bm25_b",
        "bm25_k",
    }
)
INT_PARAMS = frozenset(
    {
        "max_tokens",
        "top_k",
        "k",
        "k_rank",
        "ef_search",
        "members_per_community",
        "max_iterations",
        "min_hops",
        "max_hops",
        "timeout",
    }
)
LIST_PARAMS = frozenset(
    {"labels", "mask", "in_mask", "out_mask", "fields", "node_labels", "rel_labels"}
)
RESOURCE_TYPES = (
    "knowledgebase",
    "tool",
    "callable",
    "function",
    "module",
    "embeddingmodel",
    "decisionmodel",
    "sandbox",
    "dict",
)
RESOURCE_NAMES = frozenset(
    {
        "knowledge_base",
        "func",
        "function",
        "branches",
        "embedding_model",
        "decision_model",
        "examples",
        "prompt_variables",
        "sandbox",
        "skills",
        "data_models",
        "score_type",
        "seed_scripts",
        "python_script",
        "default_return_value",
        "workdir",
    }
)


@dataclass(frozen=True)
class ParamPlan:
    name: str
    kind: Kind
    required: bool
    default: Any
    choices: tuple[str, ...] = ()
    type_text: str = ""
    description: str = ""


def plan_param(spec: CatalogueParam) -> ParamPlan | None:
    """How the canvas handles one constructor parameter (None: not shown at all)."""
    if spec.name in SKIPPED or spec.name.startswith("_"):
        return None  # private parameters are the library's own business
    default = spec.default if not isinstance(spec.default, dict) else None
    type_text = (spec.annotation or spec.doc_type or "").strip()
    lowered = type_text.lower().replace(" ", "").replace("_", "")
    description = " ".join(spec.description.split())
    common = {"required": spec.required, "type_text": type_text, "description": description}
    if spec.name in DATA_MODEL_PARAMS:
        return ParamPlan(spec.name, "data_model", default=None, **common)
    if spec.name in TEXT_PARAMS:
        return ParamPlan(spec.name, "text", default=_text(default), **common)
    if spec.name in FLOAT_PARAMS:
        return ParamPlan(spec.name, "float", default=_number(default, float), **common)
    if spec.name in INT_PARAMS:
        return ParamPlan(spec.name, "int", default=_number(default, int), **common)
    if spec.name in LIST_PARAMS or spec.name == "seed_instructions":
        return ParamPlan(spec.name, "labels", default=list(default or []), **common)
    if spec.name in MODEL_PARAMS:
        return ParamPlan(spec.name, "model", default=None, **common)
    if spec.name in TOOL_LISTS:
        return ParamPlan(spec.name, "tools", default=[], **common)
    if spec.name in TOOL_PARAMS:
        return ParamPlan(spec.name, "tool", default=None, **common)
    if spec.name in KNOWLEDGE_BASE_PARAMS:
        return ParamPlan(spec.name, "knowledge_base", default=None, **common)
    if spec.name in EMBEDDING_MODEL_PARAMS:
        return ParamPlan(spec.name, "embedding_model", default=None, **common)
    if spec.name in DATA_MODEL_LISTS:
        return ParamPlan(spec.name, "data_models", default=[], **common)
    if spec.name in RESOURCE_NAMES or any(word in lowered for word in RESOURCE_TYPES):
        return ParamPlan(spec.name, "resource", default=None, **common)
    literal = re.match(r"^Literal\[(.*)\]$", type_text)
    if literal:
        choices = tuple(re.findall(r"'([^']*)'|\"([^\"]*)\"", literal.group(1)))
        values = tuple(a or b for a, b in choices)
        return ParamPlan(spec.name, "choice", default=default, choices=values, **common)
    if isinstance(spec.default, bool) or lowered in ("bool", "boolean"):
        return ParamPlan(spec.name, "bool", default=bool(default), **common)
    if isinstance(default, int) or lowered in ("int", "integer"):
        return ParamPlan(spec.name, "int", default=default, **common)
    if isinstance(default, float) or lowered in ("float", "number"):
        return ParamPlan(spec.name, "float", default=default, **common)
    if lowered.startswith("list") or lowered.startswith("optional[list"):
        items = lowered.removeprefix("optional[").removeprefix("list")
        if items in ("", "[str]", "[str]]"):
            return ParamPlan(spec.name, "labels", default=list(default or []), **common)
        return ParamPlan(spec.name, "resource", default=None, **common)
    if isinstance(default, str) or lowered in ("str", "string", "optional[str]", ""):
        return ParamPlan(spec.name, "line", default=default, **common)
    return ParamPlan(spec.name, "resource", default=None, **common)


def _text(value: Any) -> str:
    return value if isinstance(value, str) else ""


def _number(value: Any, kind: type) -> Any:
    return kind(value) if isinstance(value, (int, float)) and not isinstance(value, bool) else None


_WIDGETS = {
    "text": "text",
    "line": "line",
    "int": "int",
    "float": "float",
    "bool": "bool",
    "labels": "labels",
    "choice": "choice",
    "data_model": "data_model",
    "model": "model",
    "tools": "labels",
    "tool": "line",
    "knowledge_base": "knowledge_base",
    "embedding_model": "embedding_model",
    "data_models": "labels",
}


def params_model(class_name: str, plans: list[ParamPlan]) -> type[BaseModel]:
    """A strict pydantic model with one field per editable parameter. Unset
    values are None (or ``""`` / ``[]`` for text and lists): the exporter
    leaves them out, so Synalinks' own defaults apply."""
    fields: dict[str, Any] = {}
    for plan in plans:
        if plan.kind == "resource":
            continue
        title = plan.name.replace("_", " ").capitalize()
        text = plan.description or f"Synalinks' {plan.name} ({plan.type_text or 'value'})."
        extra: dict[str, Any] = {}
        if plan.kind == "tools":
            text = "Names of the graph's tools this module may call (Graph settings → Tools)."
        elif plan.kind == "tool":
            text = "The name of the graph's tool this module calls (Graph settings → Tools)."
        elif plan.kind == "knowledge_base":
            text = "The graph's knowledge base this module uses (Graph settings → Knowledge bases)."
        elif plan.kind == "embedding_model":
            text = "The graph's embedding model (Graph settings → Embedding models)."
        elif plan.kind == "data_models":
            text = (
                "Names of the graph's data models (tables) to search; empty searches every "
                "table of the knowledge base."
            )
        if plan.kind in (
            "line",
            "text",
            "data_model",
            "model",
            "tool",
            "knowledge_base",
            "embedding_model",
        ):
            annotation: Any = str
            default: Any = plan.default if isinstance(plan.default, str) else ""
        elif plan.kind in ("labels", "tools", "data_models"):
            annotation, default = list[str], list(plan.default or [])
        elif plan.kind == "bool":
            annotation, default = bool, bool(plan.default)
        elif plan.kind == "int":
            annotation, default = int | None, plan.default
        elif plan.kind == "float":
            annotation, default = float | None, plan.default
        else:  # choice
            annotation, default = str, plan.default if plan.default is not None else ""
            extra["choices"] = list(plan.choices)
        info = param(default, title=title, description=text, widget=_WIDGETS[plan.kind])
        if extra:
            info.json_schema_extra.update(extra)  # type: ignore[union-attr]
        fields[plan.name] = (annotation, info)
    return create_model(f"{class_name}Params", __config__=STRICT, **fields)
