"""``synalinks.DataModel`` classes for the graph's data models.

A class's docstring is its description (what pydantic puts in the schema);
a description a formatter would alter as a docstring (leading or trailing
spaces) is assigned to ``__doc__`` instead, which means the same to Python.
Every field gets ``synalinks.Field(...)``, even without a description: a bare
annotation whose name matches a DataModel method would take that method as
its default and stop being required.
"""

from __future__ import annotations

from core.export.literals import INDENT, call, fits, is_plain_docstring, py_str
from core.model.data_models import DataModelSpec, FieldSpec


def annotation(spec: FieldSpec) -> str:
    """``str``, ``list[int]``, ``Literal["a", "b"]``, ``... | None`` for optional fields."""
    if spec.type == "enum":
        base = f"Literal[{', '.join(py_str(c) for c in spec.choices)}]"
    else:
        base = spec.type
    text = f"list[{base}]" if spec.is_list else base
    return text if spec.required else f"{text} | None"


def exploded_annotation(spec: FieldSpec) -> str:
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
        return f"(\n{INDENT * 2}{annotation(spec)}\n{INDENT})"
    if spec.is_list:
        return f"list[\n{INDENT * 2}{spec.type}\n{INDENT}]"
    return spec.type


def write_field(spec: FieldSpec) -> str:
    args: list[tuple[str, str]] = []
    if not spec.required:
        args.append(("default", "None"))
    if spec.description:
        args.append(("description", py_str(spec.description)))
    value = call("synalinks.Field", args, 1)
    head = f"{INDENT}{spec.name}: {annotation(spec)} = {value.splitlines()[0]}"
    kind = annotation(spec) if fits(head) else exploded_annotation(spec)
    return f"{INDENT}{spec.name}: {kind} = {value}\n"


def write_data_model(spec: DataModelSpec, class_name: str) -> str:
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
    fields = "".join(write_field(f) for f in spec.fields)
    if fields:
        body.append(fields)
    if not body:
        body.append(f"{INDENT}pass\n")
    return f"class {class_name}(synalinks.DataModel):\n" + "\n".join(body)


def uses_literal(specs: list[DataModelSpec]) -> bool:
    return any(f.type == "enum" for s in specs for f in s.fields)
