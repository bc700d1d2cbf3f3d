"""Exceptions raised by arnews_nlp.

Every error the library raises on purpose derives from :class:`ArnewsError`, so
``except arnews_nlp.ArnewsError`` catches them all. Where a built-in exception is the
natural one, the class derives from it too, so code written against the built-in keeps
working::

    ArnewsError
    ├── InputTypeError (TypeError)         analyze(b"...") / analyze(None)
    ├── ConfigError (ValueError)           Pipeline(ner="nope"), bad option values
    ├── ModelError
    │   ├── ModelNotFoundError (FileNotFoundError)  a model file or directory is absent
    │   └── ModelFormatError (ValueError)           a model file exists but cannot be read
    ├── BackendError
    │   └── BackendNotInstalledError (ImportError)  an optional extra is missing
    ├── DataFileError (ValueError)         a lexicon/gazetteer line is malformed
    └── RecordError                        one record of a batch failed (pipe/CLI)

    ArnewsWarning (UserWarning)
    └── ModelMismatchWarning               a model was trained with other word classes
"""

from __future__ import annotations

__all__ = [
    "ArnewsError",
    "ArnewsWarning",
    "BackendError",
    "BackendNotInstalledError",
    "ConfigError",
    "DataFileError",
    "InputTypeError",
    "ModelError",
    "ModelFormatError",
    "ModelMismatchWarning",
    "ModelNotFoundError",
    "RecordError",
]


class ArnewsError(Exception):
    """Root of every error raised on purpose by arnews_nlp."""


class InputTypeError(ArnewsError, TypeError):
    """An argument had the wrong type (bytes instead of str, None, ...)."""


class ConfigError(ArnewsError, ValueError):
    """A configuration value is not one of the accepted ones."""


class ModelError(ArnewsError):
    """A model could not be loaded."""


class ModelNotFoundError(ModelError, FileNotFoundError):
    """A model file or directory does not exist where it was looked for."""


class ModelFormatError(ModelError, ValueError):
    """A model file exists but is corrupt or of another format."""


class BackendError(ArnewsError):
    """An optional backend (camel-tools, stanza) cannot be used."""


class BackendNotInstalledError(BackendError, ImportError):
    """The Python package behind an optional backend is not installed."""


class DataFileError(ArnewsError, ValueError):
    """A lexicon, gazetteer or rule file has a malformed line."""


class ArnewsWarning(UserWarning):
    """Root of every warning issued by arnews_nlp."""


class ModelMismatchWarning(ArnewsWarning):
    """A model was trained with other package resources (word classes) than the ones
    installed: it still runs, but reads garbled inputs and tags worse."""


class RecordError(ArnewsError):
    """Processing one record of a batch failed; ``record_id`` says which one."""

    def __init__(self, message: str, *, record_id: object = None) -> None:
        super().__init__(message)
        self.record_id = record_id


def check_text(value: object, argument: str = "text") -> str:
    """Return ``value`` if it is a ``str``; otherwise raise an :class:`InputTypeError`
    that names the argument and says what arrived."""
    if isinstance(value, str):
        return value
    if isinstance(value, (bytes, bytearray, memoryview)):
        raise InputTypeError(
            f"{argument} must be str, got {type(value).__name__}: decode it first, "
            f"e.g. {argument}.decode('utf-8')"
        )
    raise InputTypeError(f"{argument} must be str, got {type(value).__name__}")
