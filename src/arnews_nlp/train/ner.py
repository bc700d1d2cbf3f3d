"""Train the default entity model (a CRF) from a CoNLL file.

    python -m arnews_nlp.train ner \\
        --train ../shared/data/anercorp-camellab-splits/ANERCorp_CamelLab_train.reconstructed.txt \\
        --out src/arnews_nlp/data/ner.crfsuite

``--dev-fraction`` holds out the last part of the training file and reports its scores
(for tuning; ``--dev-fold K`` holds out the K-th such part from the end); the shipped
model is trained on the whole training file with ``--dev-fraction 0``.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

from arnews_nlp._resources import load_clusters, load_vocab
from arnews_nlp._version import __version__
from arnews_nlp.entities.features import FEATURES_VERSION, FeatureExtractor
from arnews_nlp.entities.lexicon import load_gazetteer, load_triggers
from arnews_nlp.entities.tagger import _decode
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.train.conll import aligned_sequences, read_conll, split_off_dev

__all__ = ["train_ner"]


def _entity_set(labels: Sequence[Sequence[str]]) -> set[tuple[int, int, int, str]]:
    return {
        (n, first, last, label.value)
        for n, seq in enumerate(labels)
        for first, last, label, _ in _decode(seq)
    }


def score(gold: Sequence[Sequence[str]], predicted: Sequence[Sequence[str]]) -> dict[str, float]:
    """Entity-level micro P/R/F1 over token sequences, overall and per type."""
    g, p = _entity_set(gold), _entity_set(predicted)
    out: dict[str, float] = {}
    for name, keep in [
        ("all", None),
        ("PER", "PER"),
        ("LOC", "LOC"),
        ("ORG", "ORG"),
        ("MISC", "MISC"),
    ]:
        gs = {x for x in g if keep is None or x[3] == keep}
        ps = {x for x in p if keep is None or x[3] == keep}
        tp = len(gs & ps)
        precision = tp / len(ps) if ps else 0.0
        recall = tp / len(gs) if gs else 0.0
        out[name] = round(2 * precision * recall / (precision + recall), 4) if tp else 0.0
    return out


def train_ner(
    train_file: Path,
    out: Path,
    *,
    dev_fraction: float = 0.0,
    dev_fold: int = 1,
    c1: float = 0.05,
    c2: float = 0.01,
    max_iterations: int = 200,
    limit: int = 0,
    verbose: bool = False,
) -> dict[str, Any]:
    """Train a CRF on ``train_file``, write ``out`` and its metadata ``out.json``;
    returns the metadata (with dev scores when ``dev_fraction`` > 0; ``dev_fold`` picks
    which slice is held out, as in :func:`~arnews_nlp.train.conll.split_off_dev`)."""
    import pycrfsuite

    sentences = read_conll(train_file)
    if limit:
        sentences = sentences[:limit]
    train_sents, dev_sents = split_off_dev(sentences, dev_fraction, dev_fold)
    tokenizer = Tokenizer()
    features = FeatureExtractor(load_gazetteer(), load_triggers(), load_vocab(), load_clusters())

    started = time.perf_counter()
    trainer = pycrfsuite.Trainer(verbose=verbose)
    n_tokens = 0
    for tokens, labels in aligned_sequences(train_sents, tokenizer):
        if tokens:
            trainer.append(features(tokens), labels)
            n_tokens += len(tokens)
    trainer.set_params(
        {
            "c1": c1,
            "c2": c2,
            "max_iterations": max_iterations,
            "feature.possible_transitions": True,
        }
    )
    out.parent.mkdir(parents=True, exist_ok=True)
    trainer.train(str(out))
    metadata: dict[str, Any] = {
        "model_version": f"{__version__}-crf{FEATURES_VERSION}",
        "features_version": FEATURES_VERSION,
        "trained_with": f"arnews_nlp {__version__}",
        "train_file": train_file.name,
        "train_sentences": len(train_sents),
        "train_tokens": n_tokens,
        "params": {"c1": c1, "c2": c2, "max_iterations": max_iterations, "dev_fold": dev_fold},
        "seconds": round(time.perf_counter() - started, 1),
    }
    if dev_sents:
        tagger = pycrfsuite.Tagger()
        tagger.open(str(out))
        gold, predicted = [], []
        for tokens, labels in aligned_sequences(dev_sents, tokenizer):
            if tokens:
                gold.append(labels)
                predicted.append(tagger.tag(features(tokens)))
        metadata["dev_sentences"] = len(dev_sents)
        metadata["dev_f1"] = score(gold, predicted)
    out.with_suffix(".json").write_text(
        json.dumps(metadata, ensure_ascii=False, indent=2) + "\n", encoding="utf-8"
    )
    return metadata
