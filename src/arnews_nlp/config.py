"""The one frozen configuration object of a :class:`~arnews_nlp.Pipeline`."""

from __future__ import annotations

import math
from pathlib import Path

import attrs

from arnews_nlp.errors import ConfigError

__all__ = ["NER_BACKENDS", "TOKENIZERS", "PipelineConfig"]

NER_BACKENDS = ("default", "camel", "stanza", "none")
TOKENIZERS = ("default", "camel", "stanza")


def _check_ner(instance: PipelineConfig, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in NER_BACKENDS:
        raise ConfigError(f"ner must be one of {', '.join(map(repr, NER_BACKENDS))}, got {value!r}")


def _check_tokenizer(instance: PipelineConfig, attribute: attrs.Attribute[str], value: str) -> None:
    if value not in TOKENIZERS:
        raise ConfigError(
            f"tokenizer must be one of {', '.join(map(repr, TOKENIZERS))}, got {value!r}"
        )


def _ner_name(value: object) -> str:
    if value is None or value is False:
        return "none"
    if not isinstance(value, str):
        raise ConfigError(f"ner must be a backend name or None, got {type(value).__name__}")
    return value


def _check_outside_bias(
    instance: PipelineConfig, attribute: attrs.Attribute[float | None], value: float | None
) -> None:
    if value is None:
        return
    if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
        raise ConfigError(f"outside_bias must be a finite number or None, got {value!r}")
    if instance.ner != "default":
        raise ConfigError(
            f"outside_bias applies to the default entity model, not to ner={instance.ner!r}"
        )


def _optional_path(value: str | Path | None) -> Path | None:
    return None if value is None else Path(value)


def _paths(value: object) -> tuple[Path, ...]:
    if isinstance(value, (str, Path)):
        return (Path(value),)
    return tuple(Path(v) for v in value)  # type: ignore[attr-defined]


@attrs.frozen(kw_only=True)
class PipelineConfig:
    """What a pipeline runs. Hashable and picklable, so worker processes rebuild the same
    pipeline from it.

    - ``ner``: ``"default"`` (the model shipped in the package), ``"camel"``,
      ``"stanza"``, or ``"none"``/``None`` for no entities.
    - ``ner_model``: a model file (default backend) or directory (camel, stanza);
      ``None`` means the backend's usual place.
    - ``tokenizer``: ``"default"`` (the package's regex tokenizer and sentence splitter),
      ``"camel"`` (camel-tools' ``simple_word_tokenize``) or ``"stanza"`` (a stanza
      tokenizer model, with its multi-word-token expansion splitting proclitics, and its
      sentences); offsets are ours either way.
    - ``tokenizer_model``: for ``"stanza"``, a resources directory (``ar/tokenize/*.pt``,
      optionally ``ar/mwt/*.pt``) or a tokenizer ``.pt`` file; for ``"camel"``, a
      morphology database (``morphology.db`` or its folder) whose segmentation sets the
      proclitic boundaries; ``None`` means the package's usual place.
    - ``gazetteers``: match the packaged gazetteers (default backend).
    - ``consistency``: propagate a name tagged once to its other mentions in the document.
    - ``quotes``: run the attribution extractor.
    - ``cue_rules``: extra cue lexicon files (the format of ``data/cues.tsv``) that
      extend the packaged one; their forms win on a clash.
    - ``entity_rules``: files of phrases that must be tagged (TSV or JSON, see
      :mod:`arnews_nlp.entities.rules`); they take priority over any entity backend.
    - ``outside_bias``: for the default backend's neural model, a number taken off the
      "O" label's score before decoding, instead of the one the model records (0 for
      the shipped model): above 0 it finds more entities (recall) and makes more
      mistakes (precision), below 0 fewer (docs/model.md).

    >>> PipelineConfig(ner=None).ner
    'none'
    """

    ner: str = attrs.field(default="default", converter=_ner_name, validator=_check_ner)
    ner_model: Path | None = attrs.field(default=None, converter=_optional_path)
    tokenizer: str = attrs.field(default="default", validator=_check_tokenizer)
    tokenizer_model: Path | None = attrs.field(default=None, converter=_optional_path)
    gazetteers: bool = True
    consistency: bool = True
    quotes: bool = True
    cue_rules: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    entity_rules: tuple[Path, ...] = attrs.field(default=(), converter=_paths)
    outside_bias: float | None = attrs.field(default=None, validator=_check_outside_bias)
