"""Runs under the *real* synalinks (the .venv-synalinks interpreter), never under ours.

Reads a JSON request on stdin, prints one JSON object: what synalinks itself
says for everything the foundation claims to mirror. The classes below are
written as a Synalinks user would write them (the lesson's ``Query`` and
``AnswerWithThinking`` verbatim), so the comparison is with real usage, not
with a translation of our own specs.

Request: ``{"json_cases": [[a, b], ...], "schema_cases": [[a, b], ...]}``.
Answer: ``data_models``, ``json_cases``, ``schema_cases``, ``programs`` (symbolic
output schemas by name) and ``merge_runs`` (run results of each merge module
for each None pattern of two and three inputs).
"""

from __future__ import annotations

import asyncio
import itertools
import json
import sys
from typing import Literal, Optional

import synalinks
from synalinks.src.backend.common.json_schema_utils import concatenate_schema
from synalinks.src.backend.common.json_utils import concatenate_json


class Query(synalinks.DataModel):
    """The input query to analyze."""

    query: str = synalinks.Field(
        description="The user query",
    )


class AnswerWithThinking(synalinks.DataModel):
    """An answer with step-by-step reasoning."""

    thinking: str = synalinks.Field(
        description="Your step by step thinking",
    )
    answer: str = synalinks.Field(
        description="The correct answer",
    )


class Answer(synalinks.DataModel):
    """A direct answer."""

    answer: str = synalinks.Field(description="The correct answer")


class EveryKind(synalinks.DataModel):
    """One field of every kind."""

    text: str = synalinks.Field(description="A string")
    count: int = synalinks.Field(description="An integer")
    ratio: float = synalinks.Field(description="A float")
    flag: bool = synalinks.Field(description="A boolean")
    mood: Literal["calm", "busy"] = synalinks.Field(description="An enum")
    texts: list[str] = synalinks.Field(description="Strings")
    counts: list[int] = synalinks.Field(description="Integers")
    ratios: list[float] = synalinks.Field(description="Floats")
    flags: list[bool] = synalinks.Field(description="Booleans")
    moods: list[Literal["a", "b", "c"]] = synalinks.Field(description="Enums")
    maybe_text: Optional[str] = synalinks.Field(default=None, description="Optional string")  # noqa: UP045
    maybe_count: Optional[int] = None  # noqa: UP045
    maybe_mood: Optional[Literal["yes", "no"]] = synalinks.Field(  # noqa: UP045
        default=None, description="Optional enum"
    )
    maybe_ratios: Optional[list[float]] = None  # noqa: UP045


class Source(synalinks.DataModel):
    """A cited source."""

    url: str = synalinks.Field(description="Where it is")
    score: float = synalinks.Field(default=0.5, description="How much it is trusted")
    tags: list[str] = synalinks.Field(default=["web"])


class Report(synalinks.DataModel):
    """A report citing sources: nested data models, lists of them, defaults."""

    title: str = synalinks.Field(default="Untitled", description="The title")
    main: Source = synalinks.Field(description="The main source")
    sources: list[Source] = synalinks.Field(default=[], description="Every source")
    backup: Optional[Source] = synalinks.Field(default=None)  # noqa: UP045
    count: int = synalinks.Field(default=3)
    mood: Literal["calm", "busy"] = synalinks.Field(default="calm")
    flag: Optional[bool] = synalinks.Field(default=True)  # noqa: UP045


async def programs() -> dict:
    lm = synalinks.LanguageModel(model="ollama/mistral")  # never called: symbolic only
    out: dict = {}
    x0 = synalinks.Input(data_model=Query)
    out["generator"] = (
        await synalinks.Generator(
            data_model=AnswerWithThinking, language_model=lm, name="branch_1"
        )(x0)
    ).get_schema()
    out["chain_of_thought"] = (
        await synalinks.ChainOfThought(
            data_model=AnswerWithThinking, language_model=lm, name="cot"
        )(x0)
    ).get_schema()
    out["decision"] = (
        await synalinks.Decision(
            question="How difficult is the above query?",
            labels=["easy", "difficult"],
            language_model=lm,
            name="decide",
        )(x0)
    ).get_schema()
    for inject, ret in itertools.product([True, False], repeat=2):
        # The modules' outputs, as our Branch-fed nodes produce them.
        outputs = await synalinks.Branch(
            question="How difficult is the above query?",
            labels=["easy", "difficult"],
            branches=[
                synalinks.Generator(
                    data_model=Answer, language_model=lm, name=f"quick_{inject}_{ret}"
                ),
                synalinks.ChainOfThought(
                    data_model=Answer, language_model=lm, name=f"careful_{inject}_{ret}"
                ),
            ],
            inject_decision=inject,
            return_decision=ret,
            language_model=lm,
            name=f"route_{inject}_{ret}",
        )(x0)
        out[f"branch_modules_{inject}_{ret}"] = [o.get_schema() for o in outputs]
        # What travels on a Branch port: Identity branches show the input they get.
        ports = await synalinks.Branch(
            question="How difficult is the above query?",
            labels=["easy", "difficult"],
            branches=[synalinks.Identity(), synalinks.Identity()],
            inject_decision=inject,
            return_decision=False,
            language_model=lm,
            name=f"ports_{inject}_{ret}",
        )(x0)
        out[f"branch_ports_{inject}"] = [o.get_schema() for o in ports]
    a = await synalinks.Generator(data_model=Answer, language_model=lm, name="m_a")(x0)
    b = await synalinks.ChainOfThought(
        data_model=AnswerWithThinking, language_model=lm, name="m_b"
    )(x0)
    c = await synalinks.Generator(data_model=AnswerWithThinking, language_model=lm, name="m_c")(x0)
    for cls in (synalinks.Concat, synalinks.And, synalinks.Or, synalinks.Xor):
        out[f"merge_{cls.__name__}"] = (
            await cls(name=f"merge_{cls.__name__.lower()}")([a, b, c])
        ).get_schema()
    return out


async def merge_runs() -> list:
    values = [Answer(answer="x"), Answer(answer="y"), Answer(answer="z")]
    rows = []
    for cls in (synalinks.Concat, synalinks.And, synalinks.Or, synalinks.Xor):
        for n in (2, 3):
            for mask in itertools.product([True, False], repeat=n):
                inputs = [v if present else None for v, present in zip(values, mask, strict=False)]
                try:
                    result = await cls()(inputs)
                    outcome = {"value": None if result is None else result.get_json()}
                except Exception as exc:  # Concat refuses None
                    outcome = {"error": type(exc).__name__}
                rows.append({"merge": cls.__name__, "present": list(mask), **outcome})
    return rows


def main() -> None:
    request = json.load(sys.stdin)
    answer = {
        "version": synalinks.__version__,
        "data_models": {
            cls.__name__: cls.get_schema()
            for cls in (Query, AnswerWithThinking, Answer, EveryKind, Source, Report)
        },
        "json_cases": [concatenate_json(a, b) for a, b in request.get("json_cases", [])],
        "schema_cases": [concatenate_schema(a, b) for a, b in request.get("schema_cases", [])],
        "programs": asyncio.run(programs()),
        "merge_runs": asyncio.run(merge_runs()),
    }
    json.dump(answer, sys.stdout)


if __name__ == "__main__":
    main()
