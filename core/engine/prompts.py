"""The chat messages a language-model node sends.

Shaped like Synalinks' Generator prompt (so a graph behaves the same once
exported): a system message holding the instructions and the output schema,
and a user message holding the input as JSON. A retry after a bad answer
appends that answer and what was wrong with it, so the model can correct it.
"""

from __future__ import annotations

import ast
import json
from typing import Any

from core.registry.node_type import GenerationRequest

ANSWER_RULE = (
    "Answer with one JSON object that follows the output schema: "
    "no text before or after it, no code fence."
)


def default_instructions(schema: dict[str, Any]) -> str:
    """Synalinks' wording for a Generator without instructions."""
    keys = list(schema.get("properties", {}))
    return f"Your task is to answer with a JSON containing the following keys: {keys}"


def build_messages(
    request: GenerationRequest, schema_json: str | None = None
) -> list[dict[str, str]]:
    """System (instructions, output schema, training's examples, answer rule) then
    user (the input JSON).
    ``schema_json`` is the output schema already dumped, when the caller has it."""
    schema = request.output_schema
    instructions = request.instructions.strip() or default_instructions(schema)
    schema_json = schema_json or json.dumps(schema, ensure_ascii=False)
    system = (
        f"<instructions>\n{instructions}\n</instructions>\n"
        f"<output_schema>\n{schema_json}\n</output_schema>\n"
        f"{examples_block(request.examples)}"
        f"{ANSWER_RULE}"
    )
    return [
        {"role": "system", "content": system},
        {"role": "user", "content": json.dumps(request.inputs, ensure_ascii=False)},
    ]


def examples_block(examples: tuple[tuple[Any, Any], ...]) -> str:
    """Training's few-shot examples, laid out as Synalinks' default prompt
    template lays them out (one ``<example>`` of input then output each)."""
    if not examples:
        return ""
    shown = "".join(
        f"<example>\n{json.dumps(inputs, ensure_ascii=False)}\n"
        f"{json.dumps(outputs, ensure_ascii=False)}\n</example>\n"
        for inputs, outputs in examples
    )
    return f"<examples>\n{shown}</examples>\n"


def correction_messages(bad_answer: str, problem: str) -> list[dict[str, str]]:
    """What to append after an answer that did not parse or fit the schema."""
    return [
        {"role": "assistant", "content": bad_answer},
        {
            "role": "user",
            "content": f"That answer was rejected: {problem}. Answer again. {ANSWER_RULE}",
        },
    ]


def input_of(messages: list[dict[str, Any]]) -> Any:
    """The input a prompt carries: its first user message as JSON (what
    :func:`build_messages` writes), as a Python literal (what Synalinks' own
    Generator writes, ``{'query': 'hi'}``, read with :func:`ast.literal_eval`,
    which evaluates nothing), or else that message's text."""
    for message in messages:
        if message.get("role") == "user":
            content = message.get("content")
            if isinstance(content, list):  # OpenAI content parts
                content = " ".join(str(p.get("text", "")) for p in content if isinstance(p, dict))
            try:
                return json.loads(content)
            except (TypeError, ValueError):
                pass
            try:
                return ast.literal_eval(content.strip())
            except (
                AttributeError,
                TypeError,
                ValueError,
                SyntaxError,
                MemoryError,
                RecursionError,
            ):
                return content
    return None
