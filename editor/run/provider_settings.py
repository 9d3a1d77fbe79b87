"""Provider API keys and an optional server address, kept outside graph files.

Graphs are shared, committed and exported, so keys never go into them. They
live in one JSON file in the user's config folder (``QStandardPaths``
AppConfigLocation, e.g. ``~/.config/Synalinks/Synalinks Canvas/providers.json``)
that only its owner can read (mode 0600), replaced atomically on every save
(a temporary 0600 file beside it, fsync, rename), so a crash never leaves a
half-written file or a moment where the keys are readable by others.

After entry a key is only ever shown masked (:func:`mask`: the last four
characters). Nothing here logs. The run controller hands :meth:`keys` to the
engine's model client for one run (``LiteLLMClient(credentials=...)``); the
process environment is never changed, and environment variables or a ``.env``
file keep working for keys not set here.
"""

from __future__ import annotations

import contextlib
import json
import os
import re
import tempfile
from dataclasses import dataclass
from pathlib import Path

FILE_NAME = "providers.json"
FILE_VERSION = 1
MASK = "\u2022\u2022\u2022\u2022"  # ••••
_VARIABLE = re.compile(r"^[A-Z][A-Z0-9_]*$")


@dataclass(frozen=True, slots=True)
class Provider:
    """A provider the settings dialog offers a key field for."""

    title: str
    variable: str
    example_model: str


PROVIDERS: tuple[Provider, ...] = (
    Provider("OpenAI", "OPENAI_API_KEY", "openai/gpt-4o-mini"),
    Provider("Anthropic", "ANTHROPIC_API_KEY", "anthropic/claude-3-5-haiku-latest"),
    Provider("Google Gemini", "GEMINI_API_KEY", "gemini/gemini-2.0-flash"),
    Provider("Groq", "GROQ_API_KEY", "groq/llama-3.3-70b-versatile"),
    Provider("Mistral", "MISTRAL_API_KEY", "mistral/mistral-small-latest"),
    Provider("DeepSeek", "DEEPSEEK_API_KEY", "deepseek/deepseek-chat"),
    Provider("xAI", "XAI_API_KEY", "xai/grok-3-mini"),
    Provider("OpenRouter", "OPENROUTER_API_KEY", "openrouter/<vendor>/<model>"),
    Provider("Together AI", "TOGETHERAI_API_KEY", "together_ai/<vendor>/<model>"),
)


class ProviderSettingsError(Exception):
    """The settings file could not be read or written (the message says which and why)."""


def mask(secret: str | None) -> str:
    """``••••wxyz``: enough to recognise a key, never enough to use it. Keys shorter
    than 12 characters show no characters at all."""
    if not secret:
        return ""
    return MASK + secret[-4:] if len(secret) >= 12 else MASK


def variable_problem(name: str) -> str | None:
    """Why ``name`` cannot be a key variable name, or None."""
    if not _VARIABLE.match(name):
        return f"{name!r} is not a variable name: use capitals, digits and _, like OPENAI_API_KEY"
    return None


def default_path() -> Path:
    """The settings file in the user's config folder."""
    from PySide6.QtCore import QStandardPaths

    base = QStandardPaths.writableLocation(QStandardPaths.StandardLocation.AppConfigLocation)
    return Path(base or Path.home() / ".config" / "synalinks-canvas") / FILE_NAME


class ProviderSettings:
    """The keys and API base stored for this user. Load on creation; :meth:`save` writes."""

    def __init__(self, path: str | Path | None = None) -> None:
        self.path = Path(path) if path is not None else default_path()
        self._keys: dict[str, str] = {}
        self.api_base: str | None = None
        self.load_problem: str | None = None
        self.reload()

    # ------------------------------------------------------------------ read
    def reload(self) -> None:
        """Read the file again (a missing file means nothing stored yet; an
        unreadable one leaves nothing stored and sets :attr:`load_problem`)."""
        self._keys, self.api_base, self.load_problem = {}, None, None
        try:
            text = self.path.read_text(encoding="utf-8")
        except FileNotFoundError:
            return
        except OSError as exc:
            self.load_problem = f"could not read {self.path}: {exc.strerror or exc}"
            return
        try:
            data = json.loads(text)
            keys = data.get("keys", {})
            if not isinstance(keys, dict):
                raise ValueError("'keys' is not an object")
            self._keys = {
                str(k): str(v) for k, v in keys.items() if v and not variable_problem(str(k))
            }
            base = data.get("api_base")
            self.api_base = (str(base).strip() or None) if base else None
        except (ValueError, AttributeError) as exc:
            self.load_problem = (
                f"{self.path} is not a valid settings file ({exc}); it will be replaced on save"
            )

    def keys(self) -> dict[str, str]:
        """Every stored key by variable name: for the engine's model client only."""
        return dict(self._keys)

    def variables(self) -> list[str]:
        """Names of the variables that have a stored key (known providers first)."""
        known = [p.variable for p in PROVIDERS if p.variable in self._keys]
        return known + sorted(name for name in self._keys if name not in known)

    def has_key(self, variable: str) -> bool:
        return variable in self._keys

    def masked(self, variable: str) -> str:
        """The stored key for ``variable`` as ``••••wxyz`` ('' when none)."""
        return mask(self._keys.get(variable))

    # ----------------------------------------------------------------- write
    def set_key(self, variable: str, key: str) -> None:
        problem = variable_problem(variable)
        if problem:
            raise ValueError(problem)
        key = key.strip()
        if not key:
            raise ValueError(f"the key for {variable} is empty; use remove_key to forget it")
        self._keys[variable] = key

    def remove_key(self, variable: str) -> None:
        self._keys.pop(variable, None)

    def set_api_base(self, url: str | None) -> None:
        url = (url or "").strip()
        if url and not re.match(r"^https?://\S+$", url):
            raise ValueError(f"{url!r} is not an http(s) address, like http://127.0.0.1:8080/v1")
        self.api_base = url or None

    def save(self) -> None:
        """Write the file atomically with mode 0600; raise :class:`ProviderSettingsError`."""
        text = json.dumps(
            {
                "version": FILE_VERSION,
                "keys": dict(sorted(self._keys.items())),
                "api_base": self.api_base,
            },
            indent=2,
        )
        write_private_text(self.path, text + "\n")
        self.load_problem = None


def write_private_text(path: Path, text: str) -> None:
    """Replace ``path`` with ``text`` readable by its owner only, atomically.

    ``mkstemp`` creates the temporary file with mode 0600 from the start, so the
    keys are never readable by others, not even for a moment.
    """
    tmp_name: str | None = None
    try:
        path.parent.mkdir(parents=True, exist_ok=True)
        fd, tmp_name = tempfile.mkstemp(prefix=f".{path.name}.", suffix=".tmp", dir=path.parent)
        with os.fdopen(fd, "w", encoding="utf-8") as handle:
            if hasattr(os, "fchmod"):  # POSIX; mkstemp already made it 0600
                os.fchmod(handle.fileno(), 0o600)
            handle.write(text)
            handle.flush()
            os.fsync(handle.fileno())
        os.replace(tmp_name, path)
        tmp_name = None
    except OSError as exc:
        raise ProviderSettingsError(f"could not save {path}: {exc.strerror or exc}") from None
    finally:
        if tmp_name is not None:
            with contextlib.suppress(OSError):
                os.unlink(tmp_name)
