"""Train the BiLSTM-CRF entity model with torch and export it for numpy inference.

    pip install torch==2.13.0   # build time only; users of the model never need torch
    python -m arnews_nlp.train neural \\
        --train ../shared/data/anercorp-camellab-splits/ANERCorp_CamelLab_train.reconstructed.txt \\
        --vectors-from ../shared/data/ant-corpus-v1.1 ../shared/data/ant-corpus-multisource-v2.1

Writes ``ner_nn.npz`` (float16 weights) and ``ner_nn.json`` (vocabularies, labels, sizes,
training figures) into the package data. The architecture is described in
:mod:`arnews_nlp.entities.neural`; the word embeddings start from PPMI-SVD vectors of the
unlabelled news (:func:`arnews_nlp.train.clusters.word_vectors`).
"""

from __future__ import annotations

import collections
import itertools
import json
import random
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arnews_nlp._resources import load_clusters, load_vocab, word_classes_digest
from arnews_nlp._version import __version__
from arnews_nlp.entities.lexicon import load_gazetteer, load_triggers
from arnews_nlp.entities.neural import (
    CHAR_INPUTS,
    N_FEATURES,
    NeuralModel,
    categorical_features,
    character_form,
    token_stem,
)
from arnews_nlp.entities.tagger import bio_spans
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.train.conll import aligned_sequences, read_conll, split_off_dev
from arnews_nlp.train.ner import score
from arnews_nlp.types import Token

__all__ = [
    "BIOES_LABELS",
    "LABELS",
    "TAG_SCHEMES",
    "dev_split_record",
    "to_bioes",
    "train_neural",
]

LABELS = ["O"] + [f"{p}-{t}" for t in ("PER", "LOC", "ORG", "MISC") for p in "BI"]
# the same entities with their last token (E-) and one-token entities (S-) told apart:
# the CRF then learns where a name ends, not only where it starts
BIOES_LABELS = ["O"] + [f"{p}-{t}" for t in ("PER", "LOC", "ORG", "MISC") for p in "BIES"]
TAG_SCHEMES = {"bio": LABELS, "bioes": BIOES_LABELS}
_MAX_CHARS = 20


def to_bioes(labels: Sequence[str]) -> list[str]:
    """IOB2 ``labels`` as BIOES: each entity's last token ``E-``, a one-token entity
    ``S-``; entities are read as :func:`~arnews_nlp.entities.tagger.bio_spans` reads them
    (an ``I-`` after ``O`` or after another type opens one).

    >>> to_bioes(["B-PER", "I-PER", "I-PER", "O", "B-LOC", "I-ORG"])
    ['B-PER', 'I-PER', 'E-PER', 'O', 'S-LOC', 'S-ORG']
    """
    out = ["O"] * len(labels)
    for first, last, kind in bio_spans(labels):
        if first == last:
            out[first] = "S-" + kind
            continue
        out[first] = "B-" + kind
        out[first + 1 : last] = ["I-" + kind] * (last - first - 1)
        out[last] = "E-" + kind
    return out


def _build_model(
    sizes: dict[str, int],
    init_vectors: np.ndarray,
    context: dict[str, np.ndarray] | None = None,
    n_labels: int = len(LABELS),
) -> Any:
    import torch
    from torch import nn

    class Tagger(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.wemb = nn.Embedding(sizes["words"], sizes["word_dim"], padding_idx=0)
            self.wemb.weight.data.copy_(torch.from_numpy(init_vectors))
            self.cemb = nn.Embedding(sizes["chars"], sizes["char_dim"], padding_idx=0)
            self.conv = nn.Conv1d(sizes["char_dim"], sizes["filters"], 3, padding=1)
            self.femb = nn.Embedding(sizes["features"], sizes["feature_dim"], padding_idx=0)
            self.drop = nn.Dropout(sizes["dropout"] / 100)
            width = sizes["word_dim"] + sizes["filters"] + sizes["feature_dim"] * N_FEATURES
            self.context: Any = None
            if context is not None:
                # the news language model (``train lm``), kept as it was trained
                self.context = nn.LSTM(
                    sizes["word_dim"],
                    sizes["context_hidden"],
                    batch_first=True,
                    bidirectional=True,
                )
                for direction, suffix in (("f", ""), ("b", "_reverse")):
                    for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                        short = name.replace("weight", "w").replace("bias", "b")
                        values = torch.from_numpy(context[f"lm_{direction}_{short}"])
                        getattr(self.context, f"{name}_l0{suffix}").data.copy_(values)
                self.context.requires_grad_(False)
                width += 2 * sizes["context_hidden"]
            self.lstm = nn.LSTM(width, sizes["hidden"], batch_first=True, bidirectional=True)
            # a second BiLSTM over the first's states (``layers`` 2), read by the output
            self.lstm2: Any = None
            if sizes.get("layers", 1) == 2:
                self.lstm2 = nn.LSTM(
                    2 * sizes["hidden"], sizes["hidden"], batch_first=True, bidirectional=True
                )
            self.out = nn.Linear(2 * sizes["hidden"], n_labels)
            self.trans = nn.Parameter(torch.zeros(n_labels, n_labels))
            self.start = nn.Parameter(torch.zeros(n_labels))
            self.end = nn.Parameter(torch.zeros(n_labels))

        def emissions(self, words: Any, chars: Any, feats: Any) -> Any:
            batch, steps = words.shape
            flat = chars.view(batch * steps, -1)
            conv = torch.relu(self.conv(self.cemb(flat).transpose(1, 2)))
            # positions past the word's end are masked (position 0 always counts), so the
            # result does not depend on how long the batch's longest word is
            keep = (flat > 0) | (torch.arange(flat.shape[1]) == 0)
            conv = conv * keep.unsqueeze(1)
            char_features = conv.max(dim=2).values.view(batch, steps, -1)
            parts = [self.wemb(words), char_features, self.femb(feats).view(batch, steps, -1)]
            # packed, so the backward direction starts at each sentence's own end, as
            # the numpy runtime does, whatever else is in the batch
            lengths = (words != 0).sum(1).clamp(min=1).cpu()
            if self.context is not None:
                # the language model knows the vector words (ids 2..); others read as 0
                known = (words >= 2) & (words < sizes["context_words"])
                with torch.no_grad():
                    packed_words = nn.utils.rnn.pack_padded_sequence(
                        self.wemb(words * known), lengths, batch_first=True, enforce_sorted=False
                    )
                    states, _ = self.context(packed_words)
                    states, _ = nn.utils.rnn.pad_packed_sequence(
                        states, batch_first=True, total_length=steps
                    )
                parts.append(states)
            x = torch.cat(parts, 2)
            packed = nn.utils.rnn.pack_padded_sequence(
                self.drop(x), lengths, batch_first=True, enforce_sorted=False
            )
            hidden, _ = self.lstm(packed)
            hidden, _ = nn.utils.rnn.pad_packed_sequence(
                hidden, batch_first=True, total_length=steps
            )
            if self.lstm2 is not None:
                packed = nn.utils.rnn.pack_padded_sequence(
                    self.drop(hidden), lengths, batch_first=True, enforce_sorted=False
                )
                hidden, _ = self.lstm2(packed)
                hidden, _ = nn.utils.rnn.pad_packed_sequence(
                    hidden, batch_first=True, total_length=steps
                )
            return self.out(self.drop(hidden))

        def loss(
            self,
            scores: Any,
            labels: Any,
            mask: Any,
            teacher: tuple[Any, Any, Any, Any],
            soft: Any,
            soft_weight: float = 1.0,
        ) -> Any:
            """Mean cross-entropy of the batch's sentences against their targets: the
            gold labelling, or for ``soft`` sentences the distribution over labellings of
            their teacher CRF, ``teacher`` = (emission scores, transitions, start, end),
            one row per sentence, mixed with their labels by ``soft_weight``. Both are
            ``log Z - expected path score``; for a gold labelling the expectation is
            its own score."""
            path = self.start[labels[:, 0]] + scores[:, 0].gather(1, labels[:, :1]).squeeze(1)
            for t in range(1, scores.shape[1]):
                step = self.trans[labels[:, t - 1], labels[:, t]]
                emit = scores[:, t].gather(1, labels[:, t : t + 1]).squeeze(1)
                path = path + (step + emit) * mask[:, t]
            last = mask.sum(1).long() - 1
            path = path + self.end[labels.gather(1, last.unsqueeze(1)).squeeze(1)]
            if bool(soft.any()):
                emissions, trans, start, end = (part[soft] for part in teacher)
                unary, pairs, first, final = teacher_marginals(
                    emissions, mask[soft], trans, start, end
                )
                expected = (
                    (unary * scores[soft]).sum((1, 2))
                    + (pairs * self.trans).sum((1, 2))
                    + (first * self.start).sum(1)
                    + (final * self.end).sum(1)
                )
                mixed = soft_weight * expected + (1 - soft_weight) * path[soft]
                path = path.masked_scatter(soft, mixed)
            return (log_partition(scores, mask, self.trans, self.start, self.end) - path).mean()

    return Tagger()


def log_partition(scores: Any, mask: Any, trans: Any, start: Any, end: Any) -> Any:
    """log Z of a linear-chain CRF for each sentence of the batch (forward algorithm);
    ``trans``, ``start`` and ``end`` are shared or given per sentence."""
    import torch

    alpha = start + scores[:, 0]
    for t in range(1, scores.shape[1]):
        nxt = torch.logsumexp(alpha.unsqueeze(2) + trans + scores[:, t].unsqueeze(1), 1)
        alpha = torch.where(mask[:, t].unsqueeze(1) > 0, nxt, alpha)
    return torch.logsumexp(alpha + end, 1)


def teacher_marginals(
    emissions: Any, mask: Any, trans: Any, start: Any, end: Any
) -> tuple[Any, Any, Any, Any]:
    """Per sentence, the marginals of a CRF (the teacher): of each token's label
    (sentences x steps x labels, zero past the end), of each pair of successive labels
    summed over positions (sentences x labels x labels), of the first and of the last
    label. They are the gradients of log Z with respect to the scores; ``trans``,
    ``start`` and ``end`` are shared or given per sentence."""
    import torch

    size = emissions.shape[0]
    with torch.enable_grad():
        inputs = [
            emissions.detach().clone().requires_grad_(),
            trans.detach().expand(size, -1, -1).clone().requires_grad_(),
            start.detach().expand(size, -1).clone().requires_grad_(),
            end.detach().expand(size, -1).clone().requires_grad_(),
        ]
        total = log_partition(inputs[0], mask, *inputs[1:]).sum()
        unary, pairs, first, final = torch.autograd.grad(total, inputs)
    return unary, pairs, first, final


# a soft target: the teachers' emission scores of a sentence and their (transitions,
# start, end) scores
_Teacher = tuple[np.ndarray, tuple[np.ndarray, np.ndarray, np.ndarray]]
_Encoded = tuple[list[int], list[list[int]], list[list[int]], list[int], "_Teacher | None"]


def _encode(
    sequences: Sequence[tuple[Sequence[Token], Sequence[str]]],
    features: Sequence[list[list[str]]],
    words: dict[str, int],
    chars: dict[str, int],
    feature_ids: dict[str, int],
    teacher_scores: Sequence[_Teacher | None] | None = None,
    char_input: str = "token",
    labels_learnt: Sequence[str] = LABELS,
) -> list[_Encoded]:
    encoded: list[_Encoded] = []
    bioes = labels_learnt == BIOES_LABELS
    label_ids = {label: i for i, label in enumerate(labels_learnt)}
    if teacher_scores is None:
        teacher_scores = [None] * len(sequences)
    for (tokens, labels), rows, teacher in zip(sequences, features, teacher_scores, strict=True):
        encoded.append(
            (
                [words.get(token_stem(t), 1) for t in tokens],
                [[chars.get(c, 1) for c in character_form(t, char_input)] for t in tokens],
                [[feature_ids.get(f, 1) for f in row] for row in rows],
                [label_ids[label] for label in (to_bioes(labels) if bioes else labels)],
                teacher,
            )
        )
    return encoded


def _batch(items: Sequence[_Encoded], width: int = len(LABELS)) -> Any:
    """Padded tensors of ``items``; ``width``: how many labels the model has."""
    import torch

    steps = max(len(item[0]) for item in items)
    size = len(items)
    words = torch.zeros(size, steps, dtype=torch.long)
    chars = torch.zeros(size, steps, _MAX_CHARS, dtype=torch.long)
    feats = torch.zeros(size, steps, N_FEATURES, dtype=torch.long)
    labels = torch.zeros(size, steps, dtype=torch.long)
    mask = torch.zeros(size, steps)
    teacher = (
        torch.zeros(size, steps, width),
        torch.zeros(size, width, width),
        torch.zeros(size, width),
        torch.zeros(size, width),
    )
    soft = torch.zeros(size, dtype=torch.bool)
    for b, (w, c, f, y, target) in enumerate(items):
        n = len(w)
        if target is not None:
            scores, (trans, start, end) = target
            teacher[0][b, :n] = torch.from_numpy(scores.astype(np.float32))
            teacher[1][b], teacher[2][b], teacher[3][b] = map(torch.from_numpy, (trans, start, end))
            soft[b] = True
        words[b, :n] = torch.tensor(w)
        feats[b, :n] = torch.tensor(f)
        labels[b, :n] = torch.tensor(y)
        mask[b, :n] = 1
        for t, codes in enumerate(c):
            chars[b, t, : len(codes)] = torch.tensor(codes)
    return words, chars, feats, labels, mask, teacher, soft


def _check_export(
    model: Any,
    exported: Any,
    sequences: Sequence[tuple[Sequence[Token], Sequence[str]]],
    features: Sequence[list[list[str]]],
    encoded: Sequence[_Encoded],
) -> float:
    """Largest difference between the emission scores of torch and of the numpy export
    (float16 weights) on the same sentences; over 0.1 means the export is wrong."""
    import torch

    model.eval()
    with torch.no_grad():
        words, chars, feats, *_ = _batch(encoded, model.out.out_features)
        reference = model.emissions(words, chars, feats).numpy()
    ours, lengths = exported.emissions([t for t, _ in sequences], list(features))
    worst = max(float(np.abs(reference[b, :n] - ours[b, :n]).max()) for b, n in enumerate(lengths))
    if worst > 0.1:
        raise RuntimeError(f"numpy export differs from torch by {worst:.3f}: export bug")
    return round(worst, 4)


def _load_context_lm(
    path: Path | None, word_vectors: tuple[list[str], np.ndarray], word_list: Sequence[str]
) -> tuple[dict[str, np.ndarray] | None, dict[str, Any]]:
    """The arrays (float16 values, as shipped) and record of a ``train lm`` file, checked
    against the tagger's word vectors: ``(None, {})`` without one."""
    from arnews_nlp.train.context_lm import LM_ARRAYS, vector_words_digest

    if path is None:
        return None, {}
    vector_words, vectors = word_vectors
    record = json.loads(path.with_suffix(".json").read_text(encoding="utf-8"))
    if record["vector_words_sha256"] != vector_words_digest(vector_words, vectors.shape[1]):
        raise ValueError(
            f"context language model {path} was trained on other word vectors than these "
            "(train it with the same corpus, exclusions and --word-dims)"
        )
    # the tagger's word ids 2.. must be the vector words, in order, as the LM's are
    assert list(word_list[2 : 2 + len(vector_words)]) == list(vector_words)
    with np.load(path) as data:
        arrays = {name: data[name].astype(np.float32) for name in LM_ARRAYS}
    kept = ("hidden", "input_words", "vector_words_sha256", "sentences", "history")
    return arrays, {k: record[k] for k in kept}


def _teacher_scores(conll: Path, lengths: Sequence[int]) -> list[_Teacher | None]:
    """The soft target of each sentence of ``conll`` (as read for training, ``lengths``
    tokens each): its teachers' emission scores and their (transitions, start, end),
    from the file ``train pseudo`` wrote beside it."""
    from arnews_nlp.train.pseudo import scores_path

    path = scores_path(conll)
    if not path.is_file():
        raise FileNotFoundError(
            f"--soft-targets needs the teachers' scores of {conll} in {path}; "
            "`python -m arnews_nlp.train pseudo` writes them beside its CoNLL file"
        )
    with np.load(path) as data:
        if list(data["labels"]) != LABELS:
            raise ValueError(f"{path} has labels {list(data['labels'])}, expected {LABELS}")
        stored = [int(n) for n in data["lengths"]]
        if stored != list(lengths):
            raise ValueError(
                f"{path} does not match {conll}: {len(stored)} sentences of "
                f"{sum(stored)} tokens stored, {len(lengths)} of {sum(lengths)} read"
            )
        offsets = np.cumsum([0, *stored])
        emissions = data["emissions"]
        trans, start, end = (data[k].astype(np.float32) for k in ("transitions", "start", "end"))
    return [(emissions[a:b], (trans, start, end)) for a, b in itertools.pairwise(offsets)]


def _training_kind(extra_train: Sequence[Path], soft_targets: bool) -> str:
    if not extra_train:
        return ""
    return "-distilled" if soft_targets else "-selftrained"


def _vocabularies(
    train_seqs: Sequence[tuple[Sequence[Token], Sequence[str]]],
    train_feats: Sequence[Sequence[Sequence[str]]],
    vector_words: Sequence[str],
) -> tuple[list[str], list[str], list[str]]:
    """The word, character and feature vocabularies of a new model: the vector words and
    the training stems seen twice, the characters seen three times, every feature seen."""
    counts = collections.Counter(token_stem(t) for tokens, _ in train_seqs for t in tokens)
    word_list = ["<pad>", "<unk>"]
    seen = set(word_list)
    for word in [*vector_words, *(w for w, c in counts.items() if c >= 2)]:
        if word not in seen:
            seen.add(word)
            word_list.append(word)
    char_counts = collections.Counter(c for tokens, _ in train_seqs for t in tokens for c in t.norm)
    char_list = ["<pad>", "<unk>", *sorted(c for c, n in char_counts.items() if n >= 3)]
    feature_list = ["<pad>", "<unk>"]
    feature_seen = set(feature_list)
    for rows in train_feats:
        for row in rows:
            for f in row:
                if f not in feature_seen:
                    feature_seen.add(f)
                    feature_list.append(f)
    return word_list, char_list, feature_list


def _vocabularies_of(model: Path) -> tuple[list[str], list[str], list[str]]:
    """The word, character and feature vocabularies recorded in ``model``'s ``.json``."""
    meta = model.with_suffix(".json")
    try:
        record = json.loads(meta.read_text(encoding="utf-8"))
        return list(record["words"]), list(record["chars"]), list(record["features"])
    except (OSError, ValueError, KeyError) as error:
        raise ValueError(
            f"vocabularies_from: {meta} cannot give vocabularies ({error!r}); expected the "
            ".json of a `train neural` or `train ensemble` model"
        ) from None


_SIZE_KEYS = ("words", "chars", "features", "word_dim", "char_dim", "filters", "feature_dim")


def _export_names(layers: int = 1) -> dict[str, str]:
    """The name of each torch weight in the exported ``.npz`` of a model of ``layers``
    BiLSTM layers (one table for writing a model and for reading it back to fine-tune)."""
    names = {
        "wemb.weight": "wemb",
        "cemb.weight": "cemb",
        "conv.weight": "conv_w",
        "conv.bias": "conv_b",
        "femb.weight": "femb",
        "out.weight": "out_w",
        "out.bias": "out_b",
        "trans": "trans",
        "start": "start",
        "end": "end",
    }
    for layer in ("lstm", "lstm2")[:layers]:
        for direction, suffix in (("f", ""), ("b", "_reverse")):
            for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
                short = name.replace("weight", "w").replace("bias", "b")
                names[f"{layer}.{name}_l0{suffix}"] = f"{layer}_{direction}_{short}"
    return names


def _state_from_export(arrays: Any, layers: int = 1) -> dict[str, np.ndarray]:
    """The torch state dict of an exported model's arrays, as float32."""
    return {
        name: np.asarray(arrays[exported], dtype=np.float32)
        for name, exported in _export_names(layers).items()
    }


def _load_for_finetuning(
    path: Path,
) -> tuple[dict[str, Any], dict[str, np.ndarray], dict[str, np.ndarray] | None]:
    """The metadata and torch weights of a ``train neural`` model to go on training, and
    the arrays of the context language model it reads, if it reads one."""
    from arnews_nlp.train.context_lm import LM_ARRAYS

    meta_path = path.with_suffix(".json")
    if not path.is_file() or not meta_path.is_file():
        raise FileNotFoundError(
            f"init_from: expected a model written by `train neural` ({path.name} and "
            f"{meta_path.name} side by side), found no {path if not path.is_file() else meta_path}"
        )
    metadata = json.loads(meta_path.read_text(encoding="utf-8"))
    if metadata.get("word_classes_sha256") != word_classes_digest():
        raise ValueError(
            f"init_from: {path.name} was trained with word classes "
            f"{metadata.get('word_classes_sha256')}, the installed clusters.tsv.gz are "
            f"{word_classes_digest()}; its class features would be garbled"
        )
    with np.load(path) as arrays:
        state = _state_from_export(arrays, int(metadata["params"].get("layers", 1)))
        context = None
        if "context_lm" in metadata:
            context = {name: arrays[name].astype(np.float32) for name in LM_ARRAYS}
    return metadata, state, context


def _dropout_percent(dropout: float | None) -> int | None:
    """``dropout`` as a model's sizes record it (a percentage), ``None`` if not given."""
    if dropout is not None and not 0.0 <= dropout < 1.0:
        raise ValueError(f"dropout must be at least 0 and below 1, got {dropout}")
    return None if dropout is None else round(dropout * 100)


def _seeded_start(
    train_file: Path,
    dev_fraction: float,
    dev_fold: int,
    limit: int,
    seed: int,
    tokenizer: Tokenizer,
) -> tuple[list[tuple[tuple[Token, ...], list[str]]], list[Any]]:
    """Seed torch and ``random`` with ``seed`` (a run is then the same on one machine,
    byte for byte), and give the training sentences of ``train_file``, tokenized and
    aligned with their labels, and the held-out sentences (:func:`_split_training`)."""
    import torch

    torch.manual_seed(seed)
    random.seed(seed)
    torch.set_num_threads(max(1, torch.get_num_threads()))
    train_sentences, dev_sentences = _split_training(train_file, dev_fraction, dev_fold, limit)
    train_seqs = [s for s in aligned_sequences(train_sentences, tokenizer) if s[0]]
    return train_seqs, dev_sentences


def _model_to_finetune(
    init_from: Path, dropout_percent: int | None
) -> tuple[dict[str, Any], Any, dict[str, int], dict[str, np.ndarray] | None]:
    """The metadata, torch model (its weights loaded), sizes and context language model
    arrays of a ``train neural`` model to go on training; ``dropout_percent``, if given,
    replaces the model's own dropout."""
    import torch

    initial, state, context = _load_for_finetuning(init_from)
    sizes = {key: initial["params"][key] for key in _SIZE_KEYS}
    if context is not None:
        for key in ("context_hidden", "context_words"):
            sizes[key] = initial["params"][key]
    sizes.update(
        hidden=initial["hidden"],
        dropout=initial["params"]["dropout"],
        layers=initial["params"].get("layers", 1),
    )
    if dropout_percent is not None:
        sizes["dropout"] = dropout_percent
    model = _build_model(sizes, state["wemb.weight"], context, n_labels=len(initial["labels"]))
    # the language model's weights were set by _build_model from the same file
    missing, unexpected = model.load_state_dict(
        {name: torch.from_numpy(value) for name, value in state.items()}, strict=False
    )
    if unexpected or any(not name.startswith("context.") for name in missing):
        raise ValueError(
            f"init_from: {init_from.name} does not hold the weights its .json describes "
            f"(missing {sorted(missing)}, unexpected {sorted(unexpected)})"
        )
    return initial, model, sizes, context


def _fit(
    model: Any,
    optimiser: Any,
    train_data: Sequence[_Encoded],
    n_labels: int,
    *,
    epochs: int,
    word_dropout: float,
    soft_weight: float = 1.0,
    decay_last: int = 0,
    average_last: int = 0,
    log: Any = print,
) -> tuple[list[dict[str, Any]], dict[str, Any]]:
    """Train ``model`` for ``epochs`` on ``train_data`` (batches of 32 sentences of about
    equal length, in random order); returns each epoch's record and, over the last
    ``average_last`` epochs, the sum of the weights at each epoch's end."""
    import torch
    from torch import nn

    rate = optimiser.param_groups[0]["lr"]
    started = time.perf_counter()
    history = []
    summed: dict[str, Any] = {}  # the weights of the epochs averaged, added up
    for epoch in range(epochs):
        model.train()
        order = sorted(train_data, key=lambda item: len(item[0]) + random.random() * 8)
        batches = [order[i : i + 32] for i in range(0, len(order), 32)]
        random.shuffle(batches)
        total = 0.0
        decaying = epoch - (epochs - decay_last)  # epochs into the decay; negative before it
        for step, batch in enumerate(batches):
            if decaying >= 0:
                done = (decaying * len(batches) + step) / (decay_last * len(batches))
                for group in optimiser.param_groups:
                    group["lr"] = rate * (1.0 - done)
            words, chars, feats, labels, mask, teacher, soft = _batch(batch, n_labels)
            dropped = (torch.rand(words.shape) < word_dropout) & (words > 1)
            words = words.masked_fill(dropped, 1)
            scores = model.emissions(words, chars, feats)
            loss = model.loss(scores, labels, mask, teacher, soft, soft_weight)
            optimiser.zero_grad()
            loss.backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            total += float(loss.detach())
        entry: dict[str, Any] = {"epoch": epoch + 1, "loss": round(total, 1)}
        history.append(entry)
        log(f"epoch {epoch + 1}: loss {total:.1f} ({time.perf_counter() - started:.0f} s)")
        if epoch >= epochs - average_last:
            for name, value in model.state_dict().items():
                summed[name] = summed.get(name, 0) + value.detach().double()
    return history, summed


def train_neural(
    train_file: Path,
    out: Path,
    word_vectors: tuple[list[str], np.ndarray] | None,
    *,
    dev_fraction: float = 0.0,
    dev_fold: int = 1,
    epochs: int = 14,
    hidden: int = 128,
    layers: int = 1,
    seed: int = 1,
    limit: int = 0,
    extra_train: Sequence[Path] = (),
    freeze_embeddings: bool = False,
    vectors_kind: str = "ppmi",
    char_filters: int = 48,
    word_dropout: float = 0.05,
    dropout: float | None = None,
    gold_repeat: int = 1,
    soft_targets: bool = False,
    soft_weight: float = 1.0,
    outside_bias: float = 0.0,
    context_lm: Path | None = None,
    average_last: int = 0,
    decay_last: int = 0,
    learning_rate: float = 2e-3,
    init_from: Path | None = None,
    char_input: str = "token",
    freeze_encoder: bool = False,
    tag_scheme: str | None = None,
    vocabularies_from: Path | None = None,
    log: Any = print,
) -> dict[str, Any]:
    """Train on ``train_file`` and write ``out`` (.npz) and its ``.json``; returns the
    metadata (with per-epoch dev scores when ``dev_fraction`` > 0; ``dev_fold`` picks
    which slice of that size, counted from the end, is held out:
    :func:`~arnews_nlp.train.conll.split_off_dev`).

    With ``soft_targets``, each ``extra_train`` file must have the scores its teachers
    gave it beside it (``train pseudo`` writes them, :func:`~arnews_nlp.train.pseudo.scores_path`):
    its sentences are then learnt as the teachers' distribution over labellings
    (distillation), not as their best labelling only; ``soft_weight`` below 1 mixes in
    that best labelling (0.5: half each).

    ``outside_bias`` is recorded for decoding (the run-time model takes it off every
    "O" score; training and the export check do not see it): chosen on a dev split
    with ``benchmarks/dev_split.py --outside-bias``.

    ``context_lm`` (a ``train lm`` file, trained on the same word vectors) adds that
    language model's states to the LSTM's input; it needs ``freeze_embeddings``, since it
    reads the tagger's word vectors.

    ``average_last`` K > 0 writes the mean of the weights at the end of each of the last
    K epochs (stochastic weight averaging: with Adam's constant rate the last epochs
    wander around a minimum, and their mean lies nearer its centre than any one of
    them), and the last epoch's own weights beside it as ``NAME-last.npz``, so that one
    run measures what the averaging gives.

    ``decay_last`` K > 0 lowers the learning rate linearly, batch by batch, over the last
    K epochs, from its constant value to nearly zero, so that training settles into the
    minimum it has found instead of stopping wherever the last step left it.

    ``init_from`` (a ``train neural`` model) goes on training that model instead of a new
    one: its vocabularies, sizes and weights are kept (``word_vectors``, ``hidden``,
    ``char_filters`` and ``freeze_embeddings`` are then taken from it, and the context
    language model it reads, which stays as it was trained), with a fresh
    optimiser at ``learning_rate``. Fine-tuning a self-trained student on the labelled
    sentences alone is what it is for (docs/model.md).

    ``char_input`` is what the character CNN reads of each token: ``"token"``, the
    normalised token as written, proclitics included, or ``"stem"``, the word the model
    looks up (:func:`~arnews_nlp.entities.neural.character_form`); recorded in the
    ``.json`` for the runtime (a fine-tuned model keeps its own).

    ``freeze_encoder`` (with ``init_from``) trains the output layer and the CRF only,
    the embeddings, the character CNN and the LSTM kept as they are: a lighter touch for
    fine-tuning on few sentences.

    ``dropout`` is the share of the LSTM's inputs and outputs zeroed in training (0.5 for
    a new model when not given; a fine-tuned model keeps its own unless given).

    ``layers`` is 1 or 2: with 2, a second BiLSTM of ``hidden`` units each way reads the
    first's states (dropout between them) and the output layer reads the second's; a
    fine-tuned model keeps its own.

    ``tag_scheme`` is the labelling the network learns: ``"bio"`` (the default for a new
    model) or ``"bioes"`` (:func:`to_bioes`; the training files stay IOB2 and the
    runtime reads the model's labels back as BIO). A fine-tuned model keeps the scheme
    of ``init_from``; naming another is an error.

    ``vocabularies_from`` (a model's ``.npz``, its ``.json`` beside it) gives a new model
    that model's word, character and feature vocabularies instead of those of its own
    training sentences, so that two models trained on different sentences can be packed
    as one ensemble (``train ensemble`` needs them to share vocabularies); what those
    vocabularies lack is read as unknown."""
    import torch

    if init_from is not None and vocabularies_from is not None:
        raise ValueError("init_from keeps the model's vocabularies: vocabularies_from cannot")
    # read before the training sentences, so that a wrong file fails at once
    borrowed = None if vocabularies_from is None else _vocabularies_of(vocabularies_from)
    if init_from is not None and context_lm is not None:
        raise ValueError("init_from keeps the model's inputs: no context_lm can be added")
    if init_from is None and word_vectors is None:
        raise ValueError("word_vectors are needed to start a new model (or give init_from)")
    if learning_rate <= 0:
        raise ValueError(f"learning_rate must be positive, got {learning_rate}")
    if char_input not in CHAR_INPUTS:
        raise ValueError(f"char_input must be one of {CHAR_INPUTS}, got {char_input!r}")
    if tag_scheme is not None and tag_scheme not in TAG_SCHEMES:
        raise ValueError(f"tag_scheme must be one of {sorted(TAG_SCHEMES)}, got {tag_scheme!r}")
    if tag_scheme == "bioes" and soft_targets:
        raise ValueError("soft_targets are the teachers' BIO scores: they need tag_scheme 'bio'")
    if freeze_encoder and init_from is None:
        raise ValueError("freeze_encoder keeps a trained encoder: it needs init_from")
    if context_lm is not None and not freeze_embeddings:
        raise ValueError(
            "a context language model needs freeze_embeddings: it reads the word vectors"
        )
    if layers not in (1, 2):
        raise ValueError(f"layers must be 1 or 2, got {layers}")
    dropout_percent = _dropout_percent(dropout)
    if not 0.0 <= soft_weight <= 1.0:
        raise ValueError(f"soft_weight must be between 0 and 1, got {soft_weight}")
    if not 0 <= average_last <= epochs:
        raise ValueError(
            f"average_last must be between 0 and epochs ({epochs}), got {average_last}"
        )
    if not 0 <= decay_last <= epochs:
        raise ValueError(f"decay_last must be between 0 and epochs ({epochs}), got {decay_last}")
    tokenizer = Tokenizer()
    train_seqs, dev_sentences = _seeded_start(
        train_file, dev_fraction, dev_fold, limit, seed, tokenizer
    )
    n_gold = len(train_seqs)
    # each file's soft targets come with its own teachers' CRF scores
    teacher_scores: list[_Teacher | None] = [None] * n_gold
    for extra in extra_train:  # more labelled text, for training only (never the dev split)
        extra_seqs = [s for s in aligned_sequences(read_conll(extra), tokenizer) if s[0]]
        train_seqs += extra_seqs
        if soft_targets:
            teacher_scores += _teacher_scores(extra, [len(t) for t, _ in extra_seqs])
        else:
            teacher_scores += [None] * len(extra_seqs)
    resources = _feature_resources()
    train_feats = [categorical_features(t, *resources) for t, _ in train_seqs]
    dev_seqs, dev_feats = _held_out_inputs(dev_sentences, tokenizer, resources)

    initial: dict[str, Any] = {}  # the metadata of the model fine-tuned, if one is
    finetuned_from: dict[str, Any] = {}
    context: dict[str, np.ndarray] | None = None
    context_record: dict[str, Any] = {}
    if init_from is not None:
        initial, model, sizes, context = _model_to_finetune(init_from, dropout_percent)
        word_list, char_list = initial["words"], initial["chars"]
        feature_list = initial["features"]
        if context is not None:
            # the language model goes on being read as it was trained (it is never trained
            # with the tagger), so its record is the fine-tuned model's too
            context_record = initial["context_lm"]
        hidden = sizes["hidden"]
        freeze_embeddings = bool(initial["params"]["freeze_embeddings"])
        vectors_kind = initial["params"]["vectors"]
        char_input = initial.get("char_input", "token")
        labels_learnt = list(initial["labels"])
        scheme = next((k for k, v in TAG_SCHEMES.items() if v == labels_learnt), None)
        if scheme is None or tag_scheme not in (None, scheme):
            raise ValueError(
                f"{init_from} was trained with labels {labels_learnt}; "
                f"expected those of tag_scheme {tag_scheme or 'bio or bioes'}"
            )
        if soft_targets and scheme != "bio":
            raise ValueError(f"{init_from} learnt BIOES labels; soft targets are BIO")
        # what the fine-tuned model had learnt from, kept with the new one's metadata
        kept = ("model_version", "train_file", "extra_train_files", "extra_train_sentences")
        finetuned_from = {
            "finetuned_from": {
                "file": init_from.name,
                **{key: initial.get(key) for key in kept},
                "params": initial["params"],
            }
        }
    else:
        assert word_vectors is not None
        vector_words, vectors = word_vectors
        word_list, char_list, feature_list = borrowed or _vocabularies(
            train_seqs, train_feats, vector_words
        )
        sizes = {
            "words": len(word_list),
            "chars": len(char_list),
            "features": len(feature_list),
            "word_dim": vectors.shape[1],
            "char_dim": 24,
            "filters": char_filters,
            "feature_dim": 16,
            "hidden": hidden,
            "layers": layers,
            "dropout": 50 if dropout_percent is None else dropout_percent,
        }
        context, context_record = _load_context_lm(context_lm, word_vectors, word_list)
        if context_lm is not None:
            context_record = {"file": context_lm.name, **context_record}
            sizes["context_hidden"] = context_record["hidden"]
            sizes["context_words"] = context_record["input_words"]
        rng = np.random.default_rng(seed)
        init = (rng.standard_normal((len(word_list), vectors.shape[1])) * 0.1).astype(np.float32)
        init[0] = 0
        index = {w: i for i, w in enumerate(vector_words)}
        for i, word in enumerate(word_list):
            if word in index:
                init[i] = vectors[index[word]]
        labels_learnt = TAG_SCHEMES[tag_scheme or "bio"]
        model = _build_model(sizes, init, context, n_labels=len(labels_learnt))
    if freeze_embeddings:
        # keep the distributional vectors as they are, so that words seen in training
        # and words seen only in the unlabelled news stay in one space
        model.wemb.weight.requires_grad_(False)
    if freeze_encoder:
        for name, parameter in model.named_parameters():
            if not name.startswith(("out.", "trans", "start", "end")):
                parameter.requires_grad_(False)
    word_ids = {w: i for i, w in enumerate(word_list)}
    char_ids = {c: i for i, c in enumerate(char_list)}
    feature_ids = {f: i for i, f in enumerate(feature_list)}
    trained = [p for p in model.parameters() if p.requires_grad]
    optimiser = torch.optim.Adam(trained, lr=learning_rate)
    train_data = _encode(
        train_seqs,
        train_feats,
        word_ids,
        char_ids,
        feature_ids,
        teacher_scores,
        char_input,
        labels_learnt,
    )
    # the labelled sentences are seen ``gold_repeat`` times an epoch, so that they keep
    # their weight beside many extra (e.g. automatically labelled) sentences
    train_data = train_data[:n_gold] * gold_repeat + train_data[n_gold:]
    started = time.perf_counter()
    history, summed = _fit(
        model,
        optimiser,
        train_data,
        len(labels_learnt),
        epochs=epochs,
        word_dropout=word_dropout,
        soft_weight=soft_weight,
        decay_last=decay_last,
        average_last=average_last,
        log=log,
    )

    def write(path: Path, averaged_epochs: int) -> dict[str, Any]:
        return _write_model(
            model,
            path,
            {
                "model_version": (
                    initial["model_version"] + "+finetuned"
                    if initial
                    else f"{__version__}-bilstm-crf" + _training_kind(extra_train, soft_targets)
                )
                + ("+swa" if averaged_epochs else "")
                + ("+decay" if decay_last else "")
                + ("+lm" if context_lm is not None else ""),
                "trained_with": f"arnews_nlp {__version__}, torch {torch.__version__}",
                "train_file": train_file.name,
                "extra_train_files": [p.name for p in extra_train],
                "train_sentences": n_gold,
                "extra_train_sentences": len(train_seqs) - n_gold,
                # the features name word classes by number: a model is tied to these classes
                "word_classes_sha256": word_classes_digest(),
                "params": {
                    "epochs": epochs,
                    "seed": seed,
                    "vectors": vectors_kind,
                    "freeze_embeddings": freeze_embeddings,
                    "word_dropout": word_dropout,
                    "gold_repeat": gold_repeat,
                    "soft_targets": soft_targets,
                    "soft_weight": soft_weight,
                    "averaged_epochs": averaged_epochs,
                    "decay_epochs": decay_last,
                    "learning_rate": learning_rate,
                    "freeze_encoder": freeze_encoder,
                    "dev_fold": dev_fold,
                    **(
                        {"vocabularies_from": vocabularies_from.name}
                        if vocabularies_from is not None
                        else {}
                    ),
                    **sizes,
                },
                **finetuned_from,
                "seconds": round(time.perf_counter() - started, 1),
                "history": history,
                "labels": labels_learnt,
                "outside_bias": outside_bias,
                "hidden": hidden,
                "words": word_list,
                "chars": char_list,
                "char_input": char_input,
                "features": feature_list,
            },
            context,
            context_record,
            (train_seqs[:16], train_feats[:16], train_data[:16]),
            (dev_seqs, dev_feats),
        )

    if not average_last:
        return write(out, 0)
    write(out.with_name(out.stem + "-last.npz"), 0)
    model.load_state_dict(
        {
            name: (value / average_last).to(model.state_dict()[name].dtype)
            for name, value in summed.items()
        }
    )
    return write(out, average_last)


def _joint_model(members: Sequence[Any]) -> Any:
    """One module of networks trained as one: its emission scores are the mean of
    theirs (what an ensemble decodes), and one CRF, the mean of theirs to start with, is
    shared by all of them."""
    import torch
    from torch import nn

    class Joint(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.members = nn.ModuleList(members)
            for name in ("trans", "start", "end"):
                shared = nn.Parameter(torch.stack([getattr(m, name).data for m in members]).mean(0))
                for member in members:
                    setattr(member, name, shared)

        def emissions(self, words: Any, chars: Any, feats: Any) -> Any:
            scores = [member.emissions(words, chars, feats) for member in members]
            return torch.stack(scores).mean(0)

        def loss(self, *args: Any) -> Any:
            return members[0].loss(*args)  # the CRF is every member's

    return Joint()


def finetune_jointly(
    ensemble: Path,
    train_file: Path,
    out: Path,
    *,
    dev_fraction: float = 0.0,
    dev_fold: int = 1,
    epochs: int = 2,
    learning_rate: float = 2e-4,
    seed: int = 1,
    dropout: float | None = None,
    word_dropout: float = 0.05,
    limit: int = 0,
    log: Any = print,
) -> dict[str, Any]:
    """Fine-tune the networks of ``ensemble`` (a ``train ensemble`` file) on
    ``train_file`` as one: the loss is that of one CRF, shared by all of them, on the
    mean of their emission scores, which is what the ensemble decodes at run time
    (fine-tuned apart, as ``train_neural(init_from=ensemble)`` does, each network learns
    to tag alone and their averaged CRF was trained for neither). Writes ``out``, an
    ensemble of the fine-tuned networks, each carrying the shared CRF; returns its
    ``.json``'s content, with the ensemble's ``dev_f1`` when ``dev_fraction`` > 0.
    ``dropout``, if given, replaces the networks' own.
    """
    import tempfile

    import torch

    from arnews_nlp.entities.neural import NeuralModel
    from arnews_nlp.train.ensemble import is_ensemble, unpack_members, write_ensemble

    if not is_ensemble(ensemble):
        raise ValueError(
            f"fine-tuning jointly needs an ensemble (`train ensemble`), got {ensemble}, "
            "one network: fine-tune it with init_from"
        )
    dropout_percent = _dropout_percent(dropout)
    tokenizer = Tokenizer()
    train_seqs, dev_sentences = _seeded_start(
        train_file, dev_fraction, dev_fold, limit, seed, tokenizer
    )
    resources = _feature_resources()
    train_feats = [categorical_features(t, *resources) for t, _ in train_seqs]
    dev_seqs, dev_feats = _held_out_inputs(dev_sentences, tokenizer, resources)
    with tempfile.TemporaryDirectory() as scratch:
        loaded = [
            _model_to_finetune(path, dropout_percent)
            for path in unpack_members(ensemble, Path(scratch))
        ]
        if any(context is not None for *_, context in loaded):
            raise ValueError(
                f"{ensemble.name}'s networks read a context language model; fine-tune them "
                "one by one (init_from)"
            )
        members = [model for _, model, _, _ in loaded]
        for record, member, _, _ in loaded:
            if record["params"]["freeze_embeddings"]:
                member.wemb.weight.requires_grad_(False)
        model = _joint_model(members)
        trained = [p for p in model.parameters() if p.requires_grad]
        optimiser = torch.optim.Adam(trained, lr=learning_rate)
        first = loaded[0][0]
        labels = list(first["labels"])
        word_ids, char_ids, feature_ids = (
            {item: i for i, item in enumerate(first[key])} for key in ("words", "chars", "features")
        )
        char_input = first.get("char_input", "token")
        train_data = _encode(
            train_seqs, train_feats, word_ids, char_ids, feature_ids, None, char_input, labels
        )
        started = time.perf_counter()
        history, _ = _fit(
            model,
            optimiser,
            train_data,
            len(labels),
            epochs=epochs,
            word_dropout=word_dropout,
            log=log,
        )
        seconds = round(time.perf_counter() - started, 1)
        tuned = []
        for k, (record, member, sizes, _) in enumerate(loaded):
            metadata = {
                key: value
                for key, value in record.items()
                if key not in ("dev_sentences", "dev_f1", "export_max_abs_diff", "finetuned_from")
            }
            metadata.update(
                model_version=record["model_version"] + "+finetuned-jointly",
                trained_with=f"arnews_nlp {__version__}, torch {torch.__version__}",
                train_file=train_file.name,
                train_sentences=len(train_seqs),
                params={
                    **record["params"],
                    "epochs": epochs,
                    "seed": seed,
                    "learning_rate": learning_rate,
                    "word_dropout": word_dropout,
                    "dropout": sizes["dropout"],
                    "dev_fold": dev_fold,
                },
                finetuned_from={
                    "file": f"{ensemble.name}, member {k}",
                    "jointly_with": len(loaded) - 1,
                    "model_version": record["model_version"],
                    "params": record["params"],
                },
                seconds=seconds,
                history=history,
            )
            path = Path(scratch) / f"member{k}-finetuned.npz"
            check = (train_seqs[:16], train_feats[:16], train_data[:16])
            _write_model(member, path, metadata, None, {}, check, (dev_seqs, dev_feats))
            tuned.append(path)
        source = {"file": ensemble.name, "members": len(tuned), "jointly": True}
        written = write_ensemble(tuned, out, finetuned_from=source)
    if dev_seqs:
        written.update(_dev_record(NeuralModel(out), dev_seqs, dev_feats))
        out.with_suffix(".json").write_text(
            json.dumps(written, ensure_ascii=False), encoding="utf-8"
        )
    return written


def _write_model(
    model: Any,
    out: Path,
    metadata: dict[str, Any],
    context: dict[str, np.ndarray] | None,
    context_record: dict[str, Any],
    check: tuple[Any, Any, Any],
    dev: tuple[Any, Any],
) -> dict[str, Any]:
    """Write ``model``'s weights (float16) to ``out`` and ``metadata`` beside it, check
    the numpy export against torch and score the export on the ``dev`` sentences, as
    users will run it."""
    from arnews_nlp.entities.neural import NeuralModel

    state = {k: v.detach().numpy() for k, v in model.state_dict().items()}
    layers = 2 if model.lstm2 is not None else 1
    arrays = {exported: state[name] for name, exported in _export_names(layers).items()}
    if context is not None:
        arrays.update(context)
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **{k: v.astype(np.float16) for k, v in arrays.items()})
    if context_record:
        metadata["context_lm"] = context_record
    out.with_suffix(".json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    exported = NeuralModel(out)
    metadata["export_max_abs_diff"] = _check_export(model, exported, *check)
    out.with_suffix(".json").write_text(json.dumps(metadata, ensure_ascii=False), encoding="utf-8")
    if dev[0]:
        metadata.update(_dev_record(exported, *dev))
        out.with_suffix(".json").write_text(
            json.dumps(metadata, ensure_ascii=False), encoding="utf-8"
        )
    return metadata


def _dev_record(
    model: NeuralModel, dev_seqs: Sequence[Any], dev_feats: Sequence[Any]
) -> dict[str, Any]:
    """``dev_sentences`` and ``dev_f1`` of ``model`` (the numpy runtime, as users run it)
    on the held-out sentences."""
    predicted = []
    for (tokens, _), rows in zip(dev_seqs, dev_feats, strict=True):
        predicted.extend(model.tag([tokens], [rows]))
    return {"dev_sentences": len(dev_seqs), "dev_f1": score([y for _, y in dev_seqs], predicted)}


def dev_split_record(
    model: Path, train_file: Path, dev_fraction: float, dev_fold: int = 1, limit: int = 0
) -> dict[str, Any]:
    """``dev_sentences`` and ``dev_f1`` of a model file (an ensemble too) on the
    sentences ``train neural`` holds out of ``train_file`` with the same options; empty
    when none are held out."""
    _, dev_sentences = _split_training(train_file, dev_fraction, dev_fold, limit)
    dev_seqs, dev_feats = _held_out_inputs(dev_sentences, Tokenizer(), _feature_resources())
    if not dev_seqs:
        return {}
    return _dev_record(NeuralModel(model), dev_seqs, dev_feats)


def _split_training(
    train_file: Path, dev_fraction: float, dev_fold: int, limit: int
) -> tuple[list[Any], list[Any]]:
    """The training and held-out sentences of ``train_file`` (its first ``limit`` if
    given), as ``train neural`` and :func:`dev_split_record` both split them."""
    sentences = read_conll(train_file)
    if limit:
        sentences = sentences[:limit]
    return split_off_dev(sentences, dev_fraction, dev_fold)


def _feature_resources() -> tuple[Any, ...]:
    """The lexicons :func:`categorical_features` reads."""
    return (load_gazetteer(), load_triggers(), load_vocab(), load_clusters())


def _held_out_inputs(
    dev_sentences: Sequence[Any], tokenizer: Tokenizer, resources: tuple[Any, ...]
) -> tuple[list[Any], list[Any]]:
    """The held-out sentences' aligned (tokens, labels) and their categorical features,
    empty sentences left out."""
    dev_seqs = [s for s in aligned_sequences(dev_sentences, tokenizer) if s[0]]
    return dev_seqs, [categorical_features(t, *resources) for t, _ in dev_seqs]
