"""Loading of the package's data files (lexicons, gazetteers, model).

Every loader is cached: the data is read once per process, on first use, and shared
read-only (frozensets, tuples, mappings that nobody mutates).
"""

from __future__ import annotations

import functools
import gzip
import hashlib
import itertools
from collections.abc import Callable, Iterator
from importlib import resources
from pathlib import Path
from typing import NoReturn

from arnews_nlp.errors import DataFileError, ModelNotFoundError

__all__ = [
    "data_path",
    "iter_tsv",
    "load_clusters",
    "load_name_words",
    "load_protected_words",
    "load_vocab",
    "word_classes_digest",
]


def data_path(name: str) -> Path:
    """Filesystem path of a file in ``arnews_nlp/data``."""
    return Path(str(resources.files("arnews_nlp") / "data" / name))


def _read_text(path: Path) -> str:
    # read whole: line by line through gzip costs a third of the start-up time
    if not path.exists():
        raise ModelNotFoundError(f"data file {path} is missing: reinstall arnews-nlp")
    raw = path.read_bytes()
    if path.suffix == ".gz":
        raw = gzip.decompress(raw)
    return raw.decode("utf-8")


def _read_lines(path: Path) -> list[str]:
    return _read_text(path).splitlines()


def iter_tsv(path: Path, *, min_fields: int = 1) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each non-blank, non-comment line of a TSV file;
    a line with fewer than ``min_fields`` fields raises :class:`DataFileError` naming the
    file and line."""
    for number, line in enumerate(_read_lines(path), start=1):
        if not line or line[0] == "#" or not line.strip():
            continue
        fields = line.split("\t")
        if len(fields) < min_fields:
            raise DataFileError(
                f"{path}:{number}: expected {min_fields} tab-separated fields, "
                f"got {len(fields)}: {line[:60]!r}"
            )
        yield number, fields


def _rows(path: Path) -> list[list[str]]:
    """The tab-separated fields of each non-blank, non-comment line (a fast path for
    the large generated files; :func:`iter_tsv` reports a bad line with its number)."""
    return _fields(_read_lines(path))


def _fields(lines: list[str]) -> list[list[str]]:
    return [line.split("\t") for line in lines if line.strip() and line[0] != "#"]


def _first_bad_line(path: Path, good: Callable[[list[str]], bool], expected: str) -> NoReturn:
    for number, fields in iter_tsv(path):
        if not good(fields):
            raise DataFileError(f"{path}:{number}: expected {expected}, got {fields!r}")
    raise DataFileError(f"{path}: expected {expected}")  # pragma: no cover


@functools.lru_cache(maxsize=1)
def _vocab_file() -> tuple[dict[str, int], frozenset[str]]:
    path = data_path("vocab.tsv.gz")
    if not path.exists():
        return {}, frozenset()
    rows = _rows(path)
    try:
        vocab = {fields[0]: int(fields[1]) for fields in rows}
    except (ValueError, IndexError):
        _first_bad_line(
            path, lambda f: len(f) > 1 and f[1].strip().isdigit(), "a word and an integer count"
        )
    names = frozenset(f[0] for f in rows if len(f) > 2 and f[2] == "name")
    return vocab, names


def load_vocab() -> dict[str, int]:
    """Normalised word → frequency in the unlabelled news used at training time
    (``data/vocab.tsv.gz``, built by ``python -m arnews_nlp.train vocab``). Empty when
    the file is absent, which only weakens clitic splitting."""
    return _vocab_file()[0]


def load_name_words() -> frozenset[str]:
    """Normalised words that occur in gazetteer names (flagged in the vocab file)."""
    return _vocab_file()[1]


@functools.lru_cache(maxsize=1)
def load_protected_words() -> frozenset[str]:
    """Words the tokenizer never splits into proclitic + word: words of names (the
    gazetteers' and the given names of ``data/given_names.tsv``: «فادي» is not ف +
    «ادي»), and the words of ``data/whole_words.tsv``. The gazetteers are read as they
    are, not only as the vocabulary file flagged them when it was built, so a name
    added since («وولفويتز») is protected too."""
    from arnews_nlp.entities.lexicon import load_gazetteer
    from arnews_nlp.text.normalize import normalize

    listed = (
        normalize(fields[0])
        for name in ("whole_words.tsv", "given_names.tsv")
        for _, fields in iter_tsv(data_path(name))
    )
    return load_name_words() | load_gazetteer().words() | frozenset(listed)


def load_clusters() -> dict[str, tuple[str, ...]]:
    """Normalised stem → its distributional word classes, coarse to fine
    (``data/clusters.tsv.gz``, built by ``python -m arnews_nlp.train clusters``)."""
    return _clusters_file()[0]


def word_classes_digest() -> str:
    """A digest of ``data/clusters.tsv.gz``'s content ("" when it is absent). The word
    classes are arbitrary numbers that a rebuild of the file renumbers, so a model
    trained with other classes reads garbled inputs; models record this digest."""
    return _clusters_file()[1]


@functools.lru_cache(maxsize=1)
def _clusters_file() -> tuple[dict[str, tuple[str, ...]], str]:
    # one read for the classes and their digest: both are needed at start-up
    path = data_path("clusters.tsv.gz")
    if not path.exists():
        return {}, ""
    text = _read_text(path)
    digest = hashlib.sha256(text.encode("utf-8")).hexdigest()[:16]
    rows = _fields(text.splitlines())
    classes = list(itertools.chain.from_iterable(fields[1:] for fields in rows))
    if not all(len(f) > 1 for f in rows) or not all(map(str.isdigit, classes)):
        _first_bad_line(
            path,
            lambda f: len(f) > 1 and all(c.isdigit() for c in f[1:]),
            "a stem and integer classes",
        )
    return {fields[0]: tuple(fields[1:]) for fields in rows}, digest
