"""The node cache's key: a sha256 over everything that decides a model node's result.

That is the node's type, name and parameters, the schemas of what it must
answer (its data models, with a feeding Branch's decision put in front), the
model it really calls with its settings (temperature is a parameter; the
server's address without user, password or query, which may hold a key), the
exact input values (and the decision a Branch injects), the node's trainable
variables, and :data:`KEY_VERSION`. The name is part of it because the offline
model answers as the asking node. Keys never go in: the material holds no
credentials, and only its hash is stored.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any
from urllib.parse import urlsplit, urlunsplit

KEY_VERSION = 1
"""Bump when prompts or answer checking change what a key's result would be, so
results made the old way are not replayed."""


def node_cache_key(
    *,
    node_type: str,
    node_name: str,
    params: dict[str, Any],
    output_schemas: dict[str, Any],
    model: str,
    api_base: str | None,
    inputs: dict[str, Any],
    decision: Any,
    variables: dict[str, Any],
) -> str:
    material = {
        "v": KEY_VERSION,
        "type": node_type,
        "name": node_name,
        # The node's own model string is replaced by the model it resolves to.
        "params": {k: v for k, v in params.items() if k != "language_model"},
        "schemas": output_schemas,
        "model": model,
        "api_base": without_credentials(api_base),
        "inputs": inputs,
        "decision": decision,
        "variables": variables,
    }
    blob = json.dumps(
        material, sort_keys=True, separators=(",", ":"), ensure_ascii=False, default=repr
    )
    return hashlib.sha256(blob.encode("utf-8")).hexdigest()


def without_credentials(url: str | None) -> str | None:
    """``url`` with any ``user:password@`` and query string removed."""
    if not url:
        return None
    try:
        parts = urlsplit(url)
    except ValueError:
        return url.split("?", 1)[0].rsplit("@", 1)[-1]
    host = parts.netloc.rsplit("@", 1)[-1]
    return urlunsplit((parts.scheme, host, parts.path.rstrip("/"), "", ""))
