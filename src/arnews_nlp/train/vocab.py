"""Build ``data/vocab.tsv.gz``: normalised word frequencies in unlabelled news.

The vocabulary informs proclitic splitting (is «زير» a word, or is «وزير» one?) and gives
the entity model a frequency-class feature. Gazetteer words are added so that names are
known words even when the news corpus never saw them.
"""

from __future__ import annotations

import collections
import gzip
from collections.abc import Iterable, Iterator
from pathlib import Path

import regex

from arnews_nlp.text.normalize import normalize

__all__ = ["build_vocab", "iter_corpus_texts", "write_vocab"]

_TEXT = regex.compile(r"<(TITLE|ABSTRACT|TEXT)>(.*?)</\1>", regex.S)
_WORD = regex.compile(r"[\p{Arabic}\p{M}\u0640]+")


def iter_corpus_texts(roots: Iterable[Path], exclude_ids: frozenset[str]) -> Iterator[str]:
    """Texts of the ANT-style ``*.txt`` articles under ``roots`` (TREC pseudo-XML, or
    plain text), skipping articles whose file stem is in ``exclude_ids``."""
    for root in roots:
        for path in sorted(Path(root).rglob("*.txt")):
            if path.stem in exclude_ids:
                continue
            raw = path.read_text(encoding="utf-8", errors="replace")
            parts = [m.group(2) for m in _TEXT.finditer(raw)]
            yield "\n".join(parts) if parts else raw


def build_vocab(
    texts: Iterable[str], extra_words: Iterable[str] = (), *, extra_count: int = 100
) -> collections.Counter[str]:
    counts: collections.Counter[str] = collections.Counter()
    for text in texts:
        counts.update(normalize(w) for w in _WORD.findall(text))
    for word in extra_words:
        counts[word] = max(counts[word], extra_count)
    return counts


def write_vocab(
    counts: collections.Counter[str],
    path: Path,
    *,
    min_count: int = 3,
    names: frozenset[str] = frozenset(),
) -> int:
    """Write ``word<TAB>count[<TAB>name]`` lines, most frequent first; ``name`` flags
    words of gazetteer names."""
    rows = sorted(
        ((w, c) for w, c in counts.items() if c >= min_count and w), key=lambda x: (-x[1], x[0])
    )
    path.parent.mkdir(parents=True, exist_ok=True)
    # mtime=0: the same corpus gives byte-identical output
    with open(path, "wb") as raw, gzip.GzipFile(fileobj=raw, mode="wb", mtime=0) as handle:
        lines = (f"{w}\t{c}\tname\n" if w in names else f"{w}\t{c}\n" for w, c in rows)
        handle.write("".join(lines).encode("utf-8"))
    return len(rows)
