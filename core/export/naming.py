"""Python names for the exported script: node variables, data model classes, models.

Node and data model names are already identifiers (validation insists), but
they may clash with the names the script itself needs (``synalinks``,
``asyncio``, ``main``, ``build_program``, ``language_model``...) or with
Python's builtins. A clashing name gets a trailing underscore (then ``_2``,
``_3``... if that is taken too). Only variable and class names change: the
``name="..."`` arguments keep the graph's names, which is what the importer
reads back, so export -> import -> export is stable.
"""

from __future__ import annotations

import builtins
import keyword
from collections.abc import Iterable

SCRIPT_NAMES: frozenset[str] = frozenset(
    {
        # module level: imports, functions
        "argparse",
        "asyncio",
        "json",
        "typing",
        "Literal",
        "synalinks",
        "dotenv",
        "load_dotenv",
        "build_program",
        "show",
        "main",
        # locals of build_program and main
        "override",
        "language_model",
        "embedding_model",
        "embedding_override",
        "program",
        "parser",
        "args",
        "result",
        "results",
        "label",
    }
)
"""Names the exported script defines or imports; nothing of the graph may take them."""

RESERVED: frozenset[str] = SCRIPT_NAMES | frozenset(dir(builtins)) | frozenset(keyword.kwlist)


def free_name(name: str, taken: set[str]) -> str:
    """``name`` if neither reserved nor taken, else ``name_``, ``name_2``, ``name_3``..."""
    if name not in RESERVED and name not in taken:
        return name
    candidate = f"{name}_"
    n = 2
    while candidate in RESERVED or candidate in taken:
        candidate = f"{name}_{n}"
        n += 1
    return candidate


def assign_names(names: Iterable[str], taken: set[str]) -> dict[str, str]:
    """A distinct free identifier for each of ``names`` (in order); adds them to ``taken``.

    A name clashes when it is reserved or already in ``taken`` (a class name,
    for a node variable). Every original name is taken up front, so renaming
    one clashing name never steals another's own name.
    """
    wanted = list(names)
    before = set(taken)
    taken.update(wanted)
    result: dict[str, str] = {}
    for name in wanted:
        if name in RESERVED or name in before:
            result[name] = free_name(name, taken)
            taken.add(result[name])
        else:
            result[name] = name
    return result


def model_variable(index: int) -> str:
    """The variable of the ``index``-th language model (0 is the graph's default)."""
    return "language_model" if index == 0 else f"language_model_{index + 1}"
