"""Concat, And, Or, Xor: combine an ordered list of inputs, with Synalinks' None rules.

Synalinks folds Concat, And and Or pairwise, left to right; so do we, which
matters for the ``_1`` suffixes of clashing keys. Its Xor module is not a fold:
it keeps the one input that is present and gives None when several are
(synalinks 0.10.14, modules/merging/logical_xor.py), so three present inputs
give None, not the third (the chained ``a ^ b ^ c`` operator does fold).

| inputs           | Concat | And    | Or       | Xor      |
| both present     | a + b  | a + b  | a + b    | None     |
| one is None      | error  | None   | the other| the other|
| both None        | error  | None   | None     | None     |
"""

from __future__ import annotations

from pydantic import BaseModel

from core.model.graph import Node
from core.nodes.params import STRICT
from core.registry.node_type import JsonSchema, NodeType, PortSpec, RunContext, SchemaContext, Value
from core.schemas.json_ops import concat_json, concat_schema, fold

_MERGE_INPUTS = (
    PortSpec(
        "inputs",
        "inputs",
        multiple=True,
        description="Data models to combine, in order (reorder them in the inspector).",
    ),
)


class MergeParams(BaseModel):
    model_config = STRICT


class MergeRunError(ValueError):
    """A merge that cannot combine its inputs (Concat given None)."""


class MergeType(NodeType):
    category = "Merge"
    params_model = MergeParams
    is_merge = True
    color = "#1f9aa6"

    def input_ports(self, params: BaseModel) -> tuple[PortSpec, ...]:
        return _MERGE_INPUTS

    def output_schemas(self, node: Node, params, inputs, ctx: SchemaContext):
        schemas = inputs.get("inputs") or []
        if not schemas or any(s is None for s in schemas):
            return {"output": None}
        return {"output": self.combine_schemas(schemas)}

    def combine_schemas(self, schemas: list[JsonSchema]) -> JsonSchema:
        return fold(schemas, concat_schema)

    def combine(self, node: Node, values: list[Value]) -> Value:
        raise NotImplementedError

    async def run(self, node: Node, params, inputs: dict[str, list[Value]], ctx: RunContext):
        return {"output": self.combine(node, inputs["inputs"])}


def _pair(step):
    def fold_values(values: list[Value]) -> Value:
        return fold(values, step) if values else None

    return fold_values


def _and(a: Value, b: Value) -> Value:
    return concat_json(a, b) if a is not None and b is not None else None


def _or(a: Value, b: Value) -> Value:
    if a is not None and b is not None:
        return concat_json(a, b)
    return a if a is not None else b


class ConcatType(MergeType):
    type_name = "Concat"
    title = "Concat"
    description = "Joins every input's fields into one data model; fails if an input is None."
    default_name = "concat"
    synalinks_class = "Concat"

    def output_may_be_none(self, params, inputs):
        return {"output": False}

    def combine(self, node: Node, values: list[Value]) -> Value:
        for index, value in enumerate(values):
            if value is None:
                raise MergeRunError(
                    f"{node.name}: input {index + 1} is None (a branch not taken?); "
                    "Concat needs every input; use Or to keep whichever is present"
                )
        return fold(values, concat_json)


class AndType(MergeType):
    type_name = "And"
    title = "And"
    description = "Joins the inputs when all are present; None if any is None."
    default_name = "logical_and"
    synalinks_class = "And"

    def output_may_be_none(self, params, inputs):
        return {"output": any(inputs.get("inputs", []))}

    def combine(self, node: Node, values: list[Value]) -> Value:
        return _pair(_and)(values)


class OrType(MergeType):
    type_name = "Or"
    title = "Or"
    description = "Keeps the inputs that are present (joined); None only if all are None."
    default_name = "logical_or"
    synalinks_class = "Or"

    def output_may_be_none(self, params, inputs):
        flags = inputs.get("inputs", [])
        return {"output": bool(flags) and all(flags)}

    def combine_schemas(self, schemas: list[JsonSchema]) -> JsonSchema:
        # Synalinks' symbolic Or/Xor take the first input's schema.
        return schemas[0]

    def combine(self, node: Node, values: list[Value]) -> Value:
        return _pair(_or)(values)


class XorType(OrType):
    type_name = "Xor"
    title = "Xor"
    description = "Keeps the one input that is present; None if none or several are."
    default_name = "logical_xor"
    synalinks_class = "Xor"

    def output_may_be_none(self, params, inputs):
        flags = inputs.get("inputs", [])
        return {"output": len(flags) > 1 or any(flags)}

    def combine(self, node: Node, values: list[Value]) -> Value:
        present = [value for value in values if value is not None]
        return present[0] if len(present) == 1 else None
