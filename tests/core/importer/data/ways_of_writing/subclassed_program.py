"""A subclassed program, as Synalinks documents mixing subclassing and the functional API:
``__init__`` keeps the language model, ``build`` makes the program."""

import asyncio

import synalinks


class Query(synalinks.DataModel):
    query: str = synalinks.Field(description="The user query")


class AnswerWithThinking(synalinks.DataModel):
    thinking: str = synalinks.Field(description="Your step by step thinking process")
    answer: str = synalinks.Field(description="The correct answer")


class ThinkTwice(synalinks.Program):
    """Answers, then thinks the answer over once more.

    The first line of the docstring is the program's description.
    """

    def __init__(self, language_model=None, name=None, description=None, trainable=True):
        super().__init__(name=name, description=description, trainable=trainable)
        self.language_model = language_model
        self.review = synalinks.ChainOfThought(
            data_model=AnswerWithThinking, language_model=language_model, name="review"
        )

    async def build(self, inputs):
        draft = await synalinks.Generator(
            data_model=AnswerWithThinking, language_model=self.language_model
        )(inputs)
        outputs = await self.review(draft)
        super().__init__(
            inputs=inputs,
            outputs=outputs,
            name=self.name,
            description=self.description,
            trainable=self.trainable,
        )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(model="openai/gpt-4o-mini")
    program = ThinkTwice(language_model=language_model)
    await program.build(synalinks.Input(data_model=Query))
    return program


if __name__ == "__main__":
    asyncio.run(build_program())
