"""The stanza entity backend (adapter filled in by the backends work)."""

from __future__ import annotations

from collections.abc import Sequence

from arnews_nlp.backends import require
from arnews_nlp.config import PipelineConfig
from arnews_nlp.errors import BackendError
from arnews_nlp.types import Entity, Token

__all__ = ["StanzaTagger"]


class StanzaTagger:
    name = "stanza"
    version = "0"

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        raise BackendError("the stanza backend adapter is not implemented yet")

    @classmethod
    def from_config(cls, config: PipelineConfig) -> StanzaTagger:
        require("stanza", "stanza")
        raise BackendError("the stanza backend adapter is not implemented yet")
