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

The output holds sentences of the unlabelled corpus: it is a build artefact, never
shipped or committed.
"""

from __future__ import annotations

import random
from collections.abc import Iterable, Sequence
from pathlib import Path

import numpy as np

from arnews_nlp._resources import load_clusters, load_vocab
from arnews_nlp.entities.lexicon import load_gazetteer, load_triggers
from arnews_nlp.entities.neural import NeuralModel, categorical_features, viterbi_batch
from arnews_nlp.entities.tagger import split_sequences
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.types import Token, TokenKind

__all__ = ["ensemble_labels", "sentence_pool", "write_pseudo_labels"]

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


def ensemble_labels(
    models: Sequence[NeuralModel],
    sentences: Sequence[Sequence[Token]],
    features: Sequence[list[list[str]]],
) -> list[list[str]]:
    """BIO labels of the ensemble: mean emission scores, mean CRF scores, one Viterbi."""
    if not sentences:
        return []
    emissions = [m.flat_emissions(m.encode_sentences(sentences, features))[0] for m in models]
    lengths = [len(s) for s in sentences]
    transitions, start, end = (
        np.mean([m.crf[k] for m in models], axis=0).astype(np.float32) for k in range(3)
    )
    paths = viterbi_batch(np.mean(emissions, axis=0), lengths, transitions, start, end)
    labels = models[0].labels
    return [[labels[k] for k in path] for path in paths]


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
    ensemble of ``models`` and write them to ``out`` as CoNLL (token TAG); returns
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
    with open(out, "w", encoding="utf-8") as handle:
        for i in range(0, len(chosen), batch):
            # re-tokenised from the joined tokens, exactly as the training reader will
            token_lists = [tokenizer(" ".join(words)) for words in chosen[i : i + batch]]
            token_lists = [tokens for tokens in token_lists if tokens]
            features = [categorical_features(tokens, *resources) for tokens in token_lists]
            for tokens, labels in zip(
                token_lists, ensemble_labels(teachers, token_lists, features), strict=True
            ):
                pairs = zip(tokens, labels, strict=True)
                handle.write("".join(f"{t.text} {label}\n" for t, label in pairs) + "\n")
                counts["sentences"] += 1
                counts["tokens"] += len(tokens)
                counts["entities"] += sum(label.startswith("B-") for label in labels)
    return counts
