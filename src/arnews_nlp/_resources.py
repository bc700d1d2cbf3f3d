"""Loading of the package's data files (lexicons, gazetteers, model).

Every loader is cached: the data is read once per process, on first use, and shared
read-only (frozensets, tuples, mappings that nobody mutates).
"""

from __future__ import annotations

import functools
import gzip
from collections.abc import Iterator
from importlib import resources
from pathlib import Path

from arnews_nlp.errors import DataFileError, ModelNotFoundError

__all__ = [
    "data_path",
    "iter_tsv",
    "load_clusters",
    "load_name_words",
    "load_protected_words",
    "load_vocab",
]


def data_path(name: str) -> Path:
    """Filesystem path of a file in ``arnews_nlp/data``."""
    return Path(str(resources.files("arnews_nlp") / "data" / name))


def _open_text(path: Path) -> Iterator[str]:
    if not path.exists():
        raise ModelNotFoundError(f"data file {path} is missing: reinstall arnews-nlp")
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rt", encoding="utf-8") as handle:
        yield from handle


def iter_tsv(path: Path, *, min_fields: int = 1) -> Iterator[tuple[int, list[str]]]:
    """Yield ``(line_number, fields)`` for each non-blank, non-comment line of a TSV file;
    a line with fewer than ``min_fields`` fields raises :class:`DataFileError` naming the
    file and line."""
    for number, line in enumerate(_open_text(path), start=1):
        line = line.rstrip("\n")
        if not line.strip() or line.startswith("#"):
            continue
        fields = line.split("\t")
        if len(fields) < min_fields:
            raise DataFileError(
                f"{path}:{number}: expected {min_fields} tab-separated fields, "
                f"got {len(fields)}: {line[:60]!r}"
            )
        yield number, fields


@functools.lru_cache(maxsize=1)
def _vocab_file() -> tuple[dict[str, int], frozenset[str]]:
    path = data_path("vocab.tsv.gz")
    if not path.exists():
        return {}, frozenset()
    vocab: dict[str, int] = {}
    names = set()
    for number, fields in iter_tsv(path, min_fields=2):
        try:
            vocab[fields[0]] = int(fields[1])
        except ValueError:
            raise DataFileError(
                f"{path}:{number}: expected an integer count, got {fields[1]!r}"
            ) from None
        if len(fields) > 2 and fields[2] == "name":
            names.add(fields[0])
    return vocab, frozenset(names)


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
    """Words the tokenizer never splits into proclitic + word: words of names, and the
    native و/ف/ب/ل/ك-initial words of ``data/whole_words.tsv``."""
    from arnews_nlp.text.normalize import normalize

    listed = (normalize(f[0]) for _, f in iter_tsv(data_path("whole_words.tsv")))
    return load_name_words() | frozenset(listed)


@functools.lru_cache(maxsize=1)
def load_clusters() -> dict[str, tuple[str, ...]]:
    """Normalised stem → its distributional word classes, coarse to fine
    (``data/clusters.tsv.gz``, built by ``python -m arnews_nlp.train clusters``)."""
    path = data_path("clusters.tsv.gz")
    if not path.exists():
        return {}
    clusters: dict[str, tuple[str, ...]] = {}
    for number, fields in iter_tsv(path, min_fields=2):
        try:
            clusters[fields[0]] = tuple(str(int(c)) for c in fields[1:])
        except ValueError:
            raise DataFileError(
                f"{path}:{number}: expected an integer class, got {fields[1]!r}"
            ) from None
    return clusters
