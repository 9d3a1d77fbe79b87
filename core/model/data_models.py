"""Graph-level data models: the named schemas nodes read and produce.

A data model is what Synalinks calls a ``DataModel`` class (the seed's ``Query``
and ``AnswerWithThinking``). Here it is plain, immutable data so that undo can
swap whole specs and files can store them; :func:`compile_data_model` turns one
into a pydantic model and a JSON schema shaped like Synalinks' own.

A field may hold another data model of the graph (``type="model"``), alone or
in a list, as a Synalinks class annotated with another class does; compiling
such a spec needs the graph's data models, and a reference that is missing or
leads back to the spec itself is a :class:`DataModelError`.
"""

from __future__ import annotations

from collections.abc import Mapping
from functools import lru_cache
from typing import Any, Literal

import pydantic
from pydantic import (
    BaseModel,
    ConfigDict,
    Field,
    SerializerFunctionWrapHandler,
    field_validator,
    model_serializer,
    model_validator,
)

from core.model.names import identifier_problem

FieldKind = Literal["str", "int", "float", "bool", "enum", "model"]
# The built-in kinds; "model" names another data model of the graph instead.
FIELD_KINDS: tuple[FieldKind, ...] = ("str", "int", "float", "bool", "enum")
_PY_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}
Scalar = str | int | float | bool
DefaultValue = Scalar | tuple[Scalar, ...] | None


class DataModelError(ValueError):
    """A data model cannot be compiled: a nested data model is missing or circular."""


class FieldSpec(BaseModel):
    """One field of a data model: ``name: type = Field(default=..., description=...)``.

    ``required=False`` makes the field optional (``T | None``, None unless a
    default is given); ``default`` (None: no default) makes the model free to
    leave it out. ``data_model`` names the nested data model of a ``model`` field.
    """

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FieldKind = "str"
    is_list: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    required: bool = True
    data_model: str = ""
    default: DefaultValue = None

    @field_validator("name")
    @classmethod
    def _name_is_identifier(cls, value: str) -> str:
        problem = identifier_problem(value)
        if problem:
            raise ValueError(f"field name: {problem}")
        return value

    @model_validator(mode="after")
    def _choices_match_kind(self) -> FieldSpec:
        if self.type == "enum":
            if not self.choices:
                raise ValueError(f"field {self.name!r} is an enum but lists no choices")
            if len(set(self.choices)) != len(self.choices):
                raise ValueError(f"field {self.name!r} lists a choice twice")
        elif self.choices:
            raise ValueError(f"field {self.name!r} has choices but its type is {self.type!r}")
        if self.type == "model":
            problem = identifier_problem(self.data_model)
            if problem:
                raise ValueError(f"field {self.name!r} holds a data model, but {problem}")
        elif self.data_model:
            raise ValueError(
                f"field {self.name!r} names data model {self.data_model!r} "
                f"but its type is {self.type!r}"
            )
        if self.default is not None:
            self._check_default()
        return self

    def _check_default(self) -> None:
        value = self.default
        if self.is_list:
            if not isinstance(value, tuple):
                raise ValueError(f"field {self.name!r} is a list: its default must be a list")
            items: tuple[Any, ...] = value
        elif isinstance(value, tuple):
            raise ValueError(f"field {self.name!r} is not a list: its default cannot be a list")
        else:
            items = (value,)
        if self.type == "model" and items:
            raise ValueError(
                f"field {self.name!r} holds data model {self.data_model!r}: its default can "
                "only be an empty list; make it optional instead"
            )
        for item in items:
            if not _fits(self.type, self.choices, item):
                wanted = f"one of {', '.join(self.choices)}" if self.type == "enum" else self.type
                raise ValueError(f"field {self.name!r}: default {item!r} is not {wanted}")

    @model_serializer(mode="wrap")
    def _without_unset_extras(self, handler: SerializerFunctionWrapHandler) -> dict[str, Any]:
        # Files and clipboards stay as they were for fields that use neither.
        data = handler(self)
        if not self.data_model:
            data.pop("data_model", None)
        if self.default is None:
            data.pop("default", None)
        return data

    def base_label(self) -> str:
        """The type without list or optionality: ``str``, ``enum(a|b)``, ``Source``."""
        if self.type == "enum":
            return f"enum({'|'.join(self.choices)})"
        return self.data_model if self.type == "model" else self.type

    def type_label(self) -> str:
        """Short human label, as shown on node cards: ``str``, ``list[int]``,
        ``enum(a|b)``, ``Source``, ``str?`` when optional, ``= 3`` with a default."""
        label = f"list[{self.base_label()}]" if self.is_list else self.base_label()
        label = label if self.required else f"{label}?"
        if self.default is None:
            return label
        shown = repr(list(self.default) if isinstance(self.default, tuple) else self.default)
        return f"{label} = {shown if len(shown) <= 16 else shown[:15] + '…'}"

    def python_type(self, nested: type[BaseModel] | None = None) -> Any:
        """The Python annotation this field compiles to (before optionality);
        ``nested`` is the compiled class of a ``model`` field's data model."""
        if self.type == "model":
            if nested is None:
                raise DataModelError(
                    f"field {self.name!r} holds data model {self.data_model!r}, which was not given"
                )
            base: Any = nested
        elif self.type == "enum":
            base = Literal[self.choices]
        else:
            base = _PY_TYPES[self.type]
        return list[base] if self.is_list else base

    def default_value(self) -> Any:
        """The default as a JSON value (a list for list fields)."""
        return list(self.default) if isinstance(self.default, tuple) else self.default


def _fits(kind: str, choices: tuple[str, ...], value: Any) -> bool:
    if kind == "bool":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return False
    if kind == "int":
        return isinstance(value, int)
    if kind == "float":
        return isinstance(value, int | float)
    if kind == "enum":
        return value in choices
    return kind == "str" and isinstance(value, str)


class DataModelSpec(BaseModel):
    """A named schema: ordered fields and a docstring-like description."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    description: str = ""
    fields: tuple[FieldSpec, ...] = Field(default=())

    @field_validator("name")
    @classmethod
    def _name_is_identifier(cls, value: str) -> str:
        problem = identifier_problem(value)
        if problem:
            raise ValueError(f"data model name: {problem}")
        return value

    @model_validator(mode="after")
    def _unique_field_names(self) -> DataModelSpec:
        seen: set[str] = set()
        for spec in self.fields:
            if spec.name in seen:
                raise ValueError(f"data model {self.name!r} has two fields named {spec.name!r}")
            seen.add(spec.name)
        return self

    def field(self, name: str) -> FieldSpec | None:
        return next((f for f in self.fields if f.name == name), None)

    def nested_names(self) -> tuple[str, ...]:
        """The data models this one's fields hold, in field order, each once."""
        return tuple(dict.fromkeys(f.data_model for f in self.fields if f.type == "model"))

    def to_pydantic(self, models: Mapping[str, DataModelSpec] | None = None) -> type[BaseModel]:
        """The pydantic model class for this spec (cached by value); ``models``
        (the graph's data models) resolves nested data models."""
        return _compile(self, dependencies(self, models or {}))

    def json_schema(self, models: Mapping[str, DataModelSpec] | None = None) -> dict[str, Any]:
        """A fresh copy of the JSON schema (callers may mutate it)."""
        return _deep_copy(_schema(self, dependencies(self, models or {})))


def dependencies(
    spec: DataModelSpec, models: Mapping[str, DataModelSpec]
) -> tuple[DataModelSpec, ...]:
    """Every data model ``spec`` holds, directly or deeper, sorted by name.

    Raises :class:`DataModelError` naming the missing model, or the loop when a
    data model holds itself (Synalinks' providers take no recursive schemas).
    """
    found: dict[str, DataModelSpec] = {}

    def visit(current: DataModelSpec, path: tuple[str, ...]) -> None:
        for name in current.nested_names():
            if name == spec.name or name in path:
                loop = " → ".join((*path, name))
                raise DataModelError(
                    f"data model {spec.name} holds itself ({loop}); remove one of these "
                    "nested fields"
                )
            nested = models.get(name)
            if nested is None:
                raise DataModelError(
                    f"data model {current.name} has a field holding data model {name}, which "
                    "does not exist; create it or change the field's type"
                )
            if name not in found:
                found[name] = nested
                visit(nested, (*path, name))

    visit(spec, (spec.name,))
    return tuple(found[n] for n in sorted(found))


def compile_data_model(
    spec: DataModelSpec, models: Mapping[str, DataModelSpec] | None = None
) -> type[BaseModel]:
    """Compile ``spec`` to a pydantic model; the same spec value gives the same class."""
    return spec.to_pydantic(models)


@lru_cache(maxsize=4096)
def _compile(spec: DataModelSpec, deps: tuple[DataModelSpec, ...]) -> type[BaseModel]:
    by_name = {d.name: d for d in deps}
    definitions: dict[str, Any] = {}
    for f in spec.fields:
        nested = None
        if f.type == "model":
            inner = by_name[f.data_model]
            # Each nested class is compiled with its own closure, so one data
            # model is one class however deep it appears (pydantic names $defs
            # by class, and two classes of one name would be renamed).
            nested = _compile(inner, dependencies(inner, by_name))
        annotation = f.python_type(nested)
        description = f.description or None
        if not f.required:
            annotation = annotation | None
        if f.default is not None:
            definitions[f.name] = (
                annotation,
                Field(default=f.default_value(), description=description),
            )
        elif f.required:
            definitions[f.name] = (annotation, Field(description=description))
        else:
            definitions[f.name] = (annotation, Field(default=None, description=description))
    return pydantic.create_model(  # type: ignore[call-overload]
        spec.name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=spec.description or None,
        **definitions,
    )


@lru_cache(maxsize=4096)
def _schema(spec: DataModelSpec, deps: tuple[DataModelSpec, ...]) -> dict[str, Any]:
    return _compile(spec, deps).model_json_schema()


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value
