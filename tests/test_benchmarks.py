"""The arithmetic of benchmarks/dev_split.py, on counts written for the tests (the script
itself needs ../shared and trained models)."""

from __future__ import annotations

import importlib.util
from pathlib import Path
from types import ModuleType

import numpy as np
import pytest

SCRIPT = Path(__file__).resolve().parents[1] / "benchmarks" / "dev_split.py"


@pytest.fixture(scope="module")
def dev_split() -> ModuleType:
    spec = importlib.util.spec_from_file_location("dev_split", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


def _counts(rows: list[tuple[int, int, int]]) -> np.ndarray:
    """(sentences, 4 types, 3) with every entity counted as PER."""
    counts = np.zeros((len(rows), 4, 3), dtype=np.int64)
    counts[:, 0] = rows
    return counts


def test_gold_entities_reads_bio_and_pers(dev_split: ModuleType) -> None:
    tags = ["B-PERS", "I-PERS", "O", "B-LOC", "I-ORG", "B-ORG"]
    assert dev_split.gold_entities(tags) == {
        (0, 1, "PER"),
        (3, 3, "LOC"),
        (4, 4, "ORG"),
        (5, 5, "ORG"),
    }


def test_micro_f1_on_every_sentence_is_the_score(dev_split: ModuleType) -> None:
    counts = _counts([(2, 3, 2), (0, 1, 1), (1, 1, 2)])  # correct, predicted, gold
    every = np.arange(3)[None, :]
    assert dev_split.micro_f1_resampled(counts, every)[0] == pytest.approx(2 * 3 / (5 + 5))
    assert dev_split.score_counts(counts)["all"] == pytest.approx(0.6)


def test_identical_models_differ_by_nothing(dev_split: ModuleType) -> None:
    counts = _counts([(1, 2, 2), (2, 2, 3), (0, 1, 0)] * 10)
    assert dev_split.paired_difference([counts], [counts], resamples=200) == (0.0, 0.0, 0.0, 0.0)


def test_a_model_better_on_every_sentence_wins_every_resample(dev_split: ModuleType) -> None:
    better = _counts([(2, 2, 2)] * 30)
    worse = _counts([(1, 2, 2)] * 30)
    difference, low, high, above = dev_split.paired_difference([better], [worse], resamples=200)
    assert difference == pytest.approx(0.5)
    assert 0 < low <= difference <= high
    assert above == 1.0


def test_a_difference_on_few_sentences_has_a_wide_interval(dev_split: ModuleType) -> None:
    # the candidate is right on 3 sentences more out of 60: the interval must reach 0
    base = _counts([(1, 1, 1)] * 30 + [(0, 1, 1)] * 30)
    candidate = _counts([(1, 1, 1)] * 33 + [(0, 1, 1)] * 27)
    difference, low, high, above = dev_split.paired_difference([candidate], [base], resamples=500)
    assert difference == pytest.approx(0.05)
    assert low <= 0 < high
    assert 0.5 < above < 1.0
