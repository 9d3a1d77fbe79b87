"""A multi-label classifier: MultiDecision picks every label that applies."""

import asyncio

import synalinks


class Document(synalinks.DataModel):
    title: str = synalinks.Field(
        description="The title of the document",
    )
    text: str = synalinks.Field(
        description="The text of the document",
    )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(
        model="ollama/mistral",
    )
    inputs = synalinks.Input(data_model=Document, name="document")
    outputs = await synalinks.MultiDecision(
        question="Which topics does this document cover?",
        labels=["science", "politics", "sport", "art"],
        language_model=language_model,
        temperature=0.0,
        name="topics",
    )(inputs)
    return synalinks.Program(
        inputs=inputs,
        outputs=outputs,
        name="topic_classifier",
        description="Tag a document with every topic it covers",
    )


async def main():
    program = await build_program()
    result = await program(
        Document(title="Moon landing", text="In 1969 two astronauts walked on the Moon.")
    )
    print(result.prettify_json())


if __name__ == "__main__":
    asyncio.run(main())
