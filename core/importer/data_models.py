"""``class X(synalinks.DataModel)`` -> :class:`~core.model.DataModelSpec`, read from the tree.

Fields are ``name: type = synalinks.Field(default=..., description=...)`` with
``str``, ``int``, ``float``, ``bool``, a data model class defined earlier in
the file, ``list[...]`` of those, enums as ``Literal["a", "b"]`` or an ``Enum``
class of strings, and ``Optional[...]`` / ``... | None`` for fields that are
not required; literal defaults are kept. The docstring (or a
``__doc__ = "..."`` assignment, which the exporter writes when a docstring
would be reformatted) is the description; ``model_config = {"title": ...}``
gives the name back to a class the exporter had to rename.
"""

from __future__ import annotations

import ast
import inspect
from collections.abc import Callable
from typing import Any

from core.importer.references import References
from core.model.data_models import DataModelSpec, FieldSpec
from core.model.names import identifier_problem

Report = Callable[[int, str, str], None]
SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool"}
FIELD_ARGS = {"description", "default"}


class Unsupported(Exception):
    """A construct this class cannot hold; the message says what to do."""


class DataModelReader:
    """Reads DataModel and Enum classes; keeps what it read for later classes."""

    def __init__(self, refs: References, source: str, report: Report) -> None:
        self.refs = refs
        self.source = source
        self.report = report
        self.specs: dict[str, DataModelSpec] = {}
        self.classes: dict[str, str] = {}  # Python class name -> data model name
        self.enums: dict[str, tuple[str, ...]] = {}

    # ------------------------------------------------------------- classes
    def is_data_model(self, node: ast.ClassDef) -> bool:
        return any(
            self.refs.synalinks_name(b) == "DataModel"
            or (isinstance(b, ast.Name) and b.id in self.classes)
            for b in node.bases
        )

    def is_enum(self, node: ast.ClassDef) -> bool:
        return any(
            self.refs.is_enum_base(b) or (isinstance(b, ast.Name) and b.id in self.enums)
            for b in node.bases
        )

    def read_enum(self, node: ast.ClassDef) -> None:
        choices: list[str] = []
        for stmt in node.body:
            if isinstance(stmt, ast.Assign) and isinstance(stmt.value, ast.Constant):
                if not isinstance(stmt.value.value, str):
                    self.report(
                        stmt.lineno,
                        f"enum {node.name}: member values must be strings to become choices; "
                        f"got {stmt.value.value!r}",
                        "error",
                    )
                    return
                choices.append(stmt.value.value)
        self.enums[node.name] = tuple(choices)

    def read(self, node: ast.ClassDef) -> DataModelSpec | None:
        """The spec for a DataModel class (problems reported; None if unusable)."""
        name, description, fields = node.name, "", []
        for base in node.bases:
            if isinstance(base, ast.Name) and base.id in self.classes:
                fields.extend(self.specs[self.classes[base.id]].fields)
        for index, stmt in enumerate(node.body):
            if index == 0 and _is_string(stmt):
                description = self._docstring(stmt.value)  # type: ignore[attr-defined]
            elif isinstance(stmt, ast.AnnAssign) and isinstance(stmt.target, ast.Name):
                spec = self._field(node.name, stmt)
                if spec is not None:
                    fields = [f for f in fields if f.name != spec.name] + [spec]
            elif isinstance(stmt, ast.Assign) and _assigns(stmt, "__doc__"):
                description = _string(stmt.value) or description
            elif isinstance(stmt, ast.Assign) and _assigns(stmt, "model_config"):
                name = self._title(node.name, stmt) or name
            elif isinstance(stmt, ast.Pass) or _is_string(stmt):
                continue
            else:
                self.report(
                    stmt.lineno,
                    f"data model {node.name}: {_describe(stmt)} is ignored (a graph data model "
                    "holds fields only); keep it in your own code",
                    "warning",
                )
        try:
            spec = DataModelSpec(name=name, description=description, fields=tuple(fields))
        except ValueError as exc:
            self.report(node.lineno, f"data model {node.name}: {_first_line(exc)}", "error")
            return None
        if name in self.specs:
            self.report(node.lineno, f"two data models are named {name}; rename one", "error")
            return None
        self.specs[name] = spec
        self.classes[node.name] = name
        return spec

    def _docstring(self, expr: ast.Constant) -> str:
        """Triple-quoted multi-line docstrings are cleaned like ``inspect.cleandoc``
        (what pydantic shows); any other string is taken exactly as written."""
        text = expr.value
        segment = ast.get_source_segment(self.source, expr) or ""
        triple = segment.lstrip("rRuUbBfF").startswith(('"""', "'''"))
        return inspect.cleandoc(text) if triple and "\n" in text else text

    def _title(self, class_name: str, stmt: ast.Assign) -> str | None:
        value = stmt.value
        title = None
        if isinstance(value, ast.Dict):
            for key, item in zip(value.keys, value.values, strict=True):
                if isinstance(key, ast.Constant) and key.value == "title":
                    title = _string(item)
                else:
                    self._ignored_config(class_name, stmt.lineno, key)
        elif isinstance(value, ast.Call):
            for keyword in value.keywords:
                if keyword.arg == "title":
                    title = _string(keyword.value)
                else:
                    self._ignored_config(class_name, stmt.lineno, keyword.arg)
        if title is not None and identifier_problem(title):
            self.report(
                stmt.lineno,
                f"data model {class_name}: title {title!r} is not a valid name; "
                f"the class name is used",
                "warning",
            )
            return None
        return title

    def _ignored_config(self, class_name: str, line: int, key: Any) -> None:
        shown = key.value if isinstance(key, ast.Constant) else key
        self.report(line, f"data model {class_name}: model_config {shown!r} is ignored", "warning")

    # -------------------------------------------------------------- fields
    def _field(self, class_name: str, stmt: ast.AnnAssign) -> FieldSpec | None:
        name = stmt.target.id  # type: ignore[union-attr]
        where = f"data model {class_name}, field {name}"
        try:
            kind, is_list, choices, data_model, optional = self._annotation(stmt.annotation)
            description, default = self._value(where, stmt)
        except Unsupported as exc:
            self.report(stmt.lineno, f"{where}: {exc}", "error")
            return None
        base = {
            "name": name,
            "type": kind,
            "is_list": is_list,
            "choices": choices,
            "data_model": data_model,
            "description": description,
            "required": not optional,
        }
        kept = None if default is _NO_DEFAULT else _as_default(default)
        if kept is not None:
            try:
                return FieldSpec(**base, default=kept)
            except ValueError as exc:
                self.report(
                    stmt.lineno,
                    f"{where}: its default {default!r} is dropped ({_first_line(exc)})",
                    "warning",
                )
        elif default is None and not optional:
            self.report(
                stmt.lineno,
                f"{where}: its default None does not fit its type; it stays required "
                "(add | None to make it optional)",
                "warning",
            )
        try:
            return FieldSpec(**base)
        except ValueError as exc:
            self.report(stmt.lineno, f"{where}: {_first_line(exc)}", "error")
            return None

    def _value(self, where: str, stmt: ast.AnnAssign) -> tuple[str, Any]:
        value = stmt.value
        if value is None:
            return "", _NO_DEFAULT
        if isinstance(value, ast.Call) and self._is_field_call(value.func):
            description, default = "", _NO_DEFAULT
            if value.args:
                default = _literal(value.args[0], where)
            for keyword in value.keywords:
                if keyword.arg == "description":
                    text = _string(keyword.value)
                    if text is None:
                        raise Unsupported("its description must be a plain string literal")
                    description = text
                elif keyword.arg == "default":
                    default = _literal(keyword.value, where)
                else:
                    self.report(
                        stmt.lineno,
                        f"{where}: Field argument {keyword.arg}= is ignored (graph fields keep "
                        "a type, a description and whether they are required)",
                        "warning",
                    )
            return description, (_NO_DEFAULT if default is Ellipsis else default)
        return "", _literal(value, where)

    def _is_field_call(self, func: ast.expr) -> bool:
        qualified = self.refs.qualify(func) or ""
        return qualified.split(".")[-1] == "Field" and qualified.split(".")[0] in (
            "synalinks",
            "pydantic",
        )

    def _annotation(self, expr: ast.expr) -> tuple[str, bool, tuple[str, ...], str, bool]:
        members = self._union_members(expr)
        kept = [m for m in members if not _is_none(m)]
        if len(kept) != 1:
            raise Unsupported(
                f"the type {ast.unparse(expr)} is a union; use one type (optionally | None)"
            )
        kind, is_list, choices, data_model = self._base(kept[0], allow_list=True)
        return kind, is_list, choices, data_model, len(kept) != len(members)

    def _union_members(self, expr: ast.expr) -> list[ast.expr]:
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            try:
                expr = ast.parse(expr.value, mode="eval").body
            except SyntaxError:
                raise Unsupported(f"cannot read the type {expr.value!r}") from None
        if isinstance(expr, ast.BinOp) and isinstance(expr.op, ast.BitOr):
            return self._union_members(expr.left) + self._union_members(expr.right)
        if isinstance(expr, ast.Subscript) and self.refs.is_typing(expr.value, "Optional"):
            return [expr.slice, ast.Constant(None)]
        if isinstance(expr, ast.Subscript) and self.refs.is_typing(expr.value, "Union"):
            parts = expr.slice.elts if isinstance(expr.slice, ast.Tuple) else [expr.slice]
            return [m for part in parts for m in self._union_members(part)]
        return [expr]

    def _base(self, expr: ast.expr, allow_list: bool) -> tuple[str, bool, tuple[str, ...], str]:
        """(kind, is a list, enum choices, nested data model name)."""
        if isinstance(expr, ast.Constant) and isinstance(expr.value, str):
            try:  # a quoted forward reference: "Source"
                expr = ast.parse(expr.value, mode="eval").body
            except SyntaxError:
                raise Unsupported(f"cannot read the type {expr.value!r}") from None
        if isinstance(expr, ast.Name) and expr.id in SCALARS:
            return SCALARS[expr.id], False, (), ""
        if isinstance(expr, ast.Name) and expr.id in self.enums:
            return "enum", False, self.enums[expr.id], ""
        if isinstance(expr, ast.Subscript):
            if self._is_list(expr.value):
                if not allow_list:
                    raise Unsupported("lists of lists are not supported; use one level of list")
                kind, _, choices, data_model = self._base(expr.slice, allow_list=False)
                return kind, True, choices, data_model
            if self.refs.is_typing(expr.value, "Literal"):
                return "enum", False, _choices(expr.slice), ""
        if isinstance(expr, ast.Name) and expr.id in self.classes:
            return "model", False, (), self.classes[expr.id]
        raise Unsupported(
            f"the type {ast.unparse(expr)} is not supported; use str, int, float, bool, "
            "Literal[...] or an Enum of strings, a data model class defined above, "
            "or list[...] of these"
        )

    def _is_list(self, expr: ast.expr) -> bool:
        return (isinstance(expr, ast.Name) and expr.id == "list") or self.refs.is_typing(
            expr, "List", "Sequence"
        )


_NO_DEFAULT: Any = object()


def _choices(expr: ast.expr) -> tuple[str, ...]:
    items = expr.elts if isinstance(expr, ast.Tuple) else [expr]
    choices = []
    for item in items:
        if not (isinstance(item, ast.Constant) and isinstance(item.value, str)):
            raise Unsupported(
                f"Literal choices must be strings; got {ast.unparse(item)} (use strings)"
            )
        choices.append(item.value)
    return tuple(choices)


def _as_default(value: Any) -> Any:
    """A literal default as a field keeps it (lists as tuples); None for none."""
    return tuple(value) if isinstance(value, list) else value


def _literal(expr: ast.expr, where: str) -> Any:
    try:
        return ast.literal_eval(expr)
    except (ValueError, SyntaxError, TypeError):
        raise Unsupported(f"its default {ast.unparse(expr)} is not a literal value") from None


def _is_none(expr: ast.expr) -> bool:
    return isinstance(expr, ast.Constant) and expr.value is None


def _is_string(stmt: ast.stmt) -> bool:
    return (
        isinstance(stmt, ast.Expr)
        and isinstance(stmt.value, ast.Constant)
        and isinstance(stmt.value.value, str)
    )


def _string(expr: ast.expr) -> str | None:
    return expr.value if isinstance(expr, ast.Constant) and isinstance(expr.value, str) else None


def _assigns(stmt: ast.Assign, name: str) -> bool:
    return any(isinstance(t, ast.Name) and t.id == name for t in stmt.targets)


def _describe(stmt: ast.stmt) -> str:
    if isinstance(stmt, (ast.FunctionDef, ast.AsyncFunctionDef)):
        return f"method {stmt.name}()"
    return f"`{ast.unparse(stmt).splitlines()[0][:60]}`"


def _first_line(exc: Exception) -> str:
    text = str(exc)
    # pydantic: "1 validation error for X\n<loc>\n  Value error, <message> [type=...]"
    for line in text.splitlines():
        if "Value error, " in line:
            return line.split("Value error, ", 1)[1].split(" [type=")[0]
    return text.splitlines()[0]
