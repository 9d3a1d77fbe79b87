"""``synalinks.DataModel`` classes for the graph's data models.

A class's docstring is its description (what pydantic puts in the schema);
a description a formatter would alter as a docstring (leading or trailing
spaces) is assigned to ``__doc__`` instead, which means the same to Python.
Every field gets ``synalinks.Field(...)``, even without a description: a bare
annotation whose name matches a DataModel method would take that method as
its default and stop being required.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from core.export.literals import INDENT, call, fits, is_plain_docstring, py_str, py_value
from core.model.data_models import DataModelSpec, FieldSpec


def annotation(spec: FieldSpec, class_names: Mapping[str, str] | None = None) -> str:
    """``str``, ``list[int]``, ``Literal["a", "b"]``, ``Source`` (another data
    model's class), ``... | None`` for optional fields."""
    if spec.type == "enum":
        base = f"Literal[{', '.join(py_str(c) for c in spec.choices)}]"
    elif spec.type == "model":
        base = (class_names or {}).get(spec.data_model, spec.data_model)
    else:
        base = spec.type
    text = f"list[{base}]" if spec.is_list else base
    if spec.required:
        return text
    # ``Source | None`` would not be a type: a DataModel class's ``|`` builds
    # Synalinks' symbolic Or of two data models.
    return f"Optional[{text}]" if spec.type == "model" else f"{text} | None"


def exploded_annotation(spec: FieldSpec, class_names: Mapping[str, str] | None = None) -> str:
    """The annotation split the way ``ruff format`` splits one that does not fit
    (enum choices one a line with a trailing comma, so the split is stable)."""
    if spec.type == "enum":
        depth = (0 if spec.required else 1) + (1 if spec.is_list else 0)
        choices = "".join(f"{INDENT * (depth + 2)}{py_str(c)},\n" for c in spec.choices)
        text = f"Literal[\n{choices}{INDENT * (depth + 1)}]"
        if spec.is_list:
            inner = INDENT * (2 if spec.required else 3)
            text = f"list[\n{inner}{text}\n{inner[:-4]}]"
        if not spec.required:
            text = f"(\n{INDENT * 2}{text}\n{INDENT * 2}| None\n{INDENT})"
        return text
    if not spec.required:
        return f"(\n{INDENT * 2}{annotation(spec, class_names)}\n{INDENT})"
    base = annotation(spec.model_copy(update={"is_list": False}), class_names)
    if spec.is_list:
        return f"list[\n{INDENT * 2}{base}\n{INDENT}]"
    return base


def write_field(spec: FieldSpec, class_names: Mapping[str, str] | None = None) -> str:
    args: list[tuple[str, str]] = []
    if spec.default is not None:
        args.append(("default", py_value(spec.default_value(), 2)))
    elif not spec.required:
        args.append(("default", "None"))
    if spec.description:
        args.append(("description", py_str(spec.description)))
    value = call("synalinks.Field", args, 1)
    text = annotation(spec, class_names)
    head = f"{INDENT}{spec.name}: {text} = {value.splitlines()[0]}"
    kind = text if fits(head) else exploded_annotation(spec, class_names)
    return f"{INDENT}{spec.name}: {kind} = {value}\n"


def definition_order(specs: Iterable[DataModelSpec]) -> list[DataModelSpec]:
    """The data models in graph order, except that a data model comes after the
    ones its fields hold (a class must exist before another's annotation names it)."""
    by_name = {s.name: s for s in specs}
    ordered: dict[str, DataModelSpec] = {}

    def place(spec: DataModelSpec, path: frozenset[str]) -> None:
        if spec.name in ordered or spec.name in path:
            return  # a loop is refused by validation before export
        for name in spec.nested_names():
            if name in by_name:
                place(by_name[name], path | {spec.name})
        ordered[spec.name] = spec

    for spec in by_name.values():
        place(spec, frozenset())
    return list(ordered.values())


def write_data_model(
    spec: DataModelSpec, class_name: str, class_names: Mapping[str, str] | None = None
) -> str:
    """The class for ``spec``; a renamed class (its name clashed with the script's)
    keeps the graph's name as its schema title through ``model_config``."""
    body: list[str] = []
    if spec.description:
        if is_plain_docstring(spec.description):
            body.append(f'{INDENT}"""{spec.description}"""\n')
        elif spec.description == spec.description.strip():
            body.append(f"{INDENT}{py_str(spec.description)}\n")
        else:
            body.append(f"{INDENT}__doc__ = {py_str(spec.description)}\n")
    if class_name != spec.name:
        body.append(f'{INDENT}model_config = {{"title": {py_str(spec.name)}}}\n')
    fields = "".join(write_field(f, class_names) for f in spec.fields)
    if fields:
        body.append(fields)
    if not body:
        body.append(f"{INDENT}pass\n")
    return f"class {class_name}(synalinks.DataModel):\n" + "\n".join(body)


def uses_literal(specs: list[DataModelSpec]) -> bool:
    return any(f.type == "enum" for s in specs for f in s.fields)


def typing_imports(specs: list[DataModelSpec]) -> str:
    """``from typing import ...`` for what the classes' annotations use (or nothing)."""
    names = []
    if uses_literal(specs):
        names.append("Literal")
    if any(f.type == "model" and not f.required for s in specs for f in s.fields):
        names.append("Optional")
    return f"from typing import {', '.join(names)}\n" if names else ""
