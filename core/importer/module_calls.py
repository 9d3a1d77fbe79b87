"""Synalinks module calls -> imported nodes: what each kind of module reads.

Keyword arguments the graph holds become node parameters. Arguments that
change what a module computes and that the graph cannot express (a JSON
``schema``, ``return_inputs=True``, a ``decision_model``...) stop the import
with a message; arguments that only tune a model call (``max_tokens``,
``prompt_template``...) are reported as ignored. Nothing is dropped silently.
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any

from core.importer import values as v
from core.importer.auto_names import AutoNames
from core.model.names import identifier_problem, sanitize_identifier, unique_name
from core.nodes.language import branch_port

LANGUAGE_KINDS = ("Generator", "ChainOfThought", "Decision")
MERGE_KINDS = {"Concat": "Concat", "Concatenate": "Concat", "And": "And", "Or": "Or", "Xor": "Xor"}
OPS_MERGES = {
    "ops.concat": "Concat",
    "ops.concatenate": "Concat",
    "ops.logical_and": "And",
    "ops.logical_or": "Or",
    "ops.logical_xor": "Xor",
}
OPERATORS: dict[type, str] = {
    ast.BitAnd: "And",
    ast.BitOr: "Or",
    ast.BitXor: "Xor",
    ast.Add: "Concat",
}
MODULE_KINDS = frozenset((*LANGUAGE_KINDS, "Branch", *MERGE_KINDS))
DEFAULT_NAMES = {
    "Input": "inputs",
    "Generator": "generator",
    "ChainOfThought": "chain_of_thought",
    "Decision": "decision",
    "Branch": "branch",
    "Concat": "concat",
    "And": "logical_and",
    "Or": "logical_or",
    "Xor": "logical_xor",
}

_MODEL_ARGS = ("language_model", "instructions", "temperature", "name")
READ_ARGS: dict[str, frozenset[str]] = {
    "Generator": frozenset(("data_model", *_MODEL_ARGS)),
    "ChainOfThought": frozenset(("data_model", *_MODEL_ARGS)),
    "Decision": frozenset(("question", "labels", *_MODEL_ARGS)),
    "Branch": frozenset(
        ("question", "labels", "branches", "inject_decision", "return_decision", *_MODEL_ARGS)
    ),
    "Merge": frozenset(("name",)),
}
REFUSED_ARGS: dict[str, tuple[Any, str]] = {
    "schema": (None, "give the output as a DataModel class (data_model=...) instead of a schema"),
    "return_inputs": (False, "remove return_inputs=True and Concat the input with the output"),
    "tools": (None, "tool calling has no node yet; remove tools="),
    "tool_schemas": (None, "tool calling has no node yet; remove tool_schemas="),
    "decision_model": (None, "decision models have no node yet; use a language model"),
    "decision_type": (None, "only the default Decision is supported; remove decision_type="),
    "min_confidence": (None, "min_confidence needs a decision model; remove it"),
    "threshold": (None, "threshold needs MultiDecision; remove it"),
}


@dataclass
class ImportedNode:
    """A node as read from the script, before the graph is assembled."""

    type: str
    name: str
    params: dict[str, Any]
    line: int
    sources: list[tuple[int, str]] = field(default_factory=list)
    model: v.LanguageModel | None = None


class ModuleCalls:
    """Mixin for the script reader: turns module calls into :class:`ImportedNode` s."""

    nodes: list[ImportedNode]
    auto_names: AutoNames
    used_names: set[str]
    default_names: dict[str, str] = DEFAULT_NAMES
    """Node kind -> the name a module gets when the script gives none."""

    def report(self, line: int, message: str, severity: str = "error") -> None:  # pragma: no cover
        raise NotImplementedError

    # ---------------------------------------------------------------- names
    def pick_name(self, kwargs: dict[str, Any], auto: str | None, kind: str, line: int) -> str:
        """``name=`` if given, else the name Synalinks gives the module (``auto``,
        ``generator_1``...); made a valid identifier and unique, with a warning
        whenever the node's name is not the one Synalinks would use."""
        name = None
        explicit = kwargs.get("name", v.Literal(None))
        if not (isinstance(explicit, v.Literal) and explicit.value is None):
            text = explicit.value if isinstance(explicit, v.Literal) else None
            if isinstance(text, str) and text:
                name = text
            else:
                name = f"{self.default_names[kind]}_line_{line}"
                self.report(
                    line,
                    f"name= is not a string the importer can work out; the node is named "
                    f"{name!r}: write the name as a literal (f-strings of literals and loop "
                    "variables are read)",
                    "warning",
                )
        if name is None:
            name = auto or self.default_names[kind]
        if identifier_problem(name):
            fixed = sanitize_identifier(name, self.default_names[kind])
            self.report(
                line,
                f"the name {name!r} cannot be a node name ({identifier_problem(name)}); it "
                f'becomes {fixed!r}: give the module name="{fixed}" to keep them the same',
                "warning",
            )
            name = fixed
        if name in self.used_names:
            fixed = unique_name(name, self.used_names)
            self.report(
                line,
                f"two modules are named {name!r}; this one becomes {fixed!r}: give each "
                "module its own name=",
                "warning",
            )
            name = fixed
        self.used_names.add(name)
        return name

    def auto_name_of(self, class_name: str, kwargs: dict[str, Any]) -> str | None:
        """The name Synalinks gives ``class_name(**kwargs)`` as it is built (None when
        ``name=`` is given: a given name takes no number from Synalinks' counter)."""
        explicit = kwargs.get("name", v.Literal(None))
        if isinstance(explicit, v.Literal) and explicit.value is None:
            return self.auto_names.take(class_name)
        self.auto_names.built_named(class_name)
        return None

    def add_node(self, node: ImportedNode) -> v.NodeOutput:
        self.nodes.append(node)
        return v.NodeOutput(len(self.nodes) - 1)

    # --------------------------------------------------------------- inputs
    def make_input(
        self, kwargs: dict[str, Any], line: int, auto: str | None
    ) -> v.NodeOutput | None:
        for key in kwargs:
            if key == "schema":
                self.report(
                    line, "Input(schema=...) is not supported; use Input(data_model=SomeDataModel)"
                )
                return None
            if key not in ("data_model", "name"):
                self.report(line, f"Input argument {key}= is ignored", "warning")
        data_model = kwargs.get("data_model")
        if not isinstance(data_model, v.DataModelClass):
            self.report(
                line, "Input needs data_model= naming a DataModel class defined in this script"
            )
            return None
        name = self.pick_name(kwargs, auto, "Input", line)
        return self.add_node(ImportedNode("Input", name, {"data_model": data_model.name}, line))

    # -------------------------------------------------------------- modules
    def apply_module(self, module: v.Module, argument: Any, line: int, hints: Any) -> Any:
        """``await module(argument)``: the node(s) it adds, and its output value."""
        if module.called:
            self.report(
                line,
                f"the {module.kind} module of line {module.call.lineno} is called a second time; "
                "each graph node runs once, so create a second module for this call",
            )
            return None
        module.called = True
        if module.kind in MERGE_KINDS:
            return self.make_merge(
                MERGE_KINDS[module.kind], module.kwargs, argument, line, module.auto_name
            )
        if not isinstance(argument, v.NodeOutput):
            what = (
                "a list"
                if isinstance(argument, v.Sequence)
                else "something the importer cannot follow"
            )
            self.report(
                line,
                f"{module.kind} is called on {what}; it takes one input (merge several "
                "with synalinks.Concat first)",
            )
            return None
        if module.kind == "Branch":
            return self.make_branch(module, argument, line, hints)
        node = self.language_node(module)
        if node is None:
            return None
        node.sources.append((argument.index, argument.port))
        return self.add_node(node)

    def language_node(self, module: v.Module) -> ImportedNode | None:
        """A Generator, ChainOfThought or Decision node from the constructor's arguments."""
        kwargs, line = module.kwargs, module.call.lineno
        if not self._check_args(module.kind, module.kind, kwargs, line):
            return None
        params: dict[str, Any] = {}
        if module.kind in ("Generator", "ChainOfThought"):
            data_model = kwargs.get("data_model")
            if not isinstance(data_model, v.DataModelClass):
                self.report(
                    line,
                    f"{module.kind} needs data_model= naming a DataModel class defined in this script",
                )
                return None
            params["data_model"] = data_model.name
        else:
            decision = self._decision_params(module.kind, kwargs, line)
            if decision is None:
                return None
            params.update(decision)
        params.update(self._model_params(module.kind, kwargs, line))
        name = self.pick_name(kwargs, module.auto_name, module.kind, line)
        return ImportedNode(module.kind, name, params, line, model=self._model_of(kwargs, line))

    def make_branch(self, module: v.Module, argument: v.NodeOutput, line: int, hints: Any) -> Any:
        kwargs = module.kwargs
        at = module.call.lineno
        if not self._check_args("Branch", "Branch", kwargs, at):
            return None
        params = self._decision_params("Branch", kwargs, at)
        branches = kwargs.get("branches")
        if params is None:
            return None
        if not isinstance(branches, v.Sequence):
            self.report(at, "Branch needs branches=[...] listing one module per label")
            return None
        if len(branches.items) != len(params["labels"]):
            self.report(
                at,
                f"Branch has {len(params['labels'])} labels but {len(branches.items)} branches; give one module per label",
            )
            return None
        targets = list(hints) if isinstance(hints, list) else []
        if targets and len(targets) != len(branches.items):
            self.report(
                line,
                f"the Branch gives {len(branches.items)} outputs but {len(targets)} names receive them",
            )
            return None
        for key in ("inject_decision", "return_decision"):
            value = kwargs.get(key, v.Literal(True))
            if not (isinstance(value, v.Literal) and isinstance(value.value, bool)):
                self.report(at, f"Branch {key}= must be True or False")
                return None
            params[key] = value.value
        params.update(self._model_params("Branch", kwargs, at))
        name = self.pick_name(kwargs, module.auto_name, "Branch", at)
        branch = self.add_node(
            ImportedNode(
                "Branch",
                name,
                params,
                at,
                [(argument.index, argument.port)],
                self._model_of(kwargs, at),
            )
        )
        outputs: list[Any] = []
        for index, item in enumerate(branches.items):
            if not isinstance(item, v.Module) or item.kind not in LANGUAGE_KINDS:
                shown = item.kind if isinstance(item, v.Module) else "something else"
                self.report(
                    at,
                    f"branch {index + 1} of the Branch is {shown}; each label must lead to a "
                    "Generator, ChainOfThought or Decision module",
                )
                outputs.append(None)
                continue
            if item.called:
                self.report(
                    at,
                    f"branch {index + 1} of the Branch is a module already called elsewhere; give the Branch its own module",
                )
                outputs.append(None)
                continue
            item.called = True
            node = self.language_node(item)
            if node is None:
                outputs.append(None)
                continue
            node.sources.append((branch.index, branch_port(index)))
            outputs.append(self.add_node(node))
        return v.Sequence(outputs)

    def make_merge(
        self, kind: str, kwargs: dict[str, Any], argument: Any, line: int, auto: str | None
    ) -> Any:
        if not self._check_args(kind, "Merge", kwargs, line):
            return None
        items = argument.items if isinstance(argument, v.Sequence) else None
        if not items or not all(isinstance(i, v.NodeOutput) for i in items):
            self.report(
                line, f"{kind} takes a list of module outputs, e.g. synalinks.{kind}()([a, b])"
            )
            return None
        name = self.pick_name(kwargs, auto, kind, line)
        node = ImportedNode(kind, name, {}, line, [(i.index, i.port) for i in items])
        return self.add_node(node)

    # ------------------------------------------------------------- helpers
    def _check_args(self, kind: str, family: str, kwargs: dict[str, Any], line: int) -> bool:
        ok = True
        for key, value in kwargs.items():
            if key in READ_ARGS[family]:
                continue
            if key in REFUSED_ARGS:
                default, advice = REFUSED_ARGS[key]
                if isinstance(value, v.Literal) and value.value in (default, None, False):
                    continue
                if isinstance(value, v.Sequence) and not value.items:
                    continue
                self.report(line, f"{kind} argument {key}= cannot be shown in a graph: {advice}")
                ok = False
            else:
                self.report(
                    line,
                    f"{kind} argument {key}= is ignored (the graph has no place for it)",
                    "warning",
                )
        return ok

    def _decision_params(
        self, kind: str, kwargs: dict[str, Any], line: int
    ) -> dict[str, Any] | None:
        question = kwargs.get("question")
        if not (
            isinstance(question, v.Literal) and isinstance(question.value, str) and question.value
        ):
            self.report(line, f"{kind} needs question= as a plain string literal")
            return None
        try:
            labels = v.plain(kwargs.get("labels"))
        except ValueError:
            labels = None
        if not (isinstance(labels, list) and labels and all(isinstance(x, str) for x in labels)):
            self.report(line, f"{kind} needs labels= as a list of string literals")
            return None
        return {"question": question.value, "labels": labels}

    def _model_params(self, kind: str, kwargs: dict[str, Any], line: int) -> dict[str, Any]:
        params: dict[str, Any] = {"instructions": "", "language_model": "", "temperature": None}
        instructions = kwargs.get("instructions")
        if instructions is not None:
            if isinstance(instructions, v.Literal) and isinstance(instructions.value, str):
                params["instructions"] = instructions.value
            elif not (isinstance(instructions, v.Literal) and instructions.value is None):
                self.report(
                    line, f"{kind} instructions= is not a plain string; it is left empty", "warning"
                )
        temperature = kwargs.get("temperature")
        if temperature is not None:
            value = temperature.value if isinstance(temperature, v.Literal) else "?"
            if isinstance(value, (int, float)) and not isinstance(value, bool) and 0 <= value <= 2:
                params["temperature"] = float(value)
            elif value is not None:
                self.report(
                    line,
                    f"{kind} temperature= must be a number from 0 to 2; it is left unset",
                    "warning",
                )
        return params

    def _model_of(self, kwargs: dict[str, Any], line: int) -> v.LanguageModel | None:
        if "language_model" not in kwargs:
            return None
        model = kwargs["language_model"]
        if isinstance(model, v.LanguageModel) and model.model:
            return model
        self.report(
            line,
            "could not tell which language model this module uses (not a "
            'synalinks.LanguageModel(model="...") of this script); it uses the graph default',
            "warning",
        )
        return None
