"""Make the Synalinks saved-program fixtures (``program.save``) the file tests read.

Run once under the real synalinks (its own venv) from this folder:

    ../../../../.venv-synalinks/bin/python make_saved_programs.py

It writes ``saved_*.json``: programs written as Synalinks' documentation
writes them, with trained variables set as an optimizer would leave them
(new instructions, few-shot examples), so opening them needs no synalinks.
"""

import asyncio
from pathlib import Path
from typing import Literal

import synalinks

HERE = Path(__file__).resolve().parent


class Query(synalinks.DataModel):
    """A question from the user."""

    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class Context(synalinks.DataModel):
    documents: list[str] = synalinks.Field(description="Passages to read")
    language: Literal["en", "fr"] = synalinks.Field(description="The language")


class Report(synalinks.DataModel):
    """What the analyst reports."""

    summary: str = synalinks.Field(description="A short summary")
    score: float = synalinks.Field(description="Confidence from 0 to 1")
    count: int
    relevant: bool
    tags: list[str]
    note: str | None = None


def learnt(program, changes: dict) -> None:
    """Give some modules what training would have given them."""
    tree = program.get_state_tree()
    for path, fields in changes.items():
        tree["trainable_variables"][path][f"state_{path}"].update(fields)
    program.set_state_tree(tree)


async def chain():
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(
        data_model=Answer,
        instructions="Answer briefly.",
        temperature=0.3,
        language_model=lm,
        name="answerer",
    )(inputs)
    program = synalinks.Program(inputs=inputs, outputs=outputs, name="chain")
    learnt(
        program,
        {
            "answerer": {
                "instructions": "Answer in one short sentence, citing the key fact.",
                "examples": [
                    [{"query": "What is 2 + 2?"}, {"answer": "4"}],
                    [{"query": "Capital of France?"}, {"answer": "Paris"}],
                ],
            }
        },
    )
    return program


async def branching():
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    question = synalinks.Input(data_model=Query, name="question")
    easy, hard = await synalinks.Branch(
        question="Is the query easy or hard?",
        labels=["easy", "hard"],
        branches=[
            synalinks.Generator(data_model=Answer, language_model=lm, name="quick"),
            synalinks.ChainOfThought(data_model=Answer, language_model=lm, name="thinker"),
        ],
        language_model=lm,
        name="router",
    )(question)
    either = await synalinks.Or(name="either")([easy, hard])
    judge = await synalinks.Decision(
        question="Is the query polite?", labels=["yes", "no"], language_model=lm, name="judge"
    )(question)
    joined = await synalinks.Concat(name="joined")([judge, question])
    critic = await synalinks.SelfCritique(language_model=lm, name="critic")(joined)
    program = synalinks.Program(inputs=question, outputs=[either, critic], name="branching")
    learnt(program, {"generator_thinker": {"instructions": "Think twice, answer once."}})
    return program


async def two_inputs():
    lm = synalinks.LanguageModel(model="ollama/mistral")
    query = synalinks.Input(data_model=Query, name="query")
    context = synalinks.Input(data_model=Context, name="context")
    both = await synalinks.Concat(name="both")([query, context])
    report = await synalinks.ChainOfThought(data_model=Report, language_model=lm, name="analyst")(
        both
    )
    return synalinks.Program(inputs=[query, context], outputs=report, name="two_inputs")


async def operators():
    """Merges written as operators (``|``, ``&``): Synalinks names them itself."""
    lm = synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    first = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    second = await synalinks.Generator(data_model=Answer, language_model=lm)(inputs)
    both = first & second
    return synalinks.Program(inputs=inputs, outputs=[both, first | second], name="operators")


async def main():
    for make in (chain, branching, two_inputs, operators):
        program = await make()
        program.save(str(HERE / f"saved_{make.__name__}.json"))


if __name__ == "__main__":
    asyncio.run(main())
