"""The one rule of the per-word caches (tokenizer, gazetteer keys, cue matches, encoded
tokens): news repeats its words, so results are kept by word; memory stays bounded on
adversarial input, a stream of texts that are each one long unique "word", because only
short words are kept and only so many."""

from __future__ import annotations

from typing import TypeVar

__all__ = ["MAX_ENTRIES", "MAX_WORD_CHARS", "remember"]

MAX_ENTRIES = 200_000
MAX_WORD_CHARS = 40

_K = TypeVar("_K")
_V = TypeVar("_V")


def remember(cache: dict[_K, _V], key: _K, value: _V, word: str) -> None:
    """Keep ``value`` under ``key`` when ``word`` (what the key is made of) is short and
    the cache not full."""
    if len(word) < MAX_WORD_CHARS and len(cache) < MAX_ENTRIES:
        cache[key] = value
