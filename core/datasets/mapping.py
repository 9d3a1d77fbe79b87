"""Which column feeds which field: the Input data model(s) and the expected output.

A column goes to the field of the same name (``query`` -> ``query``); the
expected output's fields also take ``expected_<field>``, ``<field>_expected``
and ``expected.<field>``, so a file can hold an input and an expected value
of the same name. Anything can be overridden by name. Columns that feed
nothing are listed (ignored, never guessed at); a required input field
without a column makes the file unusable, with the columns that exist.

:class:`RowMapper` turns each raw row into an :class:`Example` or a
:class:`~core.datasets.errors.RowProblem` with the reason: text from a CSV
is read as the field's type (``"3"`` for an int, ``"true"`` for a bool, a
JSON list for a list field), and every value is checked against its data
model.
"""

from __future__ import annotations

import json
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from typing import Any

import jsonschema
from pydantic import ValidationError

from core.datasets.errors import DatasetError, RowProblem
from core.datasets.readers import DatasetFile, RawRow
from core.model.data_models import DataModelSpec


@dataclass(frozen=True, slots=True)
class InputTarget:
    """One Input node of the graph: its name and data model."""

    node: str
    spec: DataModelSpec
    # The graph's data models, for the nested ones ``spec`` holds.
    models: Mapping[str, DataModelSpec] = field(default_factory=dict)


@dataclass(frozen=True, slots=True)
class Example:
    """A usable row: the program's input (as a run takes it) and the expected output."""

    index: int
    line: int | None
    inputs: dict[str, Any]
    expected: dict[str, Any]


@dataclass(frozen=True)
class ColumnMapping:
    """Field -> column, for the inputs and for the expected output.

    Input keys are field names (``Input.field`` when the graph has several
    Inputs); ``unused`` lists the columns that feed nothing."""

    inputs: dict[str, str]
    expected: dict[str, str]
    unused: tuple[str, ...] = ()

    def to_json(self) -> dict[str, Any]:
        return {"inputs": self.inputs, "expected": self.expected, "unused": list(self.unused)}


def _expected_aliases(name: str) -> tuple[str, ...]:
    return (f"expected_{name}", f"{name}_expected", f"expected.{name}", name)


def auto_mapping(
    columns: list[str],
    inputs: list[InputTarget],
    expected_schema: dict[str, Any] | None,
    overrides: Mapping[str, str] | None = None,
    *,
    source: str = "the dataset",
) -> ColumnMapping:
    """Map ``columns`` to the input fields and the expected output's fields.

    ``overrides`` maps a field (``field``, ``Input.field``, or
    ``expected.field`` for the expected output) to a column; a plain name that
    is both an input and an expected field means the input."""
    overrides = dict(overrides or {})
    by_lower = {c.lower(): c for c in columns}
    several = len(inputs) > 1
    input_keys: dict[str, tuple[InputTarget, str]] = {}
    for target in inputs:
        for f in target.spec.fields:
            key = f"{target.node}.{f.name}" if several else f.name
            input_keys[key] = (target, f.name)
    expected_names = list((expected_schema or {}).get("properties", {}))

    mapped_inputs: dict[str, str] = {}
    mapped_expected: dict[str, str] = {}
    for key, column in overrides.items():
        if column not in columns:
            raise DatasetError(
                f"{source}: the mapping {key}={column} names a column that is not in the file; "
                f"its columns are {', '.join(columns) or '(none)'}"
            )
        plain = key.removeprefix("expected.")
        if key in input_keys:
            mapped_inputs[key] = column
        elif plain in expected_names:
            mapped_expected[plain] = column
        else:
            known = list(input_keys) + [f"expected.{n}" for n in expected_names]
            raise DatasetError(
                f"{source}: the mapping {key}={column} names no field of the Input or the "
                f"expected output; the fields are {', '.join(known)}"
            )
    taken = set(mapped_inputs.values()) | set(mapped_expected.values())
    for key, (_target, name) in input_keys.items():
        if key in mapped_inputs:
            continue
        for candidate in (key, name) if several else (key,):
            column = by_lower.get(candidate.lower())
            if column and column not in taken:
                mapped_inputs[key] = column
                taken.add(column)
                break
    for name in expected_names:
        if name in mapped_expected:
            continue
        for candidate in _expected_aliases(name):
            column = by_lower.get(candidate.lower())
            if column and column not in taken:
                mapped_expected[name] = column
                taken.add(column)
                break

    missing = [
        key
        for key, (target, name) in input_keys.items()
        if key not in mapped_inputs and target.spec.field(name).required
    ]
    if missing:
        raise DatasetError(
            f"{source}: no column for the required input field(s) {', '.join(missing)}; the "
            f"columns are {', '.join(columns) or '(none)'}: rename one, or map it "
            f"(--map {missing[0]}=COLUMN)"
        )
    if not mapped_expected:
        wanted = ", ".join(expected_names) or "(the output has no fields)"
        raise DatasetError(
            f"{source}: no column gives an expected output; name a column after the output's "
            f"fields ({wanted}, or expected_<field>), or map one (--map expected.FIELD=COLUMN)"
        )
    unused = tuple(c for c in columns if c not in taken)
    return ColumnMapping(mapped_inputs, mapped_expected, unused)


class RowMapper:
    """Turns raw rows into examples (or problems) under one mapping."""

    def __init__(
        self,
        mapping: ColumnMapping,
        inputs: list[InputTarget],
        expected_schema: dict[str, Any],
    ) -> None:
        self.mapping = mapping
        self.inputs = inputs
        self.several = len(inputs) > 1
        defs = expected_schema.get("$defs", {})
        properties = expected_schema.get("properties", {})
        self._expected: dict[str, tuple[dict[str, Any], Any]] = {}
        for name in mapping.expected:
            prop = _resolve(properties.get(name, {}), defs)
            schema = {**prop, "$defs": defs} if defs else prop
            self._expected[name] = (prop, jsonschema.Draft202012Validator(schema))

    def convert(self, raw: RawRow) -> Example | RowProblem:
        if raw.values is None:
            return RowProblem(raw.index, raw.line, raw.problem or "unreadable row")
        try:
            inputs = self._inputs(raw.values)
            expected = self._expected_values(raw.values)
        except _Unfit as exc:
            return RowProblem(raw.index, raw.line, str(exc))
        return Example(raw.index, raw.line, inputs, expected)

    def examples(self, rows: Iterator[RawRow]) -> Iterator[Example | RowProblem]:
        for raw in rows:
            yield self.convert(raw)

    # ------------------------------------------------------------- inputs
    def _inputs(self, values: dict[str, Any]) -> dict[str, Any]:
        result: dict[str, Any] = {}
        for target in self.inputs:
            data: dict[str, Any] = {}
            for f in target.spec.fields:
                key = f"{target.node}.{f.name}" if self.several else f.name
                column = self.mapping.inputs.get(key)
                if column is None:
                    continue
                value = values.get(column)
                if _blank(value):
                    if f.required:
                        raise _Unfit(f"the input field {key} (column {column!r}) is empty")
                    continue
                if (f.is_list or f.type == "model") and isinstance(value, str):
                    value = _json_or_text(value)
                data[f.name] = value
            try:
                model = target.spec.to_pydantic(target.models).model_validate(data)
            except ValidationError as exc:
                err = exc.errors()[0]
                where = ".".join(str(p) for p in err.get("loc", ()))
                raise _Unfit(
                    f"the input field {where} does not fit {target.spec.name}: {err.get('msg')}"
                ) from None
            dumped = model.model_dump(mode="json", exclude_none=True)
            if self.several:
                result[target.node] = dumped
            else:
                result = dumped
        return result

    # ----------------------------------------------------------- expected
    def _expected_values(self, values: dict[str, Any]) -> dict[str, Any]:
        expected: dict[str, Any] = {}
        for name, column in self.mapping.expected.items():
            value = values.get(column)
            if _blank(value):
                raise _Unfit(f"no expected value for {name} (column {column!r} is empty)")
            prop, validator = self._expected[name]
            value = _coerce(value, prop)
            problem = next(iter(validator.iter_errors(value)), None)
            if problem is not None:
                raise _Unfit(
                    f"the expected {name} (column {column!r}) does not fit the output: "
                    f"{problem.message}"
                )
            expected[name] = value
        return expected


class _Unfit(Exception):
    pass


def _blank(value: Any) -> bool:
    return value is None or (isinstance(value, str) and not value.strip())


def _json_or_text(value: str) -> Any:
    try:
        return json.loads(value)
    except ValueError:
        return value


def _resolve(schema: dict[str, Any], defs: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = defs.get(schema["$ref"].rsplit("/", 1)[-1], {})
    for key in ("anyOf", "oneOf"):
        options = [s for s in schema.get(key, ()) if s.get("type") != "null"]
        if len(options) == 1:
            return _resolve(options[0], defs)
    return schema


def _coerce(value: Any, prop: dict[str, Any]) -> Any:
    """Text from a CSV cell read as what the property holds (a number, a
    boolean, a list or object as JSON); anything else is returned as is."""
    if not isinstance(value, str):
        return value
    kind = prop.get("type")
    text = value.strip()
    if kind in ("integer", "number"):
        try:
            number = float(text)
        except ValueError:
            return value
        return int(number) if kind == "integer" and number.is_integer() else number
    if kind == "boolean":
        lowered = text.lower()
        if lowered in ("true", "yes", "1"):
            return True
        if lowered in ("false", "no", "0"):
            return False
        return value
    if kind in ("array", "object"):
        return _json_or_text(text)
    return value


@dataclass
class DatasetReport:
    """What reading a dataset under a mapping found (for a panel or a summary)."""

    examples: int = 0
    problems: list[RowProblem] = field(default_factory=list)


def check_dataset(file: DatasetFile, mapper: RowMapper, limit: int | None = None) -> DatasetReport:
    """Read the file once and count the usable rows and list the problems."""
    report = DatasetReport()
    for n, item in enumerate(mapper.examples(file.rows())):
        if limit is not None and n >= limit:
            break
        if isinstance(item, RowProblem):
            report.problems.append(item)
        else:
            report.examples += 1
    return report
