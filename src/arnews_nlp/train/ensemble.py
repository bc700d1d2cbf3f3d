"""Pack trained BiLSTM-CRFs into one model file whose scores are their mean.

    python -m arnews_nlp.train ensemble --models a.npz b.npz --out ner_nn.npz

The members must share their vocabularies, features, labels and hidden size (models
trained on the same data with different seeds do); at run time each network scores every
sentence and the mean emission and transition scores are decoded once, as ``train
pseudo`` does with its teachers. numpy only: no torch needed.

Each member's training record is kept in the ensemble's ``.json``, so that
:func:`unpack_members` can give the members back as models of their own (``train neural
--init-from`` fine-tunes an ensemble member by member).
"""

from __future__ import annotations

import json
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np

__all__ = ["is_ensemble", "unpack_members", "write_ensemble"]

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


def write_ensemble(
    models: Sequence[Path], out: Path, *, finetuned_from: Mapping[str, Any] | None = None
) -> dict[str, Any]:
    """Write ``out`` (.npz, members' arrays under ``member{k}.``) and its ``.json`` (the
    shared vocabularies and each member's record; ``finetuned_from``, if given, names the
    ensemble its members were fine-tuned from); returns the ``.json``'s content."""
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
    # each member's own record, all but what the members share (kept once, above)
    metadata["members"] = [
        {"file": model.name, **{k: v for k, v in record.items() if k not in _SHARED}}
        for model, record in zip(models, records, strict=True)
    ]
    if finetuned_from is not None:
        metadata["finetuned_from"] = dict(finetuned_from)
    out.with_suffix(".json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    return metadata


def is_ensemble(model: Path) -> bool:
    """Whether ``model`` (.npz, its .json beside it) was packed by :func:`write_ensemble`
    (False if it has no .json: whoever reads it reports that)."""
    meta = model.with_suffix(".json")
    if not meta.is_file():
        return False
    record = json.loads(meta.read_text(encoding="utf-8"))
    return bool(record.get("members"))


def unpack_members(ensemble: Path, folder: Path) -> list[Path]:
    """Write each member of ``ensemble`` to ``folder`` as a model of its own
    (``member{k}.npz`` and its ``.json``: the shared vocabularies and the member's
    record) and return their paths, in the ensemble's order."""
    record = json.loads(ensemble.with_suffix(".json").read_text(encoding="utf-8"))
    members = record.get("members") or []
    if not members:
        raise ValueError(
            f"{ensemble} is not an ensemble (expected a model packed by `train ensemble`)"
        )
    shared = {key: record[key] for key in _SHARED if key in record}
    folder.mkdir(parents=True, exist_ok=True)
    paths = []
    with np.load(ensemble) as data:
        for k, member in enumerate(members):
            prefix = f"member{k}."
            arrays = {n[len(prefix) :]: data[n] for n in data.files if n.startswith(prefix)}
            path = folder / f"member{k}.npz"
            np.savez_compressed(path, **arrays)
            own = {key: value for key, value in member.items() if key != "file"}
            path.with_suffix(".json").write_text(
                json.dumps({**shared, **own}, ensure_ascii=False), encoding="utf-8"
            )
            paths.append(path)
    return paths
