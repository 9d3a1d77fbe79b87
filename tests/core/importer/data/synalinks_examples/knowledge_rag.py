"""Retrieval-augmented answering over a DuckDB knowledge base, as the Synalinks
knowledge guides write it: an embedding model, a knowledge base of Documents,
a RetrieveKnowledge step that searches it by similarity, and a Generator that
answers from what was retrieved."""

import asyncio

import synalinks


class Document(synalinks.DataModel):
    id: str = synalinks.Field(
        description="The document id",
    )
    text: str = synalinks.Field(
        description="The document content",
    )


class Query(synalinks.DataModel):
    query: str = synalinks.Field(
        description="The user query",
    )


class Answer(synalinks.DataModel):
    answer: str = synalinks.Field(
        description="The answer, from the retrieved documents",
    )


async def build_program(language_model=None):
    language_model = language_model or synalinks.LanguageModel(
        model="openai/gpt-4o-mini",
    )
    embedding_model = synalinks.EmbeddingModel(
        model="openai/text-embedding-3-small",
        name="embeddings",
    )
    knowledge_base = synalinks.KnowledgeBase(
        uri="duckdb://rag_documents.db",
        data_models=[Document],
        embedding_model=embedding_model,
        name="documents",
    )
    inputs = synalinks.Input(data_model=Query, name="query")
    x1 = await synalinks.RetrieveKnowledge(
        knowledge_base=knowledge_base,
        language_model=language_model,
        search_type="similarity",
        k=3,
        return_inputs=True,
        name="retriever",
    )(inputs)
    outputs = await synalinks.Generator(
        data_model=Answer,
        language_model=language_model,
        name="answer",
    )(x1)
    return synalinks.Program(
        inputs=inputs,
        outputs=outputs,
        name="knowledge_rag",
        description="Answer a question from the documents of a knowledge base",
    )


async def main():
    program = await build_program()
    result = await program(Query(query="What is a knowledge base?"))
    print(result.prettify_json())


if __name__ == "__main__":
    asyncio.run(main())
