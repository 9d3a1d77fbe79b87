"""Which API key a model needs, whether it is there, and a warning before Run when not.

Runs without litellm (importing it costs seconds, validation runs on every
edit): the provider comes from the model string's prefix as litellm routes
it (``openai/...``, ``anthropic/...``; a bare ``gpt-4o`` or ``claude-...`` goes
to its maker). The offline model, local servers (Ollama, vLLM...) and any model
given an ``api_base`` need no key. Keys themselves are never read here beyond
"present and not empty", and never shown.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Iterable
from dataclasses import dataclass
from pathlib import Path

from core.diagnostics import Diagnostic, warning
from core.model.graph import Graph

KeyLookup = Callable[[str], str | None]
"""Variable name -> where a non-empty key for it was found (None: nowhere)."""

_VARIABLES = {
    "openai": "OPENAI_API_KEY",
    "text-completion-openai": "OPENAI_API_KEY",
    "anthropic": "ANTHROPIC_API_KEY",
    "gemini": "GEMINI_API_KEY",
    "groq": "GROQ_API_KEY",
    "mistral": "MISTRAL_API_KEY",
    "deepseek": "DEEPSEEK_API_KEY",
    "xai": "XAI_API_KEY",
    "openrouter": "OPENROUTER_API_KEY",
    "together_ai": "TOGETHERAI_API_KEY",
    "cohere": "COHERE_API_KEY",
    "cohere_chat": "COHERE_API_KEY",
    "fireworks_ai": "FIREWORKS_AI_API_KEY",
    "perplexity": "PERPLEXITYAI_API_KEY",
    "huggingface": "HUGGINGFACE_API_KEY",
    "cerebras": "CEREBRAS_API_KEY",
}
_NO_KEY = {
    "offline",
    "ollama",
    "ollama_chat",
    "hosted_vllm",
    "lm_studio",
    "llamafile",
    "vllm",
    "bedrock",  # AWS credentials, not one key
    "vertex_ai",  # Google application credentials
    "sagemaker",
    "azure",  # a key and an endpoint: the call itself says what is missing
}
_BARE = (
    ("gpt-", "openai"),
    ("o1", "openai"),
    ("o3", "openai"),
    ("o4", "openai"),
    ("chatgpt", "openai"),
    ("claude", "anthropic"),
    ("gemini", "gemini"),
)


def key_variable(model: str, api_base: str | None = None) -> str | None:
    """The environment variable holding ``model``'s key, or None when it needs none."""
    model = (model or "").strip()
    if not model or api_base:
        return None
    if "/" in model:
        provider = model.split("/", 1)[0].lower()
    else:
        provider = next((p for prefix, p in _BARE if model.lower().startswith(prefix)), "")
        if not provider:
            return None if model.lower() == "offline" else "OPENAI_API_KEY"
    if provider in _NO_KEY:
        return None
    return _VARIABLES.get(provider, f"{provider.upper()}_API_KEY")


@dataclass(frozen=True)
class KeyStatus:
    """A model's key: ``variable`` None when it needs none; ``source`` where it
    was found (``environment``, ``.env``, ``settings``), None when missing."""

    model: str
    variable: str | None
    source: str | None

    @property
    def missing(self) -> bool:
        return self.variable is not None and self.source is None

    def label(self) -> str:
        """``no key needed``, ``key found (settings)``, ``key missing: OPENAI_API_KEY``."""
        if self.variable is None:
            return "no key needed"
        if self.source is None:
            return f"key missing: {self.variable}"
        return f"key found ({self.source})"


def key_status(model: str, lookup: KeyLookup, api_base: str | None = None) -> KeyStatus:
    variable = key_variable(model, api_base)
    return KeyStatus(model, variable, lookup(variable) if variable else None)


def key_lookup(
    stored: Iterable[str] = (), dotenv_files: Iterable[Path] = (), environ=None
) -> KeyLookup:
    """A lookup over the settings' stored key names, the environment and ``.env``
    files (read for names with non-empty values only)."""
    from dotenv import dotenv_values

    names = set(stored)
    env = os.environ if environ is None else environ
    from_files: set[str] = set()
    for path in dotenv_files:
        if path.is_file():
            try:
                values = dotenv_values(path)
            except (OSError, UnicodeDecodeError):
                continue
            from_files.update(k for k, v in values.items() if v and v.strip())

    def lookup(variable: str) -> str | None:
        if variable in names:
            return "settings"
        if (env.get(variable) or "").strip():
            return "environment"
        if variable in from_files:
            return ".env"
        return None

    return lookup


def node_models(graph: Graph, flow) -> list[tuple[str, str, str | None]]:
    """``(node id, model, api_base)`` for every node that calls a language model."""
    meta = graph.meta
    found = []
    for node_id, params in flow.params.items():
        if not hasattr(params, "language_model"):
            continue
        model = str(getattr(params, "language_model", "") or "") or meta.default_model
        base = getattr(params, "api_base", None) or meta.api_base
        found.append((node_id, model, base))
    return found


def key_checks(
    graph: Graph, flow, lookup: KeyLookup, override: str | None = None
) -> list[Diagnostic]:
    """A warning on each node whose model (or the run's ``override`` model) needs
    a key that is nowhere to be found: the run would fail at that node."""
    found: list[Diagnostic] = []
    for node_id, model, base in node_models(graph, flow):
        status = key_status(override or model, lookup, None if override else base)
        if status.missing:
            node = graph.nodes[node_id]
            found.append(
                warning(
                    "model_key_missing",
                    f"{node.name}: its model {status.model} needs {status.variable}, which is "
                    "not set; add the key in Settings (Ctrl+,), the environment or a .env "
                    "file, or run with the offline model",
                    node_id,
                )
            )
    return found
