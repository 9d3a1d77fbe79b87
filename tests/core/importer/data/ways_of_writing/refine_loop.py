"""Refine an answer three times in a loop, each step named with an f-string."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(description="The correct answer")


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(model="openai/gpt-4o-mini")
    inputs = synalinks.Input(data_model=Query)
    x = await synalinks.Generator(data_model=Answer, language_model=language_model)(inputs)
    for i in range(3):
        x = await synalinks.ChainOfThought(
            data_model=Answer,
            language_model=language_model,
            name=f"refine_{i + 1}",
        )(x)
    both = await synalinks.Concat()([inputs, x])
    return synalinks.Program(inputs=inputs, outputs=both)


if __name__ == "__main__":
    asyncio.run(build_program())
