"""Pack trained BiLSTM-CRFs into one model file whose scores are their mean.

    python -m arnews_nlp.train ensemble --models a.npz b.npz --out ner_nn.npz

The members must share their vocabularies, features, labels and hidden size (models
trained on the same data with different seeds do); at run time each network scores every
sentence and the mean emission and transition scores are decoded once, as ``train
pseudo`` does with its teachers. numpy only: no torch needed.
"""

from __future__ import annotations

import json
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["write_ensemble"]

# what the members share (one hidden size: they step through one LSTM loop together)
_SHARED = (
    "labels",
    "words",
    "chars",
    "char_input",
    "features",
    "word_classes_sha256",
    "hidden",
)


def write_ensemble(models: Sequence[Path], out: Path) -> dict[str, Any]:
    """Write ``out`` (.npz, members' arrays under ``member{k}.``) and its ``.json`` (the
    shared vocabularies and each member's record); returns the ``.json``'s content."""
    if len(models) < 2:
        raise ValueError(f"an ensemble needs at least two models, got {len(models)}")
    records = [json.loads(m.with_suffix(".json").read_text(encoding="utf-8")) for m in models]
    first = records[0]
    for model, record in zip(models[1:], records[1:], strict=True):
        differing = [key for key in _SHARED if record.get(key) != first.get(key)]
        if differing:
            raise ValueError(
                f"{model} cannot join an ensemble with {models[0]}: their "
                f"{', '.join(differing)} differ (train the members on the same data)"
            )
    arrays: dict[str, np.ndarray] = {}
    for k, model in enumerate(models):
        with np.load(model) as data:
            arrays.update({f"member{k}.{name}": data[name] for name in data.files})
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **arrays)  # type: ignore[arg-type]
    metadata: dict[str, Any] = {key: first[key] for key in _SHARED if key in first}
    metadata["model_version"] = f"{first.get('model_version', 'unversioned')}-ensemble{len(models)}"
    metadata["outside_bias"] = first.get("outside_bias", 0.0)
    metadata["members"] = [
        {
            "file": model.name,
            "model_version": record.get("model_version"),
            "params": record.get("params"),
            "dev_f1": record.get("dev_f1"),
            "export_max_abs_diff": record.get("export_max_abs_diff"),
        }
        for model, record in zip(models, records, strict=True)
    ]
    out.with_suffix(".json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    return metadata
