"""The attribution extractor (filled in by the attribution work)."""

from __future__ import annotations

from collections.abc import Sequence

from arnews_nlp.types import Entity, Quote, Sentence, Token

__all__ = ["QuoteExtractor"]


class QuoteExtractor:
    name = "rule_quotes"
    version = "0"

    def extract(
        self,
        text: str,
        tokens: Sequence[Token],
        sentences: Sequence[Sentence],
        entities: Sequence[Entity],
    ) -> tuple[tuple[Quote, ...], tuple[str, ...]]:
        return (), ()
