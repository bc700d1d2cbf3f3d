"""Train a word-level bidirectional language model of the unlabelled news, whose states
the entity model reads as context features (ELMo-style, small).

    python -m arnews_nlp.train lm --corpus ../shared/data/ant-corpus-v1.1 ... \\
        --out build/model/context_lm.npz
    python -m arnews_nlp.train neural ... --freeze-embeddings \\
        --context-lm build/model/context_lm.npz

The labelled data holds 4,000 sentences; the news, hundreds of thousands. A tagger that
has seen only the former learns from few examples which contexts announce a name («قال
...»، «وزير خارجية ...»). The language model learns them from all the news: its forward
LSTM reads the sentence up to a word and predicts the word class (of 1,000 k-means
classes of ``clusters.tsv.gz``) of the next word, its backward LSTM reads from the end
and predicts the class of the previous one. Its input is the same frozen PPMI-SVD vectors
the tagger reads, so the tagger's file needs no second word table: the language model's
weights are copied into it and run by the numpy runtime like a second BiLSTM, whose
states join the tagger's LSTM input. The language model is not trained further with the
tagger (it stays a feature extractor: its states mean the same for words the labelled
data never shows).
"""

from __future__ import annotations

import hashlib
import json
import random
import time
from collections.abc import Iterable, Sequence
from pathlib import Path
from typing import Any

import numpy as np

from arnews_nlp._resources import load_clusters
from arnews_nlp.entities.neural import token_stem
from arnews_nlp.text.tokenizer import Tokenizer
from arnews_nlp.train.pseudo import sentence_pool
from arnews_nlp.types import Token

__all__ = ["LM_ARRAYS", "train_context_lm", "vector_words_digest"]

# the arrays a language model file holds, named as the tagger's file holds them
LM_ARRAYS = tuple(f"lm_{d}_{n}" for d in ("f", "b") for n in ("w_ih", "w_hh", "b_ih", "b_hh"))


def vector_words_digest(words: Sequence[str], dims: int) -> str:
    """A digest of the word vectors' word list and width: the language model reads word
    ids of that list, so a tagger must be built on the same vectors."""
    return hashlib.sha256("\n".join([str(dims), *words]).encode("utf-8")).hexdigest()


def _word_ids(tokens: Sequence[Token], index: dict[str, int]) -> list[int]:
    # ids 2.. are the vector words, as in the tagger's vocabulary; 0 (a zero vector)
    # is every other word
    return [index.get(token_stem(t), 0) for t in tokens]


def _targets(
    tokens: Sequence[Token], clusters: dict[str, tuple[str, ...]], classes: dict[str, int]
) -> list[int]:
    # the finest word class of the word; words without one by their token kind
    found = []
    for token in tokens:
        known = clusters.get(token_stem(token))
        key = known[-1] if known else "kind=" + token.kind.value
        found.append(classes.setdefault(key, len(classes)))
    return found


def train_context_lm(
    texts: Iterable[str],
    word_vectors: tuple[list[str], np.ndarray],
    out: Path,
    *,
    hidden: int = 128,
    sentences: int = 200_000,
    epochs: int = 1,
    seed: int = 1,
    log: Any = print,
) -> dict[str, Any]:
    """Train on ``sentences`` sentences drawn (with ``seed``) from ``texts`` and write
    ``out`` (.npz, float16 weights) and its ``.json``; returns the metadata, with the
    held-out cross-entropy (nats per word class prediction) after each epoch."""
    import torch
    from torch import nn

    torch.manual_seed(seed)
    rng = random.Random(seed)
    vector_words, vectors = word_vectors
    index = {w: i + 2 for i, w in enumerate(vector_words)}
    table = np.zeros((len(vector_words) + 2, vectors.shape[1]), dtype=np.float32)
    table[2:] = vectors
    tokenizer = Tokenizer()
    pool = sentence_pool(texts, tokenizer)
    rng.shuffle(pool)
    held_out = pool[: min(2000, len(pool) // 10)]
    chosen = pool[len(held_out) : len(held_out) + sentences]
    clusters = load_clusters()
    classes: dict[str, int] = {}

    def encode(batch: Sequence[tuple[str, ...]]) -> list[tuple[list[int], list[int]]]:
        encoded = []
        for words in batch:
            tokens = tokenizer(" ".join(words))
            if len(tokens) >= 2:
                encoded.append((_word_ids(tokens, index), _targets(tokens, clusters, classes)))
        return encoded

    train_items, held_items = encode(chosen), encode(held_out)
    n_classes = len(classes)
    log(
        f"{len(train_items)} sentences, {sum(len(w) for w, _ in train_items)} tokens, "
        f"{n_classes} word classes"
    )

    class LanguageModel(nn.Module):
        def __init__(self) -> None:
            super().__init__()
            self.emb = nn.Embedding(table.shape[0], table.shape[1])
            self.emb.weight.data.copy_(torch.from_numpy(table))
            self.emb.weight.requires_grad_(False)
            self.lstm = nn.LSTM(table.shape[1], hidden, batch_first=True, bidirectional=True)
            self.drop = nn.Dropout(0.2)
            self.next_class = nn.Linear(hidden, n_classes)
            self.previous_class = nn.Linear(hidden, n_classes)

        def loss(self, words: Any, targets: Any, lengths: Any) -> tuple[Any, int]:
            steps = words.shape[1]
            packed = nn.utils.rnn.pack_padded_sequence(
                self.emb(words), lengths, batch_first=True, enforce_sorted=False
            )
            states, _ = self.lstm(packed)
            states, _ = nn.utils.rnn.pad_packed_sequence(
                states, batch_first=True, total_length=steps
            )
            states = self.drop(states)
            valid = torch.arange(steps)[None, :] < lengths[:, None]
            # forward state at t predicts t+1; backward state at t predicts t-1
            ahead = valid[:, 1:]
            behind = valid[:, 1:]
            f_scores = self.next_class(states[:, :-1, :hidden])[ahead]
            b_scores = self.previous_class(states[:, 1:, hidden:])[behind]
            total = nn.functional.cross_entropy(
                f_scores, targets[:, 1:][ahead], reduction="sum"
            ) + nn.functional.cross_entropy(b_scores, targets[:, :-1][behind], reduction="sum")
            return total, 2 * int(ahead.sum())

    def batches(items: list[tuple[list[int], list[int]]], size: int) -> list[Any]:
        order = sorted(items, key=lambda item: len(item[0]) + rng.random() * 8)
        found = []
        for i in range(0, len(order), size):
            part = order[i : i + size]
            steps = max(len(w) for w, _ in part)
            words = torch.zeros(len(part), steps, dtype=torch.long)
            targets = torch.zeros(len(part), steps, dtype=torch.long)
            for b, (w, y) in enumerate(part):
                words[b, : len(w)] = torch.tensor(w)
                targets[b, : len(y)] = torch.tensor(y)
            found.append((words, targets, torch.tensor([len(w) for w, _ in part])))
        return found

    model = LanguageModel()
    optimiser = torch.optim.Adam([p for p in model.parameters() if p.requires_grad], lr=2e-3)
    held_batches = batches(held_items, 128)
    history = []
    started = time.perf_counter()
    for epoch in range(epochs):
        model.train()
        train_batches = batches(train_items, 64)
        rng.shuffle(train_batches)
        for step, (words, targets, lengths) in enumerate(train_batches):
            total, count = model.loss(words, targets, lengths)
            optimiser.zero_grad()
            (total / max(1, count)).backward()
            nn.utils.clip_grad_norm_(model.parameters(), 5.0)
            optimiser.step()
            if step % 500 == 0:
                mean = float(total.detach()) / max(1, count)
                elapsed = time.perf_counter() - started
                log(
                    f"epoch {epoch + 1} batch {step}/{len(train_batches)}: "
                    f"{mean:.3f} ({elapsed:.0f} s)"
                )
        model.eval()
        with torch.no_grad():
            sums = [model.loss(*b) for b in held_batches]
        entropy = sum(float(t) for t, _ in sums) / max(1, sum(c for _, c in sums))
        history.append({"epoch": epoch + 1, "held_out_cross_entropy": round(entropy, 4)})
        log(f"epoch {epoch + 1}: held-out cross-entropy {entropy:.3f}")

    state = {k: v.detach().numpy() for k, v in model.lstm.state_dict().items()}
    arrays = {}
    for direction, suffix in (("f", ""), ("b", "_reverse")):
        for name in ("weight_ih", "weight_hh", "bias_ih", "bias_hh"):
            short = name.replace("weight", "w").replace("bias", "b")
            arrays[f"lm_{direction}_{short}"] = state[f"{name}_l0{suffix}"]
    out.parent.mkdir(parents=True, exist_ok=True)
    np.savez_compressed(out, **{k: v.astype(np.float16) for k, v in arrays.items()})
    metadata = {
        "hidden": hidden,
        "input_words": len(vector_words) + 2,
        "vector_words_sha256": vector_words_digest(vector_words, vectors.shape[1]),
        "sentences": len(train_items),
        "held_out_sentences": len(held_items),
        "word_classes": n_classes,
        "epochs": epochs,
        "seed": seed,
        "seconds": round(time.perf_counter() - started, 1),
        "history": history,
    }
    out.with_suffix(".json").write_text(json.dumps(metadata), encoding="utf-8")
    return metadata
