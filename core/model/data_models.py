"""Graph-level data models: the named schemas nodes read and produce.

A data model is what Synalinks calls a ``DataModel`` class (the seed's ``Query``
and ``AnswerWithThinking``). Here it is plain, immutable data so that undo can
swap whole specs and files can store them; :func:`compile_data_model` turns one
into a pydantic model and a JSON schema shaped like Synalinks' own.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any, Literal

import pydantic
from pydantic import BaseModel, ConfigDict, Field, field_validator, model_validator

from core.model.names import identifier_problem

FieldKind = Literal["str", "int", "float", "bool", "enum"]
FIELD_KINDS: tuple[FieldKind, ...] = ("str", "int", "float", "bool", "enum")
_PY_TYPES: dict[str, type] = {"str": str, "int": int, "float": float, "bool": bool}


class FieldSpec(BaseModel):
    """One field of a data model: ``name: type = Field(description=...)``."""

    model_config = ConfigDict(extra="forbid", frozen=True)

    name: str
    type: FieldKind = "str"
    is_list: bool = False
    choices: tuple[str, ...] = ()
    description: str = ""
    required: bool = True

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
        return self

    def type_label(self) -> str:
        """Short human label, as shown on node cards: ``str``, ``list[int]``, ``enum(a|b)``."""
        base = f"enum({'|'.join(self.choices)})" if self.type == "enum" else self.type
        label = f"list[{base}]" if self.is_list else base
        return label if self.required else f"{label}?"

    def python_type(self) -> Any:
        """The Python annotation this field compiles to (before optionality)."""
        base: Any = Literal[self.choices] if self.type == "enum" else _PY_TYPES[self.type]
        return list[base] if self.is_list else base


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

    def to_pydantic(self) -> type[BaseModel]:
        """The pydantic model class for this spec (cached by value)."""
        return _compile(self)

    def json_schema(self) -> dict[str, Any]:
        """A fresh copy of the JSON schema (callers may mutate it)."""
        return _deep_copy(_schema(self))


def compile_data_model(spec: DataModelSpec) -> type[BaseModel]:
    """Compile ``spec`` to a pydantic model; the same spec value gives the same class."""
    return _compile(spec)


@lru_cache(maxsize=4096)
def _compile(spec: DataModelSpec) -> type[BaseModel]:
    definitions: dict[str, Any] = {}
    for f in spec.fields:
        annotation = f.python_type()
        if f.required:
            definitions[f.name] = (annotation, Field(description=f.description or None))
        else:
            definitions[f.name] = (
                annotation | None,
                Field(default=None, description=f.description or None),
            )
    return pydantic.create_model(  # type: ignore[call-overload]
        spec.name,
        __config__=ConfigDict(extra="forbid"),
        __doc__=spec.description or None,
        **definitions,
    )


@lru_cache(maxsize=4096)
def _schema(spec: DataModelSpec) -> dict[str, Any]:
    return _compile(spec).model_json_schema()


def _deep_copy(value: Any) -> Any:
    if isinstance(value, dict):
        return {k: _deep_copy(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_deep_copy(v) for v in value]
    return value
