"""Nodes that call a language model: Generator, ChainOfThought, Decision, Branch.

Their semantics mirror Synalinks 0.10 so that an exported program and our
engine agree: a None input gives a None output without a model call; Decision
asks its question over the labels and answers ``{thinking, choice}``; Branch
decides, then passes its input (with the decision injected) to the module on
the chosen label's port and None to the others.
"""

from __future__ import annotations

from functools import lru_cache
from typing import Any

from pydantic import BaseModel, field_validator

from core.diagnostics import Diagnostic, error, warning
from core.model.graph import Graph, Node
from core.nodes.learnt import LearntPrompt, learnt_prompt
from core.nodes.params import STRICT, param
from core.nodes.program_io import RESULT_KEY
from core.registry.node_type import (
    GenerationRequest,
    JsonSchema,
    NodeType,
    PortSpec,
    RunContext,
    SchemaContext,
    Value,
)
from core.schemas.json_ops import concat_json, concat_schema

THINKING_SCHEMA: JsonSchema = {
    "additionalProperties": False,
    "properties": {
        "thinking": {
            "description": "Your step by step thinking",
            "title": "Thinking",
            "type": "string",
        }
    },
    "required": ["thinking"],
    "title": "Thinking",
    "type": "object",
}


def decision_schema(labels: list[str]) -> JsonSchema:
    """The ``{thinking, choice}`` schema Synalinks' Decision answers."""
    return {
        "additionalProperties": False,
        "properties": {
            "thinking": {
                "description": "Your step by step thinking to choose the correct label.",
                "title": "Thinking",
                "type": "string",
            },
            "choice": {"enum": list(labels), "title": "Choice", "type": "string"},
        },
        "required": ["thinking", "choice"],
        "title": "DecisionAnswer",
        "type": "object",
    }


def default_decision_instructions(labels: list[str]) -> str:
    """Synalinks' default Decision instructions (kept identical on purpose)."""
    return (
        "You will be given a question, your task is to answer step-by-step to choose\n"
        f"one the following labels: {labels}"
    )


# ----------------------------------------------------------------- parameters
def _model_param() -> Any:
    return param(
        title="Language model",
        description="A litellm model string (e.g. openai/gpt-4o-mini, ollama/llama3, offline); "
        "empty uses the graph's default model.",
        widget="model",
    )


def _temperature_param() -> Any:
    return param(
        None,
        title="Temperature",
        description="Sampling temperature; empty uses the provider's default.",
        widget="float",
        ge=0.0,
        le=2.0,
    )


class GeneratorParams(BaseModel):
    model_config = STRICT
    data_model: str = param(
        title="Output data model",
        description="The data model the answer must fill.",
        widget="data_model",
    )
    instructions: str = param(
        title="Instructions",
        description="What the model should do, in plain words (optional).",
        widget="text",
    )
    language_model: str = _model_param()
    temperature: float | None = _temperature_param()


class DecisionParams(BaseModel):
    model_config = STRICT
    question: str = param(
        title="Question",
        description="The question the model answers by choosing one label.",
        widget="text",
    )
    labels: list[str] = param(
        [],
        title="Labels",
        description="The labels to choose from, one per line.",
        widget="labels",
    )
    instructions: str = param(
        title="Instructions",
        description="Extra instructions; empty uses Synalinks' default decision instructions.",
        widget="text",
    )
    language_model: str = _model_param()
    temperature: float | None = _temperature_param()

    @field_validator("labels")
    @classmethod
    def _clean_labels(cls, labels: list[str]) -> list[str]:
        return [label.strip() for label in labels if label.strip()]


class BranchParams(DecisionParams):
    inject_decision: bool = param(
        True,
        title="Inject decision",
        description="Give the chosen module the decision (thinking, choice) with its input.",
        widget="bool",
    )
    return_decision: bool = param(
        True,
        title="Return decision",
        description="Put the decision (thinking, choice) in front of the chosen module's output.",
        widget="bool",
    )


# ------------------------------------------------------------------ base type
class LanguageModuleType(NodeType):
    """Shared behaviour of model-calling modules with one data input."""

    category = "Language"
    uses_language_model = True

    def initial_params(self, graph: Graph) -> dict[str, Any]:
        params = self.default_params()
        if "data_model" in params:
            # Prefer a data model no Input uses: that is usually the answer shape.
            used = {n.params.get("data_model") for n in graph.nodes.values() if n.type == "Input"}
            names = list(graph.data_models)
            params["data_model"] = next(
                (n for n in names if n not in used), names[0] if names else ""
            )
        return params

    def answer_schema(self, params: Any, ctx: SchemaContext) -> JsonSchema | None:
        raise NotImplementedError

    def output_schemas(self, node: Node, params: Any, inputs, ctx: SchemaContext):
        schema = self.answer_schema(params, ctx)
        prefix = ctx.branch_decision_schema(node.id)
        if schema is not None and prefix is not None:
            schema = concat_schema(prefix, schema)
        return {"output": schema}

    def request(
        self, node: Node, params: Any, value: dict[str, Any], ctx: SchemaContext
    ) -> GenerationRequest:
        """The model call this node makes for one input value."""
        schema = self.answer_schema(params, ctx)
        if schema is None:
            raise ValueError(
                f"{node.name}: its output data model {params.data_model!r} does not exist"
            )
        return _request(node, params, params.instructions, value, schema)

    async def run(self, node: Node, params: Any, inputs: dict[str, list[Value]], ctx: RunContext):
        value = inputs["inputs"][0]
        if value is None:
            return {"output": None}
        answer = await ctx.generate(self.request(node, params, value, ctx))
        decision = ctx.branch_decision(node.id)
        if decision is not None:
            answer = concat_json(decision, answer)
        return {"output": answer}


class _DataModelAnswer(LanguageModuleType):
    def check(self, node: Node, params: GeneratorParams, graph: Graph) -> list[Diagnostic]:
        if not params.data_model:
            return [
                error(
                    "missing_data_model",
                    f"{node.name}: choose the output data model it must fill",
                    node.id,
                )
            ]
        return []


class GeneratorType(_DataModelAnswer):
    type_name = "Generator"
    title = "Generator"
    description = "Asks the language model for an answer that fills a data model."
    color = "#3b6fe0"
    default_name = "generator"
    params_model = GeneratorParams
    synalinks_class = "Generator"

    def answer_schema(self, params: GeneratorParams, ctx: SchemaContext) -> JsonSchema | None:
        return ctx.data_model_schema(params.data_model)


class ChainOfThoughtType(GeneratorType):
    type_name = "ChainOfThought"
    title = "Chain of Thought"
    description = "Like Generator, with a leading `thinking` field so the model reasons first."
    color = "#5a55d6"
    default_name = "chain_of_thought"
    synalinks_class = "ChainOfThought"

    def answer_schema(self, params: GeneratorParams, ctx: SchemaContext) -> JsonSchema | None:
        schema = ctx.data_model_schema(params.data_model)
        return None if schema is None else concat_schema(THINKING_SCHEMA, schema)


class DecisionType(LanguageModuleType):
    type_name = "Decision"
    title = "Decision"
    description = "Answers a question by choosing one of its labels: {thinking, choice}."
    color = "#d9822b"
    default_name = "decision"
    params_model = DecisionParams
    synalinks_class = "Decision"

    def answer_schema(self, params: DecisionParams, ctx: SchemaContext) -> JsonSchema | None:
        return decision_schema(params.labels)

    def request(self, node, params: DecisionParams, value, ctx):
        return _decision_request(node, params, value)

    def check(self, node: Node, params: DecisionParams, graph: Graph) -> list[Diagnostic]:
        return _decision_checks(node, params)


class BranchType(LanguageModuleType):
    """Decides, then routes: one output port per label, None on the ports not chosen.

    Each port feeds exactly one module (Synalinks' ``branches=[...]``); that
    module receives the input, plus the decision when ``inject_decision``.
    """

    type_name = "Branch"
    title = "Branch"
    description = "Chooses a label, then runs only the module on that label's port."
    color = "#c8553d"
    default_name = "branch"
    params_model = BranchParams
    synalinks_class = "Branch"

    def output_ports(self, params: BranchParams) -> tuple[PortSpec, ...]:
        return _branch_ports(tuple(params.labels))

    def output_port_moves(self, old: BranchParams, new: BranchParams) -> dict[str, str | None]:
        """Ports are numbered by label; a connection belongs to its label.

        A label kept (wherever it moved) keeps its connection; a label renamed
        in place (same index, a new text no old label had) keeps it too; a
        deleted label loses it.
        """
        new_index = {}
        for index, label in enumerate(new.labels):
            new_index.setdefault(label, index)
        taken = {new_index[label] for label in old.labels if label in new_index}
        moves: dict[str, str | None] = {}
        for index, label in enumerate(old.labels):
            if label in new_index:
                moves[branch_port(index)] = branch_port(new_index[label])
            elif (
                index < len(new.labels)
                and index not in taken
                and new.labels[index] not in old.labels
            ):
                moves[branch_port(index)] = branch_port(index)
                taken.add(index)
            else:
                moves[branch_port(index)] = None
        return moves

    def output_schemas(self, node: Node, params: BranchParams, inputs, ctx: SchemaContext):
        incoming = (inputs.get("inputs") or [None])[0]
        decision = decision_schema(params.labels)
        carried = None
        if incoming is not None:
            carried = concat_schema(incoming, decision) if params.inject_decision else incoming
        return {branch_port(i): carried for i in range(len(params.labels))}

    def output_may_be_none(self, params, inputs):
        return {p.name: True for p in self.output_ports(params)}

    def check(self, node: Node, params: BranchParams, graph: Graph) -> list[Diagnostic]:
        return _decision_checks(node, params)

    async def run(
        self, node: Node, params: BranchParams, inputs: dict[str, list[Value]], ctx: RunContext
    ):
        value = inputs["inputs"][0]
        nothing: dict[str, Value] = {branch_port(i): None for i in range(len(params.labels))}
        if value is None:
            return {**nothing, RESULT_KEY: None}
        decision = await ctx.generate(_decision_request(node, params, value))
        choice = decision.get("choice")
        carried = concat_json(value, decision) if params.inject_decision else value
        outputs = {
            branch_port(i): (carried if label == choice else None)
            for i, label in enumerate(params.labels)
        }
        return {**outputs, RESULT_KEY: decision}


@lru_cache(maxsize=1024)
def _branch_ports(labels: tuple[str, ...]) -> tuple[PortSpec, ...]:
    return tuple(
        PortSpec(
            branch_port(i), label, role="branch", description=f"taken when the choice is {label!r}"
        )
        for i, label in enumerate(labels)
    )


def branch_port(index: int) -> str:
    """Port name of a Branch's ``index``-th label (stable when labels are renamed)."""
    return f"branch_{index}"


def branch_port_index(port: str) -> int | None:
    prefix = "branch_"
    if port.startswith(prefix) and port[len(prefix) :].isdigit():
        return int(port[len(prefix) :])
    return None


# -------------------------------------------------------------------- helpers
def _request(
    node: Node, params: Any, instructions: str, value: dict, schema: JsonSchema
) -> GenerationRequest:
    # A trained module prompts with what training left in its state, as
    # Synalinks renders its prompt from that state rather than its arguments.
    learnt = learnt_prompt(node.variables) if node.variables else LearntPrompt()
    return GenerationRequest(
        node_id=node.id,
        node_name=node.name,
        model=params.language_model,
        instructions=learnt.instructions or instructions,
        inputs=value,
        output_schema=schema,
        temperature=params.temperature,
        examples=learnt.examples,
    )


def _decision_request(node: Node, params: DecisionParams, value: dict) -> GenerationRequest:
    with_question = concat_json(value, {"question": params.question})
    instructions = params.instructions or default_decision_instructions(params.labels)
    return _request(node, params, instructions, with_question, decision_schema(params.labels))


def _decision_checks(node: Node, params: DecisionParams) -> list[Diagnostic]:
    found: list[Diagnostic] = []
    if not params.labels:
        found.append(
            error("missing_labels", f"{node.name}: add at least two labels to choose from", node.id)
        )
    elif len(params.labels) == 1:
        found.append(
            warning(
                "single_label",
                f"{node.name}: one label leaves nothing to decide; add another",
                node.id,
            )
        )
    if len(set(params.labels)) != len(params.labels):
        found.append(
            error("duplicate_labels", f"{node.name}: each label must be different", node.id)
        )
    if not params.question.strip():
        found.append(
            error(
                "missing_question",
                f"{node.name}: write the question the model must answer",
                node.id,
            )
        )
    return found
