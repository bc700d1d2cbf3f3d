"""arnews_nlp: who is named in Arabic news, and who said what. Offline, out of the box.

>>> import arnews_nlp
>>> doc = arnews_nlp.analyze("قال البيت الأبيض إن بايدن تحدث مع أمير قطر.")
>>> doc.text[doc.tokens[0].start:doc.tokens[0].end]
'قال'

The public surface is what this module's ``__all__`` lists; everything else is private
and may change.
"""

from __future__ import annotations

from arnews_nlp import export
from arnews_nlp._version import __version__
from arnews_nlp.config import PipelineConfig
from arnews_nlp.errors import (
    ArnewsError,
    ArnewsWarning,
    BackendError,
    BackendNotInstalledError,
    ConfigError,
    DataFileError,
    InputTypeError,
    ModelError,
    ModelFormatError,
    ModelMismatchWarning,
    ModelNotFoundError,
    RecordError,
    check_text,
)
from arnews_nlp.export import read_jsonl, to_dataframe, write_jsonl
from arnews_nlp.pipeline import Pipeline, analyze, pipe
from arnews_nlp.text.normalize import normalize
from arnews_nlp.types import (
    Component,
    Document,
    Entity,
    EntityLabel,
    Meta,
    Quote,
    QuoteMode,
    Sentence,
    Span,
    SpeakerKind,
    Token,
    TokenKind,
)

__all__ = [
    "ArnewsError",
    "ArnewsWarning",
    "BackendError",
    "BackendNotInstalledError",
    "Component",
    "ConfigError",
    "DataFileError",
    "Document",
    "Entity",
    "EntityLabel",
    "InputTypeError",
    "Meta",
    "ModelError",
    "ModelFormatError",
    "ModelMismatchWarning",
    "ModelNotFoundError",
    "Pipeline",
    "PipelineConfig",
    "Quote",
    "QuoteMode",
    "RecordError",
    "Sentence",
    "Span",
    "SpeakerKind",
    "Token",
    "TokenKind",
    "__version__",
    "analyze",
    "export",
    "normalize",
    "pipe",
    "read_jsonl",
    "split_sentences",
    "to_dataframe",
    "tokenize",
    "write_jsonl",
]


def _text_pipeline() -> Pipeline:
    """The shared pipeline that only tokenises and splits sentences."""
    from arnews_nlp.pipeline import _pipeline_for

    return _pipeline_for(PipelineConfig(ner=None, quotes=False))


def tokenize(text: str) -> tuple[Token, ...]:
    """Tokens of ``text`` with offsets, norms and proclitic boundaries.

    >>> [t.text for t in tokenize("وقالت «رويترز»:")]
    ['وقالت', '«', 'رويترز', '»', ':']
    """
    return _text_pipeline().tokenizer(check_text(text))


def split_sentences(text: str) -> tuple[Sentence, ...]:
    """Sentences of ``text`` as spans.

    >>> [s.text for s in split_sentences("وصل الوفد. بدأت المحادثات؟ نعم")]
    ['وصل الوفد.', 'بدأت المحادثات؟', 'نعم']
    """
    nlp = _text_pipeline()
    return nlp.sentence_splitter(text, nlp.tokenizer(check_text(text)))
