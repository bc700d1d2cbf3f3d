"""Mention replacement: copies of labelled sentences whose names are swapped for other
names of the same type (Dai and Adel, COLING 2020).

    python -m arnews_nlp.train augment --train train.conll --dev-fraction 0.1 --out aug.conll

The context of each copy is real text and its labels stay right, while the name in it
changes: a model trained on the copies too must find names from their context and their
letters rather than remember them. Replacement names are drawn from the same sentences;
the dev split (``dev_fraction`` and ``dev_fold``, as ``train neural`` holds it out) is
neither copied nor drawn from. The original's proclitics stay on the new name, written
as the language writes them: «وبوش» → «وبلير», «للبيت الأبيض» → «للكرملين» (ل + ال).
"""

from __future__ import annotations

import random
from collections.abc import Sequence
from pathlib import Path

from arnews_nlp.entities.tagger import bio_spans
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.train.conll import read_conll, split_off_dev

__all__ = ["augmented_sentences", "write_augmented"]

_Sentence = list[tuple[str, str]]
_Mention = tuple[int, int, str]  # first word, last word (inclusive), type


def _proclitics(word: str, tokenizer: Tokenizer) -> str:
    """The proclitic letters of ``word`` as written («وبوش» → «و»), by the package's
    tokenizer; "" if it has none or is not one token."""
    tokens = tokenizer(word)
    if len(tokens) != 1 or tokens[0].clitic_end == tokens[0].start:
        return ""
    token = tokens[0]
    return word[: token.clitic_end - token.start]


def _attach(proclitics: str, word: str) -> str:
    """``proclitics`` written onto ``word``: ل + ال contracts to لل, as in «للبيت»."""
    if proclitics.endswith("ل") and word.startswith("ال") and len(word) > 2:
        return proclitics + word[1:]
    return proclitics + word


def augmented_sentences(
    sentences: Sequence[_Sentence],
    *,
    copies: int = 1,
    probability: float = 0.5,
    seed: int = 1,
    tokenizer: Tokenizer | None = None,
) -> list[_Sentence]:
    """``copies`` copies of each sentence of ``sentences`` that has an entity, each
    mention replaced with ``probability`` (at least one per copy) by a mention of the
    same type from ``sentences`` written without proclitics; returns the copies only.

    >>> sentences = [
    ...     [("قال", "O"), ("بوش", "B-PER")],
    ...     [("رحب", "O"), ("ببلير", "B-PER")],
    ...     [("وصل", "O"), ("بلير", "B-PER"), ("إلى", "O"), ("بغداد", "B-LOC")],
    ... ]
    >>> for copy in augmented_sentences(sentences, probability=1.0):
    ...     print(" ".join(f"{word}/{tag}" for word, tag in copy))
    قال/O بلير/B-PER
    رحب/O ببوش/B-PER
    وصل/O بوش/B-PER إلى/O بغداد/B-LOC
    """
    if not 0.0 < probability <= 1.0:
        raise ValueError(f"probability must be in (0, 1], got {probability}")
    if copies < 1:
        raise ValueError(f"copies must be at least 1, got {copies}")
    tokenizer = tokenizer or Tokenizer()
    rng = random.Random(seed)
    spans = [bio_spans([tag for _, tag in sentence]) for sentence in sentences]
    pool: dict[str, list[tuple[str, ...]]] = {}
    for sentence, found in zip(sentences, spans, strict=True):
        words = [word for word, _ in sentence]
        for first, last, kind in found:
            if not _proclitics(words[first], tokenizer):
                pool.setdefault(kind, []).append(tuple(words[first : last + 1]))
    out: list[_Sentence] = []
    for sentence, found in zip(sentences, spans, strict=True):
        mentions = [m for m in found if pool.get(m[2])]
        if not mentions:
            continue
        for _ in range(copies):
            chosen = [m for m in mentions if rng.random() < probability]
            if not chosen:
                chosen = [rng.choice(mentions)]
            out.append(_replaced(sentence, chosen, pool, rng, tokenizer))
    return out


def _replaced(
    sentence: _Sentence,
    mentions: Sequence[_Mention],
    pool: dict[str, list[tuple[str, ...]]],
    rng: random.Random,
    tokenizer: Tokenizer,
) -> _Sentence:
    by_start = {first: (last, kind) for first, last, kind in mentions}
    result: _Sentence = []
    i = 0
    while i < len(sentence):
        if i not in by_start:
            result.append(sentence[i])
            i += 1
            continue
        last, kind = by_start[i]
        proclitics = _proclitics(sentence[i][0], tokenizer)
        original = (sentence[i][0][len(proclitics) :], *(w for w, _ in sentence[i + 1 : last + 1]))
        name = list(_other_name(pool[kind], original, rng))
        name[0] = _attach(proclitics, name[0])
        result += [(word, ("B-" if k == 0 else "I-") + kind) for k, word in enumerate(name)]
        i = last + 1
    return result


def _other_name(
    names: Sequence[tuple[str, ...]], original: tuple[str, ...], rng: random.Random
) -> tuple[str, ...]:
    """A name of ``names`` other than ``original`` (the pool repeats frequent names, so
    a few draws find one; ``original`` itself if the pool holds nothing else)."""
    for _ in range(20):
        name = rng.choice(names)
        if name != original:
            return name
    return original


def write_augmented(
    train_file: Path,
    out: Path,
    *,
    dev_fraction: float = 0.0,
    dev_fold: int = 1,
    copies: int = 1,
    probability: float = 0.5,
    seed: int = 1,
) -> dict[str, int]:
    """Write :func:`augmented_sentences` of ``train_file`` without its dev split (the
    ``dev_fraction`` slice ``dev_fold`` that ``train neural`` holds out with the same
    options) to ``out`` as CoNLL; returns counts."""
    sentences = read_conll(train_file)
    kept, _ = split_off_dev(sentences, dev_fraction, dev_fold)
    copied = augmented_sentences(kept, copies=copies, probability=probability, seed=seed)
    out.parent.mkdir(parents=True, exist_ok=True)
    with open(out, "w", encoding="utf-8") as handle:
        for sentence in copied:
            handle.write("".join(f"{word} {tag}\n" for word, tag in sentence) + "\n")
    return {"sentences": len(kept), "copies": len(copied)}
