"""Synalinks' own saved programs (``program.save("p.json")``) opened as graphs.

A saved program is Keras-style JSON: ``config.modules`` lists each module
(class name, constructor config, name) with its ``inbound_nodes``, the
symbolic data models it was called on, each naming the module that made
it (``synalinks_history: [module, node, tensor]``); ``input_modules`` and
``output_modules`` say where the program starts and ends, and ``variables``
holds what training learnt (instructions, few-shot examples...).

Reading it never imports synalinks: every module becomes one node of the
type the registry maps its class to (module names kept exactly), a
Branch's inner modules become the nodes on its ports, schemas become data
models named by their titles, and each module's slice of the state tree
goes into its node's ``variables`` so an export puts it back. Anything the
file holds that is wrong (types, unknown classes, cycles, missing
references) is one :class:`ProgramFileError`; the caller adds the file name.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from core.layout import layered_layout
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.graph import Edge, Graph, GraphMeta, Node, new_id
from core.model.names import identifier_problem
from core.registry.node_type import ParamsError
from core.registry.registry import Registry

PROGRAM_CLASSES = frozenset({"Functional", "Program"})
SYMBOLIC = "__symbolic_data_model__"
KEPT_GROUPS = ("trainable_variables", "non_trainable_variables")
"""State-tree groups a program carries; optimizer and metric state belong to training."""
BRANCH_TARGETS = frozenset({"Generator", "ChainOfThought", "Decision"})
"""Node types a Branch's port can feed (the modules the exporter writes inside a Branch)."""
_SCALARS = {"string": "str", "integer": "int", "number": "float", "boolean": "bool"}


class ProgramFileError(ValueError):
    """A saved program that cannot be opened; the message says where and why."""


def is_synalinks_program(document: Any) -> bool:
    """Whether ``document`` (parsed JSON) claims to be a Synalinks saved program."""
    return (
        isinstance(document, dict)
        and "format" not in document
        and ("synalinks_version" in document or document.get("class_name") in PROGRAM_CLASSES)
    )


@dataclass
class ProgramRead:
    """The graph read from a saved program, and what could not be carried over."""

    graph: Graph
    warnings: list[str] = field(default_factory=list)


def graph_from_program(document: Any, registry: Registry) -> Graph:
    """The graph of a saved program; raises :class:`ProgramFileError`."""
    return read_program(document, registry).graph


def read_program(document: Any, registry: Registry) -> ProgramRead:
    """Build the graph privately: either all of it, or a :class:`ProgramFileError`."""
    return _Reader(registry).read(document)


# ------------------------------------------------------------------ helpers
def data_model_for_schema(graph: Graph, schema: dict[str, Any], registry: Registry) -> str:
    """The name of ``graph``'s data model for a JSON object ``schema``, added to
    ``graph`` when none equals it (named from the schema's title). Raises
    :class:`ProgramFileError` for a schema no data model can express."""
    reader = _Reader(registry)
    reader.graph = graph
    return reader._data_model(schema, "the schema")


def _expect(value: Any, kind: type | tuple[type, ...], where: str, what: str) -> Any:
    if not isinstance(value, kind) or (isinstance(value, bool) and kind is int):
        raise ProgramFileError(f"{where} should be {what}, not {_shown(value)}")
    return value


def _shown(value: Any) -> str:
    text = repr(value)
    kind = type(value).__name__
    return f"{kind} {text if len(text) <= 40 else text[:40] + '…'}"


def _history(value: Any, where: str) -> tuple[str, int, int]:
    """``[module, node index, tensor index]`` as a checked triple."""
    _expect(value, list, where, "[module name, node index, tensor index]")
    if len(value) != 3:
        raise ProgramFileError(f"{where} should be [module name, node index, tensor index]")
    name = _expect(value[0], str, f"{where}[0]", "a module name")
    node = _expect(value[1], int, f"{where}[1]", "a node index")
    tensor = _expect(value[2], int, f"{where}[2]", "a tensor index")
    return name, node, tensor


def _model_name(config: dict[str, Any]) -> str:
    """The litellm model string of a serialised LanguageModel ("" when absent)."""
    language_model = config.get("language_model")
    if isinstance(language_model, dict):
        inner = language_model.get("config")
        if isinstance(inner, dict) and isinstance(inner.get("model"), str):
            return inner["model"]
    return ""


def _api_base(config: dict[str, Any]) -> str | None:
    language_model = config.get("language_model")
    inner = language_model.get("config") if isinstance(language_model, dict) else None
    value = inner.get("api_base") if isinstance(inner, dict) else None
    return value if isinstance(value, str) else None


def _default_api_base(model: str) -> str | None:
    """The server Synalinks picks itself (so a round trip need not write it)."""
    return "http://localhost:11434" if model.startswith(("ollama/", "ollama_chat/")) else None


@dataclass
class _Module:
    """One module of the file, checked: its class, config and calls."""

    name: str
    class_name: str
    config: dict[str, Any]
    calls: list[Any]
    where: str


class _Reader:
    def __init__(self, registry: Registry) -> None:
        self.registry = registry
        self.graph = Graph()
        self.warnings: list[str] = []
        self._nesting: list[str] = []  # $refs being read (a loop must end)
        self.node_of: dict[str, Node] = {}  # module name -> node
        self.branch_targets: dict[str, list[Node]] = {}  # Branch name -> port targets
        self.models: list[str] = []
        self.api_bases: set[str | None] = set()

    # ---------------------------------------------------------------- top
    def read(self, document: Any) -> ProgramRead:
        _expect(document, dict, "the file", "a JSON object")
        class_name = document.get("class_name")
        if class_name not in PROGRAM_CLASSES:
            raise ProgramFileError(
                f"is a Synalinks {class_name!r} file; Synalinks Canvas opens programs built "
                "with the functional API (class Functional). Rebuild it as "
                "synalinks.Program(inputs=..., outputs=...) and save it again"
            )
        config = _expect(document.get("config"), dict, "config", "an object")
        name = config.get("name", "program")
        _expect(name, str, "config.name", "a text")
        raw_modules = _expect(config.get("modules"), list, "config.modules", "a list")
        if not raw_modules:
            raise ProgramFileError("config.modules is empty: the program has no modules")
        modules = [self._module(item, f"config.modules[{i}]") for i, item in enumerate(raw_modules)]
        by_name: dict[str, _Module] = {}
        for module in modules:
            if module.name in by_name:
                raise ProgramFileError(
                    f"two modules are named {module.name!r}; Synalinks names are unique"
                )
            by_name[module.name] = module
        inputs = self._ends(config.get("input_modules"), "config.input_modules", by_name)
        outputs = self._ends(config.get("output_modules"), "config.output_modules", by_name)
        sources = {m.name: self._sources(m) for m in modules}
        self._check_acyclic(modules, sources, by_name)

        for module_name, _node, _tensor in inputs:
            module = by_name[module_name]
            if module.class_name != "InputModule":
                raise ProgramFileError(
                    f"config.input_modules names {module_name!r}, a {module.class_name}, "
                    "not an Input"
                )
        for module_name, _node, _tensor in inputs:
            self._add(by_name[module_name])
        for module in modules:
            if module.name not in self.node_of:
                if module.class_name == "InputModule":
                    raise ProgramFileError(
                        f"Input {module.name!r} is not among config.input_modules"
                    )
                self._add(module)
        for module in modules:
            for source, tensor in sources[module.name]:
                self._connect(source, tensor, self.node_of[module.name], module.where)
        for order, (module_name, _node, tensor) in enumerate(outputs):
            output = self._node("Output", self._free_name("output"), {"order": order})
            self._connect(module_name, tensor, output, "config.output_modules")
        self._variables(document.get("variables"))
        self._meta(name)
        for node_id, position in layered_layout(self.graph).items():
            self.graph.nodes[node_id].position = position
        return ProgramRead(self.graph, self.warnings)

    def _module(self, item: Any, where: str) -> _Module:
        _expect(item, dict, where, "an object")
        class_name = _expect(item.get("class_name"), str, f"{where}.class_name", "a class name")
        config = _expect(item.get("config"), dict, f"{where}.config", "an object")
        name = item.get("name", config.get("name"))
        _expect(name, str, f"{where}.name", "a module name")
        if not name:
            raise ProgramFileError(f"{where}.name is empty")
        calls = _expect(item.get("inbound_nodes", []), list, f"{where}.inbound_nodes", "a list")
        return _Module(name, class_name, config, calls, f"module {name!r}")

    def _ends(self, value: Any, where: str, by_name: dict[str, _Module]) -> list[tuple]:
        _expect(value, list, where, "a list of [module name, node index, tensor index]")
        if value and isinstance(value[0], str):
            value = [value]  # one end written as a bare triple
        if not value:
            raise ProgramFileError(f"{where} is empty")
        ends = [_history(item, f"{where}[{i}]") for i, item in enumerate(value)]
        for module_name, _node, _tensor in ends:
            if module_name not in by_name:
                raise ProgramFileError(f"{where} names {module_name!r}, which is not a module")
        return ends

    # --------------------------------------------------------------- edges
    def _sources(self, module: _Module) -> list[tuple[str, int]]:
        """``(module name, tensor index)`` of each value the module was called on, in order."""
        if module.class_name == "InputModule":
            if module.calls:
                raise ProgramFileError(f"{module.where} is an Input but has inbound_nodes")
            return []
        if len(module.calls) != 1:
            raise ProgramFileError(
                f"{module.where} is called {len(module.calls)} times; Synalinks Canvas draws one "
                "node per module call, so each module must be called exactly once"
                if module.calls
                else f"{module.where} has no inbound_nodes: nothing feeds it"
            )
        call = _expect(module.calls[0], dict, f"{module.where}.inbound_nodes[0]", "an object")
        args = _expect(call.get("args"), list, f"{module.where}.inbound_nodes[0].args", "a list")
        if not args:
            raise ProgramFileError(f"{module.where} is called on nothing (no args)")
        where = f"{module.where}.inbound_nodes[0].args"
        if len(args) == 1 and isinstance(args[0], list):  # a merge called on a list
            values, where = args[0], f"{where}[0]"
        else:  # one value, or several (the operators: ``a & b`` calls And(a, b))
            values = args
        found = []
        for index, value in enumerate(values):
            here = f"{where}[{index}]"
            _expect(value, dict, here, "a symbolic data model")
            if value.get("class_name") != SYMBOLIC:
                raise ProgramFileError(f"{here} should be a {SYMBOLIC}")
            inner = _expect(value.get("config"), dict, f"{here}.config", "an object")
            name, _node, tensor = _history(
                inner.get("synalinks_history"), f"{here}.config.synalinks_history"
            )
            found.append((name, tensor))
        return found

    def _check_acyclic(
        self,
        modules: list[_Module],
        sources: dict[str, list[tuple[str, int]]],
        by_name: dict[str, _Module],
    ) -> None:
        for module in modules:
            for source, _tensor in sources[module.name]:
                if source not in by_name:
                    raise ProgramFileError(
                        f"{module.where} is called on the output of {source!r}, which is not "
                        "a module of the program"
                    )
        state: dict[str, int] = {}  # 1: on the current path, 2: done
        for start in modules:
            if start.name in state:
                continue
            path = [start.name]
            stack = [iter(sources[start.name])]
            state[start.name] = 1
            while stack:
                step = next(stack[-1], None)
                if step is None:
                    state[path.pop()] = 2
                    stack.pop()
                    continue
                source = step[0]
                if state.get(source) == 1:
                    loop = [*path[path.index(source) :], source]
                    raise ProgramFileError(
                        "the modules' inbound_nodes form a cycle ("
                        + " <- ".join(repr(n) for n in loop)
                        + "); a program is acyclic"
                    )
                if source not in state:
                    state[source] = 1
                    path.append(source)
                    stack.append(iter(sources[source]))

    def _connect(self, source: str, tensor: int, target: Node, where: str) -> None:
        targets = self.branch_targets.get(source)
        if targets is not None:
            if not 0 <= tensor < len(targets):
                raise ProgramFileError(
                    f"{where} takes output {tensor} of Branch {source!r}, which has "
                    f"{len(targets)} branches"
                )
            origin = targets[tensor]
        else:
            if tensor != 0:
                raise ProgramFileError(
                    f"{where} takes output {tensor} of {source!r}, which has one output"
                )
            origin = self.node_of[source]
        self.graph.add_edge(Edge(new_id(), origin.id, "output", target.id, "inputs"))

    # --------------------------------------------------------------- nodes
    def _node(self, type_name: str, name: str, params: dict[str, Any]) -> Node:
        node_type = self.registry.get(type_name)
        node = Node(new_id(), type_name, name, params)
        try:
            node.params = node_type.parse_params(node).model_dump(mode="json")
        except ParamsError:
            pass  # kept as written: validation shows what is wrong
        self.graph.add_node(node)
        return node

    def _free_name(self, base: str) -> str:
        name, index = base, 0
        while self.graph.name_taken(name) or name in self.node_of:
            index += 1
            name = f"{base}_{index}"
        return name

    def _type_for(self, class_name: str, where: str) -> str:
        if class_name == "InputModule":
            return "Input"
        node_type = self.registry.by_synalinks_class(class_name) or next(
            (t for t in self.registry if class_name in getattr(t, "aliases", ())), None
        )
        if node_type is None:
            raise ProgramFileError(
                f"{where} is a synalinks {class_name}, a module class Synalinks Canvas does not "
                "know (is it your own Module subclass? those cannot be drawn yet)"
            )
        return node_type.type_name

    def _add(self, module: _Module) -> None:
        type_name = self._type_for(module.class_name, module.where)
        if type_name == "Branch":
            targets = self._branch_targets(module)
            self.branch_targets[module.name] = targets
        params = self._params(type_name, module.config, module.where)
        node = self._node(type_name, module.name, params)
        self.node_of[module.name] = node
        if type_name == "Branch":
            for index, target in enumerate(self.branch_targets[module.name]):
                self.graph.add_edge(Edge(new_id(), node.id, f"branch_{index}", target.id, "inputs"))

    def _branch_targets(self, module: _Module) -> list[Node]:
        """The modules a Branch runs, as nodes (added before the Branch: Synalinks
        makes their variables first)."""
        where = f"{module.where}.config.branches"
        branches = _expect(module.config.get("branches"), list, where, "a list of modules")
        targets = []
        for index, item in enumerate(branches):
            here = f"{where}[{index}]"
            if item is None:
                raise ProgramFileError(
                    f"{here} is empty (None); give every label of a Branch a module to draw it"
                )
            _expect(item, dict, here, "a module")
            class_name = _expect(item.get("class_name"), str, f"{here}.class_name", "a class")
            config = _expect(item.get("config"), dict, f"{here}.config", "an object")
            name = _expect(config.get("name"), str, f"{here}.config.name", "a module name")
            type_name = self._type_for(class_name, here)
            if type_name not in BRANCH_TARGETS:
                raise ProgramFileError(
                    f"{here} is a {class_name}; a Branch on the canvas feeds a Generator, "
                    "ChainOfThought or Decision"
                )
            if name in self.node_of or self.graph.name_taken(name):
                raise ProgramFileError(f"{here}: two modules are named {name!r}")
            node = self._node(type_name, name, self._params(type_name, config, here))
            self.node_of[name] = node
            targets.append(node)
        return targets

    # ---------------------------------------------------------- parameters
    def _params(self, type_name: str, config: dict[str, Any], where: str) -> dict[str, Any]:
        node_type = self.registry.get(type_name)
        model = _model_name(config)
        if model:
            self.models.append(model)
            self.api_bases.add(_api_base(config) or _default_api_base(model))
        schema = config.get("schema")
        if type_name == "Input":
            return {"data_model": self._data_model(schema, f"{where}.config.schema")}
        if type_name in ("Generator", "ChainOfThought"):
            params = {
                "data_model": self._data_model(schema, f"{where}.config.schema"),
                **self._language(config),
            }
            # Imported here: opening a graph at start-up must not load the engine.
            from core.engine.prompts import default_instructions

            if params["instructions"] == default_instructions(schema):
                params["instructions"] = ""  # Synalinks' own wording, which it writes back
            return params
        if type_name in ("Decision", "Branch"):
            params = {
                "question": config.get("question") or "",
                "labels": config.get("labels") or [],
                **self._language(config),
            }
            labels = params["labels"]
            if params["instructions"] == _default_decision_instructions(labels):
                params["instructions"] = ""
            if type_name == "Branch":
                for key in ("inject_decision", "return_decision"):
                    if key in config:
                        params[key] = config[key]
            return params
        plans = getattr(node_type, "plans", None)
        if plans is None:
            return {}  # merges: nothing to set
        params: dict[str, Any] = {}
        for plan in plans:
            value = config.get(plan.name)
            if plan.kind == "resource":
                if value not in (None, [], {}, "") and value != plan.default:
                    self.warnings.append(
                        f"{where}: its {plan.name} ({_shown(value)}) cannot be drawn yet and "
                        "was left out; set it again in the exported Python"
                    )
            elif plan.kind == "data_model":
                given = schema if plan.name == "data_model" else value
                if isinstance(given, dict):
                    params[plan.name] = self._data_model(given, f"{where}.config.{plan.name}")
            elif plan.kind == "model":
                inner = {"language_model": value} if isinstance(value, dict) else {}
                params[plan.name] = _model_name(inner) if plan.name != "language_model" else model
            elif value is not None:
                params[plan.name] = value
        return params

    def _language(self, config: dict[str, Any]) -> dict[str, Any]:
        instructions = config.get("instructions")
        return {
            "instructions": instructions if isinstance(instructions, str) else "",
            "language_model": _model_name(config),
            "temperature": config.get("temperature"),
        }

    # --------------------------------------------------------- data models
    def _data_model(self, schema: Any, where: str) -> str:
        """The name of the data model for ``schema``, added to the graph if new."""
        _expect(schema, dict, where, "a JSON schema object")
        spec = self._spec(schema, where)
        base = spec.name
        index = 1
        while True:
            existing = self.graph.data_models.get(spec.name)
            if existing is None:
                self.graph.set_data_model(spec)
                return spec.name
            if existing == spec:
                return spec.name
            index += 1
            spec = spec.model_copy(update={"name": f"{base}_{index}"})

    def _spec(self, schema: dict[str, Any], where: str) -> DataModelSpec:
        if schema.get("type", "object") != "object":
            raise ProgramFileError(f"{where} is not an object schema")
        title = schema.get("title")
        name = title if isinstance(title, str) and not identifier_problem(title) else "DataModel"
        properties = _expect(schema.get("properties", {}), dict, f"{where}.properties", "an object")
        required = _expect(schema.get("required", []), list, f"{where}.required", "a list")
        definitions = schema.get("$defs", {})
        definitions = definitions if isinstance(definitions, dict) else {}
        fields = []
        for field_name, prop in properties.items():
            here = f"{where}.properties.{field_name}"
            _expect(prop, dict, here, "a JSON schema")
            fields.append(self._field(field_name, prop, field_name in required, definitions, here))
        description = schema.get("description", "")
        try:
            return DataModelSpec(
                name=name,
                description=description if isinstance(description, str) else "",
                fields=tuple(fields),
            )
        except ValueError as exc:
            raise ProgramFileError(f"{where}: {_first_line(exc)}") from None

    def _field(
        self, name: str, prop: dict, required: bool, definitions: dict, where: str
    ) -> FieldSpec:
        optional = False
        members = prop.get("anyOf")
        body = prop
        if isinstance(members, list):
            kept = [m for m in members if not (isinstance(m, dict) and m.get("type") == "null")]
            if len(kept) != 1 or not isinstance(kept[0], dict):
                raise ProgramFileError(
                    f"{where} is a union of several types; a data model field has one type"
                )
            optional, body = len(kept) != len(members), kept[0]
        is_list = body.get("type") == "array"
        if is_list:
            body = _expect(body.get("items"), dict, f"{where}.items", "a JSON schema")
        kind, choices, nested = self._kind(body, definitions, where)
        description = prop.get("description", body.get("description", ""))
        values = {
            "name": name,
            "type": kind,
            "is_list": is_list,
            "choices": choices,
            "data_model": nested,
            "description": description if isinstance(description, str) else "",
            # A field with a default is left out of "required" without being
            # nullable: only a None member makes it optional.
            "required": not optional and (required or prop.get("default") is not None),
        }
        default = prop.get("default")
        if default is not None:
            try:
                kept = tuple(default) if isinstance(default, list) else default
                return FieldSpec(**values, default=kept)
            except (ValueError, TypeError) as exc:
                self.warnings.append(
                    f"{where}: its default {default!r} was dropped ({_first_line(exc)})"
                )
        try:
            return FieldSpec(**values)
        except ValueError as exc:
            raise ProgramFileError(f"{where}: {_first_line(exc)}") from None

    def _kind(self, body: dict, definitions: dict, where: str) -> tuple[str, tuple[str, ...], str]:
        """(kind, enum choices, nested data model name)."""
        ref = body.get("$ref")
        if isinstance(ref, str) and ref.startswith("#/$defs/"):
            target = definitions.get(ref.removeprefix("#/$defs/"))
            if not isinstance(target, dict):
                raise ProgramFileError(f"{where} refers to {ref}, which the schema lacks")
            if target.get("type") == "object" or "properties" in target:
                if len(self._nesting) > 20 or ref in self._nesting:
                    raise ProgramFileError(f"{where}: {ref} holds itself; nesting must end")
                self._nesting.append(ref)
                try:
                    nested = self._data_model({**target, "$defs": definitions}, where)
                finally:
                    self._nesting.pop()
                return "model", (), nested
            body = target
        enum = body.get("enum")
        if enum is not None:
            if not isinstance(enum, list) or not all(isinstance(c, str) for c in enum):
                raise ProgramFileError(f"{where}: enum choices must be a list of texts")
            return "enum", tuple(enum), ""
        kind = _SCALARS.get(body.get("type"))  # type: ignore[arg-type]
        if kind is None:
            raise ProgramFileError(
                f"{where} has the type {body.get('type') or body.get('$ref')!r}; data model "
                "fields are text, numbers, booleans, choices, data models or lists of them"
            )
        return kind, (), ""

    # ----------------------------------------------------------- variables
    def _variables(self, tree: Any) -> None:
        """Give each node its slice of the state tree (by the path Synalinks made)."""
        if tree is None:
            return
        _expect(tree, dict, "variables", "an object")
        names = sorted(self.node_of, key=len, reverse=True)
        for group, paths in tree.items():
            if group not in KEPT_GROUPS:
                if paths:
                    self.warnings.append(f"variables.{group} (training state) was left out")
                continue
            _expect(paths, dict, f"variables.{group}", "an object")
            for path, value in paths.items():
                _expect(value, dict, f"variables.{group}.{path}", "an object")
                owner = self.node_of.get(path) or next(
                    (self.node_of[n] for n in names if path.endswith(f"_{n}")), None
                )
                if owner is None:
                    self.warnings.append(
                        f"variables.{group}.{path} belongs to no module of the program and "
                        "was left out"
                    )
                    continue
                owner.variables.setdefault(group, {})[path] = value

    def _meta(self, name: str) -> None:
        default_model = self.models[0] if self.models else "offline"
        api_base = None
        if len(self.api_bases) == 1:
            only = next(iter(self.api_bases))
            if only != _default_api_base(default_model):
                api_base = only
        self.graph.meta = GraphMeta(name=name, default_model=default_model, api_base=api_base)


def _default_decision_instructions(labels: Any) -> str:
    from core.nodes.language import default_decision_instructions

    return default_decision_instructions(list(labels) if isinstance(labels, list) else [])


def _first_line(exc: Exception) -> str:
    for line in str(exc).splitlines():
        if "Value error, " in line:
            return line.split("Value error, ", 1)[1].split(" [type=")[0]
    return str(exc).splitlines()[0]
