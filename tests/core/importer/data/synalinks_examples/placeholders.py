"""Identity and Not as placeholders: a pass-through input step, and an output
that stays empty (None) until a later version computes it; InMask keeps only
the fields a later step needs."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(
        description="The user query",
    )


class AnswerWithSources(synalinks.DataModel):
    answer: str = synalinks.Field(
        description="The correct answer",
    )
    sources: list[str] = synalinks.Field(
        description="Where the answer comes from",
    )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(
        model="ollama/mistral",
    )
    inputs = synalinks.Input(data_model=Query, name="query")
    x0 = await synalinks.Identity(name="preprocess")(inputs)
    x1 = await synalinks.Generator(
        data_model=AnswerWithSources,
        language_model=language_model,
        name="answer",
    )(x0)
    x2 = await synalinks.InMask(mask=["answer"], name="answer_only")(x1)
    x3 = await synalinks.Not(name="later")(x1)
    return synalinks.Program(
        inputs=inputs,
        outputs=[x2, x3],
        name="placeholders",
        description="Placeholders kept for later steps",
    )


async def main():
    program = await build_program()
    answer, later = await program(Query(query="Who wrote Dune?"))
    print(answer.prettify_json())


if __name__ == "__main__":
    asyncio.run(main())
