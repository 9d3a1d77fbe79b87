"""What a node type is: ports, parameters, schema derivation, run semantics, Synalinks mapping.

One :class:`NodeType` subclass per kind (see :mod:`core.nodes`). The palette,
inspector, validator, engine, files and code exporter all read these, so adding
a kind of node is one new class registered in :func:`core.registry.default_registry`.
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING, Any, ClassVar, Literal, Protocol

from pydantic import BaseModel, ValidationError

if TYPE_CHECKING:
    from core.diagnostics import Diagnostic
    from core.model.graph import Graph, Node

PortRole = Literal["data", "branch"]
JsonSchema = dict[str, Any]
Value = dict[str, Any] | None


@dataclass(frozen=True, slots=True)
class PortSpec:
    """A connection point. ``multiple`` input ports take an ordered list of edges."""

    name: str
    label: str = ""
    role: PortRole = "data"
    multiple: bool = False
    required: bool = True
    description: str = ""

    @property
    def display(self) -> str:
        return self.label or self.name


@dataclass(frozen=True, slots=True)
class ParamField:
    """One inspector row, derived from a node type's pydantic parameter model.

    ``widget`` is a hint: line, text, float, int, bool, data_model, model,
    labels, choice.
    """

    name: str
    title: str
    description: str
    widget: str
    default: Any
    optional: bool
    minimum: float | None = None
    maximum: float | None = None
    choices: tuple[str, ...] = ()


# Ports are immutable values: the common ones are shared rather than rebuilt on
# every call (schema flow asks for them once per node per analysis).
_ONE_INPUT = (PortSpec("inputs", "inputs"),)
_ONE_OUTPUT = (PortSpec("output", "output"),)


class ParamsError(ValueError):
    """Node parameters that do not fit the node type's schema."""

    def __init__(self, node_name: str, type_name: str, error: ValidationError) -> None:
        first = error.errors()[0]
        where = ".".join(str(p) for p in first.get("loc", ())) or "parameters"
        super().__init__(f"{type_name} {node_name!r}: {where}: {first.get('msg')}")
        self.field = where


@dataclass(frozen=True, slots=True)
class GenerationRequest:
    """What a language-model node asks the engine for: one structured answer.

    ``model`` is the node's own model string ("" means the graph's default);
    the engine resolves it and any run-wide override.
    """

    node_id: str
    node_name: str
    model: str
    instructions: str
    inputs: dict[str, Any]
    output_schema: JsonSchema
    temperature: float | None = None
    examples: tuple[tuple[Any, Any], ...] = ()
    """Few-shot (inputs, outputs) pairs training chose, shown to the model
    before the input, as Synalinks' Generator renders them."""


class SchemaContext(Protocol):
    """What schema derivation may ask about the rest of the graph."""

    def data_model_schema(self, name: str) -> JsonSchema | None: ...

    def branch_decision_schema(self, node_id: str) -> JsonSchema | None:
        """The decision schema to prefix to ``node_id``'s output, if a Branch with
        ``return_decision`` feeds it."""
        ...


class RunContext(SchemaContext, Protocol):
    """What the engine offers a node while it runs (schemas included)."""

    async def generate(self, request: GenerationRequest) -> dict[str, Any]:
        """Call the language model; return a JSON object valid for the schema."""
        ...

    def branch_decision(self, node_id: str) -> dict[str, Any] | None:
        """The decision of the Branch feeding ``node_id`` when that Branch returns
        its decision with the branch output (Synalinks' ``return_decision``)."""
        ...


class NodeType:
    """Base class: subclasses set the class variables and override what differs."""

    type_name: ClassVar[str]
    title: ClassVar[str]
    category: ClassVar[str]
    description: ClassVar[str]
    color: ClassVar[str]
    default_name: ClassVar[str]
    params_model: ClassVar[type[BaseModel]]
    uses_language_model: ClassVar[bool] = False
    synalinks_class: ClassVar[str | None] = None
    is_program_input: ClassVar[bool] = False
    is_program_output: ClassVar[bool] = False
    is_merge: ClassVar[bool] = False
    runs_subgraph: ClassVar[bool] = False
    """Runs other nodes (a subgraph): a task of its own, no model slot, no timeout."""

    # ----------------------------------------------------------- parameters
    def parse_params(self, node: Node) -> BaseModel:
        """Validated parameters of ``node``; raises :class:`ParamsError`."""
        try:
            return self.params_model.model_validate(node.params)
        except ValidationError as exc:
            raise ParamsError(node.name, self.type_name, exc) from None

    def default_params(self) -> dict[str, Any]:
        return self.params_model().model_dump(mode="json")

    def initial_params(self, graph: Graph) -> dict[str, Any]:
        """Parameters for a node just created in ``graph`` (defaults plus context)."""
        return self.default_params()

    def param_fields(self) -> list[ParamField]:
        return list(_param_fields_cached(self.params_model))

    def data_model_refs(self, params: BaseModel) -> list[str]:
        """Names of graph data models the parameters refer to."""
        return [
            value for name in _data_model_fields(type(params)) if (value := getattr(params, name))
        ]

    # ---------------------------------------------------------------- ports
    def input_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return _ONE_INPUT

    def output_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return _ONE_OUTPUT

    def output_port_moves(self, old: BaseModel, new: BaseModel) -> dict[str, str | None]:
        """Where each output port under ``old`` parameters is under ``new`` ones
        (None: gone). Edges follow their port when parameters change; the
        default keeps ports by name."""
        after = {p.name for p in self.output_ports(new)}
        return {p.name: (p.name if p.name in after else None) for p in self.output_ports(old)}

    # -------------------------------------------------------------- schemas
    def output_schemas(
        self,
        node: Node,
        params: BaseModel,
        inputs: dict[str, list[JsonSchema | None]],
        ctx: SchemaContext,
    ) -> dict[str, JsonSchema | None]:
        """Schema of each output port given the schemas arriving on each input port
        (in edge order; None where unknown)."""
        raise NotImplementedError

    def output_may_be_none(
        self, params: BaseModel, inputs: dict[str, list[bool]]
    ) -> dict[str, bool]:
        """Whether each output can be None at run time, given whether each input can.

        The default is Synalinks' rule for modules: a None input gives a None output.
        """
        maybe = any(any(flags) for flags in inputs.values())
        return {p.name: maybe for p in self.output_ports(params)}

    # ----------------------------------------------------------- validation
    def check(self, node: Node, params: BaseModel, graph: Graph) -> list[Diagnostic]:
        """Diagnostics that only this type knows about (labels missing, ...)."""
        return []

    # ------------------------------------------------------------ execution
    async def run(
        self,
        node: Node,
        params: BaseModel,
        inputs: dict[str, list[Value]],
        ctx: RunContext,
    ) -> dict[str, Value]:
        """Compute every output port's value from the input values."""
        raise NotImplementedError


@lru_cache(maxsize=256)
def _data_model_fields(model: type[BaseModel]) -> tuple[str, ...]:
    """Names of a parameter model's data-model fields (read once per class)."""
    return tuple(name for name, info in model.model_fields.items() if _widget(info) == "data_model")


def _widget(info: Any) -> str | None:
    extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
    return extra.get("widget")


@lru_cache(maxsize=256)
def _param_fields_cached(model: type[BaseModel]) -> tuple[ParamField, ...]:
    return tuple(param_fields_of(model))


def param_fields_of(model: type[BaseModel]) -> list[ParamField]:
    """Inspector rows for a parameter model, in declaration order."""
    rows: list[ParamField] = []
    for name, info in model.model_fields.items():
        extra = info.json_schema_extra if isinstance(info.json_schema_extra, dict) else {}
        minimum = maximum = None
        for meta in info.metadata:
            minimum = (
                getattr(meta, "ge", minimum) if getattr(meta, "ge", None) is not None else minimum
            )
            maximum = (
                getattr(meta, "le", maximum) if getattr(meta, "le", None) is not None else maximum
            )
        annotation = str(info.annotation)
        rows.append(
            ParamField(
                name=name,
                title=info.title or name.replace("_", " ").capitalize(),
                description=info.description or "",
                widget=extra.get("widget", "line"),
                default=info.get_default(call_default_factory=True),
                optional="None" in annotation,
                minimum=minimum,
                maximum=maximum,
                choices=tuple(extra.get("choices", ())),
            )
        )
    return rows
