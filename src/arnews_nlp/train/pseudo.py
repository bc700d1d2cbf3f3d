"""Self-training data: unlabelled news labelled by an ensemble of trained entity models.

    python -m arnews_nlp.train pseudo --models build/teacher-1.npz build/teacher-2.npz \\
        --corpus ../shared/data/ant-corpus-v1.1 ../shared/data/ant-corpus-multisource-v2.1 \\
        --exclude-ids-from ../shared/eval/quotes-dev-docs.jsonl --sentences 20000 \\
        --out build/pseudo.conll

The teachers (BiLSTM-CRFs trained with different seeds by ``train neural``) label every
sentence together: their emission scores and CRF scores are averaged and decoded once, so
the labels are those of the ensemble. A student trained on the labelled data plus these
sentences (``train neural --extra-train build/pseudo.conll``) learns the ensemble's
behaviour on names the labelled data never shows, at the run-time cost of one model.

Beside the CoNLL file, ``build/pseudo.scores.npz`` keeps the ensemble's scores (its mean
emission scores per token and its mean CRF transitions), so that a student trained with
``--soft-targets`` learns the ensemble's whole distribution over labellings (how sure it
was), not only its best labelling.

The output holds sentences of the unlabelled corpus: it is a build artefact, never
shipped or committed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arnews_nlp._resources import load_clusters, load_vocab
from arnews_nlp.entities.lexicon import load_gazetteer, load_triggers
from arnews_nlp.entities.neural import NeuralModel, categorical_features, viterbi_batch
from arnews_nlp.entities.tagger import split_sequences
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.types import Token, TokenKind

__all__ = [
    "ensemble_labels",
    "ensemble_scores",
    "scores_path",
    "sentence_pool",
    "write_pseudo_labels",
]

_MIN_TOKENS = 6
_MAX_TOKENS = 100
_MIN_WORD_SHARE = 0.6  # sentences mostly of Arabic words (not tables, lists of figures)


def sentence_pool(texts: Iterable[str], tokenizer: Tokenizer) -> list[tuple[str, ...]]:
    """Distinct sentences (as token strings) of the texts, as the tagger cuts them, of
    6 to 100 tokens and at least 60% Arabic words; sorted, so the pool does not depend
    on the order the corpus is read in."""
    pool = set()
    for text in texts:
        tokens = tokenizer(text)
        for start, end in split_sequences(text, tokens):
            sentence = tokens[start:end]
            words = sum(t.kind is TokenKind.WORD for t in sentence)
            if _MIN_TOKENS <= len(sentence) <= _MAX_TOKENS and words >= _MIN_WORD_SHARE * len(
                sentence
            ):
                pool.add(tuple(t.text for t in sentence))
    return sorted(pool)


def scores_path(conll: Path) -> Path:
    """Where :func:`write_pseudo_labels` keeps the ensemble's scores for ``conll``."""
    return conll.with_suffix(".scores.npz")


def ensemble_scores(
    models: Sequence[NeuralModel],
    sentences: Sequence[Sequence[Token]],
    features: Sequence[list[list[str]]],
) -> tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]:
    """The ensemble as one CRF: the teachers' mean emission scores (one row per token of
    the sentences, end to end) and their mean (transitions, start, end) scores."""
    emissions = [m.flat_emissions(m.encode_sentences(sentences, features))[0] for m in models]
    crf = tuple(np.mean([m.crf[k] for m in models], axis=0).astype(np.float32) for k in range(3))
    return np.mean(emissions, axis=0).astype(np.float32), crf


def ensemble_labels(
    models: Sequence[NeuralModel],
    sentences: Sequence[Sequence[Token]],
    features: Sequence[list[list[str]]],
) -> list[list[str]]:
    """BIO labels of the ensemble: mean emission scores, mean CRF scores, one Viterbi."""
    if not sentences:
        return []
    emissions, crf = ensemble_scores(models, sentences, features)
    return _best_labels(models[0].bio_labels, emissions, [len(s) for s in sentences], crf)


def _best_labels(
    names: Sequence[str],
    emissions: np.ndarray,
    lengths: Sequence[int],
    crf: tuple[np.ndarray, np.ndarray, np.ndarray],
) -> list[list[str]]:
    """The labels of each sentence's best labelling under the CRF ``emissions``/``crf``
    (``names``: the models' labels as BIO, :attr:`NeuralModel.bio_labels`)."""
    return [[names[k] for k in path] for path in viterbi_batch(emissions, lengths, *crf)]


def write_pseudo_labels(
    models: Sequence[Path],
    texts: Iterable[str],
    out: Path,
    *,
    sentences: int = 20000,
    seed: int = 1,
    batch: int = 64,
) -> dict[str, int]:
    """Label ``sentences`` sentences drawn (with ``seed``) from ``texts`` with the
    ensemble of ``models`` and write them to ``out`` as CoNLL (token TAG), and the
    ensemble's scores to :func:`scores_path` of ``out``; returns
    counts."""
    teachers = [NeuralModel(path) for path in models]
    if len({tuple(t.labels) for t in teachers}) != 1:
        raise ValueError("the teacher models have different label sets")
    tokenizer = Tokenizer()
    pool = sentence_pool(texts, tokenizer)
    random.Random(seed).shuffle(pool)
    chosen = pool[:sentences]
    resources = (load_gazetteer(), load_triggers(), load_vocab(), load_clusters())
    counts = {"pool": len(pool), "sentences": 0, "tokens": 0, "entities": 0}
    out.parent.mkdir(parents=True, exist_ok=True)
    emission_rows, lengths = [], []
    crf: tuple[np.ndarray, np.ndarray, np.ndarray] | tuple[()] = ()
    with open(out, "w", encoding="utf-8") as handle:
        for i in range(0, len(chosen), batch):
            # re-tokenised from the joined tokens, exactly as the training reader will
            token_lists = [tokenizer(" ".join(words)) for words in chosen[i : i + batch]]
            token_lists = [tokens for tokens in token_lists if tokens]
            if not token_lists:
                continue
            features = [categorical_features(tokens, *resources) for tokens in token_lists]
            # the scores are kept too, for students of soft targets
            emissions, crf = ensemble_scores(teachers, token_lists, features)
            emission_rows.append(emissions.astype(np.float16))
            batch_lengths = [len(tokens) for tokens in token_lists]
            lengths += batch_lengths
            best = _best_labels(teachers[0].bio_labels, emissions, batch_lengths, crf)
            for tokens, labels in zip(token_lists, best, strict=True):
                pairs = zip(tokens, labels, strict=True)
                handle.write("".join(f"{t.text} {label}\n" for t, label in pairs) + "\n")
                counts["sentences"] += 1
                counts["tokens"] += len(tokens)
                counts["entities"] += sum(label.startswith("B-") for label in labels)
    width = len(teachers[0].labels)
    arrays: dict[str, Any] = {
        "emissions": np.concatenate(emission_rows) if emission_rows else np.zeros((0, width)),
        "lengths": np.asarray(lengths, dtype=np.int32),
        "labels": np.asarray(teachers[0].labels),
    }
    arrays.update(zip(("transitions", "start", "end"), crf, strict=False))
    np.savez_compressed(scores_path(out), **arrays)
    return counts
