"""The numpy runtime of the entity network against plain reference computations.

The runtime packs sentences end to end into lanes and resets the LSTM state where a
sentence starts, and decodes all sentences in one batched Viterbi pass. These tests run
a straightforward one-sentence-at-a-time LSTM and Viterbi on random weights and require
the same numbers, for sentence lengths that exercise packing (one token, equal lengths,
one long sentence among short ones, more sentences than lanes).
"""

from __future__ import annotations

import itertools

import numpy as np
import pytest

from arnews_nlp.entities import neural
from arnews_nlp.entities.neural import NeuralModel, _pack

HIDDEN = 8
WIDTH = 5
LABELS = 4


def _sigmoid(x: np.ndarray) -> np.ndarray:
    return 1.0 / (1.0 + np.exp(-x))


def _reference_lstm(x: np.ndarray, w: dict[str, np.ndarray], prefix: str) -> np.ndarray:
    """One direction over one sentence, torch's gate order (i, f, g, o)."""
    h = np.zeros(HIDDEN)
    c = np.zeros(HIDDEN)
    out = []
    for row in x:
        z = w[prefix + "w_ih"] @ row + w[prefix + "b_ih"] + w[prefix + "w_hh"] @ h
        z += w[prefix + "b_hh"]
        i, f, g, o = np.split(z, 4)
        c = _sigmoid(f) * c + _sigmoid(i) * np.tanh(g)
        h = _sigmoid(o) * np.tanh(c)
        out.append(h)
    return np.array(out)


def _reference_viterbi(scores: np.ndarray, w: dict[str, np.ndarray]) -> list[int]:
    """Exhaustive search over every label sequence (sentences here are short)."""
    best, best_path = -np.inf, None
    for path in itertools.product(range(LABELS), repeat=len(scores)):
        total = w["start"][path[0]] + w["end"][path[-1]]
        total += sum(scores[t, k] for t, k in enumerate(path))
        total += sum(w["trans"][a, b] for a, b in itertools.pairwise(path))
        if total > best:
            best, best_path = total, list(path)
    assert best_path is not None
    return best_path


def _model(seed: int) -> NeuralModel:
    """A NeuralModel shell with random LSTM/CRF weights (no files needed)."""
    rng = np.random.default_rng(seed)
    model = NeuralModel.__new__(NeuralModel)
    w = {}
    for prefix in ("lstm_f_", "lstm_b_"):
        w[prefix + "w_ih"] = rng.normal(0, 1, (4 * HIDDEN, WIDTH)).astype(np.float32)
        w[prefix + "w_hh"] = rng.normal(0, 1, (4 * HIDDEN, HIDDEN)).astype(np.float32)
        w[prefix + "b_ih"] = rng.normal(0, 1, 4 * HIDDEN).astype(np.float32)
        w[prefix + "b_hh"] = rng.normal(0, 1, 4 * HIDDEN).astype(np.float32)
    for name, shape in (("trans", (LABELS, LABELS)), ("start", (LABELS,)), ("end", (LABELS,))):
        w[name] = rng.normal(0, 1, shape).astype(np.float32)
    model._w = w
    model._hidden = HIDDEN
    model.outside_bias = 0.0
    model._outside = 0  # label 0 plays "O"
    model._prepare_lstm()
    return model


CASES = {
    "one token": [1],
    "equal lengths": [3, 3, 3, 3],
    "one long among short": [9, 1, 2, 2, 1, 3],
    "more sentences than lanes": [2] * (neural._MAX_LANES + 7),
    "single sentence": [6],
}


@pytest.mark.parametrize("lengths", list(CASES.values()), ids=list(CASES))
def test_packed_bilstm_equals_one_sentence_at_a_time(lengths: list[int]) -> None:
    model = _model(seed=len(lengths))
    rng = np.random.default_rng(7)
    x = rng.normal(0, 1, (sum(lengths), WIDTH)).astype(np.float32)
    got = model._bilstm(x, lengths)
    start = 0
    for n in lengths:
        sentence = x[start : start + n].astype(np.float64)
        forward = _reference_lstm(sentence, model._w, "lstm_f_")
        backward = _reference_lstm(sentence[::-1], model._w, "lstm_b_")[::-1]
        expected = np.concatenate([forward, backward], axis=1)
        np.testing.assert_allclose(got[start : start + n], expected, atol=2e-5)
        start += n


def test_repeated_inputs_given_once_with_rows_equal_the_expanded_inputs() -> None:
    # the runtime projects each distinct token once and points repeated tokens at it
    model = _model(seed=11)
    rng = np.random.default_rng(5)
    distinct = rng.normal(0, 1, (4, WIDTH)).astype(np.float32)
    rows = np.array([0, 1, 2, 1, 0, 3, 3, 2, 0], dtype=np.int64)
    lengths = [3, 2, 4]
    np.testing.assert_allclose(
        model._bilstm(distinct, lengths, rows), model._bilstm(distinct[rows], lengths), atol=1e-6
    )


@pytest.mark.parametrize("lengths", [[1], [4, 1, 3], [2, 5, 5, 1]], ids=str)
def test_batched_viterbi_equals_exhaustive_search(lengths: list[int]) -> None:
    model = _model(seed=3)
    rng = np.random.default_rng(sum(lengths))
    scores = rng.normal(0, 2, (sum(lengths), LABELS)).astype(np.float32)
    got = model.viterbi_flat(scores, lengths)
    start = 0
    for n, path in zip(lengths, got, strict=True):
        assert path == _reference_viterbi(scores[start : start + n], model._w)
        start += n


@pytest.mark.parametrize("lengths", list(CASES.values()), ids=list(CASES))
def test_stacked_networks_step_as_each_alone(lengths: list[int]) -> None:
    # an ensemble's members run through one LSTM loop, their states side by side
    first, second = _model(seed=1), _model(seed=2)
    rng = np.random.default_rng(3)
    x = rng.normal(0, 1, (sum(lengths), WIDTH)).astype(np.float32)
    rows = np.arange(sum(lengths), dtype=np.int64)
    packing = neural._Packing(lengths)
    gates = [m._gate_inputs(x, rows, packing) for m in (first, second)]
    w_hh = np.concatenate([first._w_hh, second._w_hh])
    out = neural._run_lstm(np.concatenate(gates, axis=1), w_hh, packing)
    np.testing.assert_allclose(packing.unpack(out[:, :2]), first._bilstm(x, lengths), atol=1e-6)
    np.testing.assert_allclose(packing.unpack(out[:, 2:]), second._bilstm(x, lengths), atol=1e-6)


@pytest.mark.parametrize("bias", [1.5, -3.0])
def test_outside_bias_decodes_as_if_taken_off_the_outside_scores(bias: float) -> None:
    model = _model(seed=4)
    model.outside_bias = bias
    rng = np.random.default_rng(9)
    scores = rng.normal(0, 2, (5, LABELS)).astype(np.float32)
    given = scores.copy()
    shifted = scores.copy()
    shifted[:, 0] -= bias
    assert model.viterbi_flat(scores, [5]) == [_reference_viterbi(shifted, model._w)]
    np.testing.assert_array_equal(scores, given)  # the caller's scores are not changed


def test_packing_places_every_token_once_in_each_direction() -> None:
    lengths = [5, 1, 7, 2, 2, 3]
    forward, backward = _pack(lengths)
    total = sum(lengths)
    for positions in (forward, backward):
        real = positions[positions < total]
        assert sorted(real.tolist()) == list(range(total))
    # within a lane, a sentence runs forward in one direction and backward in the other
    assert forward.shape == backward.shape
