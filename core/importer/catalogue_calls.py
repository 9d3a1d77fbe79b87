"""Calls of catalogue modules (InMask, SelfCritique, MultiDecision...) -> imported nodes.

Every node type generated from the Synalinks catalogue lists its constructor's
parameters with a kind (:mod:`core.catalogue.params`), so one reader serves
them all: a keyword argument becomes a node parameter once its value has the
kind's shape (a string literal for text, a list of string literals for labels,
a DataModel class of the script for a data model...). ``language_model=`` is
read as for the hand-written modules, so the graph's default model comes out
the same. Knowledge bases and embedding models made in the script become the
graph's own (:mod:`core.importer.knowledge_calls`) and are referred to by
name. Another resource (tools, a function) has no place in the graph yet, and
neither has a value of the wrong shape for a parameter that
changes what the module computes: both stop the import. Tuning values of the
wrong shape and keywords the module does not take are reported and left out.
"""

from __future__ import annotations

from typing import Any

from core.importer import values as v
from core.importer.module_calls import REFUSED_ARGS, ImportedNode, ModuleCalls

TUNING = frozenset(
    {"temperature", "top_p", "top_k", "max_tokens", "reasoning_effort", "timeout", "streaming"}
)
"""Parameters that only tune a model call: a value the graph cannot hold is left out."""

SHAPES = {
    "text": "a plain string literal",
    "line": "a plain string literal",
    "int": "a whole number literal",
    "float": "a number literal",
    "bool": "True or False",
    "labels": "a list of string literals",
    "data_model": "a DataModel class defined in this script",
    "model": 'synalinks.LanguageModel(model="...") with a literal model name',
    "knowledge_base": 'a synalinks.KnowledgeBase(uri="duckdb://...") made in this script',
    "embedding_model": 'a synalinks.EmbeddingModel(model="...") made in this script',
    "data_models": "a list of DataModel classes defined in this script",
}


_NOT_LITERAL = object()


class Mismatch(Exception):
    """A value without the shape its parameter's kind needs."""


def catalogue_classes(registry: Any) -> dict[str, Any]:
    """Synalinks class name (aliases included) -> generated node type, for every
    registry type described by the catalogue (the ones with parameter plans)."""
    found = {
        t.synalinks_class: t
        for t in (registry or ())
        if getattr(t, "plans", None) is not None and getattr(t, "synalinks_class", None)
    }
    for node_type in list(found.values()):
        for alias in getattr(node_type, "aliases", ()):
            found.setdefault(alias, node_type)
    return found


class CatalogueCalls(ModuleCalls):
    """Mixin for the script reader: modules of the catalogue, read from their plans."""

    def catalogue_module(
        self,
        node_type: Any,
        args: list[Any],
        kwargs: dict[str, Any],
        call: Any,
        hint: Any,
        name: str = "",
    ) -> v.Module:
        """``synalinks.<Class>(...)``, not yet called; positional arguments take the
        constructor's parameter names in order."""
        kwargs = dict(kwargs)
        names = [p.name for p in getattr(getattr(node_type, "entry", None), "params", ())]
        for index, value in enumerate(args):
            if index >= len(names) or names[index] in kwargs:
                self.report(
                    call.lineno,
                    f"synalinks.{node_type.synalinks_class}: positional argument {index + 1} "
                    "matches no free parameter; pass the arguments by keyword (mask=[...])",
                )
                break
            kwargs[names[index]] = value
        module = v.Module(node_type.type_name, kwargs, call, _single(hint), node_type=node_type)
        module.auto_name = self.auto_name_of(name, kwargs)
        return module

    def apply_module(self, module: v.Module, argument: Any, line: int, hints: Any) -> Any:
        node_type = module.node_type
        if node_type is None or module.called:  # a second call is reported there
            return super().apply_module(module, argument, line, hints)
        module.called = True
        sources = self._catalogue_sources(node_type, argument, line)
        at = module.call.lineno
        params = self.catalogue_params(node_type, module.kwargs, at)
        if sources is None or params is None:
            return None
        name = self.pick_name(module.kwargs, module.auto_name, node_type.type_name, at)
        self.auto_names.called(node_type.synalinks_class)
        model = self._model_of(module.kwargs, at) if "language_model" in params else None
        return self.add_node(ImportedNode(node_type.type_name, name, params, at, sources, model))

    def _catalogue_sources(
        self, node_type: Any, argument: Any, line: int
    ) -> list[tuple[int, str]] | None:
        cls = node_type.synalinks_class
        if node_type.call_style == "list":
            items = argument.items if isinstance(argument, v.Sequence) else None
            if items and all(isinstance(i, v.NodeOutput) for i in items):
                return [(i.index, i.port) for i in items]
            self.report(
                line, f"{cls} takes a list of module outputs, e.g. synalinks.{cls}()([a, b])"
            )
            return None
        if isinstance(argument, v.NodeOutput):
            return [(argument.index, argument.port)]
        what = (
            "a list" if isinstance(argument, v.Sequence) else "something the importer cannot follow"
        )
        self.report(
            line,
            f"{cls} is called on {what}; it takes one input (merge several with "
            "synalinks.Concat first)",
        )
        return None

    # ---------------------------------------------------------- parameters
    def catalogue_params(
        self, node_type: Any, kwargs: dict[str, Any], line: int
    ) -> dict[str, Any] | None:
        """The node's parameters from the constructor's keywords (None after an error)."""
        cls = node_type.synalinks_class
        plans = {p.name: p for p in node_type.plans}
        params: dict[str, Any] = {}
        ok = True
        for key, value in kwargs.items():
            plan = plans.get(key)
            if key == "name" or (key == "language_model" and plan is not None):
                continue  # the node's name; the model is read by _model_of
            if plan is None:
                ok = self._unknown_argument(cls, key, value, line) and ok
            elif _unset(value):
                if plan.default not in (None, "", []):
                    self.report(
                        line,
                        f"{cls} argument {key}= is left out (the graph cannot hold an empty "
                        f"value): Synalinks' default {plan.default!r} applies",
                        "warning",
                    )
            elif plan.kind == "resource":
                self.report(
                    line,
                    f"{cls} argument {key}= is a {plan.type_text or 'resource'}: resources (knowledge "
                    "bases, tools, functions) are not supported yet; remove it, or add this module "
                    "in Python after exporting",
                )
                ok = False
            else:
                try:
                    params[key] = _read(plan, value)
                except Mismatch as problem:
                    tuning = key in TUNING or plan.kind == "model"
                    advice = "it is left unset" if tuning else "write it in the call"
                    self.report(
                        line,
                        f"{cls} argument {key}= must be {problem}; {advice}",
                        "warning" if tuning else "error",
                    )
                    ok = ok and tuning
        if "language_model" in plans:
            params["language_model"] = ""
        return params if self._has_needed(node_type, kwargs, params, line) and ok else None

    def _has_needed(
        self, node_type: Any, kwargs: dict[str, Any], params: dict[str, Any], line: int
    ) -> bool:
        """Parameters Synalinks refuses to build without: a missing resource or value
        is an error here, as it would be when the script runs."""
        needed = getattr(node_type, "needed", lambda plan: plan.required)
        ok = True
        for plan in node_type.plans:
            if not needed(plan) or plan.kind == "model":
                continue
            if plan.kind == "resource":
                if plan.name not in kwargs:
                    self.report(
                        line,
                        f"synalinks.{node_type.synalinks_class} needs {plan.name}= "
                        f"({plan.type_text or 'a resource'}), and resources are not supported "
                        "yet; build this part in Python",
                    )
                    ok = False
            elif plan.name not in params or params[plan.name] in ("", []):
                self.report(
                    line,
                    f"synalinks.{node_type.synalinks_class} needs {plan.name}= (Synalinks cannot build it "
                    "without one); add it to the call",
                )
                ok = False
        return ok

    def _unknown_argument(self, cls: str, key: str, value: Any, line: int) -> bool:
        if key in REFUSED_ARGS and not _unset(value):
            default, advice = REFUSED_ARGS[key]
            if not (isinstance(value, v.Literal) and value.value in (default, False)):
                self.report(line, f"{cls} argument {key}= cannot be shown in a graph: {advice}")
                return False
        self.report(
            line, f"{cls} argument {key}= is ignored (the graph has no place for it)", "warning"
        )
        return True


def _read(plan: Any, value: Any) -> Any:
    """The parameter value for ``value``, or raise :class:`Mismatch` naming the shape."""
    kind = plan.kind
    literal = value.value if isinstance(value, v.Literal) else _NOT_LITERAL
    if kind in ("text", "line", "choice"):
        if not isinstance(literal, str):
            raise Mismatch(_shape(plan))
        if kind == "choice" and plan.choices and literal not in plan.choices:
            raise Mismatch(_shape(plan))
        return literal
    if kind == "bool":
        if not isinstance(literal, bool):
            raise Mismatch(SHAPES[kind])
        return literal
    if kind in ("int", "float"):
        allowed = int if kind == "int" else (int, float)
        if isinstance(literal, bool) or not isinstance(literal, allowed):
            raise Mismatch(SHAPES[kind])
        return float(literal) if kind == "float" else literal
    if kind == "labels":
        try:
            items = v.plain(value)
        except ValueError:
            items = None
        if not (isinstance(items, list) and all(isinstance(x, str) for x in items)):
            raise Mismatch(SHAPES[kind])
        return items
    if kind == "data_model":
        if not isinstance(value, v.DataModelClass):
            raise Mismatch(SHAPES[kind])
        return value.name
    if kind == "model":
        if not (isinstance(value, v.LanguageModel) and value.model):
            raise Mismatch(SHAPES[kind])
        return value.model
    if kind == "knowledge_base":
        if not isinstance(value, v.KnowledgeBase):
            raise Mismatch(SHAPES[kind])
        return value.name
    if kind == "embedding_model":
        if not (isinstance(value, v.EmbeddingModel) and value.model):
            raise Mismatch(SHAPES[kind])
        return value.name
    if kind == "data_models":
        items = value.items if isinstance(value, v.Sequence) else None
        if items is None or not all(isinstance(i, v.DataModelClass) for i in items):
            raise Mismatch(SHAPES[kind])
        return [i.name for i in items]
    raise Mismatch("a value the graph can hold")  # pragma: no cover: every kind is above


def _shape(plan: Any) -> str:
    if plan.kind == "choice" and plan.choices:
        return "one of " + ", ".join(f'"{c}"' for c in plan.choices)
    return SHAPES.get(plan.kind, "a literal")


def _unset(value: Any) -> bool:
    """``None`` or an empty list: Synalinks' own default."""
    if isinstance(value, v.Literal):
        return value.value is None
    return isinstance(value, v.Sequence) and not value.items


def _single(hints: Any) -> str | None:
    return hints if isinstance(hints, str) else None
