"""Tools for the agent_with_tools example: plain async functions, no network.

Synalinks turns each into a tool the model can call, from its type hints and
its docstring's Args section, so both must be complete.
"""

GLOSSARY = {
    "synalinks": "a framework for building language-model programs from modules",
    "module": "one step of a program: it takes data models in and gives one out",
    "agent": "a module that calls tools in a loop until it can answer",
    "tool": "an async Python function a language model may ask to run",
}


async def count_words(text: str) -> dict:
    """Count the words and characters of a text.

    Args:
        text (str): The text to measure.
    """
    words = text.split()
    return {"words": len(words), "characters": len(text)}


async def define_term(term: str) -> dict:
    """Look a term up in a small glossary of Synalinks words.

    Args:
        term (str): The word to define, such as "agent" or "tool".
    """
    words = [w.strip(".,;:!?“”\"'").lower() for w in term.split()]
    found = {w: GLOSSARY[w] for w in words if w in GLOSSARY}
    if not found:
        return {"found": False, "known_terms": sorted(GLOSSARY)}
    return {"found": True, "definitions": found}
