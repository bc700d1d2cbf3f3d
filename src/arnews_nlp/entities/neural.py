"""Run the BiLSTM-CRF entity model with numpy only (no torch at run time).

The network is trained by ``python -m arnews_nlp.train neural`` (with torch) and
exported as ``ner_nn.npz`` (weights) plus ``ner_nn.json`` (vocabularies, labels,
sizes). Architecture, per token: a word embedding (initialised from distributional
vectors of unlabelled news), a character CNN (width 3, max-pooled), and embeddings of
categorical features (gazetteer tag, trigger kind, word classes, frequency class,
token class, proclitics, article, affixes) → one bidirectional LSTM layer → linear
emission scores → CRF transition scores, decoded with Viterbi.

All sentences of a text are run as one padded batch, so the per-step cost of the LSTM is
paid once per text, not once per sentence.
"""

from __future__ import annotations

import json
import math
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from arnews_nlp.entities.lexicon import Gazetteer
from arnews_nlp.errors import ModelFormatError, ModelNotFoundError
from arnews_nlp.text.normalize import normalize_word
from arnews_nlp.types import Token

__all__ = [
    "NeuralModel",
    "categorical_features",
    "gazetteer_tags",
    "token_features",
    "token_stem",
]

_Array = npt.NDArray[np.float32]
_MAX_CHARS = 20


def token_stem(token: Token) -> str:
    """The normalised token without its proclitics."""
    return normalize_word(token.stem) if token.clitic_end > token.start else token.norm


def gazetteer_tags(tokens: Sequence[Token], gazetteer: Gazetteer) -> list[str]:
    """The BIO tag of the longest gazetteer name covering each token ("" outside)."""
    tags = [""] * len(tokens)
    for match in gazetteer.find(tokens):
        tags[match.first] = "B-" + match.entry.label.value
        for j in range(match.first + 1, match.last + 1):
            tags[j] = "I-" + match.entry.label.value
    return tags


def token_features(
    token: Token,
    gazetteer_tag: str,
    triggers: Mapping[str, str],
    vocab: Mapping[str, int],
    clusters: Mapping[str, tuple[str, ...]],
) -> list[str]:
    """The categorical inputs of one token."""
    stem = token_stem(token)
    classes = (*clusters.get(stem, ()), "", "", "")
    count = vocab.get(stem, 0)
    freq = "0" if count == 0 else str(min(6, int(math.log10(count + 1) * 2)))
    return [
        "g=" + gazetteer_tag,
        "t=" + triggers.get(stem, ""),
        "c0=" + classes[0],
        "c1=" + classes[1],
        "c2=" + classes[2],
        "f=" + freq,
        "k=" + token.kind.value,
        "cl=" + token.norm[: len(token.norm) - len(stem)],
        "al=" + str(stem.startswith("ال")),
        "x2=" + stem[-2:],
        "p2=" + stem[:2],
    ]


def categorical_features(
    tokens: Sequence[Token],
    gazetteer: Gazetteer,
    triggers: Mapping[str, str],
    vocab: Mapping[str, int],
    clusters: Mapping[str, tuple[str, ...]],
) -> list[list[str]]:
    """The categorical inputs of every token (shared by training and inference)."""
    tags = gazetteer_tags(tokens, gazetteer)
    return [
        token_features(token, tag, triggers, vocab, clusters)
        for token, tag in zip(tokens, tags, strict=True)
    ]


N_FEATURES = 11


class NeuralModel:
    """Weights and vocabularies of an exported BiLSTM-CRF, with numpy inference."""

    def __init__(self, weights: Path) -> None:
        meta_path = weights.with_suffix(".json")
        for path in (weights, meta_path):
            if not path.is_file():
                raise ModelNotFoundError(
                    f"neural entity model file {path} does not exist; train one with "
                    "`python -m arnews_nlp.train neural`"
                )
        try:
            meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
            with np.load(weights) as data:
                arrays = {name: data[name].astype(np.float32) for name in data.files}
        except (OSError, ValueError, KeyError) as error:
            raise ModelFormatError(
                f"neural entity model {weights} cannot be read ({error})"
            ) from None
        try:
            self.labels: list[str] = meta["labels"]
            self._words = {w: i for i, w in enumerate(meta["words"])}
            self._chars = {c: i for i, c in enumerate(meta["chars"])}
            self._features = {f: i for i, f in enumerate(meta["features"])}
            self.version: str = meta.get("model_version", "unversioned")
            self.metadata = meta
            self._w = arrays
            self._hidden = int(meta["hidden"])
            missing = [
                name
                for name in ("wemb", "cemb", "conv_w", "conv_b", "femb", "out_w", "trans")
                if name not in arrays
            ]
            if missing:
                raise KeyError(", ".join(missing))
            self._prepare_lstm()
            self._char_cache: dict[str, _Array] = {}
        except KeyError as error:
            raise ModelFormatError(
                f"neural entity model {weights} lacks {error} (expected an export of "
                "`python -m arnews_nlp.train neural`)"
            ) from None

    def _encode(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> tuple[npt.NDArray[np.int64], _Array, npt.NDArray[np.int64], list[int]]:
        lengths = [len(s) for s in sentences]
        batch, steps = len(sentences), max(lengths)
        words = np.zeros((batch, steps), dtype=np.int64)
        feats = np.zeros((batch, steps, N_FEATURES), dtype=np.int64)
        forms = np.zeros((batch, steps), dtype=np.int64)
        form_index: dict[str, int] = {}
        for b, (sentence, rows) in enumerate(zip(sentences, features, strict=True)):
            for t, (token, row) in enumerate(zip(sentence, rows, strict=True)):
                words[b, t] = self._words.get(token_stem(token), 1)
                forms[b, t] = form_index.setdefault(token.norm[:_MAX_CHARS] or "?", len(form_index))
                feats[b, t] = [self._features.get(f, 1) for f in row]
        by_form = self._char_features(list(form_index))
        return words, by_form[forms], feats, lengths

    def _char_features(self, forms: list[str]) -> _Array:
        """Max-pooled character CNN features of each form, cached per form (news repeats
        its words; the cache is bounded)."""
        cache = self._char_cache
        missing = [f for f in forms if f not in cache]
        if missing:
            w = self._w
            chars = np.zeros((len(missing), _MAX_CHARS), dtype=np.int64)
            for i, form in enumerate(missing):
                chars[i, : len(form)] = [self._chars.get(c, 1) for c in form]
            vectors = w["cemb"][chars]  # (U, C, E)
            padded = np.pad(vectors, ((0, 0), (1, 1), (0, 0)))
            windows = np.concatenate([padded[:, k : k + _MAX_CHARS] for k in range(3)], axis=2)
            conv_w = w["conv_w"]  # (filters, E, 3), torch layout
            kernel = conv_w.transpose(2, 1, 0).reshape(-1, conv_w.shape[0])
            conv = np.maximum(windows @ kernel + w["conv_b"], 0.0)
            # positions past a word's end are masked, as in training (position 0 counts)
            keep = (chars > 0) | (np.arange(_MAX_CHARS) == 0)
            pooled = np.where(keep[..., None], conv, 0.0).max(axis=1).astype(np.float32)
            if len(cache) > 200_000:
                cache.clear()
            for form, vector in zip(missing, pooled, strict=True):
                cache[form] = vector
        return np.stack([cache[f] for f in forms])

    def _prepare_lstm(self) -> None:
        """Run both directions in one step (a batched matmul over the direction axis);
        the sigmoid gates' rows are pre-scaled by 1/2 so that one ``tanh`` serves all
        gates (sigmoid(x) = (tanh(x/2) + 1) / 2)."""
        w = self._w
        hidden = self._hidden
        scale = np.ones(4 * hidden, dtype=np.float32)
        scale[: 2 * hidden] = 0.5  # input and forget gates
        scale[3 * hidden :] = 0.5  # output gate
        self._w_ih = []
        self._bias = []
        recurrent = []
        for prefix in ("lstm_f_", "lstm_b_"):
            self._w_ih.append((w[prefix + "w_ih"] * scale[:, None]).T.copy())
            self._bias.append((w[prefix + "b_ih"] + w[prefix + "b_hh"]) * scale)
            recurrent.append((w[prefix + "w_hh"] * scale[:, None]).T)
        self._w_hh = np.stack(recurrent)  # (2, H, 4H): one batched matmul for both

    def _bilstm(self, x: _Array, lengths: list[int]) -> _Array:
        """Both LSTM directions over a padded batch; each sequence is reversed within
        its own length for the backward direction."""
        batch, steps, _ = x.shape
        hidden = self._hidden
        index = np.array([[(n - 1 - t) if t < n else t for t in range(steps)] for n in lengths])
        reversed_x = np.take_along_axis(x, index[:, :, None], axis=1)
        gates_x = np.stack(
            [x @ self._w_ih[0] + self._bias[0], reversed_x @ self._w_ih[1] + self._bias[1]]
        ).reshape(2, batch, steps, 4, hidden)
        w_hh = self._w_hh
        h = np.zeros((2, batch, hidden), dtype=np.float32)
        c = np.zeros((2, batch, hidden), dtype=np.float32)
        out = np.empty((2, steps, batch, hidden), dtype=np.float32)
        for t in range(steps):
            gates = np.tanh(gates_x[:, :, t] + np.matmul(h, w_hh).reshape(2, batch, 4, hidden))
            sig = gates * 0.5 + 0.5
            c = sig[:, :, 1] * c + sig[:, :, 0] * gates[:, :, 2]
            h = sig[:, :, 3] * np.tanh(c)
            out[:, t] = h
        forward = out[0].transpose(1, 0, 2)
        backward = np.take_along_axis(out[1].transpose(1, 0, 2), index[:, :, None], axis=1)
        return np.concatenate([forward, backward], axis=2)

    def emissions(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> tuple[_Array, list[int]]:
        """Emission scores ``(sentences, max length, labels)`` and the lengths."""
        w = self._w
        words, char_features, feats, lengths = self._encode(sentences, features)
        batch, steps = words.shape
        x = np.concatenate(
            [
                w["wemb"][words],
                char_features,
                w["femb"][feats].reshape(batch, steps, -1),
            ],
            axis=2,
        ).astype(np.float32)
        h = self._bilstm(x, lengths)
        return h @ w["out_w"].T + w["out_b"], lengths

    def viterbi(self, emissions: _Array) -> list[int]:
        """The best label sequence of one sentence's emission scores."""
        w = self._w
        transitions = w["trans"]
        score = w["start"] + emissions[0]
        back = []
        for t in range(1, emissions.shape[0]):
            total = score[:, None] + transitions
            back.append(total.argmax(axis=0))
            score = total.max(axis=0) + emissions[t]
        score = score + w["end"]
        best = [int(score.argmax())]
        for pointers in reversed(back):
            best.append(int(pointers[best[-1]]))
        return best[::-1]

    def tag(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> list[list[str]]:
        """BIO labels of every token of every sentence."""
        if not sentences:
            return []
        scores, lengths = self.emissions(sentences, features)
        return [
            [self.labels[k] for k in self.viterbi(scores[b, :n])] for b, n in enumerate(lengths)
        ]
