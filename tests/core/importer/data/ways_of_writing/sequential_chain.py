"""A Sequential program, as in Synalinks' documentation: unnamed modules keep Synalinks' names."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class AnswerWithThinking(synalinks.DataModel):
    thinking: str = synalinks.Field(description="Your step by step thinking process")
    answer: str = synalinks.Field(description="The correct answer")


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(model="openai/gpt-4o-mini")
    return synalinks.Sequential(
        [
            synalinks.Input(data_model=Query),
            synalinks.Generator(data_model=AnswerWithThinking, language_model=language_model),
            synalinks.Generator(data_model=AnswerWithThinking, language_model=language_model),
        ],
        name="chain_of_thought",
        description="Useful to answer in a step by step manner.",
    )


if __name__ == "__main__":
    asyncio.run(build_program())
