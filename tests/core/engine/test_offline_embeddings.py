"""The offline embedder: deterministic unit vectors whose cosine distance ranks
texts by the words they share, served as OpenAI's embeddings API on loopback."""

from __future__ import annotations

import asyncio
import math

import aiohttp

from core.engine.offline_embeddings import DIMENSIONS, cosine_distance, embed, words
from core.runtime.offline_endpoint import OfflineEndpoint

NOTES = {
    "similarity": "Similarity search ranks stored embeddings by cosine distance to the query.",
    "agent": "An agent calls the tools it was given and reads their results.",
    "training": "Training optimises instructions and examples with a reward on a dataset.",
}


def test_vectors_are_deterministic_unit_length_and_word_based():
    first = embed("The Knowledge bases store records")
    assert first == embed("the knowledge BASE stores record")  # case, plural s, stop words
    assert len(first) == DIMENSIONS
    assert math.isclose(math.sqrt(sum(x * x for x in first)), 1.0, rel_tol=1e-5)
    assert embed("the of and") == [0.0] * DIMENSIONS
    assert words("Which module calls tools?") == ["module", "call", "tool"]


def test_the_nearest_note_is_the_one_sharing_the_query_words():
    for query, expected in [
        ("How does similarity search rank embeddings?", "similarity"),
        ("Which module calls tools?", "agent"),
        ("What does training optimise?", "training"),
    ]:
        vector = embed(query)
        ranked = sorted(NOTES, key=lambda key: cosine_distance(vector, embed(NOTES[key])))
        assert ranked[0] == expected, (query, ranked)
        assert cosine_distance(vector, embed(NOTES[ranked[0]])) < 1.0


def test_the_endpoint_answers_the_embeddings_api_as_litellm_reads_it():
    async def scenario():
        async with OfflineEndpoint() as endpoint:
            import litellm

            response = await litellm.aembedding(
                model="openai/offline",
                input=["cosine distance", "tools"],
                api_base=endpoint.api_base(),
                api_key="anything",
            )
            vectors = [item["embedding"] for item in response.data]
            async with aiohttp.ClientSession() as session:
                url = endpoint.api_base() + "/embeddings"
                async with session.post(url, json={"input": "tools"}) as single:
                    one = await single.json()
                async with session.post(url, json={"input": [1, 2]}) as bad:
                    refused = (bad.status, await bad.json())
            return vectors, response.usage.prompt_tokens, one, refused

    vectors, tokens, one, refused = asyncio.run(scenario())
    assert vectors == [embed("cosine distance"), embed("tools")]
    assert tokens == 3
    assert one["data"][0]["embedding"] == embed("tools") and one["object"] == "list"
    assert refused == (400, {"error": {"message": "input must be a string or a list of strings"}})
