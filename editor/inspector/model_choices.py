"""Common litellm model strings offered in the model combo boxes.

Only suggestions: the combo stays editable, and whatever the user types is
what the node stores. ``offline`` is the built-in model that needs no key.
"""

COMMON_MODELS: tuple[str, ...] = (
    "offline",
    "openai/gpt-4o-mini",
    "openai/gpt-4o",
    "anthropic/claude-3-5-haiku-latest",
    "anthropic/claude-3-5-sonnet-latest",
    "gemini/gemini-2.0-flash",
    "mistral/mistral-small-latest",
    "groq/llama-3.1-8b-instant",
    "ollama/llama3.1",
    "ollama/mistral",
)
