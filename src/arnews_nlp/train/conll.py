"""Reading CoNLL NER files and aligning them with our tokenizer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.types import Token

__all__ = ["aligned_sequences", "normalize_tag", "read_conll", "split_off_dev"]


_TYPES = ("PER", "LOC", "ORG", "MISC")


def normalize_tag(tag: str) -> str:
    """Map a corpus tag onto IOB2 over PER/LOC/ORG/MISC: ``PERS`` → ``PER``, AQMAR's
    article-specific ``MIS0``…``MIS3`` → ``MISC``, ``I--ORG`` → ``I-ORG``, anything
    else (``B-ENGLISH``, typos) → ``O``."""
    if len(tag) < 3 or tag[1] != "-" or tag[0] not in "BI":
        return "O"
    kind = tag[2:].lstrip("-")
    if kind == "PERS":
        kind = "PER"
    elif kind.startswith("MIS"):
        kind = "MISC"
    return f"{tag[0]}-{kind}" if kind in _TYPES else "O"


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` pairs, tags normalised by :func:`normalize_tag`."""
    sentences: list[list[tuple[str, str]]] = []
    current: list[tuple[str, str]] = []
    with open(path, encoding="utf-8") as handle:
        for line in handle:
            parts = line.split()
            if not parts:
                if current:
                    sentences.append(current)
                    current = []
                continue
            tag = normalize_tag(parts[-1])
            current.append((" ".join(parts[:-1]), tag))
    if current:
        sentences.append(current)
    return sentences


def split_off_dev(
    sentences: Sequence[list[tuple[str, str]]], fraction: float, fold: int = 1
) -> tuple[list[list[tuple[str, str]]], list[list[tuple[str, str]]]]:
    """``(train, dev)``: the last ``fraction`` of ``sentences`` held out as the dev split,
    the same way for every training command, the augmenter and the benchmarks.

    ``fold`` K > 1 holds out the K-th slice of that size counted from the end instead
    (fold 2: the ``fraction`` before the last), so that a change can be judged on more
    held-out sentences than one dev split has, each fold's models trained without it.

    >>> split_off_dev([[("a", "O")]] * 10, 0.1)[1]
    [[('a', 'O')]]
    >>> numbered = [[(str(i), "O")] for i in range(10)]
    >>> [s[0][0] for s in split_off_dev(numbered, 0.2, fold=2)[1]]
    ['6', '7']
    """
    n_dev = int(len(sentences) * fraction)
    if fold < 1 or fold * n_dev > len(sentences):
        raise ValueError(
            f"dev fold must be between 1 and {len(sentences) // max(n_dev, 1)} for a dev "
            f"fraction of {fraction} of {len(sentences)} sentences, got {fold}"
        )
    end = len(sentences) - (fold - 1) * n_dev
    start = end - n_dev
    return [*sentences[:start], *sentences[end:]], list(sentences[start:end])


def aligned_sequences(
    sentences: Sequence[list[tuple[str, str]]], tokenizer: Tokenizer
) -> Iterator[tuple[tuple[Token, ...], list[str]]]:
    """Each sentence as our tokens with BIO labels: the sentence's words are joined by
    spaces (exactly as the evaluation does), tokenised by our tokenizer, and each of our
    tokens takes the tag of the corpus word it lies in (``I-`` after that word's first
    piece)."""
    for sentence in sentences:
        text = " ".join(word for word, _ in sentence)
        bounds = []
        position = 0
        for word, tag in sentence:
            bounds.append((position, position + len(word), tag))
            position += len(word) + 1
        tokens = tokenizer(text)
        labels = []
        w = 0
        previous_word = -1
        for token in tokens:
            while bounds[w][1] <= token.start:
                w += 1
            tag = bounds[w][2]
            if tag != "O" and w == previous_word:
                tag = "I-" + tag[2:]
            labels.append(tag)
            previous_word = w
        yield tokens, labels
