"""A program used as a module of another, as in Synalinks' documentation: the inner
program is built by a function of its own, gives one output (not a list) and keeps
Synalinks' names for its unnamed modules."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


class Critique(synalinks.DataModel):
    critique: str = synalinks.Field(description="What the answer misses")


async def build_answerer(language_model):
    inputs = synalinks.Input(data_model=Query)
    outputs = await synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)
    return synalinks.Program(
        inputs=inputs,
        outputs=outputs,
        name="answerer",
        description="Answers a query.",
    )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(model="openai/gpt-4o-mini")
    answerer = await build_answerer(language_model)
    inputs = synalinks.Input(data_model=Query, name="query")
    first = await answerer(inputs)
    again = await answerer(inputs)
    critique = await synalinks.Generator(
        data_model=Critique, language_model=language_model, name="critic"
    )(first)
    return synalinks.Program(
        inputs=inputs,
        outputs=[first, again, critique],
        name="answer_and_critique",
        description="Answers twice with one program, then criticises the first answer.",
    )


if __name__ == "__main__":
    asyncio.run(build_program())
