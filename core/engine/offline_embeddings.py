"""The offline embedding model: a hashed bag of words, deterministic and local.

Each word of a text (lower-cased, a plural ``s`` dropped, common English
stop words left out) adds one to a slot of a fixed-size vector chosen by a
hash of the word, with a sign from the same hash (the "hashing trick"); the
vector is then scaled to length one. Texts that share words point the same
way, so cosine distance ranks a knowledge base's records by the words they
share with the query: crude next to a learnt model, but honest, instant and
the same on every machine, which is what offline runs and tests need.
"""

from __future__ import annotations

import hashlib
import math
import re

DIMENSIONS = 256
_WORD = re.compile(r"[^\W_]+", re.UNICODE)
STOP_WORDS = frozenset(
    "a an and are as at be by for from has have how in is it its of on or that the this "
    "to was were what when where which who why will with".split()
)


def words(text: str) -> list[str]:
    """The words that count: lower-cased, stop words out, a trailing plural s off."""
    found = []
    for word in _WORD.findall(text.lower()):
        if word in STOP_WORDS:
            continue
        if len(word) > 3 and word.endswith("s") and not word.endswith("ss"):
            word = word[:-1]
        found.append(word)
    return found


def embed(text: str, dimensions: int = DIMENSIONS) -> list[float]:
    """A unit vector for ``text`` (all zeros for a text without words)."""
    vector = [0.0] * dimensions
    for word in words(text):
        digest = hashlib.blake2b(word.encode(), digest_size=8).digest()
        slot = int.from_bytes(digest[:4], "little") % dimensions
        vector[slot] += 1.0 if digest[4] & 1 else -1.0
    norm = math.sqrt(sum(x * x for x in vector))
    return [round(x / norm, 6) for x in vector] if norm else vector


def cosine_distance(a: list[float], b: list[float]) -> float:
    """1 - cosine similarity (what Synalinks' ``metric="cosine"`` ranks by)."""
    dot = sum(x * y for x, y in zip(a, b, strict=True))
    na = math.sqrt(sum(x * x for x in a))
    nb = math.sqrt(sum(y * y for y in b))
    return 1.0 - dot / (na * nb) if na and nb else 1.0
