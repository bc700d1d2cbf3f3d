"""Run the BiLSTM-CRF entity model with numpy only (no torch at run time).

The network is trained by ``python -m arnews_nlp.train neural`` (with torch) and
exported as ``ner_nn.npz`` (weights) plus ``ner_nn.json`` (vocabularies, labels,
sizes). Architecture, per token: a word embedding (initialised from distributional
vectors of unlabelled news), a character CNN (width 3, max-pooled), and embeddings of
categorical features (gazetteer tag, trigger kind, word classes, frequency class,
token class, proclitics, article, affixes) → one bidirectional LSTM layer → linear
emission scores → CRF transition scores, decoded with Viterbi.

The sentences of a text (or of a batch of texts) are packed end to end into lanes, so
the per-step cost of the LSTM is paid once per batch, not once per sentence. A model may
be an ensemble of networks (``python -m arnews_nlp.train ensemble``): their emission and
CRF scores are averaged, and their LSTMs step through the lanes together. A model trained
with ``--context-lm`` also holds a language model of the news (``train lm``), run as a
second BiLSTM over the same lanes, whose states join its LSTM's input (docs/model.md).
"""

from __future__ import annotations

import hashlib
import io
import json
import math
import warnings
from collections.abc import Mapping, Sequence
from pathlib import Path
from typing import Any

import numpy as np
import numpy.typing as npt

from arnews_nlp._resources import load_vocab, word_classes_digest
from arnews_nlp.entities.lexicon import Gazetteer
from arnews_nlp.errors import ModelFormatError, ModelMismatchWarning, ModelNotFoundError
from arnews_nlp.text.clitics import looked_up
from arnews_nlp.types import Token

__all__ = [
    "EncodedToken",
    "NeuralModel",
    "bio_label",
    "categorical_features",
    "gazetteer_tags",
    "token_features",
    "token_stem",
    "viterbi_batch",
]

_Array = npt.NDArray[np.float32]
# (word id, form for the character CNN, feature ids) of one token
EncodedToken = tuple[int, str, tuple[int, ...]]
_MAX_CHARS = 20
_MAX_LANES = 64  # sentences run side by side (bounds the per-step work)
_LANE_ROUNDING = 4


def token_stem(token: Token) -> str:
    """The normalised token without its proclitics, as the model looks it up (the
    article restored after ل + ال: «للرئيس» → «الرئيس»,
    :func:`arnews_nlp.text.clitics.looked_up`)."""
    return looked_up(token, load_vocab())[1]


CHAR_INPUTS = ("token", "stem")


def character_form(token: Token, char_input: str) -> str:
    """What the character CNN reads of ``token``: the normalised token as written
    (``"token"``, models trained before 2026-12-05) or the word the model looks up
    (``"stem"``: proclitics off, the article restored after ل + ال, as
    :func:`token_stem`), cut to the CNN's length; "?" for an empty one."""
    form = token.norm if char_input == "token" else token_stem(token)
    return form[:_MAX_CHARS] or "?"


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
    clitics, stem = looked_up(token, vocab)
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
        "cl=" + clitics,
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


def _warn_if_other_word_classes(weights: Path, recorded: str | None) -> None:
    installed = word_classes_digest()
    if recorded and installed and recorded != installed:
        warnings.warn(
            ModelMismatchWarning(
                f"neural entity model {weights} was trained with word classes "
                f"{recorded}, the installed data/clusters.tsv.gz has {installed}: its "
                "inputs are garbled and it will tag worse. Retrain it with `python -m "
                "arnews_nlp.train neural` (or install the arnews-nlp version it was "
                "trained with)"
            ),
            stacklevel=2,
        )


class NeuralModel:
    """Weights and vocabularies of an exported BiLSTM-CRF, or of an ensemble of them,
    with numpy inference.

    ``version`` names the recipe (``recipe``: the ``model_version`` its ``.json``
    records, and the outside bias if any) and the weights themselves
    (``@sha256:`` and 12 hex digits of the ``.npz`` file's SHA-256, ``weights_sha256``).
    """

    _w: dict[str, _Array]
    _w_ih: _Array
    _members: list[NeuralModel]
    _context: _ContextModel | None = None  # a news language model whose states it reads

    def __init__(self, weights: Path, *, outside_bias: float | None = None) -> None:
        """Load ``weights`` (``.npz``) and the ``.json`` beside it; ``outside_bias``, if
        given, replaces the one the ``.json`` records."""
        meta_path = weights.with_suffix(".json")
        for path in (weights, meta_path):
            if not path.is_file():
                raise ModelNotFoundError(
                    f"neural entity model file {path} does not exist; train one with "
                    "`python -m arnews_nlp.train neural`"
                )
        try:
            meta: dict[str, Any] = json.loads(meta_path.read_text(encoding="utf-8"))
            raw = weights.read_bytes()
            with np.load(io.BytesIO(raw)) as data:
                arrays = {name: data[name].astype(np.float32) for name in data.files}
        except (OSError, ValueError, KeyError) as error:
            raise ModelFormatError(
                f"neural entity model {weights} cannot be read ({error})"
            ) from None
        try:
            self.labels: list[str] = meta["labels"]
            # what users and the tagger read: BIO, whatever scheme the model learnt in
            self.bio_labels: list[str] = [bio_label(label) for label in self.labels]
            self._words = {w: i for i, w in enumerate(meta["words"])}
            self._chars = {c: i for i, c in enumerate(meta["chars"])}
            self._features = {f: i for i, f in enumerate(meta["features"])}
            # what the character CNN reads (models of before the option read the token)
            self.char_input: str = meta.get("char_input", "token")
            if self.char_input not in CHAR_INPUTS:
                raise ModelFormatError(
                    f"neural entity model {weights} has char_input {self.char_input!r} "
                    f"(expected one of {', '.join(CHAR_INPUTS)})"
                )
            self.metadata = meta
            # subtracted from the "O" score before decoding: a positive value trades
            # precision for recall (chosen on a held-out split, see docs/model.md)
            recorded = float(meta.get("outside_bias", 0.0))
            self.outside_bias = recorded if outside_bias is None else float(outside_bias)
            if "O" not in self.labels:
                raise KeyError("the label 'O'")
            self._outside = self.labels.index("O")
            # the bias changes what the model tags, so it is part of the version
            shown_bias = f"-outside{self.outside_bias:g}" if self.outside_bias else ""
            # what recipe built it; two builds of one recipe share it
            self.recipe: str = meta.get("model_version", "unversioned") + shown_bias
            # rebuilds of one recipe give different weights (see docs/model.md), so the
            # weights' digest tells stored results of two builds apart
            self.weights_sha256 = hashlib.sha256(raw).hexdigest()
            self.version: str = f"{self.recipe}@sha256:{self.weights_sha256[:12]}"
            # an ensemble (``train ensemble``) holds its members' arrays under
            # "member{k}." and shares one set of vocabularies and one hidden size
            self._members = [
                self._member(
                    {
                        n.split(".", 1)[1]: a
                        for n, a in arrays.items()
                        if n.startswith(f"member{k}.")
                    },
                    int(meta["hidden"]),
                    meta.get("context_lm"),
                )
                for k in range(len(meta.get("members", [])))
            ]
            if self._members:
                self._w = {
                    name: np.mean([m._w[name] for m in self._members], axis=0)
                    for name in ("trans", "start", "end")
                }
            else:
                self._set_network(arrays, int(meta["hidden"]), meta.get("context_lm"))
            _warn_if_other_word_classes(weights, meta.get("word_classes_sha256"))
        except KeyError as error:
            raise ModelFormatError(
                f"neural entity model {weights} lacks {error} (expected an export of "
                "`python -m arnews_nlp.train neural` or `train ensemble`)"
            ) from None

    def _set_network(
        self, arrays: dict[str, _Array], hidden: int, context: Mapping[str, Any] | None = None
    ) -> None:
        missing = [
            name
            for name in ("wemb", "cemb", "conv_w", "conv_b", "femb", "out_w", "trans")
            if name not in arrays
        ]
        if missing:
            raise KeyError(", ".join(missing))
        self._w = arrays
        self._hidden = hidden
        self._prepare_lstm()
        # a second BiLSTM over the first's states (``train neural --layers 2``)
        self._second: tuple[_Array, _Array, _Array] | None = None
        if "lstm2_f_w_ih" in arrays:
            self._second = _lstm_layout(arrays, "lstm2", hidden)
        self._char_cache: dict[str, _Array] = {}
        self._members = []
        self._context = None
        if context is not None:
            self._context = _ContextModel(arrays, context)
            # the tagger's LSTM reads its per-token inputs, then the context states
            width = arrays["wemb"].shape[1] + arrays["conv_w"].shape[0]
            width += arrays["femb"].shape[1] * N_FEATURES
            self._w_ih_context = np.ascontiguousarray(self._w_ih[width:])
            self._w_ih = np.ascontiguousarray(self._w_ih[:width])

    def _member(
        self, arrays: dict[str, _Array], hidden: int, context: Mapping[str, Any] | None
    ) -> NeuralModel:
        """One network of an ensemble: its own weights, this model's vocabularies."""
        member = NeuralModel.__new__(NeuralModel)
        member.labels, member.bio_labels = self.labels, self.bio_labels
        member._words = self._words
        member._chars, member._features = self._chars, self._features
        member._set_network(arrays, hidden, context)
        return member

    @property
    def members(self) -> int:
        """How many networks' scores are averaged (1 for a single model)."""
        return len(self._members) or 1

    @property
    def crf(self) -> tuple[_Array, _Array, _Array]:
        """The CRF's ``(transitions, start, end)`` scores."""
        return self._w["trans"], self._w["start"], self._w["end"]

    def encode_token(self, token: Token, row: Sequence[str]) -> EncodedToken:
        """The model's inputs for one token with categorical features ``row``: its word
        id, its form for the character CNN, and its feature ids (a caller that sees the
        same token again may keep this)."""
        features = self._features
        return (
            self._words.get(token_stem(token), 1),
            character_form(token, self.char_input),
            tuple([features.get(f, 1) for f in row]),
        )

    def _encode(
        self, sentences: Sequence[Sequence[EncodedToken]]
    ) -> tuple[
        npt.NDArray[np.int64], list[str], npt.NDArray[np.int64], npt.NDArray[np.int64], list[int]
    ]:
        """The distinct tokens of all sentences: their ``(distinct,)`` word ids, forms
        and ``(distinct, N_FEATURES)`` feature ids; then the ``(tokens,)`` row of each
        flat token among them, and the sentences' lengths. News repeats its words, so
        the input projection is computed once per distinct token."""
        distinct: dict[EncodedToken, int] = {}
        rows = np.fromiter(
            (
                distinct.setdefault(item, len(distinct))
                for sentence in sentences
                for item in sentence
            ),
            dtype=np.int64,
        )
        items = list(distinct)
        return (
            np.array([word for word, _, _ in items], dtype=np.int64),
            [form for _, form, _ in items],
            np.array([ids for _, _, ids in items], dtype=np.int64).reshape(-1, N_FEATURES),
            rows,
            [len(s) for s in sentences],
        )

    def _char_matrix(self, forms: list[str]) -> _Array:
        """``(len(forms), filters)`` character CNN features, each distinct form once."""
        form_index: dict[str, int] = {}
        positions = [form_index.setdefault(form, len(form_index)) for form in forms]
        return self._char_features(list(form_index))[np.array(positions, dtype=np.int64)]

    def _char_features(self, forms: list[str]) -> _Array:
        """Max-pooled character CNN features of each form, cached per form (news repeats
        its words; the cache is bounded)."""
        cache = self._char_cache
        found = {f: cache[f] for f in forms if f in cache}
        missing = [f for f in forms if f not in found]
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
                cache.clear()  # another thread's lookups are unaffected: they hold ``found``
            for form, vector in zip(missing, pooled, strict=True):
                cache[form] = found[form] = vector
        return np.stack([found[f] for f in forms])

    def _prepare_lstm(self) -> None:
        """The tagger's LSTM weights laid out by :func:`_lstm_layout`."""
        self._w_ih, self._bias, self._w_hh = _lstm_layout(self._w, "lstm", self._hidden)

    def _bilstm(
        self, x: _Array, lengths: Sequence[int], rows: npt.NDArray[np.int64] | None = None
    ) -> _Array:
        """Both LSTM directions over sentences of ``lengths``, one after another, whose
        flat token ``i`` has the input ``x[rows[i]]`` (``x[i]`` without ``rows``);
        returns ``(tokens, 2 * hidden)``.

        Sentences are packed end to end into a few lanes of about equal length (the
        longest sentence sets the lane length), so the per-step cost of numpy calls is
        paid for many tokens and no step is spent on padding; the state is reset where a
        sentence starts. The backward direction runs over each lane reversed, which
        reverses every sentence in it.
        """
        total = int(sum(lengths))
        if rows is None:
            rows = np.arange(total, dtype=np.int64)
        packing = _Packing(lengths)
        out = _run_lstm(self._gate_inputs(x, rows, packing), self._w_hh, packing)
        return packing.unpack(out)

    def _gate_inputs(
        self,
        x: _Array,
        rows: npt.NDArray[np.int64],
        packing: _Packing,
        words: npt.NDArray[np.int64] | None = None,
    ) -> _Array:
        """The input side of every gate at every step, ``(steps, 2, lanes, 4 * hidden)``
        (forward, backward): each distinct input projected once, then laid out by the
        packing, zeros at padding positions; for a model with a context language model,
        plus its states' projection (``words``: the distinct tokens' word ids)."""
        gates = _lay_out(x @ self._w_ih + self._bias, rows, packing)
        if self._context is not None:
            assert words is not None
            states = self._context.states(self._w["wemb"], words, rows, packing)
            per_token = np.arange(packing.total, dtype=np.int64)
            gates += _lay_out(states @ self._w_ih_context, per_token, packing)
        return gates

    def emissions(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> tuple[_Array, list[int]]:
        """Emission scores ``(sentences, max length, labels)`` and the lengths."""
        flat, lengths = self.flat_emissions(self.encode_sentences(sentences, features))
        padded = np.zeros((len(lengths), max(lengths), flat.shape[1]), dtype=np.float32)
        start = 0
        for b, n in enumerate(lengths):
            padded[b, :n] = flat[start : start + n]
            start += n
        return padded, lengths

    def encode_sentences(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> list[list[EncodedToken]]:
        """:meth:`encode_token` for every token of every sentence."""
        return [
            [self.encode_token(token, row) for token, row in zip(sentence, rows, strict=True)]
            for sentence, rows in zip(sentences, features, strict=True)
        ]

    def flat_emissions(
        self, sentences: Sequence[Sequence[EncodedToken]]
    ) -> tuple[_Array, list[int]]:
        """Emission scores ``(tokens, labels)`` of encoded sentences, one after
        another, and the sentences' lengths."""
        if self._members:
            return self._ensemble_emissions(sentences)
        words, forms, feats, rows, lengths = self._encode(sentences)
        x = self._inputs(words, self._char_matrix(forms), feats)
        packing = _Packing(lengths)
        out = _run_lstm(self._gate_inputs(x, rows, packing, words), self._w_hh, packing)
        states = packing.unpack(out)
        if self._second is not None:
            states = _second_layer([self], [states], packing)[0]
        return states @ self._w["out_w"].T + self._w["out_b"], lengths

    def _inputs(
        self, words: npt.NDArray[np.int64], char_features: _Array, feats: npt.NDArray[np.int64]
    ) -> _Array:
        """The network's input vector of each distinct token."""
        w = self._w
        return np.concatenate(
            [w["wemb"][words], char_features, w["femb"][feats].reshape(len(words), -1)],
            axis=1,
        ).astype(np.float32)

    def _ensemble_emissions(
        self, sentences: Sequence[Sequence[EncodedToken]]
    ) -> tuple[_Array, list[int]]:
        """The mean of the members' emission scores (as ``train pseudo`` combines its
        teachers). All members step through one LSTM loop: their states are stacked
        beside each other's directions, so a step costs one batched product and one
        set of element-wise calls for the whole ensemble."""
        members = self._members
        words, forms, feats, rows, lengths = self._encode(sentences)
        packing = _Packing(lengths)
        gates = []
        for member in members:
            x = member._inputs(words, member._char_matrix(forms), feats)
            gates.append(member._gate_inputs(x, rows, packing, words))
        w_hh = np.concatenate([member._w_hh for member in members])
        out = _run_lstm(np.concatenate(gates, axis=1), w_hh, packing)
        states = [packing.unpack(out[:, 2 * k : 2 * k + 2]) for k in range(len(members))]
        deep = [k for k, member in enumerate(members) if member._second is not None]
        if deep:
            second = _second_layer([members[k] for k in deep], [states[k] for k in deep], packing)
            for k, member_states in zip(deep, second, strict=True):
                states[k] = member_states
        scores = [
            member_states @ member._w["out_w"].T + member._w["out_b"]
            for member_states, member in zip(states, members, strict=True)
        ]
        return np.mean(scores, axis=0), lengths

    def viterbi(self, emissions: _Array) -> list[int]:
        """The best label sequence of one sentence's emission scores."""
        return self.viterbi_flat(emissions, [emissions.shape[0]])[0]

    def viterbi_flat(self, emissions: _Array, lengths: Sequence[int]) -> list[list[int]]:
        """Best label sequences of sentences whose emission scores are ``emissions``
        (``(tokens, labels)``, one sentence after another), after the model's
        :attr:`outside_bias` is taken off the "O" scores."""
        w = self._w
        if self.outside_bias:
            emissions = emissions.copy()
            emissions[:, self._outside] -= self.outside_bias
        return viterbi_batch(emissions, lengths, w["trans"], w["start"], w["end"])

    def tag(
        self, sentences: Sequence[Sequence[Token]], features: Sequence[list[list[str]]]
    ) -> list[list[str]]:
        """BIO labels of every token of every sentence."""
        return self.tag_encoded(self.encode_sentences(sentences, features))

    def tag_encoded(self, sentences: Sequence[Sequence[EncodedToken]]) -> list[list[str]]:
        """BIO labels of sentences of tokens encoded by :meth:`encode_token`."""
        if not sentences:
            return []
        scores, lengths = self.flat_emissions(sentences)
        names = self.bio_labels
        return [[names[k] for k in row] for row in self.viterbi_flat(scores, lengths)]


def bio_label(label: str) -> str:
    """The BIO label of a label of either scheme a model may be trained in: BIO, or BIOES
    (``E-`` ends an entity, ``S-`` is an entity of one token).

    >>> [bio_label(x) for x in ["S-PER", "B-ORG", "E-ORG", "I-LOC", "O"]]
    ['B-PER', 'B-ORG', 'I-ORG', 'I-LOC', 'O']
    """
    if label.startswith("S-"):
        return "B-" + label[2:]
    if label.startswith("E-"):
        return "I-" + label[2:]
    return label


def viterbi_batch(
    emissions: _Array,
    lengths: Sequence[int],
    transitions: _Array,
    start: _Array,
    end: _Array,
) -> list[list[int]]:
    """Best label sequences of sentences whose emission scores are ``emissions``
    (``(tokens, labels)``, one sentence after another) under CRF ``transitions`` and
    ``start``/``end`` scores, decoded together: a step handles the same position of every
    sentence, and a sentence that has ended keeps its score."""
    n = np.array(lengths)
    steps = int(n.max())
    offsets = np.concatenate([[0], np.cumsum(n)[:-1]])
    position = np.minimum(np.arange(steps)[None, :], n[:, None] - 1)  # (S, steps)
    scores = emissions[offsets[:, None] + position]  # (S, steps, labels)
    score = start + scores[:, 0]
    back = np.zeros((steps, len(n), transitions.shape[0]), dtype=np.int64)
    ended = n[None, :] <= np.arange(steps)[:, None]  # (steps, S)
    for t in range(1, steps):
        total = score[:, :, None] + transitions
        back[t] = total.argmax(axis=1)
        moved = total.max(axis=1)
        moved += scores[:, t]
        np.copyto(moved, score, where=ended[t][:, None])
        score = moved
    current = (score + end).argmax(axis=1)
    labels = np.empty((len(n), steps), dtype=np.int64)
    rows = np.arange(len(n))
    for t in range(steps - 1, 0, -1):
        labels[:, t] = current
        current = np.where(ended[t], current, back[t, rows, current])
    labels[:, 0] = current
    return [labels[b, :length].tolist() for b, length in enumerate(lengths)]


def _lstm_layout(w: Mapping[str, _Array], name: str, hidden: int) -> tuple[_Array, _Array, _Array]:
    """Weights of the BiLSTM ``name`` (arrays ``{name}_f_w_ih`` ... ``{name}_b_b_hh``)
    laid out for :func:`_run_lstm`: both directions' input weights side by side (one
    matmul projects both), their recurrent weights stacked and transposed (one batched
    matmul of a ``(2, lanes, H)`` state), and every gate's rows pre-scaled so that one
    ``exp`` and one reciprocal give all four nonlinearities: the sigmoid gates by -1
    (sigmoid(x) = 1 / (1 + exp(-x))), the cell gate by -2 (tanh(x) = 2 / (1 + exp(-2x))
    - 1). numpy's ``exp`` is vectorised on every common CPU, its ``tanh`` not
    everywhere. Returns ``(w_ih (width, 2 * 4H), bias (2 * 4H,), w_hh (2, H, 4H))``."""
    scale = np.full(4 * hidden, -1.0, dtype=np.float32)
    scale[2 * hidden : 3 * hidden] = -2.0  # the cell gate (torch order: i, f, g, o)
    inputs, biases, recurrent = [], [], []
    for prefix in (f"{name}_f_", f"{name}_b_"):
        inputs.append(w[prefix + "w_ih"] * scale[:, None])
        biases.append((w[prefix + "b_ih"] + w[prefix + "b_hh"]) * scale)
        recurrent.append((w[prefix + "w_hh"] * scale[:, None]).T)
    return (
        np.ascontiguousarray(np.concatenate(inputs).T),
        np.concatenate(biases).astype(np.float32),
        np.ascontiguousarray(np.stack(recurrent)),
    )


def _second_layer(
    networks: Sequence[NeuralModel], states: Sequence[_Array], packing: _Packing
) -> list[_Array]:
    """Each network's second BiLSTM over its first's ``(tokens, 2 * hidden)`` states,
    all networks stepped through one loop as the first layers are."""
    every_token = np.arange(packing.total, dtype=np.int64)
    gates, recurrent = [], []
    for network, first in zip(networks, states, strict=True):
        assert network._second is not None
        w_ih, bias, w_hh = network._second
        gates.append(_lay_out(first @ w_ih + bias, every_token, packing))
        recurrent.append(w_hh)
    out = _run_lstm(np.concatenate(gates, axis=1), np.concatenate(recurrent), packing)
    return [packing.unpack(out[:, 2 * k : 2 * k + 2]) for k in range(len(networks))]


def _lay_out(projected: _Array, rows: npt.NDArray[np.int64], packing: _Packing) -> _Array:
    """``(steps, 2, lanes, 4H)`` gate inputs from ``projected`` ``(distinct, 2 * 4H)``
    (forward half, backward half), flat token ``i`` taking row ``rows[i]``; zeros at
    padding positions."""
    width = projected.shape[1] // 2
    distinct = projected.shape[0]
    table = np.zeros((2 * distinct + 1, width), dtype=np.float32)
    table[:distinct] = projected[:, :width]
    table[distinct : 2 * distinct] = projected[:, width:]
    padding_row = 2 * distinct
    rows_f = np.append(rows, padding_row)  # position ``total`` is padding
    rows_b = np.append(rows + distinct, padding_row)
    lanes = np.stack([rows_f[packing.forward], rows_b[packing.backward]], axis=1)
    return np.take(table, lanes, axis=0)


class _ContextModel:
    """A word-class language model of the news (``python -m arnews_nlp.train lm``)
    whose states the tagger reads: a forward LSTM over the words up to each token and a
    backward one over the words from it, on the tagger's own (frozen) word vectors."""

    def __init__(self, arrays: Mapping[str, _Array], record: Mapping[str, Any]) -> None:
        self.hidden = int(record["hidden"])
        # the first ``input_words`` word ids are the vectors it was trained on; the
        # tagger's other words (seen only in the labelled data) are unknown to it
        self.input_words = int(record["input_words"])
        self.w_ih, self.bias, self.w_hh = _lstm_layout(arrays, "lm", self.hidden)

    def states(
        self,
        wemb: _Array,
        words: npt.NDArray[np.int64],
        rows: npt.NDArray[np.int64],
        packing: _Packing,
    ) -> _Array:
        """``(tokens, 2 * hidden)`` states of the flat tokens (forward, backward)."""
        known = np.where((words >= 2) & (words < self.input_words), words, 0)
        gates = _lay_out(wemb[known] @ self.w_ih + self.bias, rows, packing)
        return packing.unpack(_run_lstm(gates, self.w_hh, packing))


class _Packing:
    """Where each flat token sits in the lanes (:func:`_pack`), and where the LSTM state
    must be reset: at every sentence start, forward and backward."""

    def __init__(self, lengths: Sequence[int]) -> None:
        self.total = int(sum(lengths))
        self.forward, self.backward = _pack(lengths)
        starts = _sentence_starts(lengths, self.total)
        # (steps, 2, lanes): whether a lane's state carries on into the step
        self.continues = np.stack(
            [~starts[self.forward], ~np.roll(starts, -1)[self.backward]], axis=1
        )

    def unpack(self, out: _Array) -> _Array:
        """``(tokens, 2 * hidden)`` from one network's ``(steps, 2, lanes, hidden)``."""
        hidden = out.shape[-1]
        result = np.empty((self.total + 1, 2 * hidden), dtype=np.float32)
        result[self.forward.ravel(), :hidden] = out[:, 0].reshape(-1, hidden)
        result[self.backward.ravel(), hidden:] = out[:, 1].reshape(-1, hidden)
        return result[: self.total]


def _run_lstm(gates_x: _Array, w_hh: _Array, packing: _Packing) -> _Array:
    """Step LSTMs through packed lanes: ``gates_x`` ``(steps, S, lanes, 4H)`` input
    sides of the gates of ``S`` stacked LSTMs (two directions per network), ``w_hh``
    ``(S, H, 4H)`` their recurrent weights, pre-scaled as :func:`_lstm_layout`
    lays them out; returns the hidden states ``(steps, S, lanes, H)``."""
    steps, stacked, n_lanes, width = gates_x.shape
    hidden = width // 4
    continues = np.tile(packing.continues, (1, stacked // 2, 1))
    keep = continues.astype(np.float32)[:, :, :, None]  # (steps, S, lanes, 1)
    resets = set(np.flatnonzero(~continues.all(axis=(1, 2))).tolist())  # most steps: none
    h = np.zeros((stacked, n_lanes, hidden), dtype=np.float32)
    c = np.zeros((stacked, n_lanes, hidden), dtype=np.float32)
    gates = np.empty((stacked, n_lanes, width), dtype=np.float32)
    squashed_c = np.empty((stacked, n_lanes, hidden), dtype=np.float32)
    out = np.empty((steps, stacked, n_lanes, hidden), dtype=np.float32)
    in_gate, forget_gate = gates[..., :hidden], gates[..., hidden : 2 * hidden]
    cell_gate, out_gate = gates[..., 2 * hidden : 3 * hidden], gates[..., 3 * hidden :]
    with np.errstate(over="ignore"):  # exp overflows to inf: the gate is then 0
        for t in range(steps):
            if t in resets:
                h *= keep[t]
                c *= keep[t]
            np.matmul(h, w_hh, out=gates)
            gates += gates_x[t]
            np.exp(gates, out=gates)
            gates += 1.0
            np.reciprocal(gates, out=gates)
            cell_gate *= 2.0
            cell_gate -= 1.0
            c *= forget_gate
            cell_gate *= in_gate
            c += cell_gate
            np.multiply(c, -2.0, out=squashed_c)
            np.exp(squashed_c, out=squashed_c)
            squashed_c += 1.0
            np.reciprocal(squashed_c, out=squashed_c)
            squashed_c *= 2.0
            squashed_c -= 1.0
            np.multiply(out_gate, squashed_c, out=h)
            out[t] = h
    return out


def _sentence_starts(lengths: Sequence[int], total: int) -> npt.NDArray[np.bool_]:
    """``(total + 1,)``: whether each flat position starts a sentence (the padding
    position ``total`` counts as one, so that its state is never carried on)."""
    starts = np.zeros(total + 1, dtype=bool)
    starts[np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)] = True
    return starts


def _pack(lengths: Sequence[int]) -> tuple[npt.NDArray[np.int64], npt.NDArray[np.int64]]:
    """Flat token positions ``(steps, lanes)`` of sentences packed into lanes, forward
    and backward (each lane reversed); padding is position ``sum(lengths)``.

    Lanes are filled longest sentence first, each to the lane with the fewest tokens so
    far; there are about as many lanes as the longest sentence fits into the total,
    rounded up to a multiple of ``_LANE_ROUNDING`` (the spare lanes cost nearly nothing
    and shorten the others).
    """
    total = int(sum(lengths))
    longest = max(lengths)
    needed = min(len(lengths), _MAX_LANES, -(-total // longest))
    # a multiple of 4: BLAS multiplies by 8 or 12 rows faster than by 7 or 11, and a
    # spare lane costs element-wise work every step (rounding to 8: 4-9% slower on news)
    n_lanes = min(_MAX_LANES, -(-max(1, needed) // _LANE_ROUNDING) * _LANE_ROUNDING)
    offsets = np.concatenate([[0], np.cumsum(lengths)]).astype(np.int64)
    lanes: list[list[int]] = [[] for _ in range(n_lanes)]
    filled = [0] * n_lanes
    for k in sorted(range(len(lengths)), key=lambda k: -lengths[k]):
        lane = min(range(n_lanes), key=filled.__getitem__)
        lanes[lane].append(k)
        filled[lane] += lengths[k]
    steps = max(filled)
    forward = np.full((steps, n_lanes), total, dtype=np.int64)
    backward = np.full((steps, n_lanes), total, dtype=np.int64)
    for lane, members in enumerate(lanes):
        positions = np.concatenate(
            [np.arange(offsets[k], offsets[k + 1]) for k in members] or [np.zeros(0, np.int64)]
        )
        forward[: len(positions), lane] = positions
        backward[: len(positions), lane] = positions[::-1]
    return forward, backward
