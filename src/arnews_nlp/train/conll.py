"""Reading CoNLL NER files and aligning them with our tokenizer."""

from __future__ import annotations

from collections.abc import Iterator, Sequence
from pathlib import Path

from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.types import Token

__all__ = ["aligned_sequences", "read_conll"]


def read_conll(path: Path) -> list[list[tuple[str, str]]]:
    """Sentences of ``(token, tag)`` pairs; tags ``B-PERS`` are read as ``B-PER``."""
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
            tag = parts[-1].replace("PERS", "PER")
            current.append((" ".join(parts[:-1]), tag))
    if current:
        sentences.append(current)
    return sentences


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
