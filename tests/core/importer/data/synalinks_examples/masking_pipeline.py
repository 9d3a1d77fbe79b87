"""Think step by step, then hand on only the answer: ChainOfThought adds a
thinking field to the answer, and OutMask removes it."""

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
        model="ollama/mistral",
    )
    inputs = synalinks.Input(data_model=Query, name="query")
    x1 = await synalinks.ChainOfThought(
        data_model=Answer,
        language_model=language_model,
        name="chain_of_thought",
    )(inputs)
    outputs = await synalinks.OutMask(
        mask=["thinking"],
        name="drop_thinking",
    )(x1)
    return synalinks.Program(
        inputs=inputs,
        outputs=outputs,
        name="masking_pipeline",
        description="A chain of thought whose thinking is masked out",
    )


async def main():
    program = await build_program()
    program.summary()
    result = await program(Query(query="What is the French city of aeronautics?"))
    print(result.prettify_json())


if __name__ == "__main__":
    asyncio.run(main())
