"""What a training will cost, foreseen before it starts.

Synalinks 0.10's ``fit`` runs, for each batch: the program on the batch's
rows, then the program on a validation minibatch twice (the current
candidate, then the one the optimizer proposes), and the Evolutionary and
OMEGA optimizers call their own language model once per trainable module to
propose; after each epoch, the program on every validation row. Each program
run calls every language-model module once (an agent calls more: the
estimate is then a floor). Tokens are counted from the rows' and schemas'
text (about four characters a token), few-shot examples included; the cost
uses litellm's price list, and is unknown (None) for a model it has no price
for. The offline model costs nothing.
"""

from __future__ import annotations

import json
import math
from dataclasses import asdict, dataclass
from typing import Any

from core.datasets import Example
from core.engine.options import is_offline
from core.model.graph import Graph
from core.registry.registry import Registry

CHARS_PER_TOKEN = 4
PROMPT_OVERHEAD = 120
"""Tokens of a prompt besides the input, instructions and schema (roles, framing)."""
PROPOSING = {"evolutionary", "omega"}
AGENT_TYPES = {"FunctionCallingAgent", "ReActAgent"}


@dataclass(frozen=True)
class Estimate:
    model_calls: int
    tokens: int
    cost: float | None
    program_runs: int
    batches_per_epoch: int
    lm_modules: int
    floor: bool
    """True when some module (an agent) may call its model more than once per run."""

    def to_json(self) -> dict[str, Any]:
        return asdict(self)

    def describe(self) -> str:
        cost = "unknown cost" if self.cost is None else f"${self.cost:.4f}"
        floor = "at least " if self.floor else "about "
        return (
            f"{floor}{self.model_calls:,} model calls, {self.tokens:,} tokens, {cost} "
            f"({self.program_runs:,} program runs, {self.batches_per_epoch} batches per epoch)"
        )


def _chars(value: Any) -> int:
    return len(json.dumps(value, ensure_ascii=False, default=str))


def _models(graph: Graph, override: str | None) -> list[tuple[str, str]]:
    """(node name, model) of every module that calls a language model."""
    found = []
    for node in graph.nodes.values():
        params = node.params if isinstance(node.params, dict) else {}
        if "language_model" in params:
            found.append(
                (
                    node.name,
                    override
                    or params.get("language_model")
                    or graph.meta.default_model
                    or "offline",
                )
            )
    return found


def _price(model: str, tokens_in: int, tokens_out: int) -> float | None:
    if is_offline(model):
        return 0.0
    try:
        import litellm

        prompt, completion = litellm.cost_per_token(
            model=model, prompt_tokens=tokens_in, completion_tokens=tokens_out
        )
    except Exception:  # a model litellm has no price for
        return None
    return float(prompt + completion)


def estimate_training(
    graph: Graph,
    registry: Registry,
    train: list[Example],
    validation: list[Example],
    options: Any,
    model: str | None = None,
) -> Estimate:
    modules = _models(graph, model)
    n_train, n_val = len(train), len(validation)
    batches = math.ceil(n_train / options.batch_size) if n_train else 0
    mini = min(options.minibatch_size or n_val, n_val)
    runs_per_epoch = batches * (options.batch_size + 2 * mini) + n_val
    runs = runs_per_epoch * options.epochs
    proposals = batches * options.epochs * len(modules) if options.optimizer in PROPOSING else 0
    calls = runs * len(modules) + proposals

    rows = train + validation
    in_chars = sum(_chars(r.inputs) for r in rows) / max(len(rows), 1)
    out_chars = sum(_chars(r.expected) for r in rows) / max(len(rows), 1)
    shots = int(options.optimizer_config.get("nb_max_examples", 3))
    schema_chars = sum(_chars(dm.model_dump(mode="json")) for dm in graph.data_models.values())
    instructions = max(
        (len(str(n.params.get("instructions") or "")) for n in graph.nodes.values()), default=0
    )
    prompt = (
        PROMPT_OVERHEAD
        + (in_chars + schema_chars + instructions + shots * (in_chars + out_chars))
        / CHARS_PER_TOKEN
    )
    answer = max(20.0, 1.5 * out_chars / CHARS_PER_TOKEN)
    tokens_in = int(calls * prompt)
    tokens_out = int(calls * answer)
    cost: float | None = 0.0
    per_module = calls / max(len(modules), 1)
    for _name, used in modules:
        price = _price(used, int(per_module * prompt), int(per_module * answer))
        cost = None if price is None or cost is None else cost + price
    return Estimate(
        model_calls=calls,
        tokens=tokens_in + tokens_out,
        cost=cost,
        program_runs=runs,
        batches_per_epoch=batches,
        lm_modules=len(modules),
        floor=any(graph.nodes[n].type in AGENT_TYPES for n in graph.nodes),
    )
