"""What an expression of the script stands for, as far as the importer can tell.

The importer never runs the script: it walks the syntax tree and tracks, for
each variable, one of these values. Anything else is ``None`` (unknown).
"""

from __future__ import annotations

import ast
from dataclasses import dataclass, field
from typing import Any


@dataclass(eq=False)
class NodeOutput:
    """A symbolic data model: the output of one imported node (index into the nodes).

    ``port`` is the node's output port: ``output``, or for a program called as a
    module (a Subgraph node) ``#k``, its k-th output."""

    index: int
    port: str = "output"


@dataclass(eq=False)
class Sequence:
    """A list or tuple of values (a Branch's outputs, a merge's inputs, labels...)."""

    items: list[Any]


@dataclass(eq=False)
class Literal:
    """A constant: string, number, bool or None."""

    value: Any


@dataclass(eq=False)
class DataModelClass:
    name: str


@dataclass(eq=False)
class LanguageModel:
    """``synalinks.LanguageModel(model=...)``; ``model`` is None when not a literal."""

    model: str | None
    api_base: str | None
    line: int
    variable: str | None = None


@dataclass(eq=False)
class Module:
    """A Synalinks module constructed but not yet called (``synalinks.Generator(...)``)."""

    kind: str
    kwargs: dict[str, Any]
    call: ast.Call
    variable: str | None = None
    called: bool = False
    node_type: Any = None
    """The generated node type of a catalogue module (None for the hand-written kinds)."""
    auto_name: str | None = None
    """The name Synalinks gives it when the script gives none (None when named)."""


@dataclass(eq=False)
class Unsupported:
    """A Synalinks callable the graph has no node for (reported if it touches the program)."""

    name: str
    line: int


@dataclass(eq=False)
class Program:
    inputs: list[NodeOutput]
    outputs: list[NodeOutput]
    name: str | None
    description: str | None
    line: int
    example: Any = None
    sequential: bool = False
    """A ``synalinks.Sequential``: ``add(module)`` chains the module after the last one."""
    single_output: bool = False
    """``outputs=x`` rather than a list: calling the program gives one value, not a list."""


@dataclass(eq=False)
class Instance:
    """``Query(query="...")``: a data model instance (the example input)."""

    class_name: str
    values: dict[str, Any] = field(default_factory=dict)


@dataclass(eq=False)
class Function:
    definition: ast.FunctionDef | ast.AsyncFunctionDef
    evaluated: bool = False
    running: bool = False
    returned: Any = None


@dataclass(eq=False)
class ProgramClass:
    """A class of the script that subclasses ``synalinks.Program``: its methods run
    when the script creates (``__init__``) and builds (``build``) an instance."""

    definition: ast.ClassDef
    methods: dict[str, ast.FunctionDef | ast.AsyncFunctionDef]
    description: str | None
    """The docstring's first line: Synalinks' description when none is given."""


@dataclass(eq=False)
class ProgramInstance:
    """``MyProgram(...)``: its attributes (``self.x = ...``), its name once
    ``super().__init__`` ran, and its :class:`Program` once built."""

    cls: ProgramClass
    line: int
    attributes: dict[str, Any] = field(default_factory=dict)
    name: str | None = None
    description: str | None = None
    program: Program | None = None
    running: set[str] = field(default_factory=set)
    """The methods being run (a method calling itself is not followed)."""


@dataclass(eq=False)
class Super:
    """``super()`` inside a method of a subclassed program."""

    instance: ProgramInstance


@dataclass(eq=False)
class OwnModuleClass:
    """A class of the script that subclasses ``synalinks.Module``: the graph has no node
    for it, so a call of one on part of a program is refused."""

    name: str
    line: int


@dataclass(eq=False)
class OwnModule:
    """``MyModule(...)``: an instance of the script's own module class."""

    cls: OwnModuleClass


@dataclass(eq=False)
class SynalinksRef:
    """A Synalinks name not yet called (``synalinks.Generator``)."""

    name: str


def is_symbolic(value: Any) -> bool:
    """Whether ``value`` is (or holds) part of the program being built."""
    if isinstance(value, NodeOutput):
        return True
    if isinstance(value, Sequence):
        return any(is_symbolic(v) for v in value.items)
    return False


def plain(value: Any) -> Any:
    """The Python value of a literal (lists of literals included), else raise ValueError."""
    if isinstance(value, Literal):
        return value.value
    if isinstance(value, Sequence):
        return [plain(v) for v in value.items]
    if isinstance(value, Instance):
        return {k: v for k, v in value.values.items()}
    raise ValueError("not a literal")


@dataclass(eq=False)
class EmbeddingModel:
    """``synalinks.EmbeddingModel(model=..., name=...)``: one of the graph's embedding models
    (``model`` is None when the script chooses it at run time)."""

    name: str
    model: str | None
    api_base: str | None
    line: int


@dataclass(eq=False)
class KnowledgeBase:
    """``synalinks.KnowledgeBase(uri="duckdb://...", ...)``: one of the graph's knowledge bases."""

    name: str
    path: str
    data_models: list[str]
    embedding_model: str
    metric: str
    line: int
