"""stanza as an entity backend: ``Pipeline(ner="stanza")``.

Runs a stanza NER model through stanza's own ``Pipeline`` with
``download_method=None`` (never a download) on our tokens
(``tokenize_pretokenized=True``), so offsets stay ours; stanza's BIOES tags are read as
BIO. Models are found where stanza keeps them (``$STANZA_RESOURCES_DIR``, else
``~/stanza_resources``, Arabic NER under ``ar/ner/``), or at ``ner_model=``: a stanza
resources directory, or a ``*.pt`` NER model file.
"""

from __future__ import annotations

import json
import os
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arnews_nlp.backends import require
from arnews_nlp.config import PipelineConfig
from arnews_nlp.entities.tagger import tag_sentences
from arnews_nlp.errors import BackendError
from arnews_nlp.types import Entity, Token

__all__ = ["StanzaTagger", "bioes_to_bio", "stanza_resources_dir"]

INSTALL_HINT = 'python -c \'import stanza; stanza.download("ar", processors="tokenize,mwt,ner")\''


def stanza_resources_dir() -> Path:
    """Where stanza keeps its models: ``$STANZA_RESOURCES_DIR`` or ``~/stanza_resources``."""
    configured = os.environ.get("STANZA_RESOURCES_DIR")
    return Path(configured).expanduser() if configured else Path.home() / "stanza_resources"


def bioes_to_bio(tag: str) -> str:
    """``S-X`` → ``B-X``, ``E-X`` → ``I-X``; other tags unchanged."""
    if tag.startswith("S-"):
        return "B-" + tag[2:]
    if tag.startswith("E-"):
        return "I-" + tag[2:]
    return tag


def _lists_arabic(resources: Path) -> bool:
    try:
        return "ar" in json.loads(resources.read_text(encoding="utf-8"))
    except (OSError, ValueError):
        return False


class StanzaTagger:
    """Entities from a stanza NER model (see module docs)."""

    name = "stanza"

    def __init__(self, model: Path | None = None, *, batch_size: int = 32) -> None:
        require("stanza", "stanza")
        options: dict[str, Any] = {}
        if model is not None and Path(model).suffix == ".pt":
            model_file = Path(model)
            if not model_file.is_file():
                raise BackendError(f"no stanza NER model file at {model_file}")
            beside = model_file.parent / "resources.json"
            resources_dir = model_file.parent if beside.is_file() else stanza_resources_dir()
            options.update(ner_model_path=str(model_file), allow_unknown_language=True)
            looked = f"{model_file}, with resources.json beside it or in {resources_dir}"
        else:
            resources_dir = Path(model) if model is not None else stanza_resources_dir()
            looked = f"{resources_dir} (ar/ner/*.pt)"
            found = sorted((resources_dir / "ar" / "ner").glob("*.pt"))
            if not found:
                raise BackendError(
                    f"no stanza Arabic NER model in {looked}, looked in "
                    f"$STANZA_RESOURCES_DIR, else ~/stanza_resources, or ner_model=; "
                    f"on a connected machine run {INSTALL_HINT} and copy the folder here"
                )
            if not _lists_arabic(resources_dir / "resources.json"):
                # a folder holding only a copied model file: name the file, as stanza
                # cannot choose a package for a language its resources.json lacks
                options.update(ner_model_path=str(found[0]), allow_unknown_language=True)
        if not (resources_dir / "resources.json").is_file():
            raise BackendError(
                f"stanza needs its resources.json in {resources_dir} (looked for {looked}); "
                f"on a connected machine run {INSTALL_HINT}"
            )
        import stanza

        self._nlp: Any = stanza.Pipeline(
            lang="ar",
            dir=str(resources_dir),
            processors="tokenize,ner",
            tokenize_pretokenized=True,
            download_method=None,
            use_gpu=False,
            ner_batch_size=batch_size,
            logging_level="ERROR",
            **options,
        )
        self.version = f"stanza {stanza.__version__}: {Path(model).name if model else 'ar'}"

    @classmethod
    def from_config(cls, config: PipelineConfig) -> StanzaTagger:
        return cls(config.ner_model)

    def tag(self, text: str, tokens: Sequence[Token]) -> tuple[Entity, ...]:
        return self.tag_many([text], [tokens])[0]

    def tag_many(
        self, texts: Sequence[str], token_lists: Sequence[Sequence[Token]]
    ) -> list[tuple[Entity, ...]]:
        """All sentences of all texts through one stanza call (it batches inside)."""

        def predict(sentences: list[Sequence[Token]]) -> list[list[str]]:
            document = self._nlp([[t.text for t in sentence] for sentence in sentences])
            return [[bioes_to_bio(t.ner) for t in s.tokens] for s in document.sentences]

        return tag_sentences(texts, token_lists, predict, self.name)
