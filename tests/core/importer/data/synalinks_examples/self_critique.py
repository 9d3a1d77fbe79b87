"""Answer, then let the model critique its own answer and score it."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(
        description="The user query",
    )


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(
        description="The correct answer",
    )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(
        model="openai/gpt-4o-mini",
    )
    inputs = synalinks.Input(data_model=Query, name="query")
    x1 = await synalinks.Generator(
        data_model=Answer,
        language_model=language_model,
        name="answer",
    )(inputs)
    outputs = await synalinks.SelfCritique(
        language_model=language_model,
        instructions="Be strict: a vague answer gets a low reward.",
        name="critique",
    )(x1)
    return synalinks.Program(
        inputs=inputs,
        outputs=outputs,
        name="answer_with_critique",
        description="Answer a question, then critique the answer",
    )


async def main():
    program = await build_program()
    result = await program(Query(query="How many moons has Mars?"))
    print(result.prettify_json())


if __name__ == "__main__":
    asyncio.run(main())
