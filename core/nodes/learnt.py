"""What training taught a module, read from its node's ``variables``.

A Synalinks Generator keeps its prompt in a trainable ``Instructions`` variable
(``instructions`` and few-shot ``examples``) and renders the prompt from that
state, not from the constructor's arguments. A program opened from
``program.save`` carries that state in each node's ``variables``; the built-in
engine reads it here so a trained program asks the model what Synalinks would
ask it, on both backends.

The state is found by shape (a dict holding ``instructions`` or ``examples``)
rather than by path, because the path depends on how the module nests its
generator (a Decision's lives one level down).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

STATE_KEYS = ("instructions", "examples")


@dataclass(frozen=True, slots=True)
class LearntPrompt:
    """The trained instructions ("" when none) and examples as (inputs, outputs) pairs."""

    instructions: str = ""
    examples: tuple[tuple[Any, Any], ...] = ()

    def __bool__(self) -> bool:
        return bool(self.instructions or self.examples)


def learnt_state(variables: dict[str, Any]) -> dict[str, Any] | None:
    """The first trainable state dict in ``variables`` that holds a prompt, or None."""
    group = variables.get("trainable_variables", variables)
    return _find_state(group, depth=0)


def _find_state(value: Any, depth: int) -> dict[str, Any] | None:
    if not isinstance(value, dict) or depth > 6:
        return None
    if any(key in value for key in STATE_KEYS) and not any(
        isinstance(value.get(key), dict) for key in STATE_KEYS
    ):
        return value
    for child in value.values():
        found = _find_state(child, depth + 1)
        if found is not None:
            return found
    return None


def learnt_prompt(variables: dict[str, Any]) -> LearntPrompt:
    """The prompt training left in ``variables`` (empty when untrained)."""
    state = learnt_state(variables)
    if state is None:
        return LearntPrompt()
    instructions = state.get("instructions")
    return LearntPrompt(
        instructions=instructions if isinstance(instructions, str) else "",
        examples=tuple(
            pair for pair in map(example_pair, state.get("examples") or ()) if pair is not None
        ),
    )


def example_pair(example: Any) -> tuple[Any, Any] | None:
    """An example as (inputs, outputs): Synalinks stores predictions as
    ``{"inputs", "outputs", "reward"}``; hand-written files often use pairs."""
    if isinstance(example, dict) and "inputs" in example:
        return example.get("inputs"), example.get("outputs")
    if isinstance(example, (list, tuple)) and len(example) == 2:
        return example[0], example[1]
    return None


def with_learnt_prompt(
    variables: dict[str, Any], instructions: str, examples: list[tuple[Any, Any]]
) -> dict[str, Any]:
    """A copy of ``variables`` whose prompt state holds ``instructions`` and
    ``examples`` (stored as Synalinks stores predictions); the rest of the
    state (candidates, history…) is kept as it was."""
    import copy

    result = copy.deepcopy(variables)
    state = learnt_state(result)
    if state is None:
        raise ValueError("this node has no trained prompt state to edit")
    state["instructions"] = instructions
    kept = [p for p in map(example_pair, state.get("examples") or ()) if p is not None]
    if [list(p) for p in kept] != [list(p) for p in examples]:
        state["examples"] = [
            {"inputs": inputs, "outputs": outputs, "reward": None} for inputs, outputs in examples
        ]
    return result
