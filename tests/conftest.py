"""Shared fixtures. Test sentences are written by the project, never copied articles."""

from __future__ import annotations

from pathlib import Path

import pytest

import arnews_nlp

SHARED = Path(__file__).resolve().parents[1].parent / "shared"


@pytest.fixture(scope="session")
def nlp() -> arnews_nlp.Pipeline:
    return arnews_nlp.Pipeline()


@pytest.fixture(scope="session")
def shared_dir() -> Path:
    if not SHARED.is_dir():
        pytest.skip("../shared is not beside the checkout")
    return SHARED
